"""chainmap.intake.firmlist: office sheets and registry exports read into firm records."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from chainmap.dates import parse_cell_date as parse_date
from chainmap.errors import DatasetError
from chainmap.intake.firmlist import (
    FIRM_COLUMNS,
    HEADER_ALIASES,
    firm_id,
    match_firms,
    parse_amount,
    parse_status,
    read_firm_list,
)

# valid USCCs (check digits from python-stdnum)
HENGLENG = "91340500MA2N0A1B2R"
WUHU = "91340207MA2T4L5Q6H"
JIADING = "9131011400000000X4"
OTHER = "91340500MA2N0A1B3W"


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


OFFICE_HEADER = ["序号", "企业名称", "统一社会信用代码", "所在地区", "主营产品", "注册资本",
                 "参保人数"]
OFFICE_ROWS = [
    ["1", "马鞍山恒冷压缩机有限公司", full_width(HENGLENG), "安徽省马鞍山市当涂县",
     "压缩机、四通阀", "5000万", "50人"],
    ["2", "奥克斯空调（马鞍山）有限公司", "", "浙江省/湖州市/长兴县", "空调", "3,000万元", "120"],
    ["3", "苏州恒达电机有限公司", "", "江苏省 苏州市 吴江区", "电机", "1.2亿", ""],
    ["4", "芜湖鸠江精工有限公司", "", "芜湖市鸠江区", "", "500", ""],
]


def _csv(rows: list[list[str]]) -> str:
    return "".join(",".join(f'"{c}"' if "," in c else c for c in row) + "\r\n" for row in rows)


def check_office(firms, source: str) -> None:
    assert firms.problems == [] and firms.warnings == []
    assert firms.source == source
    frame = firms.frame
    assert list(frame.columns) == list(FIRM_COLUMNS)
    assert frame["id"].tolist() == [
        HENGLENG, firm_id("奥克斯空调（马鞍山）有限公司"), firm_id("苏州恒达电机有限公司"),
        firm_id("芜湖鸠江精工有限公司")]
    assert frame["uscc"].tolist() == [HENGLENG, None, None, None]
    assert frame[["province", "city", "district", "region_code"]].values.tolist() == [
        ["安徽省", "马鞍山市", "当涂县", "340521"],
        ["浙江省", "湖州市", "长兴县", "330522"],
        ["江苏省", "苏州市", "吴江区", "320509"],
        ["安徽省", "芜湖市", "鸠江区", "340207"]]
    assert frame["main_products"].tolist() == ["压缩机、四通阀", "空调", "电机", None]
    assert frame["registered_capital"].tolist() == [5000.0, 3000.0, 12000.0, 500.0]
    assert frame["employees"].tolist()[:2] == [50, 120]
    assert frame["employees"].isna().tolist() == [False, False, True, True]
    assert frame["status"].tolist() == ["active"] * 4
    assert frame["status_raw"].tolist() == [None] * 4
    assert frame["extra"].tolist() == [{"序号": str(i)} for i in range(1, 5)]
    assert firms.lines.tolist() == [2, 3, 4, 5]
    # blanks are None (not NaN) outside the numeric columns
    numeric = ["registered_capital", "revenue", "employees"]
    assert frame.drop(columns=numeric).map(
        lambda v: v is None or isinstance(v, (str, bool, dict))).all().all()


def test_office_sheet_in_gbk_csv(tmp_path):
    path = tmp_path / "园区企业名单.csv"
    path.write_bytes(_csv([OFFICE_HEADER, *OFFICE_ROWS]).encode("gbk"))
    check_office(read_firm_list(path), "园区企业名单.csv")


def test_office_sheet_in_xlsx_on_a_second_sheet(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表由招商局整理"])
    firms = book.create_sheet("企业名单")
    firms.append(OFFICE_HEADER)
    for row in OFFICE_ROWS:
        firms.append([int(row[0]), *row[1:]])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    check_office(read_firm_list(path), "名单.xlsx[企业名单]")
    check_office(read_firm_list(path, sheet="企业名单"), "名单.xlsx[企业名单]")
    with pytest.raises(DatasetError) as info:
        read_firm_list(path, sheet="企业")
    assert str(info.value.problems[0]) == \
        "名单.xlsx: no sheet named '企业' (the sheets: '说明', '企业名单')"
    with pytest.raises(DatasetError, match="no firm header"):
        read_firm_list(path, sheet="说明")


def test_xlsx_dates_and_serials(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "province", "founded", "revenue"])
    sheet.append(["甲公司", "安徽", dt.datetime(2015, 3, 18), 1200.5])
    sheet.append(["乙公司", "安徽", 42081, None])
    path = tmp_path / "firms.xlsx"
    book.save(path)
    firms = read_firm_list(path)
    assert firms.problems == []
    assert firms.frame["founded"].tolist() == ["2015-03-18", "2015-03-18"]
    assert firms.frame["revenue"].tolist()[0] == 1200.5
    assert firms.frame["province"].tolist() == ["安徽省", "安徽省"]


REGISTRY = [
    ["企查查 企业数据导出 2024-05-01"] + [""] * 14,
    ["企业名称", "登记状态", "法定代表人", "注册资本", "成立日期", "统一社会信用代码", "所属省份",
     "所属城市", "所属区县", "企业地址", "国标行业门类", "国标行业大类", "国标行业小类", "参保人数",
     "经营范围"],
    ["马鞍山恒冷压缩机有限公司", "存续（在营、开业、在册）", "张三", "1.2亿", "2015-03-18",
     HENGLENG, "安徽省", "马鞍山市", "当涂县", "安徽省马鞍山市当涂县太白镇1号", "C 制造业",
     "C34 通用设备制造业", "C3441 泵及真空设备制造", "50", "一般项目：压缩机制造；压缩机销售"],
    ["芜湖鸠江电子有限公司", "注销", "李四", "50万美元", "2015/3/18", WUHU, "", "", "",
     "安徽省芜湖市鸠江区电子产业园8号", "C 制造业", "C39 计算机、通信和其他电子设备制造业", "",
     "-", "电子元件制造"],
    ["上海安亭汽配有限公司", "吊销，未注销", "王五", "-", "2015年3月18日", JIADING, "", "", "",
     "嘉定区安亭镇墨玉路1号", "C 制造业", "", "", "", "汽车零部件制造"],
]


def test_registry_export(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _csv(REGISTRY).encode("utf-8"))
    firms = read_firm_list(path)
    assert firms.problems == []
    frame = firms.frame
    assert frame["id"].tolist() == [HENGLENG, WUHU, JIADING]
    assert frame["status"].tolist() == ["active", "closed", "closed"]
    assert frame["status_raw"].tolist() == ["存续（在营、开业、在册）", "注销", "吊销，未注销"]
    assert frame[["province", "city", "district", "region_code"]].values.tolist() == [
        ["安徽省", "马鞍山市", "当涂县", "340521"],
        ["安徽省", "芜湖市", "鸠江区", "340207"],
        ["上海市", "上海市", "嘉定区", "310114"]]
    assert frame["industry"].tolist() == ["C3441 泵及真空设备制造",
                                          "C39 计算机、通信和其他电子设备制造业", "C 制造业"]
    assert frame["founded"].tolist() == ["2015-03-18"] * 3
    assert frame["registered_capital"].tolist()[0] == 12000.0
    assert frame["registered_capital"].isna().tolist() == [False, True, True]
    assert frame["registered_capital_text"].tolist() == [None, "50万美元", None]
    assert frame["employees"].tolist()[0] == 50 and frame["employees"].isna().sum() == 2
    assert frame["scope"].tolist()[0] == "一般项目：压缩机制造；压缩机销售"
    assert frame["extra"].tolist() == [{"法定代表人": n} for n in ("张三", "李四", "王五")]
    assert firms.lines.tolist() == [3, 4, 5]
    assert firms.warnings == [
        "export.csv: the header is on line 2; the 1 line(s) above it were skipped",
        "export.csv: column '注册资本': 1 amount(s) in a foreign currency kept as text, "
        "not converted to 万元 (line(s) 4)"]
    assert "main_products" not in firms.given and "status" in firms.given


def test_problems_are_all_reported_in_the_contract_form(tmp_path):
    rows = [
        ["企业名称", "统一社会信用代码", "所在地区", "注册资本", "成立日期", "登记状态"],
        ["甲公司", "91340500MA2N0A1B2", "安徽省马鞍山市", "", "", ""],
        ["乙公司", "", "安徽者", "", "", ""],
        ["丙公司", "", "鼓楼区", "", "", ""],
        ["", "", "安徽省", "100", "", ""],
        ["丁公司", OTHER, "安徽", "", "", ""],
        ["丁公司二厂", OTHER, "安徽", "", "", ""],
        ["戊公司", "", "安徽", "", "2015-13-45", ""],
        ["己公司", "", "安徽", "很多", "", ""],
        ["庚公司", "", "安徽", "", "", "其他"],
        ["辛公司", "", "安徽", "", "", ""],
        ["辛有限公司", "", "安徽", "", "", ""],
        ["壬公司", "91340500MA2N0A1B2X", "安徽", "", "", ""],
    ]
    path = tmp_path / "bad.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    firms = read_firm_list(path)
    assert [str(p) for p in firms.problems] == [
        "bad.csv:2: column '统一社会信用代码': value '91340500MA2N0A1B2': "
        "a USCC has 18 characters, this has 17",
        "bad.csv:3: column '所在地区': value '安徽者': unknown region '者' in 安徽省 (in '安徽者')",
        "bad.csv:4: column '所在地区': value '鼓楼区': '鼓楼区' is ambiguous: it matches "
        "江苏省/南京市/鼓楼区, 江苏省/徐州市/鼓楼区, 福建省/福州市/鼓楼区, 河南省/开封市/鼓楼区; "
        "give the path, e.g. '江苏省/南京市/鼓楼区'",
        "bad.csv:5: column '企业名称': value '': no name, USCC or id: one of them is needed",
        "bad.csv:7: column '统一社会信用代码': value '91340500MA2N0A1B3W': "
        "the same USCC as line 6",
        "bad.csv:8: column '成立日期': value '2015-13-45': "
        "not a date (2026-11-25, 2026/11/25, 2026.11.25 or 2026年11月25日)",
        "bad.csv:9: column '注册资本': value '很多': "
        "not an amount in 万元 (5000, 5000万, 1.2亿, 3,000万元)",
        "bad.csv:10: column '登记状态': value '其他': not a registration status: "
        "存续/在业/正常/开业/在营/在册 (active) or "
        "注销/吊销/撤销/责令关闭/歇业/清算/迁出/停业 (closed)",
        "bad.csv:12: column '企业名称': value '辛有限公司': "
        "the same registered name as line 11 and no USCC to tell them apart",
        "bad.csv:13: column '统一社会信用代码': value '91340500MA2N0A1B2X': "
        "not a valid USCC: the check digit is wrong",
    ]
    assert [p.code for p in firms.problems] == [
        "bad-uscc", "unknown-region", "unknown-region", "missing-value", "duplicate-uscc",
        "bad-date", "bad-number", "bad-status", "duplicate-name", "bad-uscc"]
    assert {p.severity for p in firms.problems} == {"error"}
    error = DatasetError(firms.problems)  # what the caller raises
    assert str(error).startswith("10 problem(s) found; nothing was imported\n")


def test_no_region_anywhere_is_a_problem(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("企业名称,地址\n甲公司,工业园8号\n乙公司,\n", encoding="utf-8")
    assert [str(p) for p in read_firm_list(path).problems] == [
        "x.csv:2: column '地址': value '工业园8号': no region: the address does not start "
        "with a place; give 所在地区 or province/city/district",
        "x.csv:3: column '地址': value '': no region: give a province (or 所在地区), or "
        "an address that starts with the place"]


def test_header_only_and_english_regions(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,region\n", encoding="utf-8")
    firms = read_firm_list(path)
    assert len(firms.frame) == 0 and list(firms.frame.columns) == list(FIRM_COLUMNS)
    path.write_text("name,region,province\nA Co,Anhui,\nB Co,,Inner Mongolia\n",
                    encoding="utf-8")
    assert read_firm_list(path).frame["province"].tolist() == ["安徽省", "内蒙古自治区"]


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(DatasetError, match="no such file"):
        read_firm_list(tmp_path / "none.csv")
    path = tmp_path / "x.csv"
    path.write_text("名称x,备注\n甲,乙\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        read_firm_list(path)
    assert info.value.problems[0].code == "missing-column"
    path.write_bytes("企业名称\n甲\n".encode("utf-16"))
    with pytest.raises(DatasetError) as info:
        read_firm_list(path)
    assert info.value.problems[0].code == "bad-encoding"
    (tmp_path / "x.txt").write_text("企业名称\n")
    with pytest.raises(DatasetError, match="a firm list is a .csv, .xlsx or .xls file"):
        read_firm_list(tmp_path / "x.txt")


def test_headers_units_and_duplicates(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("公司名称,省份,注册资本（亿元）,营业收入(元),注册地址,通信地址,是否入园,备注,备注\n"
                    "甲公司,安徽,2,5000000,安徽省合肥市,上海市,是,a,\n", encoding="utf-8")
    firms = read_firm_list(path)
    row = firms.frame.iloc[0]
    assert (row["registered_capital"], row["revenue"]) == (20000.0, 500.0)
    assert row["address"] == "安徽省合肥市" and row["in_park"] is True
    assert row["extra"] == {"通信地址": "上海市", "备注": "a", "备注 (2)": None}
    assert firms.warnings == ["x.csv: column '通信地址' also gives address; '注册地址' is used "
                              "and '通信地址' kept as an extra column"]
    assert set(HEADER_ALIASES) >= {"name", "uscc", "region", "industry_class"}


def test_parsers():
    assert parse_amount("100万港元") == (None, "100万港元")
    assert parse_amount("5000万元人民币") == (5000.0, None)
    with pytest.raises(ValueError):
        parse_amount("-5")
    assert parse_date("2015-03-18 00:00:00") == "2015-03-18"
    assert parse_date("20150318") == "2015-03-18"
    with pytest.raises(ValueError):
        parse_date("2015")  # a bare year is not a day
    assert parse_status("在业") == ("active", "在业")
    assert parse_status("责令关闭") == ("closed", "责令关闭")
    with pytest.raises(ValueError):
        parse_status("其他")


def test_firm_ids_are_stable():
    # the same on every run and machine: a hash of the normalised name, not Python's hash()
    assert firm_id("马鞍山恒冷压缩机有限公司") == "n-" + __import__("hashlib").sha1(
        "马鞍山恒冷压缩机".encode()).hexdigest()[:12]
    assert firm_id("奥克斯空调（马鞍山）有限公司") == firm_id("奥克斯空调(马鞍山)有限公司")
    assert firm_id("甲公司") != firm_id("乙公司")


def test_match_firms():
    known = pd.DataFrame({
        "id": ["hl", "aux", "c1", "c2", "other"],
        "name": ["恒冷", "奥克斯空调（马鞍山）有限公司", "重名有限公司", "重名股份有限公司",
                 "他人有限公司"],
        "uscc": [HENGLENG, None, None, None, OTHER]})
    firms = pd.DataFrame({
        "id": [HENGLENG, "n-aux", "n-dup", "n-new", WUHU],
        "name": ["马鞍山恒冷压缩机有限公司", "奥克斯空调(马鞍山)有限公司", "重名公司",
                 "新厂有限公司", "他人有限公司"],
        "uscc": [HENGLENG, None, None, None, WUHU]}, index=[10, 11, 12, 13, 14])
    got = match_firms(firms, known)
    # by USCC; by normalised name; ambiguous name -> own id; unknown -> own id;
    # same name but a different USCC -> not the same firm
    assert got.to_dict() == {10: "hl", 11: "aux", 12: "n-dup", 13: "n-new", 14: WUHU}
    assert match_firms(firms, known.iloc[:0]).tolist() == firms["id"].tolist()
    # a firm known without a USCC is found by name when the list brings its USCC
    known2 = pd.DataFrame({"id": ["x"], "name": ["马鞍山恒冷压缩机有限公司"], "uscc": [None]})
    assert match_firms(firms.iloc[:1], known2).tolist() == ["x"]


def test_legal_forms_keep_firms_of_one_name_apart(tmp_path):
    # a 集团有限公司 and a 股份有限公司 of one name are two firms: no duplicate, two ids;
    # 有限公司 and 有限责任公司 are one form: the second is the first firm again
    assert firm_id("恒粘新材料集团有限公司") != firm_id("恒粘新材料股份有限公司")
    assert firm_id("恒粘新材料有限责任公司") == firm_id("恒粘新材料有限公司")
    rows = [["企业名称", "所在地区"],
            ["恒粘新材料集团有限公司", "安徽省马鞍山市当涂县"],
            ["恒粘新材料股份有限公司", "安徽省马鞍山市当涂县"],
            ["恒粘新材料有限公司", "安徽省马鞍山市当涂县"],
            ["恒粘新材料有限责任公司", "安徽省马鞍山市当涂县"]]
    path = tmp_path / "forms.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    firms = read_firm_list(path)
    assert [str(p) for p in firms.problems] == [
        "forms.csv:5: column '企业名称': value '恒粘新材料有限责任公司': "
        "the same registered name as line 4 and no USCC to tell them apart"]
    ids = firms.frame["id"].tolist()
    assert len(set(ids[:3])) == 3


def test_match_firms_keeps_legal_forms_apart():
    known = pd.DataFrame({
        "id": ["hengnian", "hengleng", "hengleng-gf"],
        "name": ["上海恒粘新材料股份有限公司", "苏州恒冷换热器有限公司",
                 "苏州恒冷换热器股份有限公司"],
        "uscc": [None, None, None]})
    firms = pd.DataFrame({
        "id": ["n-1", "n-2", "n-3", "n-4", "n-5"],
        "name": ["上海恒粘新材料集团有限公司", "上海恒粘新材料有限公司", "上海恒粘新材料股份公司",
                 "苏州恒冷换热器有限责任公司", "苏州恒冷换热器"],
        "uscc": [None] * 5})
    # another legal form is another firm; 有限责任公司 is 有限公司, so the one of that form
    # among two of one name; without a form, the name still fits both
    assert match_firms(firms, known).tolist() == [
        "n-1", "n-2", "hengnian", "hengleng", "n-5"]


def test_reading_and_matching_are_vectorised(tmp_path):
    # a smoke test of scale (the benchmark is in the report): 20,000 rows quickly
    import time

    n = 20_000
    rows = [["企业名称", "统一社会信用代码", "所属省份", "所属城市", "所属区县", "企业地址",
             "注册资本", "登记状态", "成立日期"]]
    for i in range(n):
        address = "" if i % 2 else f"江苏省苏州市吴江区{i}号"
        region = ["", "", ""] if not i % 2 else ["安徽省", "马鞍山市", "当涂县"]
        rows.append([f"测试{i}有限公司", "", *region, address, f"{i % 900}万", "存续",
                     "2015-03-18"])
    path = tmp_path / "big.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    start = time.perf_counter()
    firms = read_firm_list(path)
    ids = match_firms(firms.frame, firms.frame.iloc[::3][["id", "name", "uscc"]])
    assert time.perf_counter() - start < 20
    assert firms.problems == [] and len(firms.frame) == n
    assert np.array_equal(ids.to_numpy(), firms.frame["id"].to_numpy())


def test_a_huge_firm_name_is_refused_in_csv_and_xlsx(tmp_path):
    # issue 14, item 5: a 100 MB name used to reach the workspace and the chain map
    from chainmap.intake.firmlist import read_firm_list

    name = "格" * 40_000
    path = tmp_path / "名单.csv"
    path.write_text(f"企业名称,所属省份\n{name},安徽省\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_firm_list(path)
    p = caught.value.problems[0]
    assert (p.code, p.source, p.line, p.column) == ("cell-too-long", "名单.csv", 2, "#1")
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["企业名称", "所属省份"])
    book.active.append([name[:32_767], "安徽省"])
    book.active.append(["甲公司", "安徽省"])
    book.save(tmp_path / "名单.xlsx")
    # Excel's own limit is read
    assert len(read_firm_list(tmp_path / "名单.xlsx").frame) == 2
