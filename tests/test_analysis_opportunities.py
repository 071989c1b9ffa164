"""chainmap.opportunities and chainmap.related on a fixture computed by hand, on both stores.

The fixture (``HAND``): chain ``ac`` of four products, A -> B -> C and D -> C, with the
home at city level (马鞍山市: 当涂县 and 花山区 count as one region), a product nobody
makes (D), and a region with a single firm (芜湖市鸠江区). A closed firm and a
suggested link are there too: neither counts.

Firms with a confirmed link, per region (home = 马鞍山市)::

    region   A  B  C  D   total
    home     1  0  2  0   3      (花山 f3: A; 当涂 f1, f2: C)
    浦东     1  2  0  0   3      (f4: A; f5, f6: B)
    吴江     0  1  1  0   2      (f7: B; f8: C)
    鸠江     1  0  0  0   1      (f9: A, the single firm)
    total    3  3  3  0   9

RCA = X * 9 / (row * column): home A = 9/9 = 1 exactly (present), C = 18/9 = 2, B = 0;
浦东 A 1, B 2; 吴江 B 1.5, C 1.5; 鸠江 A 3. So M: home {A, C}, 浦东 {A, B}, 吴江 {B, C},
鸠江 {A}; ubiquity A 3, B 2, C 2, D 0. Shared regions: A-B 1 (浦东), A-C 1 (home),
B-C 1 (吴江), so phi: AB = AC = 1/3, BC = 1/2, diagonal 1, D's row 0.

Density of the home (m = A, C): A (1 + 1/3) / (1 + 1/3 + 1/3) = 4/5; B (1/3 + 1/2) /
(1/3 + 1 + 1/2) = 5/11; C (1/3 + 1) / (11/6) = 8/11; D 0 (nobody makes it).

Complexity: Mpp = [[2/3, 1/6, 1/6], [1/4, 1/2, 1/4], [1/4, 1/4, 1/2]] (A, B, C), with
eigenvalues 1, 5/12 (on (a, b, b)) and 1/4 (on (0, 1, -1)). The second, 5/12, has the
eigenvector (4, -3, -3); ECI = the mean over each region's products = (1/2, 1/2, -3, 4)
for home, 浦东, 吴江, 鸠江, which falls with diversity (2, 2, 2, 1): the sign turns, so
kp = (-4, 3, 3), ECI (-1/2, -1/2, 3, -4), mean -1/2, standard deviation sqrt(49/8).
PCI = (kp + 1/2) / sqrt(49/8) = (-sqrt 2, sqrt 2, sqrt 2); D none.

COG of the home: only B and D are lacking; D relates to nothing, so COG[B] =
phi[B,B] * kp[B] / sum_j phi[B,j] / sd = 3 / (11/6) / sqrt(49/8) = 36 sqrt(2) / 77,
and COG of A, C (present) and D is 0.

Log-supermodularity: RCA with regions by ECI (吴江 3, home and 浦东 -1/2, 鸠江 -4) and
products by PCI (B, C, then A): rows (1.5, 1.5, 0), (0, 2, 1), (2, 0, 1), (0, 0, 3). Of
the 6 x 3 pairs, those where the less complex region has the larger ratio X[j] / X[j']
(less over more complex product; 0 when X[j'] is 0) are 3: for (B, A) 浦东 over 吴江 and
over home, for (C, A) home over 吴江. 3/18 = 17 % < 80 %: a warning.

Gap columns (targets 苏浙沪, weak threshold 2): local producers A 1 (weak), B 0, C 2
(covered), D 0; candidates A 1 (浦东 f4; 鸠江 is not a target), B 3, C 1, D 0; local
demand B 2 (f1, f2 make C, which uses B), D 2, A and C 0; upstream_local B 1 (A is made
here), others 0; downstream_local B 1 and D 1 (C is made here), others 0.

Score (balanced: density .25, demand .20, bom .10, candidates .10, pci .15, cog .20),
each term standardised over the products not present here, B and D: density z = +1 (B),
-1 (D), A (4/5 - 5/22) / (5/22) = 2.52, C (8/11 - 5/22) / (5/22) = 2.2; demand equal
(log 3 both): 0; bom B 2, D 1: z +1, -1, A and C -3; candidates log 4 and 0: z +1, -1,
A and C 0; pci only B has one: 0; cog z +1, -1, A and C -1. So B = .25 + .1 + .1 + .2 =
0.65, D = -0.65, A = .25 * 2.52 - .3 - .2 = 0.13, C = .25 * 2.2 - .3 - .2 = 0.05.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import chainmap
from chainmap.analysis.opportunities import STRATEGIES, ThinDataWarning
from chainmap.i18n import use_language
from tests.stores import make_ws, neo4j_db, neo4j_uri, store  # noqa: F401

HAND = {
    "chains.csv": """\
        id,name,name_en
        ac,空调,AC
        """,
    "products.csv": """\
        id,name,name_en,chains,tier
        A,铜材,copper,ac,upstream
        B,压缩机,compressor,ac,midstream
        C,空调整机,AC unit,ac,downstream
        D,冷媒,refrigerant,ac,upstream
        """,
    "inputs.csv": """\
        upstream,downstream
        A,B
        B,C
        D,C
        """,
    "companies.csv": """\
        id,name,province,city,district,revenue,status
        f1,当涂一厂,安徽省,马鞍山市,当涂县,100,存续
        f2,当涂二厂,安徽省,马鞍山市,当涂县,50,存续
        f3,花山铜业,安徽省,马鞍山市,花山区,80,存续
        f4,浦东铜业,上海市,上海市,浦东新区,300,存续
        f5,浦东压缩机一厂,上海市,上海市,浦东新区,200,存续
        f6,浦东压缩机二厂,上海市,上海市,浦东新区,,存续
        f7,吴江压缩机,江苏省,苏州市,吴江区,90,存续
        f8,吴江空调,江苏省,苏州市,吴江区,60,存续
        f9,鸠江铜业,安徽省,芜湖市,鸠江区,40,存续
        f10,当涂旧厂,安徽省,马鞍山市,当涂县,10,注销
        """,
    "capabilities.csv": """\
        company,product,status
        f1,C,confirmed
        f2,C,confirmed
        f3,A,confirmed
        f4,A,confirmed
        f5,B,confirmed
        f6,B,confirmed
        f7,B,confirmed
        f8,C,confirmed
        f9,A,confirmed
        f10,B,confirmed
        f1,D,suggested
        """,
}
HOME = "安徽省/马鞍山市"
SQRT2 = math.sqrt(2)
SD = math.sqrt(49 / 8)


def quiet(call, *args, **kwargs):
    """Call an analysis, returning it and the ThinDataWarning texts it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(*args, **kwargs)
    return result, [str(w.message) for w in caught if w.category is ThinDataWarning]


def test_every_measure_by_hand(make_ws):  # noqa: F811
    ws = make_ws(HAND)
    found, notes = quiet(chainmap.opportunities, ws, "ac", home=HOME)
    assert list(found.columns) == chainmap.OPPORTUNITY_COLUMNS
    assert found["product"].tolist() == ["B", "D", "A", "C"]  # absent by score, then present
    row = found.set_index("product")
    expected = pd.DataFrame({
        "rca": [1.0, 0.0, 2.0, 0.0],
        "present": [True, False, True, False],
        "density": [4 / 5, 5 / 11, 8 / 11, 0.0],
        "pci": [-SQRT2, SQRT2, SQRT2, np.nan],
        "cog": [0.0, 36 * SQRT2 / 77, 0.0, 0.0],
        "upstream_local": [0, 1, 0, 0],
        "downstream_local": [0, 1, 0, 1],
        "local_demand": [0, 2, 0, 2],
        "n_candidates": [1, 3, 1, 0],
        "score": [0.13, 0.65, 0.05, -0.65],
    }, index=["A", "B", "C", "D"])
    for column in expected.columns:
        np.testing.assert_allclose(row.loc[expected.index, column].astype(float),
                                   expected[column].astype(float), rtol=0, atol=1e-9,
                                   err_msg=column)
    assert row.loc[["A", "B", "C", "D"], "status"].tolist() == ["weak", "missing", "covered",
                                                               "missing"]
    assert row.loc["A", "rca"] == 1.0 and bool(row.loc["A", "present"])  # exactly 1: present
    assert notes == ["only 4 region(s) of the workspace have firms making its products: "
                     "complexity (pci, cog) and density say little about so few places",
                     "only 17% of region and product pairs meet the log-supermodularity "
                     "condition (ecomplexity asks for 80%): pci and cog may not rank "
                     "complexity"]
    assert found.attrs["warnings"] == notes


@pytest.mark.parametrize(("strategy", "scores"), [
    ("near", {"B": 0.70, "D": -0.70, "A": 0.35 * 2.52 - 0.45 - 0.10,
              "C": 0.35 * 2.2 - 0.45 - 0.10}),
    ("bets", {"B": 0.60, "D": -0.60, "A": 0.10 * 2.52 - 0.15 - 0.35,
              "C": 0.10 * 2.2 - 0.15 - 0.35}),
])
def test_the_strategies_weigh_the_same_terms_differently(make_ws, strategy, scores):  # noqa: F811
    found, _ = quiet(chainmap.opportunities, make_ws(HAND), "ac", home=HOME, strategy=strategy)
    got = found.set_index("product")["score"]
    for product, score in scores.items():
        assert got[product] == pytest.approx(score, abs=1e-9), product
    assert all(abs(sum(w.values()) - 1) < 1e-12 for w in STRATEGIES.values())


def test_the_explanation_says_why_in_english_and_chinese(make_ws):  # noqa: F811
    ws = make_ws(HAND)
    found, _ = quiet(chainmap.opportunities, ws, "ac", home=HOME)
    b = found.set_index("product").loc["B", "explanation"]
    assert b == ("ranks high mainly because related products are already made here; "
                 "not made here yet (RCA 0); relatedness density 0.45, no. 1 of the 2 "
                 "products of the chain not yet a strength here; inputs made here: 1 of 1; "
                 "uses made here: 1 of 1; 2 local firm(s) use it; 3 candidate(s) in "
                 "上海市, 江苏省, 浙江省; complexity 1.41, outlook gain 0.66")
    with use_language("zh"):
        found, notes = quiet(chainmap.opportunities, ws, "ac", home=HOME)
    rows = found.set_index("product")["explanation"]
    assert rows["B"] == ("排名靠前主要因为本地已有相关产品；本地尚无生产（RCA 为 0）；"
                         "关联密度 0.45，在本链 2 个尚非本地优势的产品中排第 1；"
                         "1 种投入品中本地有 1 种；1 种下游用途中本地有 1 种；"
                         "本地 2 家企业需要它；上海市、江苏省、浙江省有 3 家候选企业；"
                         "产品复杂度 1.41，机会增益 0.66")
    assert rows["D"].endswith("没有地区生产：无复杂度")
    assert rows["A"].startswith("排名靠前主要因为本地已有相关产品；已是本地优势产品：RCA 1.00")
    assert notes[0].startswith("工作区中只有 4 个地区有企业生产这些产品")


def test_a_district_home_is_its_own_region(make_ws):  # noqa: F811
    """At 当涂县 the home is f1, f2 (C only) and 花山区 is a region of its own."""
    found, notes = quiet(chainmap.opportunities, make_ws(HAND), "ac", home="当涂县")
    row = found.set_index("product")
    # X: 当涂 C 2 (total 2), 花山 A 1; column C total 3 of 9: RCA = 2 * 9 / (2 * 3) = 3
    assert row.loc["C", "rca"] == 3.0 and row.loc[["A", "B", "D"], "rca"].eq(0).all()
    assert row["status"].to_dict() == {"B": "missing", "D": "missing", "A": "missing",
                                       "C": "covered"}
    assert row.loc["A", "n_candidates"] == 1 and row.loc["B", "upstream_local"] == 0
    assert notes[0].startswith("only 5 region(s)")


def test_revenue_weights(make_ws):  # noqa: F811
    """With revenue: home A 80, C 150 (230); 浦东 A 300, B 200 (f6 has none); 吴江 B 90,
    C 60; 鸠江 A 40; columns A 420, B 290, C 210, total 920."""
    found, _ = quiet(chainmap.opportunities, make_ws(HAND), "ac", home=HOME, weight="revenue")
    row = found.set_index("product")
    assert row.loc["A", "rca"] == pytest.approx(80 * 920 / (230 * 420))
    assert row.loc["C", "rca"] == pytest.approx(150 * 920 / (230 * 210))
    assert not row.loc["A", "present"] and row.loc["C", "present"]
    assert row.loc["B", "local_demand"] == 2  # the gap columns count firms whatever the weight


def test_gap_columns_are_the_gap_reports(make_ws):  # noqa: F811
    ws = make_ws(chainmap.sample_path())
    found, notes = quiet(chainmap.opportunities, ws, "智能家电", home="当涂县")
    gaps = chainmap.gaps(ws, "智能家电", home="当涂县").set_index("product")
    mine = found.set_index("product").loc[gaps.index]
    for column in ("status", "local_demand", "n_candidates"):
        assert mine[column].tolist() == gaps[column].tolist(), column
    assert sorted(found["product"]) == sorted(gaps.index)
    assert notes[0].startswith("1 product(s) share no region with the others")
    province, _ = quiet(chainmap.opportunities, ws, "生物医药", home="安徽省",
                        targets="江苏省", weak_threshold=3)
    gaps = chainmap.gaps(ws, "生物医药", home="安徽省", targets="江苏省",
                         weak_threshold=3).set_index("product")
    mine = province.set_index("product").loc[gaps.index]
    for column in ("status", "local_demand", "n_candidates"):
        assert mine[column].tolist() == gaps[column].tolist(), column


def test_bad_input(make_ws):  # noqa: F811
    ws = make_ws(HAND)
    with pytest.raises(chainmap.NotFoundError, match="unknown chain 'tv'"):
        chainmap.opportunities(ws, "tv", home=HOME)
    with pytest.raises(chainmap.ArgumentError, match="unknown strategy 'bold'; use one of "
                                                     "near, balanced, bets") as caught:
        chainmap.opportunities(ws, "ac", home=HOME, strategy="bold")
    assert caught.value.parameter == "strategy" and isinstance(caught.value, ValueError)
    with pytest.raises(chainmap.ArgumentError, match="unknown weight 'staff'"):
        chainmap.opportunities(ws, "ac", home=HOME, weight="staff")
    with pytest.raises(chainmap.ArgumentError, match="weak_threshold= must be at least 1"):
        chainmap.opportunities(ws, "ac", home=HOME, weak_threshold=0)
    with pytest.raises(chainmap.RegionError):
        chainmap.opportunities(ws, "ac", home="安徽者")
    with pytest.raises(chainmap.NotFoundError, match="unknown product 'E'"):
        chainmap.related(ws, "E")
    with pytest.raises(chainmap.ArgumentError, match="top= must be at least 1, not 0"):
        chainmap.related(ws, "A", top=0)
    with use_language("zh"), pytest.raises(chainmap.ArgumentError,
                                           match="没有策略 'bold'；请用 near, balanced, bets 之一"):
        chainmap.opportunities(ws, "ac", home=HOME, strategy="bold")


def test_a_home_without_firms(make_ws):  # noqa: F811
    found, notes = quiet(chainmap.opportunities, make_ws(HAND), "ac", home="上海市/黄浦区")
    assert found["rca"].eq(0).all() and found["density"].eq(0).all()
    assert not found["present"].any()
    assert any(n == "no active firm in 上海市/黄浦区 has a confirmed link to any product: "
               "rca and density are 0" for n in notes)


def test_related_by_hand(make_ws):  # noqa: F811
    ws = make_ws(HAND)
    near = chainmap.related(ws, "B")
    assert list(near.columns) == chainmap.RELATED_COLUMNS
    # over the districts (no home merged): 当涂 {C}, 花山 {A}, 浦东 {A, B}, 吴江 {B, C},
    # 鸠江 {A}: k A 3, B 2, C 2; B-C share 吴江, A-B share 浦东
    assert near[["product", "proximity", "shared_regions", "regions", "is_input",
                 "is_use"]].values.tolist() == [["C", 0.5, 1, 2, False, True],
                                                ["A", 1 / 3, 1, 3, True, False]]
    assert near["explanation"].iloc[0] == ("1 region(s) are strong in both (RCA at least 1): "
                                           "2 in 压缩机, 2 in this one; 压缩机 is a direct "
                                           "input of it")
    assert chainmap.related(ws, "压缩机", top=1)["product"].tolist() == ["C"]
    assert chainmap.related(ws, "D").empty  # nobody makes it


def test_a_home_whose_firms_have_no_revenue(make_ws):  # noqa: F811
    data = dict(HAND, **{"companies.csv": HAND["companies.csv"].replace(
        "f9,鸠江铜业,安徽省,芜湖市,鸠江区,40,存续", "f9,鸠江铜业,安徽省,芜湖市,鸠江区,,存续")})
    found, notes = quiet(chainmap.opportunities, make_ws(data), "ac", home="芜湖市",
                         weight="revenue")
    row = found.set_index("product")
    assert row["rca"].eq(0).all() and row.loc["A", "status"] == "weak"  # f9 still makes A
    assert "no active firm in 安徽省/芜湖市 with revenue on record has a confirmed link to " \
           "any product: rca and density are 0 (count firms instead of revenue)" in notes


def test_thin_data_warnings_name_the_callers_line(sample_ws):
    """A notebook shows a warning under the line it names: the planner's call to
    ``opportunities``, not chainmap's ``snapshot.py`` wrapper."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chainmap.opportunities(sample_ws, chainmap.SAMPLE_CHAIN, home=chainmap.SAMPLE_HOME)
    thin = [w for w in caught if w.category is ThinDataWarning]
    assert thin and {w.filename for w in thin} == {__file__}
