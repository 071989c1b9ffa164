"""Schema v4: products know their words, firms their status, links theirs
(``write_links``), and the reports' view of live data (``Workspace._live``)."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

import chainmap
from chainmap.errors import ArgumentError, NotFoundError
from chainmap.store import SQLiteStore
from chainmap.store.base import LINK_COLUMNS, TABLE_COLUMNS
from chainmap.store.sqlite.migrations import MIGRATIONS
from tests.conftest import TINY, write_files


def _links(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))


@pytest.fixture
def ws(tmp_path):
    w = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(w, write_files(tmp_path / "data", TINY))
    yield w
    w.close()


def test_v3_workspace_upgrades_in_place(tmp_path):
    db = tmp_path / "old.db"
    old = SQLiteStore(db, migrations=MIGRATIONS[:3])  # as the previous chainmap made it
    old.conn.execute("INSERT INTO products (id, name) VALUES ('p', 'P')")
    old.conn.execute("INSERT INTO companies (id, name, province, region_code, province_code) "
                     "VALUES ('f', 'F', '安徽省', '340000', '340000')")
    old.conn.execute("INSERT INTO capabilities VALUES ('f', 'p')")
    old.close()
    store = SQLiteStore(db, migrations=MIGRATIONS[:4])
    assert store.schema_version() == 4
    caps = store.table("capabilities")
    assert list(caps.columns) == list(TABLE_COLUMNS["capabilities"])
    assert caps.iloc[0]["status"] == "confirmed" and pd.isna(caps.iloc[0]["evidence"])
    firms = store.table("companies")
    assert list(firms.columns) == list(TABLE_COLUMNS["companies"])
    assert firms.iloc[0]["status"] == "active"
    assert list(store.table("products").columns) == list(TABLE_COLUMNS["products"])
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE capabilities SET status = 'maybe'")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE companies SET status = 'gone'")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE capabilities SET evidence = 'some'")
    store.close()


def test_imported_links_are_confirmed(ws):
    caps = ws.table("capabilities")
    assert set(caps["status"]) == {"confirmed"}
    assert set(ws.table("companies")["status"]) == {"active"}


def test_write_links_suggest_never_touches_decided(ws):
    store = ws.store
    rev = store.revision()
    n = store.write_links(_links(
        ("aux", "compressor", None, "strong", "classify", "main_products", "压缩机"),
        ("haoyue", "capacitor", None, "weak", "classify", "scope", "电容器销售"),  # confirmed
    ), mode="suggest")
    assert n == 1 and store.revision() > rev
    caps = ws.table("capabilities").set_index(["company_id", "product_id"])
    assert caps.loc[("aux", "compressor"), "status"] == "suggested"
    assert caps.loc[("aux", "compressor"), "text"] == "压缩机"
    assert caps.loc[("haoyue", "capacitor"), "status"] == "confirmed"
    assert pd.isna(caps.loc[("haoyue", "capacitor"), "evidence"])
    # a suggestion still open is refreshed; nothing new is inserted
    assert store.write_links(_links(
        ("aux", "compressor", None, "medium", "classify", "scope", "压缩机制造")),
        mode="suggest") == 0
    row = ws.table("capabilities").set_index(["company_id", "product_id"]).loc[
        ("aux", "compressor")]
    assert (row["status"], row["evidence"], row["text"]) == ("suggested", "medium", "压缩机制造")
    # rejected: not suggested again, not refreshed
    assert store.write_links(_links(("aux", "compressor", "rejected", None, "person", None,
                                     None)), mode="decide") == 1
    assert store.write_links(_links(
        ("aux", "compressor", None, "strong", "classify", "scope", "x")), mode="suggest") == 0
    row = ws.table("capabilities").set_index(["company_id", "product_id"]).loc[
        ("aux", "compressor")]
    assert (row["status"], row["evidence"], row["text"]) == ("rejected", "medium", "压缩机制造")


def test_write_links_decide(ws):
    store = ws.store
    store.write_links(_links(("aux", "compressor", None, "strong", "classify", "scope",
                              "压缩机制造")), mode="suggest")
    # confirm a suggestion and insert a new confirmed pair; a repeat changes nothing
    decisions = _links(("aux", "compressor", "confirmed", None, "accept", None, None),
                       ("aux", "capacitor", "confirmed", None, "accept", None, None))
    assert store.write_links(decisions, mode="decide") == 2
    assert store.write_links(decisions, mode="decide") == 0
    row = ws.table("capabilities").set_index(["company_id", "product_id"]).loc[
        ("aux", "compressor")]
    assert (row["status"], row["source"], row["evidence"]) == ("confirmed", "accept", "strong")
    with pytest.raises(ArgumentError):  # a decision never sets a link back to suggested
        store.write_links(_links(("aux", "compressor", "suggested", None, "x", None, None)),
                          mode="decide")
    with pytest.raises(ArgumentError):
        store.write_links(decisions, mode="maybe")
    with pytest.raises(NotFoundError):
        store.write_links(_links(("nobody", "compressor", "confirmed", None, "x", None, None)),
                          mode="decide")
    # a person's reject turns a confirmed link rejected
    assert store.write_links(_links(("aux", "capacitor", "rejected", None, "person", None,
                                     None)), mode="decide") == 1


def test_write_links_joins_outer_transaction(ws):
    store = ws.store
    with pytest.raises(RuntimeError), store.transaction():
        store.write_links(_links(("aux", "compressor", None, "strong", "c", None, None)),
                          mode="suggest")
        raise RuntimeError
    assert ("aux", "compressor") not in set(zip(ws.table("capabilities")["company_id"],
                                                ws.table("capabilities")["product_id"]))


def test_neo4j_refuses_write_links():
    from chainmap.store.base import RefusesPipeline

    refuser = RefusesPipeline()
    refuser.location = "bolt://x"
    with pytest.raises(chainmap.WorkspaceError):
        refuser.write_links(_links(), mode="suggest")


def test_live_views(ws):
    # nothing closed or unconfirmed: the cached tables themselves
    for name in ("companies", "capabilities", "supplies"):
        assert ws._live(name) is ws._table(name)
    ws.store.write_links(_links(("aux", "compressor", None, "strong", "c", None, None)),
                         mode="suggest")
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE companies SET status = 'closed' WHERE id = 'haoyue'")
    live = ws._live("capabilities")
    assert live is ws._live("capabilities")  # stable per revision
    assert set(zip(live["company_id"], live["product_id"])) == {("aux", "ac-unit"),
                                                                ("shcomp", "compressor")}
    assert "haoyue" not in set(ws._live("companies")["id"])
    assert len(ws._live("companies")) == 2
    assert ws._live("supplies").empty  # haoyue supplied aux
    with pytest.raises(NotFoundError):
        ws._live("products")


V2 = {
    "products.csv": """\
        id,name,chains,tier,关键词,排除词,国标行业
        servo,伺服电机,robots,upstream,伺服电机；伺服驱动器|伺服系统,温度控制器|伺服电机维修,3819;电机、发电机制造
        arm,工业机器人,robots,downstream,工业机器人,,
        """,
    "companies.csv": (
        "id,name,province,city,district,登记状态,企业地址,主营产品,经营范围,国标行业大类,"
        "国标行业小类,注册资本,成立日期\n"
        "a,当涂伺服,安徽省,马鞍山市,当涂县,存续（在营、开业、在册）,当涂县经济开发区1号,"
        "伺服电机、伺服驱动器,一般项目：伺服电机制造；伺服电机销售,电气机械和器材制造业,"
        "3819 其他电机制造,5000,2015/3/8\n"
        'b,当涂机器人,安徽省,马鞍山市,当涂县,"吊销，未注销",,,,,,1200.5,2019-01-02\n'
        "c,上海伺服,上海市,上海市,浦东新区,active,,,,,,,\n"
        "d,苏州机器人,江苏省,苏州市,吴江区,closed,,,,,,,\n"),
    "capabilities.csv": """\
        company,product,状态,依据强度,来源
        a,arm,suggested,strong,classify
        当涂伺服,servo,,,
        当涂机器人,arm,confirmed,,
        c,servo,rejected,medium,classify
        """,
    "supplies.csv": """\
        supplier,customer,product
        c,当涂伺服,servo
        """,
}


@pytest.fixture
def v2(tmp_path):
    w = chainmap.open(tmp_path / "v2.db")
    chainmap.import_dataset(w, write_files(tmp_path / "v2", V2))
    yield w
    w.close()


def test_v2_columns_imported(v2):
    p = v2.table("products").set_index("id")
    assert p.loc["servo", "keywords"] == "伺服电机;伺服驱动器;伺服系统"
    assert p.loc["servo", "exclude"] == "温度控制器;伺服电机维修"
    # 、 is part of a catalogue or GB/T 4754 phrase, not a separator
    assert p.loc["servo", "industries"] == "3819;电机、发电机制造"
    assert pd.isna(p.loc["arm", "exclude"])
    f = v2.table("companies").set_index("id")
    assert f.loc["a", ["status", "status_raw"]].tolist() == ["active", "存续（在营、开业、在册）"]
    assert (f.loc["b", "status"], f.loc["b", "status_raw"]) == ("closed", "吊销，未注销")
    assert f.loc["d", "status"] == "closed" and pd.isna(f.loc["d", "status_raw"])
    assert f.loc["a", "industry"] == "3819 其他电机制造"  # the most specific column
    assert pd.isna(f.loc["b", "industry"])
    assert f.loc["a", "registered_capital"] == 5000 and f.loc["b", "registered_capital"] == 1200.5
    assert f.loc["a", "founded"] == "2015-03-08" and f.loc["b", "founded"] == "2019-01-02"
    assert f.loc["a", "main_products"] == "伺服电机、伺服驱动器"
    assert f.loc["a", "address"] == "当涂县经济开发区1号"
    caps = v2.table("capabilities").set_index(["company_id", "product_id"])
    assert caps.loc[("a", "servo"), "status"] == "confirmed"  # named by registered name
    assert caps.loc[("a", "arm"), ["status", "evidence", "source"]].tolist() == [
        "suggested", "strong", "classify"]
    assert caps.loc[("c", "servo"), "status"] == "rejected"
    assert set(zip(v2.table("supplies")["supplier_id"],
                   v2.table("supplies")["customer_id"])) == {("c", "a")}


def test_v2_export_import_is_exact(v2, tmp_path):
    for target in (tmp_path / "out", tmp_path / "out.xlsx"):
        chainmap.export_dataset(v2, target)
        again = chainmap.open(tmp_path / f"again-{target.suffix or 'csv'}.db")
        chainmap.import_dataset(again, target)
        for name in TABLE_COLUMNS:
            a = v2.table(name).sort_values(list(v2.table(name).columns[:2])).reset_index(
                drop=True)
            b = again.table(name).sort_values(list(a.columns[:2])).reset_index(drop=True)
            pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=name)
        again.close()


def test_v2_refresh_updates_given_columns(v2, tmp_path):
    files = {
        "products.csv": "id,name\nservo,伺服电机\n",  # no keywords column: kept
        "companies.csv": "id,name,province,登记状态\na,当涂伺服,安徽省,注销\n",
        "capabilities.csv": "company,product\na,arm\n",  # a file's link is confirmed
    }
    chainmap.import_dataset(v2, write_files(tmp_path / "refresh", files))
    assert v2.table("products").set_index("id").loc["servo", "keywords"] == \
        "伺服电机;伺服驱动器;伺服系统"
    f = v2.table("companies").set_index("id")
    assert (f.loc["a", "status"], f.loc["a", "status_raw"]) == ("closed", "注销")
    assert f.loc["a", "main_products"] == "伺服电机、伺服驱动器"  # not given: kept
    assert f.loc["a", "district"] == "当涂县"
    caps = v2.table("capabilities").set_index(["company_id", "product_id"])
    assert caps.loc[("a", "arm"), ["status", "evidence"]].tolist() == ["confirmed", "strong"]


@pytest.mark.parametrize(("files", "expected"), [
    ({"companies.csv": "id,name,province,登记状态\nx,某厂,安徽省,休眠\n"}, "bad-status"),
    ({"capabilities.csv": "company,product,状态\na,arm,maybe\n"}, "bad-status"),
    ({"capabilities.csv": "company,product,依据强度\na,arm,very\n"}, "bad-evidence"),
    ({"companies.csv": "id,name,province,成立日期\nx,某厂,安徽省,去年\n"}, "bad-date"),
    ({"companies.csv": "id,name,province,注册资本\nx,某厂,安徽省,-5\n"}, "bad-number"),
])
def test_v2_bad_values(v2, tmp_path, files, expected):
    base = {"products.csv": "id,name\narm,工业机器人\n",
            "companies.csv": "id,name,province\na,当涂伺服,安徽省\n"}
    base.update(files)
    with pytest.raises(chainmap.DatasetError) as info:
        chainmap.import_dataset(v2, write_files(tmp_path / "bad", base))
    assert [p.code for p in info.value.problems] == [expected]


def test_references_by_name_unknown_and_ambiguous(v2, tmp_path):
    files = {
        "products.csv": "id,name\narm,工业机器人\n",
        "companies.csv": "id,name,province\nx1,同名厂,安徽省\nx2,同名厂,上海市\n",
        "capabilities.csv": "company,product\n当涂伺服有限公司,工业机器人\n同名厂,arm\n"
                            "当涂伺服电机厂,arm\na,机器人\n",
    }
    with pytest.raises(chainmap.DatasetError) as info:
        chainmap.import_dataset(v2, write_files(tmp_path / "refs", files))
    got = {(p.line, p.code): p.message for p in info.value.problems}
    assert set(got) == {(3, "ambiguous-name"), (4, "unknown-id"), (5, "unknown-id")}
    assert "同名厂 (x1), 同名厂 (x2)" in got[(3, "ambiguous-name")]
    assert got[(4, "unknown-id")].startswith("unknown company '当涂伺服电机厂'; did you mean: ")
    assert "当涂伺服 (a)" in got[(4, "unknown-id")]
    assert "工业机器人 (arm)" in got[(5, "unknown-id")]


def test_leads_file_suggests_closest_names(v2, tmp_path):
    files = {"products.csv": "id,name\narm,工业机器人\n",
             "companies.csv": "id,name,province\nx,某厂,安徽省\n",
             "leads.csv": "company,product\n当涂伺服电机厂,arm\n"}
    with pytest.raises(chainmap.DatasetError) as info:
        chainmap.import_dataset(v2, write_files(tmp_path / "leads", files))
    (problem,) = info.value.problems
    assert problem.code == "unknown-id" and "did you mean: 当涂伺服 (a)" in problem.message
