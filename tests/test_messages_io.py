"""Import problems, firm-list problems, lead-file problems and check findings in Chinese.

Each reason is made in the current language when the problem is found: under
``use_language("zh")`` a bad dataset, firm list or leads file gives Chinese reasons that
still carry the file, line, column and value, and no English word is left in a reason
besides ids, codes, file names and the values themselves. English stays as it was.
"""

from __future__ import annotations

import errno
import importlib
import re

import pytest

import chainmap
from chainmap import regions
from chainmap.crm.common import SOURCES, STAGES
from chainmap.dates import DATE_FORMS
from chainmap.errors import DatasetError, Finding, RegionError
from chainmap.i18n import join, use_language
from chainmap.intake.firmlist import read_firm_list
from chainmap.io.read import read_dataset
from chainmap.io.words import either, system_error, table_word
from tests.conftest import USCC_A, write_files

#: Words a Chinese reason may keep: codes a person types into a file (stage, source,
#: status, evidence, tier, yes/no values) and names of formats, standards and tools.
CODES = {*STAGES, *SOURCES, "active", "closed", "confirmed", "suggested", "rejected",
         "strong", "medium", "weak", "upstream", "midstream", "downstream", "true", "false",
         "yes", "no", "id", "uscc", "name", "GB", "CSV", "UTF", "BOM", "GBK", "Excel",
         "xlsx", "csv", "xls", "NUL", "SQLite", "chainmap", "neo4j", "push", "firms",
         "merge", "products", "min_evidence"}
_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
validate_module = importlib.import_module("chainmap.io.validate")


def english_left(problem: Finding, *also: str) -> list[str]:
    """The English words of ``problem``'s reason once its value, column, file, ids,
    codes and ``also`` are taken out (and the names suggested after 您是否要找, which are
    names and ids of records)."""
    text = problem.message.split("您是否要找")[0]
    for known in sorted(filter(None, (problem.value, problem.column, problem.source,
                                      problem.id, *also)), key=len, reverse=True):
        text = text.replace(str(known), " ")
    return [w for w in _WORD.findall(text) if w not in CODES]


def region_reason(province: str, city: str | None = None) -> str:
    """What :func:`chainmap.regions.locate` says of a place, in the current language."""
    with pytest.raises(RegionError) as caught:
        regions.locate(province, city)
    return str(caught.value)


def assert_placed(problem: Finding) -> None:
    """The problem names its file, line, column and value, and its line says them."""
    assert problem.source and problem.line and problem.column is not None
    assert problem.value is not None
    shown = str(problem)
    assert f"{problem.source}:{problem.line}" in shown
    assert problem.column in shown and problem.value in shown
    assert problem.message in shown


BAD_DATASET = {
    "products.csv": """\
        id,name,tier,chains
        compressor,压缩机,上游,ac
        compressor,压缩机二,侧游,ac
        ,空白,下游,ac
        """,
    "inputs.csv": """\
        upstream,downstream
        compressor,nowhere
        ,compressor
        """,
    "companies.csv": f"""\
        id,name,uscc,province,city,employees,revenue,in_park,status,founded
        aux,奥克斯空调（马鞍山）有限公司,{USCC_A},安徽省,马鞍山市,12,5,是,存续,2020-01-01
        bad1,乙公司,123,安徽者,,abc,-5,也许,乱写,2020-13-45
        ,丙公司,,江苏省,,,,,,
        bad2,丁公司,{USCC_A[:-1]}{"0" if USCC_A[-1] != "0" else "1"},上海市,,1.5,inf,,,
        bad3,戊公司,91340500MA2TX0X0!1,火星省,,,,,,
        """,
    "capabilities.csv": """\
        company,product,status,evidence
        aux,compressor,确认,强
        a9,压缩机三,maybe,超强
        """,
    "supplies.csv": """\
        supplier,customer,product
        aux,aux,compressor
        """,
}


def test_a_bad_dataset_gives_chinese_reasons_with_file_line_column_value(tmp_path):
    folder = write_files(tmp_path / "bad", BAD_DATASET)
    ws = chainmap.open(":memory:")
    with use_language("zh"):
        with pytest.raises(DatasetError) as caught:
            chainmap.import_dataset(ws, folder)
        places = {p: region_reason(p) for p in ("安徽者", "火星省")}
    problems = caught.value.problems
    by = {(p.source, p.line, p.column): p for p in problems}
    expected = {
        ("products.csv", 3, "id"): ("duplicate-id", "编号重复（首次出现在第 2 行）"),
        ("products.csv", 3, "tier"): ("bad-tier", "环节须为上游/中游/下游（或 "
                                                  "upstream/midstream/downstream）"),
        ("products.csv", 4, "id"): ("missing-value", "编号不能为空"),
        ("inputs.csv", 2, "downstream"): ("unknown-id", "没有这个产品编号：本数据集的产品表和"
                                                        "工作区中都没有"),
        ("inputs.csv", 3, "upstream"): ("missing-value", "上游产品不能为空"),
        ("companies.csv", 3, "uscc"): ("bad-uscc", "统一社会信用代码应为 18 位，此处为 3 位"),
        ("companies.csv", 3, "province"): ("unknown-region", places["安徽者"]),
        ("companies.csv", 3, "employees"): ("bad-number", "须为不小于 0 的整数"),
        ("companies.csv", 3, "revenue"): ("bad-number", "须为不小于 0 的数"),
        ("companies.csv", 3, "in_park"): ("bad-bool", "不是“是/否”（可填 是/否、1/0、"
                                                       "true/false、yes/no）"),
        ("companies.csv", 3, "founded"): ("bad-date", "不是日期（可写作 2026-11-25、2026/11/25、"
                                                       "2026.11.25 或 2026年11月25日）"),
        ("companies.csv", 4, "id"): ("missing-value", "既没有编号也没有统一社会信用代码："
                                                       "至少要填一项"),
        ("companies.csv", 5, "uscc"): ("bad-uscc", "统一社会信用代码无效：校验位不对"),
        ("companies.csv", 5, "revenue"): ("bad-number", "须为不小于 0 的数"),
        ("companies.csv", 6, "uscc"): ("bad-uscc", "统一社会信用代码无效：含有 GB 32100-2015 "
                                                    "不允许的字符"),
        ("companies.csv", 6, "province"): ("unknown-region", places["火星省"]),
        ("capabilities.csv", 3, "company"): ("unknown-id", "没有企业 'a9'：本数据集和工作区中"
                                             "都没有这个编号、统一社会信用代码或登记名称"),
        ("capabilities.csv", 3, "status"): ("bad-status", "不是关联状态：应为确认、待确认或否决"
                                            "（confirmed、suggested、rejected）"),
        ("capabilities.csv", 3, "evidence"): ("bad-evidence", "不是依据强度：应为强、中或弱"
                                              "（strong、medium、weak）"),
        ("supplies.csv", 2, "customer"): ("self-supply", "企业不能向自己供货"),
    }
    for where, (code, reason) in expected.items():
        assert where in by, where
        assert (by[where].code, by[where].message) == (code, reason), where
    assert by[("capabilities.csv", 3, "product")].message.startswith(
        "没有产品 '压缩机三'；您是否要找：")
    assert by[("companies.csv", 3, "status")].message.startswith("不是企业状态：")
    for problem in problems:
        assert_placed(problem)
        if problem.code != "unknown-region":  # the region's words are regions.py's
            assert english_left(problem) == [], str(problem)


def test_the_same_dataset_in_english_is_unchanged(tmp_path):
    folder = write_files(tmp_path / "bad", BAD_DATASET)
    with pytest.raises(DatasetError) as caught:
        chainmap.import_dataset(chainmap.open(":memory:"), folder)
    by = {(p.source, p.line, p.column): p.message for p in caught.value.problems}
    assert by[("products.csv", 3, "id")] == "duplicate id (first on line 2)"
    assert by[("inputs.csv", 3, "upstream")] == "upstream is required"
    assert by[("companies.csv", 3, "uscc")] == "a USCC has 18 characters, this has 3"
    assert by[("companies.csv", 5, "uscc")] == "not a valid USCC: the check digit is wrong"
    assert by[("companies.csv", 6, "uscc")] == \
        "not a valid USCC: wrong characters for GB 32100-2015"
    assert by[("companies.csv", 4, "id")] == "no id and no uscc: one of them is needed"
    assert by[("companies.csv", 3, "revenue")] == "not a finite number ≥ 0"
    assert by[("companies.csv", 3, "founded")] == f"not a date ({DATE_FORMS})"
    assert by[("capabilities.csv", 3, "company")] == (
        "unknown company 'a9': not an id, USCC or registered name in this dataset nor in "
        "the workspace")


def test_python_stdnum_never_speaks(tmp_path):
    for lang in ("en", "zh"):
        with use_language(lang):
            reasons = [validate_module._uscc_reason(code)
                       for code in ("123", USCC_A[:-1] + ("0" if USCC_A[-1] != "0" else "1"),
                                    "91340500MA2TX0X0!1")]
        for reason in reasons:
            assert reason is not None
            assert "checksum" not in reason.lower() and "invalid" not in reason.lower()
            assert "length" not in reason.lower() and "format" not in reason.lower()


def test_an_ambiguous_name_is_told_apart_from_an_unknown_one(tmp_path):
    files = dict(BAD_DATASET)
    files["companies.csv"] = """\
        id,name,province
        c1,同名公司,安徽省
        c2,同名公司,江苏省
        """
    files["capabilities.csv"] = """\
        company,product
        同名公司,compressor
        无名公司,compressor
        """
    files.pop("supplies.csv")
    files["products.csv"] = "id,name\ncompressor,压缩机\n"
    files["inputs.csv"] = "upstream,downstream\n"
    folder = write_files(tmp_path / "amb", files)
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        chainmap.import_dataset(chainmap.open(":memory:"), folder)
    codes = {p.value: (p.code, p.message) for p in caught.value.problems}
    assert codes["同名公司"] == ("ambiguous-name",
                              "'同名公司' 对应多家企业：同名公司（c1）、同名公司（c2）；请填写编号")
    assert codes["无名公司"][0] == "unknown-id"


def test_a_firm_name_of_another_legal_form_is_not_the_firm(tmp_path):
    # capabilities naming a firm by its name: without its legal form it is the firm, with
    # another legal form (集团有限公司 for 股份有限公司) it is another firm, and said so
    files = dict(BAD_DATASET)
    files["companies.csv"] = """\
        id,name,province
        c1,上海恒粘新材料股份有限公司,上海市
        """
    files["capabilities.csv"] = """\
        company,product
        上海恒粘新材料,compressor
        上海恒粘新材料集团有限公司,compressor
        """
    files.pop("supplies.csv")
    files["products.csv"] = "id,name\ncompressor,压缩机\n"
    files["inputs.csv"] = "upstream,downstream\n"
    folder = write_files(tmp_path / "forms", files)
    with pytest.raises(DatasetError) as caught:
        chainmap.import_dataset(chainmap.open(":memory:"), folder)
    got = {p.value: (p.code, p.line, p.message) for p in caught.value.problems}
    assert "上海恒粘新材料" not in got
    assert got["上海恒粘新材料集团有限公司"] == (
        "unknown-id", 3, "unknown company '上海恒粘新材料集团有限公司': 上海恒粘新材料股份有限公司 "
        "(c1) has this name with another legal form (股份有限公司, not 集团有限公司), a "
        "different firm; give its id or its exact name if you mean it")


FILE_PROBLEMS = [
    ("nowhere", None, "文件或文件夹不存在"),
    ("book.xls", b"x", "无法读取工作簿：这不是 .xls 文件（是否把 CSV 或 WPS 的 .et 文件改名成了 "
                       ".xls，或文件不完整？）；请用 Excel 或 WPS 打开后另存为 .xlsx"),
    ("book.et", b"x", "不读取 WPS 的 .et 工作簿；请在 WPS 中另存为 .xlsx（Excel 工作簿）"),
    ("notes.txt", b"x", "数据集应为一个存放 CSV 文件的文件夹，或一个 .xlsx 或 .xls 工作簿"),
]


@pytest.mark.parametrize("name, data, reason", FILE_PROBLEMS)
def test_a_file_that_cannot_be_read_says_why_in_chinese(tmp_path, name, data, reason):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert [p.message for p in caught.value.problems] == [reason]


def test_file_level_problems_of_a_folder_in_chinese(tmp_path):
    folder = write_files(tmp_path / "d", {
        "products.csv": "id,name\n,\n",
        "companies.csv": "name,city\n甲,马鞍山市\n",
        "备注.csv": "x\n1\n",
    })
    (folder / "companies.csv").write_bytes(b"\xff\xfe\x00n\x00a\x00m\x00e")
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    [problem] = caught.value.problems
    assert problem.message.startswith("看起来是二进制文件，不是 CSV 文本")
    (folder / "companies.csv").write_text("name,city\n甲,马鞍山市\n", encoding="utf-8")
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    messages = [p.message for p in caught.value.problems]
    assert messages == ["缺少必需的列（也可写作：省份、所属省份）",
                        "企业表须有 'id'（编号）或 'uscc'（统一社会信用代码）列"]
    (folder / "companies.csv").write_bytes("name,province\n甲,安徽省\n乙".encode("gbk")
                                           + b"\x81\x20\n")
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    assert caught.value.problems[0].message.startswith(
        "文件编码不是 UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK；")
    (folder / "companies.csv").unlink()
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    assert [p.message for p in caught.value.problems] == [
        "缺少必需的表 'companies'（'companies.csv' 文件或同名工作表）"]
    (folder / "companies.csv").write_text("id,province\na,安徽省\n", encoding="utf-8")
    with use_language("zh"):
        _tables, warnings = read_dataset(folder)
    assert warnings == ["已忽略 备注.csv：不是 chainmap 的数据表"]


def test_a_ragged_csv_and_a_duplicate_column_in_chinese(tmp_path):
    folder = write_files(tmp_path / "d", {
        "products.csv": "id,name,名称\nx,甲,乙\n",
        "companies.csv": 'id,province\na,安徽省\nb,"江苏省",多余\n',
    })
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    messages = sorted(str(p) for p in caught.value.problems)
    assert any("本行有 3 个单元格，表头只有 2 个；是否有含逗号的内容没加引号？" in m
               for m in messages)
    assert any("列重复：'name' 列已对应 'name'" in m for m in messages)


def test_the_small_words_follow_the_language():
    assert join(["a", "b"]) == "a, b" and either(["a", "b"]) == "a or b"
    assert table_word("companies") == "companies"
    with use_language("zh"):
        assert join(["a", "b"]) == "a、b" and either(["a", "b"]) == "a或b"
        assert [table_word(t) for t in ("companies", "leads", "other")] == \
            ["企业", "线索", "other"]
        assert system_error(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
        assert system_error(OSError(errno.EIO, "Input/output error")) == "Input/output error"
    assert system_error(PermissionError(errno.EACCES, "Permission denied")) == \
        "Permission denied"



def _counting(monkeypatch, module):
    calls = []
    real = module._

    def counted(message):
        calls.append(message)
        return real(message)

    monkeypatch.setattr(module, "_", counted)
    return calls


@pytest.mark.parametrize("rows", [10, 2000])
def test_reasons_are_translated_once_per_check_not_per_row(tmp_path, monkeypatch, rows):
    body = "".join(f"f{i},公司{i},123,安徽省,x,-1,也许\n" for i in range(rows))
    folder = write_files(tmp_path / "many", {
        "products.csv": "id,name\np,产品\n",
        "companies.csv": "id,name,uscc,province,employees,revenue,in_park\n" + body,
    })
    calls = _counting(monkeypatch, validate_module)
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        chainmap.import_dataset(chainmap.open(":memory:"), folder)
    assert caught.value.total == 4 * rows
    assert len(calls) < 40, calls  # a handful per check, whatever the rows


BAD_FIRMS = """\
    园区企业名单,,,,,,,,,
    企业名称,统一社会信用代码,所在地区,注册资本,营业收入,参保人数,登记状态,成立日期,是否入园,注册地址
    甲公司,{uscc},安徽省马鞍山市当涂县,5000万,50万美元,50人,存续,2020-01-01,是,
    乙公司,123,火星省,很多,,几个,乱写,2020-13-45,也许,
    乙公司,,,,,,,,,
    丙公司,,,,,,,,,月球路1号
    ,,安徽省,,,,,,,
    """


def test_a_bad_firm_list_gives_chinese_reasons_and_warnings(tmp_path):
    path = tmp_path / "园区企业.csv"
    path.write_text(BAD_FIRMS.replace("    ", "").format(uscc=USCC_A), encoding="utf-8")
    with use_language("zh"):
        firms = read_firm_list(path)
        place = regions.parse_place  # the region's words are regions.py's
        with pytest.raises(RegionError) as region:
            place("火星省", whole=True)
    by = {(p.line, p.column): p for p in firms.problems}
    expected = {
        (4, "统一社会信用代码"): ("bad-uscc", "统一社会信用代码应为 18 位，此处为 3 位"),
        (4, "所在地区"): ("unknown-region", str(region.value)),
        (4, "注册资本"): ("bad-number", "不是金额（万元），可写作 5000、5000万、1.2亿、3,000万元"),
        (4, "参保人数"): ("bad-number", "不是整数人数（如 50、50人）"),
        (4, "成立日期"): ("bad-date", "不是日期（可写作 2026-11-25、2026/11/25、2026.11.25 或 "
                                      "2026年11月25日）"),
        (4, "是否入园"): ("bad-bool", "不是“是/否”（可填 是/否、1/0、true/false、yes/no）"),
        (5, "企业名称"): ("duplicate-name", "登记名称与第 4 行相同，且没有统一社会信用代码"
                                            "可以区分"),
        (5, "所在地区"): ("missing-value", "没有地区：请填写省份（或所在地区），或以地名开头的"
                                           "地址"),
        (6, "注册地址"): ("missing-value", "没有地区：地址不是以地名开头；请填写所在地区，"
                                           "或省份/城市/区县"),
        (7, "企业名称"): ("missing-value", "没有名称、统一社会信用代码或编号：至少要填一项"),
    }
    for where, (code, reason) in expected.items():
        assert (by[where].code, by[where].message) == (code, reason), where
    assert by[(4, "登记状态")].message.startswith("不是登记状态：应为存续/在业")
    for problem in firms.problems:
        assert problem.source == "园区企业.csv"
        assert_placed(problem)
        if problem.code != "unknown-region":
            assert english_left(problem) == [], str(problem)
    assert firms.warnings == [
        "园区企业.csv：表头在第 2 行，上方 1 行已跳过",
        "园区企业.csv：列 '营业收入'：1 个外币金额按原文保留，未折算为万元（第 3 行）"]


def test_a_firm_list_that_cannot_be_read_in_chinese(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("", encoding="utf-8")
    with use_language("zh"):
        for name, reason in (("a.txt", "企业名单应为 .csv、.xlsx 或 .xls 文件"),
                             ("b.csv", "没有企业表头：前 20 行中须有“企业名称”（name）或"
                                       "“统一社会信用代码”（uscc）列"),
                             ("c.csv", "文件是空的（没有表头行）"),
                             ("none.csv", "文件不存在")):
            with pytest.raises(DatasetError) as caught:
                read_firm_list(tmp_path / name)
            assert [p.message for p in caught.value.problems] == [reason], name


BAD_LEADS = """\
    企业,产品,阶段,负责人,投资额,来源,日期,备注,终止原因
    aux,压缩机,签约,王磊,abc,缺链,2026-01-01,,
    奥克斯空调有限公司,压缩,洽谈,王磊,-1,乱来,2026-13-01,,
    aux,压缩机,跳舞,王磊,inf,,,,
    ,压缩机,终止,王磊,,,,,
    aux,compressor,线索,王磊,1,缺链,2026/1/1,,价格
    aux,compressor,线索,王磊,1,缺链,2026/1/1,,
    aux,compressor,线索,李娜,1,缺链,2026/1/1,,
    """


def test_a_bad_leads_file_gives_chinese_reasons(sample_ws, tmp_path):
    path = tmp_path / "线索.csv"
    path.write_text(BAD_LEADS.replace("    ", ""), encoding="utf-8")
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        chainmap.import_leads(sample_ws, path)
    by = {(p.line, p.column): p for p in caught.value.problems}
    expected = {
        (2, "投资额"): ("bad-number", "须为不小于 0 的数（亿元）"),
        (3, "投资额"): ("bad-number", "须为不小于 0 的数（亿元）"),
        (3, "来源"): ("bad-source", "没有这个来源：请用缺链、以商招商、活动或其他（gap、referral、"
                                    "event、other）"),
        (3, "日期"): ("bad-date", "不是日期：请写作 2026-11-25、2026/11/25、2026.11.25 或 "
                                  "2026年11月25日"),
        (4, "阶段"): ("bad-stage", "没有这个阶段：请用线索、接洽、考察、洽谈、签约、开工、投产"
                                   "或终止（lead、contacted、visited、negotiating、signed、started、"
                                   "producing、lost）"),
        (4, "投资额"): ("bad-number", "不是有效的数（亿元）"),
        (5, "企业"): ("missing-value", "企业不能为空"),
        (5, "阶段"): ("missing-reason", "终止的线索须写明原因（填“终止原因”列，或写在备注里）"),
        (6, "终止原因"): ("misplaced-reason", "终止原因只用于已终止的线索，本行阶段为“线索”；"
                                              "请写在备注里"),
        (8, "企业"): ("duplicate-lead", "线索重复：企业、产品和来源与第 7 行相同"),
    }
    for where, (code, reason) in expected.items():
        assert (by[where].code, by[where].message) == (code, reason), where
    firm = by[(3, "企业")]
    assert firm.code == "unknown-id"
    assert firm.message.startswith("没有这家企业：本数据集和工作区中都没有这个编号、统一社会信用"
                                   "代码或登记名称；您是否要找：奥克斯空调（马鞍山）有限公司（aux）")
    assert by[(3, "产品")].message.startswith("没有这个产品：")
    for problem in caught.value.problems:
        assert problem.source == "线索.csv"
        assert_placed(problem)
        assert english_left(problem) == [], str(problem)


def test_a_leads_import_and_its_audit_entry_in_chinese(sample_ws, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("企业,产品,来源\nhaoyue,压缩机,活动\n", encoding="utf-8")
    with use_language("zh"):
        result = chainmap.import_leads(sample_ws, path)
        assert str(result) == "已导入 leads.csv：线索 1 条（新增 1 条，0 条已在工作区中）"
    assert str(chainmap.import_leads(sample_ws, path)) == \
        "imported leads.csv: 1 lead (0 new, 1 already in the workspace)"
    log = chainmap.audit_log(sample_ws)
    assert "导入 leads.csv：1 行，新增线索 1 条，跳过 0 条" in set(log["detail"])
    assert "imported leads.csv: 1 row(s), 0 new lead(s), 1 skipped" in set(log["detail"])
    with use_language("zh"), pytest.raises(ValueError, match="无法把线索导出到 .*x.txt：请给出"):
        chainmap.export_leads(sample_ws, tmp_path / "x.txt")


def test_check_findings_in_chinese(sample_ws):
    with use_language("zh"):
        found = chainmap.check(sample_ws)
    english = chainmap.check(sample_ws)
    assert list(found["check"]) == list(english["check"])  # codes stay English
    names = dict(zip(sample_ws.table("companies")["id"], sample_ws.table("companies")["name"]))
    names.update(zip(sample_ws.table("products")["id"], sample_ws.table("products")["name"]))
    for row in found.itertuples():
        finding = Finding(row.check, row.message, id=row.id)
        ids = str(row.id).split(";")
        assert english_left(finding, *ids, *(names.get(i, "") for i in ids)) == [], row.message
    messages = set(found["message"])
    assert "宁波奥克斯电气股份有限公司（aux-hq）没有统一社会信用代码" in messages
    assert any(m.startswith("产品上下游关系中有循环（") for m in messages)
    assert any(m.startswith("名称疑似同一家企业：") for m in messages)


def test_every_check_speaks_chinese():
    import pandas as pd

    from chainmap import quality

    tables = {
        "products": pd.DataFrame({"id": ["a", "b"], "name": ["甲", "乙"]}),
        "inputs": pd.DataFrame({"upstream": ["a", "b"], "downstream": ["b", "a"]}),
        "product_chains": pd.DataFrame({"product_id": ["a"], "chain_id": ["c1"]}),
        "chains": pd.DataFrame({"id": ["c1", "c2"], "name": ["链一", "链二"]}),
        "companies": pd.DataFrame({"id": ["f1", "f2", "f3"], "name": ["某公司", "某公司", "丙"],
                                   "uscc": [USCC_A, USCC_A, None]}),
        "capabilities": pd.DataFrame({"company_id": ["f3"], "product_id": ["a"]}),
        "supplies": pd.DataFrame({"supplier_id": ["f3"], "customer_id": ["f1"],
                                  "product_id": ["b"]}),
    }
    with use_language("zh"):
        found = {f.code: f.message for check in quality.CHECKS for f in check(tables)}
    assert found == {
        "cycle": "产品上下游关系中有循环（2 个产品）：甲 → 乙 → 甲；分析可以处理，请确认是否"
                 "本应如此（循环利用？）",
        "unmade-product": "没有企业生产乙（b）",
        "unchained-product": "乙（b）不属于任何产业链",
        "empty-chain": "产业链链二（c2）没有产品",
        "idle-firm": "某公司（f2）没有生产任何产品",
        "missing-uscc": "丙（f3）没有统一社会信用代码",
        "duplicate-uscc": f"企业 f1、f2 的统一社会信用代码都是 {USCC_A}：是否同一家企业录了两次？"
                          "（可用 chainmap firms merge 合并）",
        "duplicate-name": "名称疑似同一家企业：某公司 / 某公司",
        "supply-not-made": "f3 向 f1 供应 b，但没有该产品的生产记录",
    }


def test_intake_messages_in_chinese(sample_ws, tmp_path):
    with use_language("zh"):
        with pytest.raises(LookupError) as caught:
            chainmap.add_chain(sample_ws, "火箭")
        assert str(caught.value).startswith("没有产业链模板 '火箭'；现有模板：")
        assert "（" in str(caught.value)
        with pytest.raises(ValueError, match=r"min_evidence 须为 strong, medium, weak 之一"):
            chainmap.accept(sample_ws, min_evidence="超强")
        sheet = tmp_path / "firms.csv"
        sheet.write_text("企业名称,所在地区,主营产品,登记状态\n马鞍山恒冷压缩机有限公司,安徽省马鞍山市"
                         "当涂县,压缩机,存续\n安徽粤美压缩机配件有限公司,安徽省马鞍山市当涂县,"
                         "压缩机配件,注销\n", encoding="utf-8")
        result = chainmap.import_firms(sample_ws, sheet, as_of="2026-11-01")
        assert str(result) == ("已导入 firms.csv：读取企业 2 家，新增 1 家，更新 1 家，"
                               "注销/吊销 1 家")
        chainmap.classify(sample_ws, chain="智能家电")
        chainmap.reject(sample_ws, "aux", "空调整机", by="王磊")
    details = list(chainmap.audit_log(sample_ws)["detail"])
    assert "企业 2 家，来自 firms.csv，截至 2026-11-01：新增 1 家，注销/吊销 1 家" in details
    assert any(d.startswith("建议关联 ") and "产业链 smart-appliances 的产品" in d
               for d in details)
    assert "aux 生产 ac-unit：已否决（原为已确认）" in details


def test_a_review_sheet_with_chinese_headers_and_bad_cells(sample_ws, tmp_path):
    sheet = tmp_path / "review.csv"
    sheet.write_text("企业编号,产品编号,产品名称,是否采纳\naux,ac-unit,空调整机,也许\n"
                     "nobody,ac-unit,空调整机,是\n,,,是\n", encoding="utf-8")
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        chainmap.accept(sample_ws, sheet)
    by = {(p.line, p.column): p for p in caught.value.problems}
    assert by[(2, "是否采纳")].message == ("不是审核结论：填 是/yes/1/✓ 表示采纳，否/no/0 表示"
                                       "不采纳，留空则保持待确认")
    assert by[(4, "企业编号")].message == "没有填写企业"
    assert (3, "企业编号") in by
    sheet.write_text("企业编号,产品编号\naux,ac-unit\n", encoding="utf-8")
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        chainmap.accept(sample_ws, sheet)
    assert [p.message for p in caught.value.problems] == [
        "缺少必需的列 '是否采纳'（也可写作：accept、采纳、accept?、是否采纳(是/否)）"]
    sheet.write_text("企业编号,产品编号,是否采纳\naux,ac-unit,是\n", encoding="utf-8")
    decided = chainmap.accept(sample_ws, sheet)  # the zh column labels read back
    assert decided[["company", "product", "status"]].values.tolist() == \
        [["aux", "ac-unit", "confirmed"]]


def test_writing_a_dataset_over_a_file_in_chinese(sample_ws, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("x", encoding="utf-8")
    with use_language("zh"), pytest.raises(ValueError) as caught:
        chainmap.export_dataset(sample_ws, blocker)
    assert str(caught.value) == f"{blocker} 是一个文件；请给出文件夹，或以 .xlsx 结尾的路径"


def test_a_workbook_without_the_sheet_in_chinese(tmp_path):
    from openpyxl import Workbook

    from chainmap.io.read import read_table

    book = Workbook()
    book.active.title = "甲"
    book.create_sheet("乙")
    path = tmp_path / "leads.xlsx"
    book.save(path)
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_table(path, "leads")
    assert [p.message for p in caught.value.problems] == [
        "没有名为 'leads'或'线索'或'招商线索' 的工作表"]
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        read_table(tmp_path / "leads.txt", "leads") if (tmp_path / "leads.txt").write_text(
            "x", encoding="utf-8") else None
    assert [p.message for p in caught.value.problems] == ["线索须从 .csv、.xlsx 或 .xls 文件读取"]


def test_a_record_without_an_id_is_never_suggested():
    import pandas as pd

    from chainmap.io.refs import References

    firms = pd.DataFrame({"id": ["a1", ""], "uscc": [None, None],
                          "name": ["奥克斯空调有限公司甲", "奥克斯空调有限公司乙"]})
    with use_language("zh"):
        why = References("company", firms).resolve(["奥克斯空调有限公司"])[1]
    assert why == {"奥克斯空调有限公司": "没有企业 '奥克斯空调有限公司'；您是否要找："
                                    "奥克斯空调有限公司甲（a1）？"}


def test_a_lead_naming_two_firms_in_chinese(tmp_path):
    folder = write_files(tmp_path / "d", {
        "products.csv": "id,name\np1,压缩机\n",
        "companies.csv": "id,name,province\nc1,同名公司,安徽省\nc2,同名公司,江苏省\n",
        "leads.csv": "company,product\n同名公司,压缩机\n",
    })
    with use_language("zh"), pytest.raises(DatasetError) as caught:
        chainmap.import_dataset(chainmap.open(":memory:"), folder)
    [problem] = caught.value.problems
    assert (problem.code, problem.source, problem.line, problem.column, problem.value,
            problem.message) == ("ambiguous-name", "leads.csv", 2, "company", "同名公司",
                                 "该名称对应多家企业：c1、c2；请填写编号")


def test_an_import_summary_counts_one_row_in_the_singular():
    """English says "1 chain", "1 company", "1 lead" (Chinese has one form)."""
    from chainmap.workspace import ImportResult

    result = ImportResult("x.csv", {"chains": 1, "companies": 2, "leads": 1},
                          {"chains": 0, "companies": 2, "leads": 1})
    assert str(result) == ("imported x.csv: 1 chain (0 new), 2 companies (2 new), "
                           "1 lead (1 new)")
    with use_language("zh"):
        assert str(result) == ("已导入 x.csv：产业链 1 条（新增 0 条）、企业 2 家（新增 2 家）、"
                               "线索 1 条（新增 1 条）")
