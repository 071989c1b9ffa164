"""Reports, charts and the chain map in Chinese: sentences made in the language of the
moment (explanations, reasons, the 口径 of 本地配套率), numbers for people (50.0%, names,
是/否), the weekly report's words, and a label for every column of every report."""

from __future__ import annotations

import importlib
import json
import math
import re

import openpyxl
import pandas as pd
import pytest

import chainmap
import chainmap.charts as charts
import chainmap.viz as viz
from chainmap.errors import ChainmapError
from chainmap.files import write_xlsx
from chainmap.i18n import label, labels, use_language
from chainmap.output import (
    HEADERS_ZH,
    PROSE_COLUMNS,
    for_people,
    id_names,
    localize,
    percent_text,
    render,
    to_records,
)
from chainmap.reports.weekly import WEEKLY_MEASURES

targets_module = importlib.import_module("chainmap.analysis.targets")

HOME = "安徽省/马鞍山市/当涂县"
CHAIN = "智能家电"
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_'.-]*")


@pytest.fixture(scope="module")
def ws():
    workspace = chainmap.open(":memory:")
    chainmap.import_dataset(workspace, chainmap.sample_path())
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def proper(ws) -> list[str]:
    """Ids and names (which may hold Latin letters) of the sample: allowed in Chinese."""
    words: set[str] = set()
    for table in ("companies", "products", "chains"):
        frame = ws._table(table)
        for col in ("id", "name", "name_en"):
            if col in frame.columns:
                words |= {str(v) for v in frame[col].dropna() if str(v)}
    return sorted(words, key=len, reverse=True)  # longest first: a name before its part


def english(text: str, proper: list[str] = ()) -> list[str]:
    """The Latin words of ``text`` once ids and names are taken out."""
    for word in proper:
        text = text.replace(word, " ")
    return LATIN.findall(text)


# -- sentences made in the current language ---------------------------------------------
def test_gap_explanations_read_like_the_office_writes_them(ws, proper):
    with use_language("zh"):
        report = chainmap.gaps(ws, CHAIN, home=HOME)
        jiangsu = chainmap.gaps(ws, CHAIN, home=HOME, targets="江苏省")
    rows = report.set_index("product")
    assert rows.at["controller", "explanation"] == \
        "当涂县尚无企业生产（缺链）；本地有 4 家企业的产品需要其配套；苏浙沪有 5 家候选企业"
    assert rows.at["capacitor", "explanation"] == \
        "当涂县仅有 1 家企业生产（弱链）；本地有 4 家企业的产品需要其配套；苏浙沪有 2 家候选企业"
    covered = rows[rows["status"] == "covered"]["explanation"]
    assert all(e.startswith("当涂县已有 ") for e in covered)
    assert any("本地暂无企业直接使用" in e for e in report["explanation"])
    assert all(not english(e) for e in report["explanation"]), report["explanation"].tolist()
    assert "；江苏省有 " in jiangsu["explanation"].iloc[0]
    # English as before
    en = chainmap.gaps(ws, CHAIN, home=HOME).set_index("product")
    assert en.at["controller", "explanation"] == (
        "no firm in 当涂县 makes it (缺链); 4 local firm(s) make products that use it; "
        "5 candidate(s) in 上海市, 江苏省, 浙江省")


def test_target_reasons_rank_in_chinese(ws):
    with use_language("zh"):
        found = chainmap.targets(ws, CHAIN, "controller", home=HOME)
    assert found["why"].tolist() == [
        "已为奥克斯空调（马鞍山）有限公司供货；浙江省同类企业营收第 2", "上海市同类企业营收第 1",
        "江苏省同类企业营收第 1", "浙江省同类企业营收第 1", "浙江省同类企业营收第 3"]
    assert found["is_lead"].dtype == bool  # a code for programs; 是/否 is for people
    with use_language("zh"):
        assert targets_module._why([], math.nan, math.nan, "江苏省") == "暂无营收记录"
        assert targets_module._why(["甲公司", "乙公司"], 1.0, 11, "上海市") == \
            "已为甲公司、乙公司供货；上海市同类企业营收第 11"
    assert [targets_module._why([], 1.0, n, "P") for n in (1, 2, 3, 4, 11, 21, 22, 113)] == [
        "largest in P", "2nd largest in P", "3rd largest in P", "4th largest in P",
        "11th largest in P", "21st largest in P", "22nd largest in P", "113th largest in P"]
    assert targets_module._why(["A"], math.nan, math.nan, "P") == \
        "supplies A; no revenue on record"


def test_anchor_definition_rate_and_line(ws, proper):
    with use_language("zh"):
        report = chainmap.anchor(ws, "aux", home=HOME)
        line = str(report)
    assert report.definition.startswith("本地配套率 = 本地可配套的投入品种数 ÷ 投入品种数。")
    assert "安徽省/马鞍山市/当涂县有一家企业（含该企业自身）生产" in report.definition
    assert not english(report.definition)
    assert line == ("奥克斯空调（马鞍山）有限公司（aux）在安徽省/马鞍山市/当涂县的"
                    "本地配套率为 50.0%（14 种投入品中本地可配套 7 种），已知供应商 19 家")
    assert not english(line, proper)
    # for people: the rate as a percentage, products by name; JSON keeps numbers and ids
    table = localize(report.summary, "zh")
    assert table["本地配套率"].tolist() == ["50.0%"]
    frames, kinds = for_people(report.sheets(), "zh", id_names(ws))
    inputs = frames["投入品配套"].set_index("产品编号")
    assert inputs.at["copper-tube", "用于产品"] == "空调整机、换热器"
    assert inputs.at["heat-exchanger", "自产"] == "是"
    assert kinds["链主概况"]["本地配套率"] == "percent"
    assert percent_text(frames["链主概况"], kinds["链主概况"])["本地配套率"].tolist() == ["50.0%"]
    record = to_records(report.summary)[0]
    assert record["supporting_rate"] == 0.5 and "本地配套率" not in record
    assert to_records(report.inputs)[0]["used_for"] == ["heat-exchanger"]


def test_the_names_looked_up_are_those_the_sheets_name(tmp_path):
    """``id_names(ws, sheets)`` reads the firms a report names by id, not every firm, and
    a report for people is the same as with every name."""
    path = tmp_path / "w.db"
    with chainmap.open(path) as made:
        chainmap.import_dataset(made, chainmap.sample_path())
    with chainmap.open(path) as ws:
        sheets = {"gaps": chainmap.gaps(ws, CHAIN, home=HOME),
                  "anchor": chainmap.anchor(ws, "aux", home=HOME).inputs}
        queries: list[str] = []
        ws.store.conn.raw.set_trace_callback(queries.append)
        some = id_names(ws, sheets)
        ws.store.conn.raw.set_trace_callback(None)
        every = id_names(ws)
        # (the anchor's supplier ids are not looked up: supplier_names names them)
        named = {v for frame in sheets.values() for column in ("candidates", "local_firms")
                 if column in frame.columns for ids in frame[column] for v in ids}
        assert set(some["company"]) == named and len(every["company"]) == 131
        assert all(" WHERE id IN (" in q for q in queries if "FROM companies" in q), queries
        for lang in ("zh", "en"):
            mine, _kinds = for_people(sheets, lang, some)
            theirs, _kinds = for_people(sheets, lang, every)
            for name, frame in mine.items():
                pd.testing.assert_frame_equal(frame, theirs[name])


def test_a_workbook_lists_the_first_names_and_counts_the_rest(ws, tmp_path, monkeypatch):
    found = chainmap.gaps(ws, CHAIN, home=HOME)
    longest = max(found["candidates"], key=len)
    assert len(longest) == 5
    frames, _kinds = for_people({"gaps": found}, "zh", id_names(ws), most=2)
    cell = [v for v in frames["缺链分析"]["候选企业"] if v.endswith("项）")][0]
    assert cell.count("、") == 2 and cell.endswith("、（另有 3 项）")
    english, _kinds = for_people({"gaps": found}, "en", id_names(ws), most=2)
    assert [v for v in english["gaps"]["candidates"] if len(v) == 3][0][-1] == "(+3 more)"
    everything, _kinds = for_people({"gaps": found}, "en", id_names(ws))
    assert max(len(v) for v in everything["gaps"]["candidates"]) == 5
    shown = id_names(ws, {"gaps": found}, most=2)  # only the names a cell shows
    assert set(shown["company"]) == {i for column in ("candidates", "local_firms")
                                     for ids in found[column] for i in ids[:2]}
    fewer, _kinds = for_people({"gaps": found}, "zh", shown, most=2)
    pd.testing.assert_frame_equal(fewer["缺链分析"], frames["缺链分析"])
    # the CLI's workbooks use WORKBOOK_LIST_MOST; CSV and JSON keep every id
    monkeypatch.setattr("chainmap.output.WORKBOOK_LIST_MOST", 2)
    db = tmp_path / "w.db"
    with chainmap.open(db) as made:
        chainmap.import_dataset(made, chainmap.sample_path())
    from click.testing import CliRunner

    from chainmap.cli import main
    result = CliRunner().invoke(main, ["--db", str(db), "gaps", "--chain", CHAIN, "--home",
                                       HOME, "-o", str(tmp_path / "gaps.xlsx")])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "gaps.xlsx")
    column = [c.value for c in book["gaps"]["I"]]
    assert column[0] == "candidates" and any(v and v.endswith(";(+3 more)") for v in column)


def test_metrics_for_people_names_and_percentages(ws, tmp_path):
    found = chainmap.metrics(ws, CHAIN, home=HOME)
    frames, kinds = for_people({"metrics": found}, "zh", id_names(ws))
    sheet = frames["产业链完整度"]
    assert set(sheet["产业链"]) == {"智能家电"}
    assert percent_text(sheet, kinds["产业链完整度"])["完整度"].tolist() == [
        "36.4%", "64.7%", "100.0%", "59.4%"]
    assert "36.4%" in render(localize(found, "zh"), "table")
    path = write_xlsx(frames, tmp_path / "metrics.xlsx", kinds=kinds)
    book = openpyxl.load_workbook(path)["产业链完整度"]
    header = [c.value for c in book[1]]
    cell = book.cell(row=2, column=header.index("完整度") + 1)
    assert cell.number_format == "0.0%" and cell.value == pytest.approx(4 / 11)
    assert json.loads(render(found, "json"))[0]["chain"] == "smart-appliances"


def test_impact_effects_and_line(ws, proper):
    with use_language("zh"):
        gone = chainmap.impact(ws, "haoyue", home=HOME)
        lands = chainmap.impact(ws, "xinchang-valve", home="当涂县", add=True)
        gone_line, lands_line = str(gone), str(lands)
    assert gone.customers["effect"].tolist() == ["失去唯一本地供应商"]
    assert set(lands.customers["effect"]) <= {"获得首个本地供应商"}
    assert gone_line == ("若安徽皓月电气有限公司（haoyue）迁出安徽省/马鞍山市/当涂县："
                         "1 个产品状态改变（电容器 弱链 → 缺链）；涉及本地客户供应关系 1 条")
    assert lands_line.startswith("若绍兴新昌制冷阀件有限公司（xinchang-valve）落户")
    assert "电子膨胀阀 缺链 → 弱链，四通阀 缺链 → 弱链" in lands_line
    assert not english(gone_line, proper) and not english(lands_line, proper)
    assert str(chainmap.impact(ws, "haoyue", home=HOME)) == (
        "If 安徽皓月电气有限公司 (haoyue) leaves 安徽省/马鞍山市/当涂县: 1 product(s) change "
        "status (capacitor weak → missing); 1 local customer link(s) affected")


def test_prose_columns_are_the_sentences(ws):
    with use_language("zh"):
        sheets = {"gaps": chainmap.gaps(ws, CHAIN, home=HOME),
                  "targets": chainmap.targets(ws, CHAIN, "eev", home=HOME),
                  **chainmap.anchor(ws, "aux", home=HOME).sheets(),
                  **chainmap.impact(ws, "haoyue", home=HOME).sheets()}
    seen = {c for frame in sheets.values() for c in frame.columns if c in PROSE_COLUMNS}
    assert seen == set(PROSE_COLUMNS)
    for frame in sheets.values():
        for col in (c for c in frame.columns if c in PROSE_COLUMNS):
            assert all(re.search(r"[\u4e00-\u9fff]", v) for v in frame[col]), col


@pytest.mark.parametrize(("call", "chinese"), [
    (lambda ws: chainmap.gaps(ws, CHAIN, home=HOME, weak_threshold=0),
     "weak_threshold= 须不小于 1，不是 0"),
    (lambda ws: chainmap.targets(ws, "smart-logistics", "电容器", home=HOME),
     "产品 'capacitor'（电容器）不在产业链 'smart-logistics'（智慧物流）中"),
    (lambda ws: chainmap.impact(ws, "xinchang-valve", home=HOME),
     "绍兴新昌制冷阀件有限公司（xinchang-valve）不在安徽省/马鞍山市/当涂县，其迁出对当地没有影响；"
     "用 add=True 可查看其落户的影响"),
    (lambda ws: chainmap.impact(ws, "haoyue", home=HOME, add=True),
     "安徽皓月电气有限公司（haoyue）已在安徽省/马鞍山市/当涂县；去掉 add=True 可查看其迁出的影响"),
    (lambda ws: chainmap.gaps(ws, CHAIN, home=HOME, targets=" ,"),
     "未指定目标地区：不填 targets= 即为苏浙沪，或写明地区，如 江苏省,上海市"),
    (lambda ws: chainmap.write_graph(chainmap.graph(ws, chain=CHAIN), "g.json"),
     "无法把图写入 'g.json'：文件名须以 .graphml 或 .gexf 结尾"),
    (lambda ws: chainmap.weekly_report(ws, start="2026-03-02", end="2026-03-01"),
     "start=（2026-03-02）晚于 end=（2026-03-01）"),
    (lambda ws: charts.png_path("chart.jpg"),
     "图表保存为 PNG：文件名须以 .png 结尾，不是 'chart.jpg'"),
    (lambda ws: charts.gap_bars(pd.DataFrame({"a": [1]})),
     "gap_bars() 需要 chainmap.gaps() 的缺链分析表（含 'name'、'tier'、'status'、"
     "'local_producers' 列，英文列名）"),
    (lambda ws: charts.funnel(ws, lang="fr"), "未知图表语言 'fr'：请用 zh、en 或 both"),
    (lambda ws: viz.chain_map(ws, CHAIN, home=HOME, top=-1), "top= 须不小于 0，不是 -1"),
    (lambda ws: render(pd.DataFrame(), "html"),
     "未知格式 'html'；请用 table, json, csv, md 之一"),
], ids=["weak-threshold", "not-in-chain", "not-local", "already-local", "no-targets",
        "graph-suffix", "period", "png", "gap-bars-input", "chart-lang", "viz-top", "format"])
def test_errors_in_chinese(ws, call, chinese):
    with use_language("zh"), pytest.raises(ChainmapError) as caught:
        call(ws)
    assert str(caught.value) == chinese


# -- the weekly report's words ------------------------------------------------------------
def test_weekly_measures_are_catalogue_labels_and_match_the_headers(ws):
    assert WEEKLY_MEASURES == {m: label("measure", m, "zh") for m in WEEKLY_MEASURES}
    assert WEEKLY_MEASURES["signed"] == "签约项目数"
    assert WEEKLY_MEASURES["signed_investment"] == "签约金额(亿元)"
    week = chainmap.weekly_report(ws, start="2026-01-01", end="2026-03-31")
    assert week.summary["measure_zh"].tolist() == list(WEEKLY_MEASURES.values())
    # the by-owner and by-chain headers say what the summary says
    for col in week.by_owner.columns[1:]:
        assert HEADERS_ZH[col] == labels("measure")[col], col
    shown = localize(week.summary, "zh")
    assert shown["指标"].tolist() == list(WEEKLY_MEASURES.values())
    with use_language("zh"):
        assert week.heading == "招商周报（2026-01-01 至 2026-03-31）"
    assert week.heading == "Weekly report (招商周报) 2026-01-01 – 2026-03-31"


# -- every column has a word --------------------------------------------------------------
def _report_frames(ws) -> dict[str, pd.DataFrame]:
    frames = {"gaps": chainmap.gaps(ws, CHAIN, home=HOME),
              "targets": chainmap.targets(ws, CHAIN, "电容器", home=HOME),
              "metrics": chainmap.metrics(ws, home=HOME)}
    for prefix, sheets in (
            ("anchor", chainmap.anchor(ws, "aux", home=HOME).sheets()),
            ("impact", chainmap.impact(ws, "haoyue", home=HOME).sheets()),
            ("impact-add", chainmap.impact(ws, "gree", home=HOME, add=True).sheets()),
            ("pipeline", chainmap.pipeline(ws).sheets()),
            ("weekly", chainmap.weekly_report(ws, start="2026-01-01",
                                              end="2026-03-31").sheets())):
        frames.update({f"{prefix}.{k}": v for k, v in sheets.items()})
    for name in ("list_leads", "followups_due", "stale_leads", "overdue_projects",
                 "signed_projects", "audit_log", "duplicate_firms"):
        frames[name] = getattr(chainmap, name)(ws)
    details = chainmap.lead_details(ws, "L0003")
    frames.update({f"lead.{k}": getattr(details, k)
                   for k in ("history", "activities", "followups")})
    return frames


def test_every_column_of_every_report_has_a_chinese_label(ws):
    words = labels("column")
    missing = {}
    for name, frame in _report_frames(ws).items():
        # a column x_zh beside x gives x its Chinese values (localize): not a header
        columns = [c for c in frame.columns
                   if not (c.endswith("_zh") and c[:-3] in frame.columns)]
        lacking = [c for c in columns if c not in words]
        if lacking:
            missing[name] = lacking
        assert not [c for c in localize(frame, "zh").columns if c.isascii()], name
    assert not missing, f"columns without a 'column' label in the .po: {missing}"


# -- charts ---------------------------------------------------------------------------------
def _texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_charts_speak_chinese_under_zh(ws, proper):
    report = chainmap.gaps(ws, CHAIN, home=HOME)
    with use_language("zh"):
        bars = charts.gap_bars(report)
        funnel = charts.funnel(ws)
        current = charts.funnel(ws, measure="current")
    for fig in (bars, funnel, current):
        texts = _texts(fig)
        assert texts and not [t for t in texts if english(t, proper)], texts
    ax = bars.axes[0]
    assert ax.get_title() == "各环节缺链 / 弱链" and ax.get_xlabel() == "本地生产企业数"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["缺链", "弱链", "已覆盖"]
    assert funnel.axes[0].get_title() == "招商漏斗"
    assert funnel.axes[0].get_xlabel() == "累计到达各阶段的线索数 · 终止：1"
    assert current.axes[0].get_xlabel().startswith("当前处于各阶段的线索数")
    # the default elsewhere stays both languages; an explicit lang wins over zh
    both = charts.funnel(ws).axes[0]
    assert both.get_title() == "招商漏斗 Lead pipeline funnel"
    assert "终止 lost: 1" in both.get_xlabel()
    with use_language("zh"):
        english_only = charts.funnel(ws, lang="en").axes[0]
    assert english_only.get_title() == "Lead pipeline funnel"


# -- the chain map ---------------------------------------------------------------------------
def _page_words(net) -> list[str]:
    texts = [net.title, net.subtitle, *(i["text"] for i in net.legend),
             *(c["label"] for c in net.columns)]
    for node in net.nodes:
        texts += [str(node.get("title", "")), str(node.get("label", ""))]
        card = node.get("card")
        if card:
            texts += [card["sub"], *(f"{k} {v}" for k, v in card["rows"])]
    texts += [str(e.get("title", "")) for e in net.edges]
    return texts


def test_map_speaks_chinese_under_zh(ws, proper):
    regions = sorted(set(ws._table("companies")[["province", "city", "district"]]
                         .fillna("").astype(str).agg("/".join, axis=1)), key=len, reverse=True)
    with use_language("zh"):
        net = viz.chain_map(ws, CHAIN, home=HOME, firms=True, date="2026-11-29")
        grouped = viz.chain_map(ws, CHAIN, home=HOME, firms=True, max_firms=5)
    page = viz.to_html(net)  # the page keeps the map's language, whatever is current now
    assert net.title == "智能家电 产业链图谱 · 安徽省/马鞍山市/当涂县 · 2026-11-29"
    assert net.subtitle == ("共 32 个产品：缺链 13，弱链 9，已覆盖 10 · "
                            "弱链阈值：本地生产企业少于 2 家 · "
                            "候选企业：苏浙沪，每个缺链、弱链产品列前 3 家")
    cap = net.get_node("p:capacitor")
    assert cap["title"].splitlines()[1:3] == [
        "状态：弱链 · 环节：中游", "本地生产企业：1 · 本地需求：4 · 候选企业：2"]
    assert cap["card"]["rows"][4][0] == "本地生产企业（1）"
    haoyue = net.get_node("f:haoyue")
    assert haoyue["card"]["sub"] == "本地企业" and "生产：电容器" in haoyue["title"]
    assert "营业收入：4,200 万元" in haoyue["title"]
    assert any(e.get("title") == "安徽皓月电气有限公司生产电容器" for e in net.edges)
    assert [c["label"] for c in net.columns] == ["上游", "中游", "下游"]
    leftover = {}
    for text in _page_words(net) + _page_words(grouped):
        for region in regions:
            text = text.replace(region, " ")
        text = text.replace("+N", " ")  # the sign of a group node (+3 本地企业)
        words = english(text, proper)
        if words:
            leftover[text] = words
    assert not leftover, leftover
    for words in ('placeholder="搜索产品或企业"', 'aria-label="关闭"', "<b>图例</b>",
                  'data-found="{n} 个匹配"', 'data-no-match="无匹配"'):
        assert words in page, words
    # the bilingual page as before
    en = viz.to_html(viz.chain_map(ws, CHAIN, home=HOME))
    assert 'placeholder="搜索产品或企业 Search product / firm"' in en
    assert 'data-found="{n} 个匹配 found"' in en and "<b>图例 Legend</b>" in en


# -- the command line under CHAINMAP_LANG=zh ---------------------------------------------------
@pytest.fixture
def zrun(run, monkeypatch):
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    monkeypatch.setenv("CHAINMAP_LANG", "zh")
    return run


def test_cli_reports_for_people_in_chinese(zrun):
    gaps = zrun("gaps", "--chain", CHAIN, "--format", "csv", "--lang", "zh")
    assert gaps.exit_code == 0, gaps.output
    assert "当涂县尚无企业生产（缺链）；本地有 4 家企业的产品需要其配套；苏浙沪有 5 家候选企业" \
        in gaps.stdout
    targets = zrun("targets", "--chain", CHAIN, "--product", "电容器", "--format", "md",
                   "--lang", "zh")
    assert "| 已是线索 |" in targets.stdout.splitlines()[0]
    assert "江苏省同类企业营收第 1 | 是 |" in targets.stdout
    anchor = zrun("anchor", "aux", "--format", "table", "--lang", "zh")
    assert anchor.exit_code == 0, anchor.output
    assert "50.0%" in anchor.stdout and "0.5 " not in anchor.stdout
    assert anchor.stderr.splitlines()[:2] == [
        "奥克斯空调（马鞍山）有限公司（aux）在安徽省/马鞍山市/当涂县的本地配套率为 50.0%"
        "（14 种投入品中本地可配套 7 种），已知供应商 19 家",
        "本地配套率 = 本地可配套的投入品种数 ÷ 投入品种数。投入品指该企业所产产品的直接投入品；"
        "某种投入品只要安徽省/马鞍山市/当涂县有一家企业（含该企业自身）生产，即计为本地可配套"]
    metrics = zrun("metrics", "--chain", CHAIN, "--format", "md", "--lang", "zh")
    assert "| 36.4% |" in metrics.stdout
