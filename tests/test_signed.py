"""chainmap.signed_report (签约项目通报): the article's bulletin on a fixture, band and
minimum edges, the target regions, what is not counted, the period and as-of rules.

The fixture reproduces the Dangtu article's figures for the half year 2026-01-01 ..
2026-06-30 read as of 2026-07-15: 16 projects of 1 亿元 or more, 8 from 苏浙沪, 116.3 亿元,
one of 30 亿元 or more, one of 20 to 30, three of 10 to 20; around them projects that
must not count (signed the day before the period or after it, under 1 亿元, without an
investment figure, lost or moved back after signing, a contract dated after the as-of
day). Every read runs on SQLite and on Neo4j (``make_ws``: tests/stores.py).
"""

from __future__ import annotations

import math

import pytest

import chainmap
from chainmap.i18n import use_language

SAMPLE = chainmap.sample_path()
HALF = {"start": "2026-01-01", "end": "2026-06-30", "as_of": "2026-07-15"}
ARTICLE_ZH = ("新签约亿元以上项目16个，其中来自苏浙沪项目8个，总投资116.3亿元，"
              "其中超30亿元项目1个、超20亿元项目1个、超10亿元项目3个")
ARTICLE_EN = ("16 project(s) of 1 亿元 or more newly signed, 8 of them from Shanghai, Jiangsu "
              "and Zhejiang; total investment 116.3 亿元, of which 1 over 30 亿元, "
              "1 over 20 亿元, 3 over 10 亿元")

#: (firm, product, investment 亿元, date of the move to signed); the sample's L0003
#: (上海浦江压缩机, 28 亿元, signed 2026-01-15) is the 16th.
COUNTED = [
    ("aux-hq", "ac-unit", 30.0, "2026-03-01"),          # 浙江: exactly 30
    ("jiangning-ctrl", None, 2.2, "2026-02-14"),        # 江苏
    ("wujiang-valve", None, 2.0, "2026-05-05"),         # 江苏
    ("cixi-motor", None, 2.5, "2026-03-20"),            # 浙江
    ("lenglian", None, 1.5, "2026-04-01"),              # 上海
    ("kunshan-pcb", None, 3.5, "2026-06-01"),           # 江苏
    ("jinda", "compressor", 10.0, "2026-06-30"),        # 安徽: exactly 10, the last day
    ("hansi", None, 15.0, "2026-01-01"),                # 安徽: the first day
    ("zhongshang", None, 12.5, "2026-04-10"),           # 安徽: started and producing later
    ("gree", None, 1.0, "2026-02-02"),                  # 广东: exactly the minimum
    ("midea", None, 1.2, "2026-02-03"),                 # 广东
    ("huantai-fluoro", None, 1.5, "2026-03-03"),        # 山东
    ("hongding", None, 1.8, "2026-05-15"),              # 安徽
    ("yuemei", None, 2.0, "2026-05-16"),                # 安徽
]
TARGET_FIRMS = {"pujiang-comp", "aux-hq", "jiangning-ctrl", "wujiang-valve", "cixi-motor",
                "lenglian", "kunshan-pcb", "yuyao-cap"}


def half_year(ws: chainmap.Workspace) -> None:
    """The article's half year, and the projects around it that must not count."""
    by = {"by": "tester"}

    def signed(firm, product, investment, day, found="2025-11-01"):
        lid = chainmap.add_lead(ws, firm, product=product, investment=investment,
                                owner="张超", date=found, **by)
        chainmap.move_lead(ws, lid, "signed", date=day, **by)
        return lid

    for firm, product, investment, day in COUNTED:
        lid = signed(firm, product, investment, day)
        if firm == "zhongshang":
            chainmap.move_lead(ws, lid, "started", date="2026-05-20", **by)
            chainmap.move_lead(ws, lid, "producing", date="2026-06-15", **by)
    # the 16th: moved to signed after the period, but its contract is dated inside it
    lid = signed("yuyao-cap", None, 1.6, "2026-07-02")                        # 浙江
    chainmap.update_lead(ws, lid, contract_date="2026-06-28", **by)
    # not counted
    signed("lingang-robot", None, 0.8, "2026-05-01")        # under 1 亿元 (上海)
    signed("binjiang-ctrl", None, None, "2026-02-01")        # no investment figure
    signed("wenling-comp", None, 5.0, "2026-07-01")          # after the period
    signed("xinbei-plastic", None, 6.0, "2025-12-31")        # the day before it
    lost = signed("shunde-ctrl", None, 8.0, "2026-03-15")    # lost after signing
    chainmap.move_lead(ws, lost, "lost", date="2026-07-10", reason="went to 滁州", **by)
    back = signed("xiaoshan-pharma", None, 3.0, "2026-02-10")  # moved back to 洽谈
    chainmap.move_lead(ws, back, "negotiating", date="2026-03-01", **by)
    # a contract dated after the as-of day, and a move dated after it
    later = signed("linping-robot", None, 4.0, "2026-06-10")
    chainmap.update_lead(ws, later, contract_date="2026-08-01", **by)
    signed("huangyan-pack", None, 2.0, "2026-08-05")


def edges(ws: chainmap.Workspace) -> None:
    """Projects at the band and minimum edges, all signed on 2026-03-01."""
    by = {"by": "tester"}
    for firm, investment in [("aux-hq", 30.0), ("cixi-motor", 29.99), ("lenglian", 20.0),
                             ("kunshan-pcb", 19.99), ("jinda", 10.0), ("hansi", 9.99),
                             ("gree", 1.0), ("midea", 0.99)]:
        lid = chainmap.add_lead(ws, firm, investment=investment, date="2026-01-05", **by)
        chainmap.move_lead(ws, lid, "signed", date="2026-03-01", **by)


@pytest.fixture
def ws(make_ws):
    return make_ws(SAMPLE, setup=half_year)


def test_the_article_sentence(ws):
    report = chainmap.signed_report(ws, **HALF)
    assert (report.start, report.end, report.as_of) == ("2026-01-01", "2026-06-30",
                                                         "2026-07-15")
    assert (report.count, report.from_targets, report.total) == (16, 8, 116.3)
    assert report.bands.to_dict("list") == {"min": [30.0, 20.0, 10.0], "count": [1, 1, 3]}
    assert report.sentence_zh == ARTICLE_ZH
    assert report.sentence_en == ARTICLE_EN
    assert report.sentence("zh") == ARTICLE_ZH
    with use_language("zh"):
        assert report.sentence() == ARTICLE_ZH
    assert report.sentence() == ARTICLE_EN
    assert report.targets == ("上海市", "江苏省", "浙江省")


def test_the_projects(ws):
    report = chainmap.signed_report(ws, **HALF)
    p = report.projects
    assert list(p.columns) == chainmap.SIGNED_COLUMNS
    assert set(p[p["from_targets"]]["company"]) == TARGET_FIRMS
    assert p["investment"].tolist()[:5] == [30.0, 28.0, 15.0, 12.5, 10.0]  # largest first
    row = p.set_index("company").loc["jinda"]
    assert (row["band"], row["contract_date"], row["stage"], row["product_name"],
            row["chain_name"], row["region"]) == (
        10.0, "2026-06-30", "signed", "压缩机", "智能家电", "安徽省/马鞍山市/当涂县")
    assert p.set_index("company").loc["zhongshang", "stage"] == "producing"
    assert p.set_index("company").loc["yuyao-cap", "contract_date"] == "2026-06-28"
    assert p.set_index("company").loc["pujiang-comp", "lead"] == "L0003"
    gree = p.set_index("company").loc["gree"]
    assert math.isnan(gree["band"]) and not gree["from_targets"]
    assert gree["region"] == "广东省/珠海市/香洲区"


def test_what_is_not_counted(ws):
    report = chainmap.signed_report(ws, **HALF)
    assert (report.below_min, report.without_investment, report.not_signed,
            report.undated) == (1, 1, 2, 2)  # undated: the sample's L0005 and L0007
    leads = set(report.projects["company"])
    for firm in ("lingang-robot", "binjiang-ctrl", "wenling-comp", "xinbei-plastic",
                 "shunde-ctrl", "xiaoshan-pharma", "linping-robot", "huangyan-pack"):
        assert firm not in leads, firm


def test_as_of_reads_the_pipeline_as_it_stood(ws):
    # on 2026-07-05 the lost project still stood; the move to signed of 2026-07-02 and
    # the contract date 2026-06-28 count, the contract dated 2026-08-01 does not
    early = chainmap.signed_report(ws, start="2026-01-01", end="2026-06-30",
                                   as_of="2026-07-05")
    assert (early.count, early.total, early.not_signed) == (17, 124.3, 1)
    assert "shunde-ctrl" in set(early.projects["company"])
    # as of the period's end the loss had not happened, but neither had the move to
    # signed of 2026-07-02: the stage history says whether, the contract date when
    june = chainmap.signed_report(ws, start="2026-01-01", end="2026-06-30",
                                  as_of="2026-06-30")
    assert (june.count, june.not_signed) == (16, 2)
    assert "yuyao-cap" not in set(june.projects["company"])
    assert "shunde-ctrl" in set(june.projects["company"])
    assert june.projects.set_index("company").loc["zhongshang", "stage"] == "producing"
    # a later as-of day: the contract dated 2026-08-01 and the move of 2026-08-05 are in
    # a period that reaches them
    late = chainmap.signed_report(ws, start="2026-07-01", end="2026-12-31",
                                  as_of="2026-12-31")
    assert set(late.projects["company"]) == {"wenling-comp", "linping-robot",
                                             "huangyan-pack"}


def test_default_period_is_the_year_to_date(ws):
    report = chainmap.signed_report(ws, as_of="2026-07-15")
    assert (report.start, report.end) == ("2026-01-01", "2026-07-15")
    assert report.count == 17  # wenling-comp, signed 2026-07-01, joins
    to = chainmap.signed_report(ws, end="2026-06-30", as_of="2026-07-15")
    assert (to.start, to.end, to.count) == ("2026-01-01", "2026-06-30", 16)
    since = chainmap.signed_report(ws, start="2026-03-01", as_of="2026-07-15")
    assert (since.start, since.end) == ("2026-03-01", "2026-07-15")


def test_minimum(ws):
    five = chainmap.signed_report(ws, min_investment=5, **HALF)
    assert (five.count, five.from_targets, five.total) == (5, 2, 95.5)
    assert five.below_min == 12
    assert five.sentence_zh == ("新签约5亿元以上项目5个，其中来自苏浙沪项目2个，总投资95.5亿元，"
                                "其中超30亿元项目1个、超20亿元项目1个、超10亿元项目3个")
    assert five.sentence_en.startswith("5 project(s) of 5 亿元 or more newly signed")
    every = chainmap.signed_report(ws, min_investment="0", **HALF)
    assert (every.count, every.below_min, every.without_investment) == (17, 0, 1)
    assert every.sentence_zh.startswith("新签约项目17个，其中来自苏浙沪项目9个，总投资117.1亿元")
    half = chainmap.signed_report(ws, min_investment=0.5, **HALF)
    assert half.sentence_zh.startswith("新签约0.5亿元以上项目17个")


def test_bands(ws):
    custom = chainmap.signed_report(ws, bands="10，20", **HALF)  # any order, 全角逗号
    assert custom.bands.to_dict("list") == {"min": [20.0, 10.0], "count": [2, 3]}
    assert custom.sentence_zh.endswith("其中超20亿元项目2个、超10亿元项目3个")
    none = chainmap.signed_report(ws, bands=(), **HALF)
    assert none.sentence_zh == "新签约亿元以上项目16个，其中来自苏浙沪项目8个，总投资116.3亿元"
    assert none.projects["band"].isna().all()
    empty = chainmap.signed_report(ws, bands=[50, 40], **HALF)  # bands with no project
    assert empty.sentence_zh == none.sentence_zh
    assert empty.bands["count"].tolist() == [0, 0]


def test_other_targets(ws):
    south = chainmap.signed_report(ws, targets="广东,山东", **HALF)
    assert south.from_targets == 3
    assert "其中来自广东、山东项目3个" in south.sentence_zh
    assert "3 of them from 广东, 山东;" in south.sentence_en
    assert south.targets == ("广东省", "山东省")
    named = chainmap.signed_report(ws, targets=["上海", "江苏", "浙江"], **HALF)
    assert named.sentence_zh == ARTICLE_ZH  # the default set, however it is named


def test_band_and_minimum_edges(make_ws):
    ws = make_ws(SAMPLE, setup=edges)
    report = chainmap.signed_report(ws, start="2026-03-01", end="2026-03-01",
                                    as_of="2026-03-01")
    bands = report.projects.set_index("company")["band"]
    assert bands.to_dict() == pytest.approx(
        {"aux-hq": 30.0, "cixi-motor": 20.0, "lenglian": 20.0, "kunshan-pcb": 10.0,
         "jinda": 10.0, "hansi": math.nan, "gree": math.nan}, nan_ok=True)
    assert report.bands["count"].tolist() == [1, 2, 2]
    assert (report.count, report.below_min) == (7, 1)  # 1.0 counts, 0.99 does not
    assert report.sentence_zh.endswith("其中超30亿元项目1个、超20亿元项目2个、超10亿元项目2个")
    ten = chainmap.signed_report(ws, start="2026-03-01", end="2026-03-01",
                                 as_of="2026-03-01", min_investment=10)
    assert (ten.count, ten.below_min) == (5, 3)
    assert ten.total == pytest.approx(109.98)


def test_to_dict_is_the_json(ws):
    data = chainmap.signed_report(ws, **HALF).to_dict()
    assert list(data)[:4] == ["count", "from_targets", "total", "bands"]
    assert data["bands"] == [{"min": 30, "count": 1}, {"min": 20, "count": 1},
                             {"min": 10, "count": 3}]
    assert data["period"] == {"start": "2026-01-01", "end": "2026-06-30",
                              "as_of": "2026-07-15"}
    assert data["not_counted"] == {"below_min": 1, "without_investment": 1,
                                   "not_signed": 2, "undated": 2}
    assert data["sentence"] == {"zh": ARTICLE_ZH, "en": ARTICLE_EN}
    assert len(data["projects"]) == 16
    assert data["projects"][0]["company"] == "aux-hq"


def test_summary_and_sheets(ws):
    report = chainmap.signed_report(ws, **HALF)
    summary = report.summary("zh")
    assert list(summary.columns) == ["measure", "measure_zh", "value", "start", "end",
                                     "as_of"]
    assert summary["measure"].tolist() == [
        "sentence", "count", "from_targets", "total", "band_30", "band_20", "band_10",
        "below_min", "without_investment", "not_signed", "undated"]
    assert summary["measure_zh"].tolist() == [
        "通报", "新签约项目数", "其中来自目标地区", "总投资(亿元)", "30亿元（含）以上项目",
        "20亿元（含）至30亿元项目", "10亿元（含）至20亿元项目", "未计入：投资额不足起点",
        "未计入：无投资额", "未计入：截至统计日不在签约阶段", "未计入：无签约日期"]
    assert summary["value"].tolist() == [ARTICLE_ZH, 16, 8, 116.3, 1, 1, 3, 1, 1, 2, 2]
    assert report.summary("en")["value"][0] == ARTICLE_EN
    assert report.summary(sentence=False)["measure"][0] == "count"
    assert list(report.sheets()) == ["summary", "projects"]
    assert str(report).startswith(ARTICLE_EN + "\n\n[summary]\n")
    assert "<p>16 project(s)" in report._repr_html_()


def test_refusals(ws):
    bad = [({"min_investment": -1}, "min_investment= must be a finite number of 亿元, 0 or "
            "more, not '-1'"),
           ({"min_investment": float("nan")}, "not 'nan'"),
           ({"min_investment": float("inf")}, "not 'inf'"),
           ({"min_investment": "abc"}, "not 'abc'"),
           ({"bands": "30,x"}, "bands= must be amounts in 亿元 above 0, such as 30,20,10; "
            "'x' is not one"),
           ({"bands": [30, 0]}, "'0' is not one"),
           ({"bands": [30, -5]}, "'-5' is not one"),
           ({"bands": [float("inf")]}, "'inf' is not one"),
           ({"bands": "30,30.0"}, "bands= names 30 亿元 twice"),
           ({"start": "2026-07-01", "end": "2026-06-30"},
            "the period's start= (2026-07-01) is after its end= (2026-06-30)"),
           ({"start": "2026-08-01", "as_of": "2026-07-15"},
            "the period's start= (2026-08-01) is after as_of= (2026-07-15), the default end"),
           ({"end": "2026-02-30"}, "invalid date '2026-02-30' for end=")]
    for kwargs, message in bad:
        with pytest.raises(chainmap.ArgumentError) as caught:
            chainmap.signed_report(ws, **kwargs)
        assert message in str(caught.value), kwargs
    with pytest.raises(chainmap.RegionError):
        chainmap.signed_report(ws, targets="安徽者")


def test_refusals_in_chinese(ws):
    with use_language("zh"):
        with pytest.raises(chainmap.ArgumentError) as caught:
            chainmap.signed_report(ws, min_investment=-1)
        assert str(caught.value) == "min_investment= 须为不小于 0 的数（亿元），不是 '-1'"
        with pytest.raises(chainmap.ArgumentError) as caught:
            chainmap.signed_report(ws, bands="30,30")
        assert str(caught.value) == "bands= 中 30 亿元出现了两次"
        with pytest.raises(chainmap.ArgumentError) as caught:
            chainmap.signed_report(ws, start="2026-07-01", end="2026-06-30")
        assert str(caught.value) == "统计期起始日 start=（2026-07-01）晚于截止日 end=（2026-06-30）"
