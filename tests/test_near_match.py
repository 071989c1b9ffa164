"""Names that forgive: chains, products, firms and regions are found by id, by exact
name, then by one unambiguous near match, which a NearMatchWarning reports; none or
several near ones is an error listing the closest names. In English and Chinese."""

from __future__ import annotations

import warnings

import pytest

import chainmap
from chainmap import regions
from chainmap.errors import NearMatchWarning, NotFoundError, RegionError
from chainmap.i18n import use_language
from chainmap.names import fold, near_match
from tests.conftest import write_files


def quiet(call, *args):
    """``call(*args)`` and the near-match warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = call(*args)
    return value, [w.message for w in caught if issubclass(w.category, NearMatchWarning)]


# -- the rule -----------------------------------------------------------------------------


def test_fold_drops_width_case_spaces_punctuation_and_brackets():
    assert fold("控制器（主控板）") == fold("控制器 (主控板)") == fold("控制器主控板")
    assert fold("ＡＢＣ－1") == "abc1"


def test_near_match_takes_one_and_refuses_a_close_runner_up():
    names, owners = ["abcdefghij", "abcdefghik"], ["x", "y"]
    assert near_match("abcdefghij", names, owners) == ("x", [])  # equal
    assert near_match("abcdefghiz", names, owners) == (None, ["x", "y"])  # 90 and 90
    assert near_match("abcdefghiz", names[:1], owners[:1]) == ("x", [])  # 90, alone
    assert near_match("abcdefgzzz", names[:1], owners[:1]) == (None, [])  # 70
    assert near_match("", names, owners) == (None, [])


# -- products -----------------------------------------------------------------------------


def test_product_exact_by_id_and_name_gives_no_warning(sample_ws):
    assert quiet(sample_ws.product_id, "controller") == ("controller", [])
    assert quiet(sample_ws.product_id, "控制器（主控板）") == ("controller", [])


def test_product_near_is_taken_with_a_warning(sample_ws):
    found, said = quiet(sample_ws.product_id, "控制器主控板")
    assert found == "controller"
    assert [str(w) for w in said] == ["read '控制器主控板' as '控制器（主控板）'"]
    w = said[0]
    assert (w.typed, w.name, w.id, w.kind) == ("控制器主控板", "控制器（主控板）", "controller",
                                               "product")
    with use_language("zh"):
        _, said = quiet(sample_ws.product_id, "控制器(主控板)")
    assert [str(w) for w in said] == ["按“控制器(主控板)”理解为“控制器（主控板）”"]


def test_a_short_name_is_only_suggested(sample_ws):
    with pytest.raises(NotFoundError) as caught:
        quiet(sample_ws.product_id, "控制器")
    assert str(caught.value) == ("unknown product '控制器'; did you mean: "
                                 "控制器（主控板） (controller)?")
    with use_language("zh"), pytest.raises(NotFoundError) as caught:
        sample_ws.product_id("控制器")
    assert str(caught.value) == "没有产品 '控制器'；您是否要找：控制器（主控板）（controller）？"
    assert "您是否要找：控制器（主控板）" in str(caught.value)


def test_an_unknown_product_with_nothing_close(sample_ws):
    with use_language("zh"), pytest.raises(NotFoundError) as caught:
        sample_ws.product_id("qqqqqq")
    assert str(caught.value) == "没有产品 'qqqqqq'"


# -- chains -------------------------------------------------------------------------------

CHAINS = {
    "chains.csv": """\
        id,name,name_en
        ac,智能家电,Smart appliances
        ev-a,新能源汽车关键零部件甲,EV parts A
        ev-b,新能源汽车关键零部件乙,EV parts B
        """,
    "products.csv": """\
        id,name,name_en,chains,tier
        controller,控制器（主控板）,controller,ac,midstream
        ctrl-a,控制器(A型),controller A,ac,midstream
        ctrl-b,控制器 A型,controller A2,ac,midstream
        motor,电机,motor,ev-a;ev-b,midstream
        """,
    "companies.csv": """\
        id,name,uscc,province,city,district,in_park,employees,revenue
        aux,奥克斯空调（马鞍山）有限公司,,安徽省,马鞍山市,当涂县,1,3000,500000
        """,
}


@pytest.fixture
def chains_ws(tmp_path):
    ws = chainmap.open(tmp_path / "chains.db")
    chainmap.import_dataset(ws, write_files(tmp_path / "chains", CHAINS))
    yield ws
    ws.close()


def test_chain_exact_near_ambiguous_and_none(chains_ws):
    assert quiet(chains_ws.chain_id, "智能家电") == ("ac", [])
    assert quiet(chains_ws.chain_id, "smart appliances") == ("ac", [])  # case only
    found, said = quiet(chains_ws.chain_id, "智能 家电")
    assert (found, [str(w) for w in said]) == ("ac", ["read '智能 家电' as '智能家电'"])
    found, said = quiet(chains_ws.chain_id, "Smart-Appliance")  # a letter short
    assert found == "ac" and said[0].kind == "chain"
    with pytest.raises(NotFoundError) as caught:  # 90 for both: a person must choose
        quiet(chains_ws.chain_id, "新能源汽车关键零部件丙")
    assert str(caught.value).startswith("unknown chain '新能源汽车关键零部件丙'; chains: ac (")
    with use_language("zh"), pytest.raises(NotFoundError) as caught:
        chains_ws.chain_id("家电")
    assert str(caught.value) == (
        "没有产业链 '家电'；现有产业链：ac（智能家电）、ev-a（新能源汽车关键零部件甲）、"
        "ev-b（新能源汽车关键零部件乙）")


def test_a_chain_written_with_its_word_产业链(chains_ws):
    """智能家电产业链, 智能家电产业 and 智能家电 链 name the chain 智能家电, with a note."""
    for typed in ("智能家电产业链", "智能家电产业", "智能家电 产业链"):
        found, said = quiet(chains_ws.chain_id, typed)
        assert (found, [str(w) for w in said]) == ("ac", [f"read '{typed}' as '智能家电'"])
    with pytest.raises(NotFoundError):  # the word alone names no chain
        quiet(chains_ws.chain_id, "产业链")


def test_products_written_the_same_way_are_ambiguous(chains_ws):
    with pytest.raises(NotFoundError) as caught:
        quiet(chains_ws.product_id, "控制器A型")
    assert str(caught.value) == ("unknown product '控制器A型'; did you mean: "
                                 "控制器(A型) (ctrl-a), 控制器 A型 (ctrl-b)?")
    with use_language("zh"), pytest.raises(NotFoundError) as caught:
        quiet(chains_ws.product_id, "控制器A型")
    assert str(caught.value) == ("没有产品 '控制器A型'；您是否要找："
                                 "控制器(A型)（ctrl-a）、控制器 A型（ctrl-b）？")


# -- firms --------------------------------------------------------------------------------


def test_firm_exact_near_ambiguous_and_none(sample_ws):
    assert quiet(sample_ws.company_id, "奥克斯空调（马鞍山）有限公司") == ("aux", [])
    found, said = quiet(sample_ws.company_id, "奥克斯空调马鞍山")  # no brackets, no 有限公司
    assert found == "aux"
    assert str(said[0]) == "read '奥克斯空调马鞍山' as '奥克斯空调（马鞍山）有限公司'"
    found, said = quiet(sample_ws.company_id, "马鞍山丹阳湖汽车零件有限公司")  # 零件 for 部件
    assert (found, said[0].name) == ("danyanghu-auto", "马鞍山丹阳湖汽车部件有限公司")
    with pytest.raises(LookupError) as caught:  # kaiyue and kaiyue-2: the same name
        quiet(sample_ws.company_id, "凯越电子宁波")
    message = str(caught.value)
    assert message.startswith("unknown firm '凯越电子宁波'; did you mean: ")
    assert "(kaiyue)" in message and "(kaiyue-2)" in message
    with use_language("zh"), pytest.raises(LookupError) as caught:
        quiet(sample_ws.company_id, "奥克斯空调有限公司")
    assert str(caught.value).startswith("没有企业 '奥克斯空调有限公司'；您是否要找：")
    assert "奥克斯空调（马鞍山）有限公司（aux）" in str(caught.value)


def test_a_near_firm_reaches_the_analyses(sample_ws):
    with pytest.warns(NearMatchWarning, match="奥克斯空调马鞍山"):
        report = chainmap.anchor(sample_ws, "奥克斯空调马鞍山", home="当涂县")
    assert report.summary["firm"].iloc[0] == "aux"


# -- regions ------------------------------------------------------------------------------


def test_region_exact_near_ambiguous_and_none():
    assert quiet(regions.resolve, "当涂县")[0].code == "340521"
    assert quiet(regions.resolve, "当涂县")[1] == []
    region, said = quiet(regions.resolve, "当涂区")  # the wrong suffix
    assert region.code == "340521"
    assert str(said[0]) == "read '当涂区' as '安徽省/马鞍山市/当涂县'"
    assert quiet(regions.resolve, "（安徽省）")[0].code == "340000"
    assert quiet(regions.resolve, "Zhejian")[0].name == "浙江省"
    assert quiet(regions.resolve, "安徽/马鞍山/当涂区")[0].code == "340521"
    with pytest.raises(RegionError, match="'鼓楼县' is ambiguous: it matches 江苏省/南京市/鼓楼区"):
        quiet(regions.resolve, "鼓楼县")
    with pytest.raises(RegionError) as caught:
        quiet(regions.resolve, "安徽者")
    assert str(caught.value) == "unknown region '安徽者'; did you mean: 安徽省?"


def test_region_messages_in_chinese():
    with use_language("zh"):
        _, said = quiet(regions.resolve, "当涂区")
        assert str(said[0]) == "按“当涂区”理解为“安徽省/马鞍山市/当涂县”"
        with pytest.raises(RegionError) as caught:
            regions.resolve("安徽者")
        assert str(caught.value) == "没有地区 '安徽者'；您是否要找：安徽省？"
        with pytest.raises(RegionError) as caught:
            regions.resolve("鼓楼区")
        assert str(caught.value).startswith("'鼓楼区' 有多个同名地区：江苏省/南京市/鼓楼区、")
        with pytest.raises(RegionError) as caught:
            regions.resolve("安徽省/南京市")
        assert str(caught.value) == "安徽省没有地区 '南京市'（在 '安徽省/南京市' 中）"
        with pytest.raises(RegionError) as caught:
            regions.resolve("999999")
        assert str(caught.value) == "没有地区代码 '999999'"
        with pytest.raises(RegionError) as caught:
            regions.locate("安徽省", "南京市")
        assert str(caught.value) == "安徽省没有城市 '南京市'"


def test_the_warning_is_public():
    assert chainmap.NearMatchWarning is NearMatchWarning
    assert issubclass(NearMatchWarning, UserWarning)
    import pickle

    w = pickle.loads(pickle.dumps(NearMatchWarning("a", "b", "c", "product")))
    assert (str(w), w.kind) == ("read 'a' as 'b'", "product")


def test_the_warning_names_the_callers_line_not_chainmaps(sample_ws):
    """In a notebook a warning shows the file and line it is attributed to: the planner's
    own call, not ``chainmap/snapshot.py`` and ``return function(*args, **kwargs)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chainmap.targets(sample_ws, chainmap.SAMPLE_CHAIN, "控制器主控板",
                         home=chainmap.SAMPLE_HOME)
    assert [w.category for w in caught] == [NearMatchWarning]
    assert caught[0].filename == __file__, caught[0].filename
