"""chainmap.intake.classify: the grading rules of ``propose_links`` on hand-written firms."""

from __future__ import annotations

import pandas as pd
import pytest

from chainmap.errors import ArgumentError
from chainmap.intake import LINK_COLUMNS, propose_links, split_clauses

PRODUCTS = pd.DataFrame([
    # id, name, keywords, exclude, industries
    ("robot", "工业机器人", "工业机器人制造;焊接机器人", "", "3491;工业机器人制造"),
    ("servo", "伺服电机", "伺服电机;伺服驱动器", "", ""),
    ("ctrl", "控制器", "控制器;PLC", "温度控制器", ""),
    ("weldline", "焊接生产线", "焊接生产线", "", ""),
    ("abs", "ABS树脂", "ABS;ABS树脂", "", "2651"),
    ("5g", "5G基站", "5G基站;5G通信设备", "", ""),
    ("gear", "减速器", "齿轮及齿轮减、变速箱制造;减速器", "", "345"),
    ("compressor", "压缩机", "压缩机", "", ""),
], columns=["id", "name", "keywords", "exclude", "industries"])


def classify(*firms: dict, products: pd.DataFrame = PRODUCTS) -> dict[tuple[str, str], dict]:
    """propose_links on firms given as dicts; the rows keyed by (company, product)."""
    frame = pd.DataFrame([{"main_products": "", "scope": "", "industry": "", **f} for f in firms])
    result = propose_links(products, frame)
    assert list(result.columns) == LINK_COLUMNS
    pairs = list(zip(result["company"], result["product"]))
    assert len(pairs) == len(set(pairs)), "one row per (firm, product)"
    return {(r["company"], r["product"]): r for r in result.to_dict("records")}


def one(product: str, **firm: str) -> dict | None:
    """The row for ``product`` of one firm ``f``, or None."""
    return classify({"id": "f", **firm}).get(("f", product))


# strong ---------------------------------------------------------------------------------

def test_name_in_main_products_is_strong():
    row = one("compressor", main_products="空调压缩机、四通阀")
    assert row == {"company": "f", "product": "compressor", "evidence": "strong",
                   "field": "main_products", "text": "空调压缩机", "keyword": "压缩机"}


def test_keyword_in_main_products_is_strong_and_items_split_on_separators():
    rows = classify({"id": "f", "main_products": "伺服驱动器/PLC 四通阀;减速器，阀门"})
    assert {p for _, p in rows} == {"servo", "ctrl", "gear"}
    assert all(r["evidence"] == "strong" and r["field"] == "main_products"
               for r in rows.values())
    assert rows["f", "ctrl"]["text"] == "PLC"


def test_sold_item_in_main_products_is_weak():
    assert one("compressor", main_products="压缩机销售")["evidence"] == "weak"


def test_keyword_with_making_verb_in_scope_is_strong():
    row = one("servo", scope="伺服电机制造；五金产品批发")
    assert (row["evidence"], row["field"], row["text"]) == ("strong", "scope", "伺服电机制造")
    for verb in ("生产", "加工", "组装", "装配", "研制", "冶炼", "铸造", "锻造"):
        assert one("servo", scope=f"伺服电机{verb}")["evidence"] == "strong", verb


@pytest.mark.parametrize("scope", ["生产、销售：伺服电机、控制器", "生产、销售:伺服电机，控制器",
                                   "生产销售伺服电机、控制器", "伺服电机、控制器的制造、销售",
                                   "伺服电机、控制器制造"])
def test_verb_list_applies_to_each_item(scope):
    rows = classify({"id": "f", "scope": scope})
    assert rows["f", "servo"]["evidence"] == "strong"
    assert rows["f", "ctrl"]["evidence"] == "strong"
    assert rows["f", "ctrl"]["text"] == split_clauses(scope)[0]


def test_verbs_stay_with_their_own_item():
    rows = classify({"id": "f", "scope": "伺服电机制造、控制器销售"})
    assert rows["f", "servo"]["evidence"] == "strong"
    assert rows["f", "ctrl"]["evidence"] == "weak"


def test_keyword_that_itself_ends_with_a_making_verb_is_strong():
    row = one("robot", scope="工业机器人制造")
    assert (row["evidence"], row["keyword"], row["text"]) == ("strong", "工业机器人制造",
                                                              "工业机器人制造")
    gear = one("gear", scope="齿轮及齿轮减、变速箱制造")
    assert (gear["evidence"], gear["keyword"]) == ("strong", "齿轮及齿轮减、变速箱制造")


def test_verb_inside_a_keyword_is_not_an_activity():
    assert one("weldline", scope="焊接生产线销售")["evidence"] == "weak"
    assert one("weldline", scope="焊接生产线制造")["evidence"] == "strong"
    assert one("weldline", scope="焊接生产线")["evidence"] == "medium"
    # the 生产 of 生产线 is a noun for any product, keyword or not
    assert one("robot", scope="焊接机器人生产线销售")["evidence"] == "weak"


def test_trading_verb_ending_a_keyword_names_the_product():
    products = pd.DataFrame({"id": ["recycle", "cell"], "name": ["电池回收", "动力电池"]})
    rows = classify({"id": "f", "scope": "废旧动力电池回收"}, products=products)
    assert rows["f", "recycle"]["evidence"] == "medium"  # its own 回收 is its name
    assert rows["f", "cell"]["evidence"] == "weak"  # a recycler is no battery maker


# medium ---------------------------------------------------------------------------------

def test_keyword_in_clause_without_verb_is_medium():
    row = one("servo", scope="伺服电机及配件")
    assert (row["evidence"], row["field"], row["text"]) == ("medium", "scope", "伺服电机及配件")


def test_industry_code_only_is_medium():
    row = one("robot", industry="3491")
    assert row == {"company": "f", "product": "robot", "evidence": "medium",
                   "field": "industry", "text": "3491", "keyword": "3491"}
    # the product's code may be an ancestor of the firm's (中类 345 covers 小类 3453)
    assert one("gear", industry="C3453 齿轮及齿轮减、变速箱制造")["keyword"] == "345"
    # a broader firm code is not a match for a narrower product code
    assert one("robot", industry="349") is None


def test_industry_name_only_is_medium():
    row = one("robot", industry="工业机器人制造")
    assert (row["evidence"], row["field"], row["keyword"]) == ("medium", "industry",
                                                               "工业机器人制造")
    row = one("robot", industry="制造业/通用设备制造业/工业机器人制造")
    assert row["evidence"] == "medium"


def test_industry_is_used_only_when_no_text_names_the_product():
    row = one("robot", scope="工业机器人销售", industry="C3491 工业机器人制造")
    assert (row["evidence"], row["field"]) == ("weak", "scope")


# weak -----------------------------------------------------------------------------------

@pytest.mark.parametrize("clause", ["压缩机销售", "压缩机批发", "压缩机零售", "压缩机进出口",
                                    "压缩机维修", "压缩机安装", "压缩机技术服务", "压缩机租赁",
                                    "货物进出口：压缩机", "销售：压缩机、四通阀"])
def test_keyword_only_in_trading_or_service_clause_is_weak(clause):
    row = one("compressor", scope=f"{clause}；五金产品批发")
    assert (row["evidence"], row["text"]) == ("weak", clause.replace("：", ":"))


def test_research_without_making_is_weak_with_making_strong():
    assert one("servo", scope="伺服电机研发")["evidence"] == "weak"
    assert one("servo", scope="伺服电机的研发、生产")["evidence"] == "strong"


def test_all_weak_clauses_give_weak():
    row = one("robot", scope="工业机器人销售；工业机器人维修；工业机器人安装")
    assert (row["evidence"], row["text"]) == ("weak", "工业机器人销售")


# exclude --------------------------------------------------------------------------------

def test_exclude_phrase_blocks_its_clause_only():
    assert one("ctrl", scope="温度控制器制造") is None
    row = one("ctrl", scope="温度控制器制造；控制器销售")
    assert (row["evidence"], row["text"]) == ("weak", "控制器销售")
    row = one("ctrl", scope="温度控制器制造、PLC制造")  # another item of the same clause
    assert (row["evidence"], row["keyword"]) == ("strong", "PLC")
    assert one("ctrl", main_products="温度控制器") is None


# clauses, heads, boilerplate ----------------------------------------------------------------

def test_heads_and_boilerplate_are_ignored():
    products = pd.DataFrame({"id": ["x", "y"], "name": ["营业执照", "相关部门"]})
    scope = ("一般项目：压缩机制造（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
             "许可项目：道路货物运输。（依法须经批准的项目，经相关部门批准后方可开展经营活动，"
             "具体经营项目以审批结果为准）")
    assert classify({"id": "f", "scope": scope}, products=products) == {}
    assert split_clauses(scope) == ["压缩机制造", "道路货物运输"]
    row = one("compressor", scope=scope)
    assert (row["evidence"], row["text"]) == ("strong", "压缩机制造")
    # the heads' colon is no verb list: 项目 is no verb, and the head is gone
    assert one("compressor", scope="一般项目：压缩机")["evidence"] == "medium"


def test_unbracketed_boilerplate_and_negations_are_ignored():
    assert split_clauses("压缩机销售,除依法须经批准的项目外,凭营业执照依法自主开展经营活动") == [
        "压缩机销售,"]
    assert one("servo", scope="电机销售（不含伺服电机）") is None


def test_clause_separators_full_and_half_width():
    assert split_clauses("A制造；B销售;C维修。D安装\nE租赁｡F") == [
        "A制造", "B销售", "C维修", "D安装", "E租赁", "F"]


def test_realistic_registry_scope():
    scope = ("一般项目：工业机器人制造；工业机器人销售；技术服务、技术开发、技术咨询、技术交流、"
             "技术转让、技术推广（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")
    rows = classify({"id": "f", "scope": scope, "industry": "C3491 工业机器人制造"})
    assert list(rows) == [("f", "robot")]
    assert rows["f", "robot"] == {"company": "f", "product": "robot", "evidence": "strong",
                                  "field": "scope", "text": "工业机器人制造",
                                  "keyword": "工业机器人制造"}


# normalisation, best evidence, empty input -----------------------------------------------------

def test_full_width_input():
    assert one("abs", main_products="ＡＢＳ")["evidence"] == "strong"
    assert one("abs", scope="ａｂｓ 树脂制造")["evidence"] == "strong"
    row = one("5g", scope="５Ｇ 基站 生产；")
    assert (row["evidence"], row["text"]) == ("strong", "5G基站生产")
    assert one("abs", industry="Ｃ２６５１")["evidence"] == "medium"


def test_best_evidence_wins():
    row = one("servo", main_products="四通阀", scope="伺服电机销售；伺服电机及配件；伺服驱动器制造",
              industry="")
    assert (row["evidence"], row["text"], row["keyword"]) == ("strong", "伺服驱动器制造",
                                                              "伺服驱动器")
    row = one("servo", main_products="伺服电机", scope="伺服电机制造")
    assert (row["evidence"], row["field"]) == ("strong", "main_products")
    row = one("servo", scope="伺服电机销售；伺服电机及配件")
    assert (row["evidence"], row["text"]) == ("medium", "伺服电机及配件")


def test_firm_without_text_gives_no_rows():
    firms = pd.DataFrame({"id": ["a", "b", "c"], "main_products": [None, float("nan"), ""],
                          "scope": [pd.NA, None, " "], "industry": [None, "", None]})
    result = propose_links(PRODUCTS, firms)
    assert result.empty and list(result.columns) == LINK_COLUMNS
    assert propose_links(PRODUCTS, pd.DataFrame({"id": ["a"]})).empty


def test_rows_follow_firm_and_product_order():
    rows = classify({"id": "f2", "scope": "控制器制造；伺服电机制造"},
                    {"id": "f1", "main_products": "压缩机"})
    assert list(rows) == [("f2", "servo"), ("f2", "ctrl"), ("f1", "compressor")]


def test_missing_id_columns_are_errors():
    with pytest.raises(ArgumentError, match="firms"):
        propose_links(PRODUCTS, pd.DataFrame({"scope": ["压缩机制造"]}))
    with pytest.raises(ArgumentError, match="name"):
        propose_links(pd.DataFrame({"id": ["x"]}), pd.DataFrame({"id": ["f"]}))


def test_products_without_optional_columns():
    products = pd.DataFrame({"id": ["c"], "name": ["压缩机"]})
    rows = classify({"id": "f", "scope": "压缩机制造"}, products=products)
    assert rows["f", "c"]["evidence"] == "strong"
