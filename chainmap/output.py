"""Render report frames as table, JSON, CSV or Markdown text, in English or Chinese.

This module writes no file: :mod:`chainmap.files` does (``write_xlsx`` for workbooks).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import ArgumentError
from .files import plain_value as _plain
from .labels import SEVERITY_ZH, STAGE_ZH, STATUS_ZH, TIER_ZH

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMATS", "HEADERS_ZH", "SHEETS_ZH", "VALUES_ZH", "for_people", "id_names",
           "localize", "percent_text", "render", "to_markdown", "to_records"]

FORMATS = ("table", "json", "csv", "md")


def to_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (lists stay lists; NaN and ±inf become null)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _cell(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.10g}" if abs(value) < 1e15 else str(value)
    return str(value)


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-style Markdown table (pipes in cells are escaped)."""
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(_cell(v).replace("|", "\\|").replace("\n", " ") for v in row)
            + " |" for row in frame.itertuples(index=False, name=None)]
    return "\n".join([head, rule, *body])


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def to_table(frame: pd.DataFrame, max_cell: int = 100) -> str:
    """Aligned plain-text table that counts Chinese characters as two columns."""
    cells = [[_clip(_cell(v), max_cell) for v in row]
             for row in frame.itertuples(index=False, name=None)]
    header = [str(c) for c in frame.columns]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        padded = (v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=False))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in cells)])


def render(frame: pd.DataFrame, fmt: str) -> str:
    """``frame`` as text in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        # to_records makes NaN and inf null: allow_nan=False only guards that promise
        return json.dumps(to_records(frame), ensure_ascii=False, indent=2, allow_nan=False)
    if fmt == "csv":
        flat = frame.copy()
        for col in flat.columns:
            # only object columns can hold lists; a plain scan, not a map (big reports)
            if flat[col].dtype == object and any(
                    isinstance(v, (list, tuple)) for v in flat[col].to_numpy()):
                flat[col] = flat[col].map(lambda v: ";".join(map(str, v))
                                          if isinstance(v, (list, tuple)) else v)
        return flat.to_csv(index=False).rstrip("\n")
    if fmt == "md":
        return to_markdown(frame)
    if fmt == "table":
        return to_table(frame) if len(frame) else "(no rows)"
    raise ArgumentError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")


#: Chinese headers for ``--lang zh``: the analysis reports and the pipeline report.
HEADERS_ZH = {
    "product": "产品编号", "name": "名称", "name_en": "英文名称", "tier": "环节",
    "status": "状态", "local_producers": "本地生产企业数", "local_demand": "本地需求企业数",
    "n_candidates": "候选企业数", "candidates": "候选企业", "local_firms": "本地生产企业",
    "explanation": "说明", "company": "企业编号", "region": "地区", "revenue": "营业收入(万元)",
    "rank": "排名", "why": "理由", "is_lead": "已是线索", "chain": "产业链",
    "products": "产品数", "severity": "级别", "check": "检查项", "table": "表", "id": "编号",
    "message": "内容", "supplies_local": "已供应本地企业",
    # targets, anchor, metrics, impact
    "local_customers": "本地客户", "used_for": "用于产品", "in_house": "自产",
    "known_supplier": "有已知供应商", "suppliers": "已知供应商", "where": "所在地",
    "supplied": "供应产品", "firm": "企业", "home": "本地区域", "input_products": "投入品数",
    "supported": "本地可配套数", "supporting_rate": "本地配套率", "definition": "口径",
    "covered": "已覆盖数", "weak": "弱链数", "missing": "缺链数", "completeness": "完整度",
    "before": "变化前", "after": "变化后", "local_producers_before": "变化前本地生产企业数",
    "local_producers_after": "变化后本地生产企业数", "changed": "状态变化",
    "customer": "客户编号", "product_name": "产品名称", "effect": "影响",
    # the pipeline report (chainmap pipeline) and the lead tables
    "stage": "阶段", "stage_zh": "阶段名称", "count": "数量", "investment": "投资额(亿元)",
    "leads": "线索数", "open": "在谈", "signed": "已签约",
    "signed_investment": "签约投资额(亿元)", "chain_name": "产业链名称", "owner": "负责人",
    "year": "年份", "projects": "项目数", "from_stage": "从阶段", "to_stage": "到阶段",
    "reached_from": "到达前一阶段", "reached_to": "到达后一阶段", "rate": "转化率",
    "stays": "次数", "median_days": "停留天数中位数", "company_name": "企业名称",
    "contract_date": "签约日期", "start_date": "开工日期", "production_date": "投产日期",
    "days_to_start": "签约至开工天数", "overdue": "签而未动", "since": "进入阶段日期",
    "source": "来源", "created": "创建日期", "province": "省份",
    "due": "到期日", "days_overdue": "逾期天数", "note": "备注", "lead": "线索编号",
    "last_touch": "最近跟进", "days_idle": "未跟进天数", "at": "时间", "by": "操作人",
    "entity": "对象", "entity_id": "对象编号", "lead_id": "线索编号", "action": "操作",
    "detail": "内容",
    # the weekly report (chainmap report weekly)
    "measure": "指标", "value": "数值", "start": "开始日期", "end": "结束日期",
    "new_leads": "新增线索", "stage_moves": "阶段推进", "activities": "走访活动",
    "started": "开工", "producing": "投产",
    "started_investment": "开工金额(亿元)", "producing_investment": "投产金额(亿元)",
    "overdue_followups": "逾期跟进", "signed_not_started": "签而未动", "kind": "方式",
    "date": "日期", "summary": "汇总", "by_owner": "按负责人", "by_chain": "按产业链",
    "activity_kinds": "活动方式", "deals": "签约开工投产",  # sheet names
}
#: Chinese values for ``--lang zh``, in the columns :data:`LOCALIZED_COLUMNS`.
VALUES_ZH = {
    **STATUS_ZH, **TIER_ZH, **SEVERITY_ZH, "overall": "全链", "local": "本地",
    "targets": "目标地区",
    "elsewhere": "其他地区", "loses its only local supplier": "失去唯一本地供应商",
    "gains its first local supplier": "获得首个本地供应商",
    # activity kinds (the weekly report)
    "visit": "拜访", "call": "电话", "meeting": "会谈", "email": "邮件", "event": "活动",
}
#: Columns whose values :func:`localize` translates with :data:`VALUES_ZH`.
LOCALIZED_COLUMNS = ("status", "tier", "severity", "before", "after", "where", "effect",
                     "kind")
#: Columns whose values are lead stages (translated with :data:`chainmap.labels.STAGE_ZH`).
STAGE_COLUMNS = ("stage", "from_stage", "to_stage")
#: The pipeline's target-region bucket outside 上海/江苏/浙江.
_REGION_ZH = {"other": "其他"}


def localize(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with Chinese headers and values when ``lang == 'zh'`` (else unchanged).

    Headers from :data:`HEADERS_ZH`; status, tier and the like from :data:`VALUES_ZH`;
    lead stages (``signed`` -> ``签约``) in :data:`STAGE_COLUMNS`; a column ``x_zh``
    beside ``x`` (``stage_zh``, ``measure_zh``) gives ``x`` its values and is dropped;
    the region ``other`` becomes ``其他``. The one translation for every report, the
    pipeline's included.
    """
    if lang != "zh":
        return frame
    out = frame.copy()
    for col in [c for c in out.columns if c.endswith("_zh") and c[:-3] in out.columns]:
        out[col[:-3]] = out.pop(col)
    for col in LOCALIZED_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(lambda v: VALUES_ZH.get(v, v))
    for col in STAGE_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(lambda v: STAGE_ZH.get(v, v))
    if "region" in out.columns:
        out["region"] = out["region"].replace(_REGION_ZH)
    return out.rename(columns=HEADERS_ZH)


#: Sheet names of the report workbooks under ``--lang zh``.
SHEETS_ZH = {
    "gaps": "缺链分析", "targets": "目标企业", "metrics": "产业链完整度",
    "summary": "链主概况", "inputs": "投入品配套", "suppliers": "已知供应商",
    "products": "产品影响", "customers": "本地客户影响",
    "stages": "阶段", "regions": "地区", "chains": "产业链", "owners": "负责人",
    "signed_by_year": "年度签约", "conversion": "阶段转化率", "stage_days": "阶段停留天数",
    "projects": "签约项目",
}
#: How workbooks write report columns (by English name; see
#: :func:`chainmap.files.write_xlsx`): 亿元 ``money``, shares ``percent``, counts ``count``,
#: 万元 ``amount``, days ``date``, ids ``text``. Integer columns are counts anyway.
COLUMN_KINDS = {
    **dict.fromkeys(("investment", "signed_investment"), "money"),
    **dict.fromkeys(("rate", "supporting_rate", "completeness"), "percent"),
    **dict.fromkeys(("revenue",), "amount"),
    **dict.fromkeys(("count", "leads", "open", "signed", "projects", "reached_from",
                     "reached_to", "stays", "days_to_start", "days_overdue", "days_idle",
                     "rank", "local_producers", "local_demand", "n_candidates",
                     "input_products", "supported", "covered", "weak", "missing",
                     "local_producers_before", "local_producers_after"), "count"),
    **dict.fromkeys(("contract_date", "start_date", "production_date", "since", "created",
                     "due", "last_touch", "date"), "date"),
    **dict.fromkeys(("id", "company", "product", "customer", "firm", "lead", "lead_id",
                     "entity_id", "uscc", "year"), "text"),
}
#: Report columns of firm ids (lists) that people read as firm names.
FIRM_LIST_COLUMNS = ("candidates", "local_firms", "suppliers", "local_customers")
#: Report columns of product ids (one or a list) that people read as product names.
PRODUCT_NAME_COLUMNS = ("used_for", "supplied")
#: Yes and no, by language, for columns of booleans in workbooks and Chinese CSV.
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}


def id_names(workspace: Any) -> dict[str, dict[str, str]]:
    """The names of the workspace's firms, products and chains by id.

    Parameters
    ----------
    workspace
        A :class:`chainmap.Workspace` (not imported here: this low module imports none
        of the higher ones).

    Returns
    -------
    dict
        ``{"company": {id: name}, "product": {...}, "chain": {...}}``.
    """
    return {key: dict(zip(t["id"], t["name"], strict=True))
            for key, t in (("company", workspace._table("companies")),
                           ("product", workspace._table("products")),
                           ("chain", workspace._table("chains")))}


def for_people(sheets: Mapping[str, pd.DataFrame], lang: str,
               names: Mapping[str, Mapping[str, str]] | None = None, *,
               yes_no: bool = True,
               ) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """Report frames as a person reads them: names for ids, 是/否, the chosen language.

    Lists of firm ids (:data:`FIRM_LIST_COLUMNS`) become firm names (joined by 、 under
    ``zh``), product ids in
    :data:`PRODUCT_NAME_COLUMNS` product names and the ``chain`` column (where no
    ``chain_name`` stands beside it) chain names; the id columns a program joins on
    (``product``, ``company``, ``id`` ...) stay. Booleans become 是/否 (``yes``/``no``
    in English) when ``yes_no``; then :func:`localize` translates headers and values
    and sheet names take :data:`SHEETS_ZH` under ``zh``.

    Parameters
    ----------
    sheets
        The report's frames by sheet name (English columns, as the library returns).
    lang
        ``en`` or ``zh``.
    names
        :func:`id_names` of the workspace; without it ids stay.
    yes_no
        Whether booleans become words.

    Returns
    -------
    tuple of (dict, dict)
        The frames by (translated) sheet name, and for each sheet the kind of each
        column (:data:`COLUMN_KINDS`, by translated column name) for
        :func:`chainmap.files.write_xlsx`.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"chain": ["c1"], "rate": [0.239], "overdue": [True]})
    >>> out, kinds = for_people({"conversion": frame}, "zh", {"chain": {"c1": "智能家电"}})
    >>> out["阶段转化率"].to_dict("records"), kinds["阶段转化率"]["转化率"]
    ([{'产业链': '智能家电', '转化率': 0.239, '签而未动': '是'}], 'percent')
    """
    names = names or {}
    firms, products, chains = (names.get(k, {}) for k in ("company", "product", "chain"))
    words = YES_NO["zh" if lang == "zh" else "en"]
    frames, kinds = {}, {}
    for sheet, frame in sheets.items():
        out = frame.copy()
        for columns, known in ((FIRM_LIST_COLUMNS, firms), (PRODUCT_NAME_COLUMNS, products)):
            for col in (c for c in columns if c in out.columns):
                out[col] = out[col].map(lambda v, known=known: _named(v, known, lang))
        if "chain" in out.columns and "chain_name" not in out.columns:
            out["chain"] = out["chain"].map(lambda v: chains.get(v, v))
        if yes_no:
            for col in out.columns:
                values = [_plain(v) for v in out[col]]
                present = [v for v in values if v is not None]
                if present and all(isinstance(v, bool) for v in present):
                    out[col] = [v if v is None else words[0] if v else words[1]
                                for v in values]
        translated = localize(out, lang)
        headers = {c: HEADERS_ZH.get(c, c) if lang == "zh" else c for c in out.columns}
        name = SHEETS_ZH.get(sheet, sheet) if lang == "zh" else sheet
        frames[name] = translated
        kinds[name] = {headers[c]: COLUMN_KINDS[c] for c in out.columns
                       if c in COLUMN_KINDS and headers[c] in translated.columns}
    return frames, kinds


def _named(value: object, names: Mapping[str, str], lang: str) -> object:
    """An id, or a list of ids, as names (an unknown id stays itself).

    Under ``zh`` a list is one text joined by 、, as a Chinese document lists names.
    """
    if isinstance(value, (list, tuple)):
        named = [names.get(v, v) for v in value]
        return "、".join(map(str, named)) if lang == "zh" else named
    if isinstance(value, str):
        return names.get(value, value)
    return value


def percent_text(frame: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with its ``percent`` columns as text such as ``23.9%`` (for CSV).

    Parameters
    ----------
    frame
        A frame of :func:`for_people`.
    kinds
        Its column kinds.

    Returns
    -------
    DataFrame
        A copy; a missing share is an empty cell.

    Examples
    --------
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"转化率": [0.239, None]})
    >>> percent_text(shares, {"转化率": "percent"})["转化率"].tolist()
    ['23.9%', '']
    """
    out = frame.copy()
    for col, kind in kinds.items():
        if kind == "percent" and col in out.columns:
            out[col] = out[col].map(lambda v: "" if _plain(v) is None else f"{float(v):.1%}")
    return out
