"""Firm intake as a library: import_firms, classify, accept, reject, templates, add_chain.

Every fixture is written here: office sheets (GBK CSV, xlsx), registry exports (closed
firms, address-only regions) and their refresh, on a small chain of three products.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from stdnum.cn import uscc as stdnum_uscc

import chainmap
from chainmap.errors import ChainmapError, DatasetError


def uscc(base: str) -> str:
    return base + stdnum_uscc.calc_check_digit(base)


U1, U2, U3, U4 = (uscc(f"91340521MA2T{k}") for k in ("AAAA1", "BBBB2", "CCCC3", "DDDD4"))


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_book(path: Path, rows: list[list[object]], sheet: str = "企业名录",
               other: str | None = None) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    if other:
        first.title = other
        first.append(["说明"])
        first.append(["园区企业名录"])
        ws = book.create_sheet(sheet)
    else:
        first.title = sheet
        ws = first
    for r in rows:
        ws.append(r)
    book.save(path)
    return path


CHAIN = """id,name,name_en
cooling,制冷,Cooling
"""
PRODUCTS = """id,name,name_en,chains,tier,keywords,exclude,industries
compressor,压缩机,Compressor,cooling,midstream,压缩机;制冷压缩机,空气压缩机,3442
controller,控制器,Controller,cooling,midstream,控制器;空调控制器,温度控制器,
valve,四通阀,Four-way valve,cooling,midstream,四通阀;四通换向阀,,
"""
INPUTS = """upstream,downstream
valve,compressor
"""


@pytest.fixture
def ws(tmp_path: Path) -> chainmap.Workspace:
    """A workspace with the chain 制冷 (three products) and one firm, in 当涂县."""
    folder = tmp_path / "chain"
    folder.mkdir()
    (folder / "chains.csv").write_text(CHAIN, encoding="utf-8")
    (folder / "products.csv").write_text(PRODUCTS, encoding="utf-8")
    (folder / "inputs.csv").write_text(INPUTS, encoding="utf-8")
    (folder / "companies.csv").write_text(
        "id,name,uscc,province,city,district\nold,马鞍山老厂有限公司,,安徽省,马鞍山市,当涂县\n",
        encoding="utf-8")
    w = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(w, folder)
    w.set_home("安徽省/马鞍山市/当涂县")
    yield w
    w.close()


OFFICE = [
    ["企业名称", "统一社会信用代码", "所在地区", "主营产品", "注册资本", "参保人数", "备注"],
    ["马鞍山恒冷压缩机有限公司", fullwidth(U1), "安徽省马鞍山市当涂县", "压缩机、四通阀", "5000万",
     "50人", "重点"],
    ["当涂精控电子有限公司", U2, "马鞍山市当涂县", "温度控制器", "1.2亿", "120人", ""],
    ["马鞍山老厂有限公司", "", "安徽省/马鞍山市/当涂县", "", "3,000万元", "", ""],
]

REGISTRY = [
    ["企业名称", "统一社会信用代码", "登记状态", "注册资本", "成立日期", "企业地址", "国标行业",
     "参保人数", "经营范围"],
    ["马鞍山恒冷压缩机有限公司", U1, "存续", "5000万人民币", "2015-03-18",
     "安徽省马鞍山市当涂县经济开发区8号", "C3442 气体压缩机械制造", "55",
     "一般项目：制冷压缩机制造；四通阀销售（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"],
    ["当涂精控电子有限公司", U2, "在业", "1.2亿", "2018/6/1", "安徽省马鞍山市当涂县太白镇",
     "", "120", "一般项目：空调控制器生产、销售；温度控制器销售"],
    ["马鞍山贸易有限公司", U3, "吊销，未注销", "100万美元", "2010年1月2日",
     "安徽省马鞍山市当涂县姑孰镇", "", "", "压缩机生产"],
]


def office_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "园区企业名录.csv", OFFICE, "gbk")


def registry_csv(tmp_path: Path, rows: list[list[str]] | None = None,
                 name: str = "registry.csv") -> Path:
    return write_csv(tmp_path / name, rows or REGISTRY)


def companies(ws: chainmap.Workspace) -> pd.DataFrame:
    return ws.table("companies").set_index("id")


# -- import_firms ---------------------------------------------------------------------------

def test_an_office_sheet_in_gbk_imports_with_its_fields(ws, tmp_path) -> None:
    result = chainmap.import_firms(ws, office_csv(tmp_path), as_of="2026-11-01")
    assert (result.rows["companies"], result.added["companies"]) == (3, 2)
    assert result.updated == 1 and result.closed == 0
    firms = companies(ws)
    assert len(firms) == 3  # the old firm is matched by name, not duplicated
    hl = firms.loc[U1]  # the full-width USCC is folded and becomes the id
    assert hl["uscc"] == U1 and hl["district"] == "当涂县" and hl["region_code"] == "340521"
    assert hl["main_products"] == "压缩机、四通阀"
    assert float(hl["registered_capital"]) == 5000 and int(hl["employees"]) == 50
    assert hl["source"] == "园区企业名录.csv" and hl["as_of"] == "2026-11-01"
    assert hl["status"] == "active"
    assert '"备注": "重点"' in hl["extra"]
    assert float(firms.loc["old", "registered_capital"]) == 3000
    assert "imported 园区企业名录.csv: 3 firm(s) read, 2 new, 1 updated" in str(result)


def test_an_xlsx_sheet_imports_and_as_of_defaults_to_today(ws, tmp_path) -> None:
    import datetime as dt

    path = write_book(tmp_path / "firms.xlsx", OFFICE, other="封面")
    result = chainmap.import_firms(ws, path, sheet="企业名录")
    assert result.added["companies"] == 2
    assert companies(ws).loc[U2, "as_of"] == dt.date.today().isoformat()
    assert result.source == "firms.xlsx"


def test_a_registry_export_with_closed_firms_and_address_regions(ws, tmp_path) -> None:
    result = chainmap.import_firms(ws, registry_csv(tmp_path), as_of="2026-10-01")
    firms = companies(ws)
    closed = firms.loc[U3]
    assert (closed["status"], closed["status_raw"]) == ("closed", "吊销，未注销")
    assert closed["district"] == "当涂县"  # from the address
    assert closed["registered_capital"] == "100万美元"  # a foreign currency kept as text
    assert any("美元" in w or "currency" in w for w in result.warnings)
    assert firms.loc[U1, "founded"] == "2015-03-18"
    assert firms.loc[U2, "founded"] == "2018-06-01"
    assert firms.loc[U1, "industry"] == "C3442 气体压缩机械制造"
    assert result.closed == 1


def test_a_refresh_updates_closes_adds_and_never_duplicates(ws, tmp_path) -> None:
    chainmap.import_firms(ws, office_csv(tmp_path), as_of="2026-01-01")
    chainmap.import_firms(ws, registry_csv(tmp_path), as_of="2026-06-01")
    later = [row[:] for row in REGISTRY]
    later[2][2] = "注销"  # 精控 closed since
    later.append(["马鞍山新厂有限公司", U4, "存续", "200万", "2026-07-01",
                  "安徽省马鞍山市当涂县", "", "", "四通阀制造"])
    before = len(ws.table("companies"))
    result = chainmap.import_firms(ws, registry_csv(tmp_path, later, "registry-2.csv"),
                                   as_of="2026-11-01")
    firms = companies(ws)
    assert len(firms) == before + 1
    assert (result.added["companies"], result.closed) == (1, 1)
    assert result.updated >= 1
    assert firms.loc[U2, "status"] == "closed" and firms.loc[U2, "status_raw"] == "注销"
    # fields the registry does not give stay as the office list gave them
    assert firms.loc[U1, "main_products"] == "压缩机、四通阀"
    assert firms.loc[U1, "as_of"] == "2026-11-01" and firms.loc[U1, "source"] == "registry-2.csv"
    again = chainmap.import_firms(ws, registry_csv(tmp_path, later, "registry-2.csv"),
                                  as_of="2026-11-01")
    assert (again.added["companies"], again.updated, again.closed) == (0, 0, 0)
    assert len(ws.table("companies")) == before + 1


def test_a_bad_row_writes_nothing_and_says_where(ws, tmp_path) -> None:
    rows = [r[:] for r in OFFICE]
    rows[2][1] = "91340521MA2T0000X1"  # a wrong check digit
    rows[3][2] = "火星省"
    before = ws.counts()
    with pytest.raises(DatasetError) as err:
        chainmap.import_firms(ws, write_csv(tmp_path / "bad.csv", rows, "gbk"))
    text = str(err.value)
    assert "bad.csv:3: column '统一社会信用代码': value '91340521MA2T0000X1'" in text
    assert "bad.csv:4: column '所在地区'" in text
    assert ws.counts() == before


def test_bad_as_of_is_an_argument_error(ws, tmp_path) -> None:
    with pytest.raises(ChainmapError, match="as_of="):
        chainmap.import_firms(ws, office_csv(tmp_path), as_of="yesterday")


def test_import_of_a_lone_firm_list_says_to_use_firms_import(ws, tmp_path) -> None:
    for path in (office_csv(tmp_path), write_book(tmp_path / "list.xlsx", OFFICE)):
        with pytest.raises(DatasetError, match=r"import it with chainmap\.import_firms\(ws, "):
            chainmap.import_dataset(ws, path)


def test_the_import_is_in_the_audit_log(ws, tmp_path) -> None:
    chainmap.import_firms(ws, office_csv(tmp_path), as_of="2026-11-01")
    log = chainmap.audit_log(ws)
    assert log["action"].iloc[-1] == "import-firms"
    assert "3 firm(s) from 园区企业名录.csv as of 2026-11-01" in log["detail"].iloc[-1]


# -- classify, accept, reject ---------------------------------------------------------------

def classified(ws, tmp_path) -> pd.DataFrame:
    chainmap.import_firms(ws, office_csv(tmp_path), as_of="2026-01-01")
    chainmap.import_firms(ws, registry_csv(tmp_path), as_of="2026-06-01")
    return chainmap.classify(ws, chain="制冷")


def pairs(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(c, p): e for c, p, e in zip(frame["company"], frame["product"],
                                         frame["evidence"], strict=True)}


def test_classify_grades_with_the_text_that_decided(ws, tmp_path) -> None:
    found = classified(ws, tmp_path)
    assert list(found.columns) == chainmap.REVIEW_COLUMNS
    got = pairs(found)
    assert got[(U1, "compressor")] == "strong"
    assert got[(U1, "valve")] == "strong"  # 主营产品 四通阀 beats the trading clause
    assert got[(U2, "controller")] == "strong"
    row = found[(found["company"] == U2) & (found["product"] == "controller")].iloc[0]
    assert row["text"] and row["field"] in ("main_products", "scope")
    assert row["company_name"] == "当涂精控电子有限公司" and row["product_name"] == "控制器"
    assert set(found["status"]) == {"suggested"}
    # the closed firm's 压缩机生产 is no suggestion
    assert not any(c == U3 for c, _ in got)
    caps = ws.table("capabilities")
    assert set(caps["status"]) == {"suggested"} and set(caps["source"]) == {"classify"}


def test_medium_and_weak_grades(ws, tmp_path) -> None:
    rows = [["企业名称", "所在地区", "经营范围", "国标行业"],
            ["马鞍山一号有限公司", "当涂县", "压缩机；空调控制器", ""],
            ["马鞍山二号有限公司", "当涂县", "四通阀批发；控制器维修", ""],
            ["马鞍山三号有限公司", "当涂县", "", "3442"]]
    chainmap.import_firms(ws, write_csv(tmp_path / "grades.csv", rows))
    found = chainmap.classify(ws)
    names = dict(zip(ws.table("companies")["name"], ws.table("companies")["id"], strict=True))
    got = pairs(found)
    one, two, three = (names[f"马鞍山{n}号有限公司"] for n in "一二三")
    assert got[(one, "compressor")] == "medium"
    assert got[(two, "valve")] == "weak" and got[(two, "controller")] == "weak"
    assert got[(three, "compressor")] == "medium"
    assert found.loc[found["company"] == three, "field"].tolist() == ["industry"]


def test_suggestions_count_in_no_report(ws, tmp_path) -> None:
    classified(ws, tmp_path)
    gaps = chainmap.gaps(ws, "制冷").set_index("product")
    assert gaps["local_producers"].sum() == 0


def test_accept_min_confirms_by_grade(ws, tmp_path) -> None:
    rows = [["企业名称", "所在地区", "主营产品", "经营范围"],
            ["马鞍山一号有限公司", "当涂县", "压缩机", "四通阀"],
            ["马鞍山二号有限公司", "当涂县", "", "控制器销售"]]
    chainmap.import_firms(ws, write_csv(tmp_path / "f.csv", rows))
    found = chainmap.classify(ws)
    assert sorted(found["evidence"]) == ["medium", "strong", "weak"]
    strong = chainmap.accept(ws, by="王磊")
    assert strong["product"].tolist() == ["compressor"]
    assert set(strong["status"]) == {"confirmed"}
    status = ws.table("capabilities").set_index("product_id")["status"]
    assert status.to_dict() == {"compressor": "confirmed", "valve": "suggested",
                                "controller": "suggested"}
    assert chainmap.accept(ws, min_evidence="medium", chain="cooling")["product"].tolist() \
        == ["valve"]
    gaps = chainmap.gaps(ws, "制冷").set_index("product")
    assert gaps.loc["compressor", "local_producers"] == 1
    assert gaps.loc["controller", "local_producers"] == 0
    log = chainmap.audit_log(ws)
    assert log[log["action"] == "accept"]["detail"].tolist()[0].startswith(
        "1 link(s) confirmed, 0 rejected")
    with pytest.raises(ChainmapError, match="min_evidence"):
        chainmap.accept(ws, min_evidence="great")


def review_book(path: Path, found: pd.DataFrame, marks: dict[str, str]) -> Path:
    from chainmap.files import write_xlsx

    sheet = chainmap.review_sheet(found)
    sheet[chainmap.ACCEPT_COLUMN] = [marks.get(p) for p in sheet["product"]]
    return write_xlsx({"review": sheet}, path, fit=True)


def test_accept_reads_back_the_reviewed_sheet(ws, tmp_path) -> None:
    found = classified(ws, tmp_path)
    mine = found[found["company"] == U1]
    path = review_book(tmp_path / "review.xlsx", mine, {"compressor": "是", "valve": "否"})
    book = openpyxl.load_workbook(path)
    sheet = book["review"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.column_dimensions["B"].width >= 2 * len("马鞍山恒冷压缩机有限公司")
    decided = chainmap.accept(ws, path)
    assert dict(zip(decided["product"], decided["status"], strict=True)) == {
        "compressor": "confirmed", "valve": "rejected"}
    caps = ws.table("capabilities")
    status = dict(zip(zip(caps["company_id"], caps["product_id"]), caps["status"], strict=True))
    assert status[(U1, "compressor")] == "confirmed" and status[(U1, "valve")] == "rejected"
    assert status[(U2, "controller")] == "suggested"  # not in the sheet: left as it was


def test_a_reviewed_csv_with_names_and_english_header(ws, tmp_path) -> None:
    classified(ws, tmp_path)
    path = write_csv(tmp_path / "review.csv", [
        ["company_name", "product_name", "accept"],
        ["当涂精控电子有限公司", "控制器", "yes"],
        ["马鞍山恒冷压缩机有限公司", "压缩机", ""]])
    decided = chainmap.accept(ws, path)
    assert decided[["company", "product", "status"]].values.tolist() == [
        [U2, "controller", "confirmed"]]


def test_a_bad_review_sheet_writes_nothing(ws, tmp_path) -> None:
    found = classified(ws, tmp_path)
    before = ws.table("capabilities")
    path = review_book(tmp_path / "bad.xlsx", found,
                       {"compressor": "是", "valve": "也许", "controller": "否"})
    with pytest.raises(DatasetError) as err:
        chainmap.accept(ws, path)
    assert "bad.xlsx[review]:3: column '是否采纳': value '也许'" in str(err.value)
    unknown = write_csv(tmp_path / "unknown.csv", [["company", "product", "是否采纳"],
                                                   [U1, "compressor", "是"],
                                                   ["nobody", "compressor", "是"],
                                                   [U1, "widget", "否"]])
    with pytest.raises(DatasetError) as err:
        chainmap.accept(ws, unknown)
    text = str(err.value)
    assert "unknown.csv:3: column 'company': value 'nobody'" in text
    assert "unknown.csv:4: column 'product': value 'widget'" in text
    no_column = write_csv(tmp_path / "nocol.csv", [["company", "product"], [U1, "valve"]])
    with pytest.raises(DatasetError, match="是否采纳"):
        chainmap.accept(ws, no_column)
    pd.testing.assert_frame_equal(ws.table("capabilities"), before)


def test_reject_then_classify_does_not_propose_it_again(ws, tmp_path) -> None:
    classified(ws, tmp_path)
    out = chainmap.reject(ws, "马鞍山恒冷压缩机有限公司", "四通阀", by="李娜")
    assert out[["company", "product", "status"]].values.tolist() == [[U1, "valve", "rejected"]]
    again = chainmap.classify(ws, chain="制冷")
    assert (U1, "valve") not in pairs(again)
    log = chainmap.audit_log(ws)
    assert log[log["action"] == "reject"][["by", "entity_id"]].values.tolist() == [
        ["李娜", f"{U1}→valve"]]
    with pytest.raises(ChainmapError, match="unknown firm"):
        chainmap.reject(ws, "nobody", "四通阀")


def test_a_confirmed_link_is_never_downgraded(ws, tmp_path) -> None:
    classified(ws, tmp_path)
    chainmap.accept(ws)
    confirmed = ws.table("capabilities")
    confirmed = confirmed[confirmed["status"] == "confirmed"]
    assert len(confirmed)
    again = chainmap.classify(ws)
    done = set(zip(confirmed["company_id"], confirmed["product_id"]))
    assert not done & set(pairs(again))
    caps = ws.table("capabilities")
    still = caps.set_index(["company_id", "product_id"]).loc[sorted(done), "status"]
    assert set(still) == {"confirmed"}


def test_a_closed_firm_is_no_suggestion_nor_a_local_producer(ws, tmp_path) -> None:
    classified(ws, tmp_path)
    chainmap.accept(ws, min_evidence="weak")
    assert chainmap.gaps(ws, "制冷").set_index("product").loc["controller",
                                                            "local_producers"] == 1
    later = [row[:] for row in REGISTRY]
    later[2][2] = "注销"
    chainmap.import_firms(ws, registry_csv(tmp_path, later, "later.csv"))
    gaps = chainmap.gaps(ws, "制冷").set_index("product")
    assert gaps.loc["controller", "local_producers"] == 0
    assert U2 not in set(chainmap.classify(ws)["company"])
    # and a bulk accept leaves a closed firm's old suggestions alone
    assert U2 not in set(chainmap.accept(ws, min_evidence="weak")["company"])


def test_classify_of_an_unknown_chain(ws) -> None:
    with pytest.raises(ChainmapError, match="unknown chain"):
        chainmap.classify(ws, chain="nope")


# -- templates ------------------------------------------------------------------------------

def test_templates_list_the_shipped_chains() -> None:
    found = chainmap.templates()
    assert list(found.columns) == chainmap.TEMPLATE_COLUMNS
    assert len(found) >= 9
    assert {"smart-appliances", "industrial-robots", "photovoltaics"} <= set(found["id"])
    assert (found["products"] >= 25).all()
    assert found["source"].str.contains("国民经济行业分类").all()


def test_add_chain_twice_changes_nothing(tmp_path) -> None:
    ws = chainmap.open(tmp_path / "t.db")
    first = chainmap.add_chain(ws, "工业机器人")
    assert first.added["products"] == first.rows["products"] >= 25
    tables = {t: ws.table(t) for t in ("chains", "products", "product_chains", "inputs")}
    revision = ws.store.revision()
    second = chainmap.add_chain(ws, "Industrial robots")
    assert not any(second.added.values())
    assert ws.store.revision() == revision
    for t, frame in tables.items():
        pd.testing.assert_frame_equal(ws.table(t), frame)
    with pytest.raises(ChainmapError, match="no chain template 'nope'; templates: "):
        chainmap.add_chain(ws, "nope")


def test_two_templates_sharing_a_product_keep_both_chains(tmp_path) -> None:
    ws = chainmap.open(tmp_path / "t.db")
    chainmap.add_chain(ws, "智能家电")
    chainmap.add_chain(ws, "smart-logistics")
    links = ws.table("product_chains")
    shared = set(links.loc[links["product_id"] == "refrigeration-unit", "chain_id"])
    assert shared == {"smart-appliances", "smart-logistics"}
    chainmap.add_chain(ws, "智能家电")
    assert len(ws.table("product_chains")) == len(links)


def test_add_chain_fills_blank_fields_and_keeps_the_zones_own(tmp_path) -> None:
    ws = chainmap.open(tmp_path / "t.db")
    chainmap.import_dataset(ws, chainmap.sample_path())
    chainmap.add_chain(ws, "智能家电")
    products = ws.table("products").set_index("id")
    assert "空调压缩机" in products.loc["compressor", "keywords"]
    assert products.loc["controller", "name"] == "控制器（主控板）"
    links = ws.table("product_chains")
    assert len(links[links["chain_id"] == "smart-appliances"]) == 32
