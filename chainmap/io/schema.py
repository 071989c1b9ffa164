"""The tables of a chainmap dataset and the headers each column accepts."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TABLES", "TABLE_ALIASES", "REQUIRED_TABLES", "Column", "canonical_header"]


@dataclass(frozen=True)
class Column:
    """A column of a dataset table: its English name and the other headers it accepts."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False


TABLES: dict[str, tuple[Column, ...]] = {
    "chains": (
        Column("id", ("编号",), True),
        Column("name", ("名称", "产业链")),
        Column("name_en", ("英文名称",)),
    ),
    "products": (
        Column("id", ("编号",), True),
        Column("name", ("名称", "产品名称")),
        Column("name_en", ("英文名称",)),
        Column("chains", ("产业链",)),
        Column("tier", ("环节", "层级")),
        Column("keywords", ("关键词",)),
        Column("exclude", ("排除词",)),
        Column("industries", ("国标行业", "行业代码")),
    ),
    "inputs": (
        Column("upstream", ("上游",), True),
        Column("downstream", ("下游",), True),
    ),
    "companies": (
        Column("id", ("编号",)),
        Column("name", ("企业名称", "名称")),
        Column("uscc", ("统一社会信用代码", "信用代码")),
        Column("province", ("省份", "所属省份"), True),
        Column("city", ("城市", "所属城市")),
        Column("district", ("区县", "所属区县")),
        Column("in_park", ("是否入园",)),
        Column("employees", ("员工人数", "参保人数")),
        Column("revenue", ("营业收入", "营收")),
        Column("status", ("登记状态", "经营状态")),
        Column("status_raw", ("登记状态原文",)),
        Column("address", ("企业地址", "注册地址", "地址")),
        Column("main_products", ("主营产品",)),
        Column("scope", ("经营范围",)),
        # of several industry columns the most specific non-empty one counts
        Column("industry", ("国标行业", "所属行业", "行业")),
        Column("industry_class", ("国标行业小类",)),
        Column("industry_group", ("国标行业中类",)),
        Column("industry_division", ("国标行业大类",)),
        Column("industry_section", ("国标行业门类",)),
        Column("registered_capital", ("注册资本",)),
        Column("founded", ("成立日期",)),
        Column("source", ("数据来源",)),
        Column("as_of", ("数据日期",)),
    ),
    "capabilities": (
        Column("company", ("企业",), True),
        Column("product", ("产品",), True),
        Column("status", ("状态",)),
        Column("evidence", ("依据强度",)),
        Column("source", ("来源",)),
        Column("field", ("依据字段",)),
        Column("text", ("依据原文",)),
    ),
    "supplies": (
        Column("supplier", ("供应商",), True),
        Column("customer", ("客户",), True),
        Column("product", ("产品",)),
    ),
    # leads (招商线索) are not part of the dataset proper: chainmap.crm.leads_io reads them
    "leads": (
        Column("company", ("企业", "企业编号"), True),
        Column("product", ("产品", "产品编号")),
        Column("stage", ("阶段",)),
        Column("owner", ("负责人",)),
        Column("investment", ("投资额", "投资额(亿元)", "投资额（亿元）")),
        Column("source", ("来源",)),
        Column("date", ("日期",)),
        Column("note", ("备注",)),
        Column("reason", ("终止原因", "原因")),
        Column("id", ("线索编号",)),
        Column("company_name", ("企业名称",)),
    ),
}

#: Tables a dataset must contain.
REQUIRED_TABLES = ("products", "companies")

#: File or sheet names accepted for each table besides its English name.
TABLE_ALIASES: dict[str, str] = {
    "产业链": "chains",
    "产品": "products",
    "环节": "products",
    "上下游": "inputs",
    "投入": "inputs",
    "企业": "companies",
    "企业产品": "capabilities",
    "产品能力": "capabilities",
    "供应关系": "supplies",
    "供应": "supplies",
    "线索": "leads",
    "招商线索": "leads",
}


def _key(header: str) -> str:
    return "".join(str(header).split()).lower()


def canonical_header(table: str, header: str) -> str | None:
    """The column ``header`` stands for in ``table``, or ``None`` for an extra column.

    >>> canonical_header("companies", " 统一社会信用代码 ")
    'uscc'
    >>> canonical_header("companies", "Province")
    'province'
    >>> canonical_header("companies", "备注") is None
    True
    """
    key = _key(header)
    for col in TABLES[table]:
        if key == col.name or key in (_key(a) for a in col.aliases):
            return col.name
    return None


def table_for(name: str) -> str | None:
    """The table a file stem or sheet name stands for (``None`` if none)."""
    key = _key(name)
    if key in TABLES:
        return key
    return TABLE_ALIASES.get(key)
