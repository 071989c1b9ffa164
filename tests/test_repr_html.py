"""What Jupyter shows (``_repr_html_``) escapes every name: a firm called
``<img src=x onerror=alert(1)>`` is text, never markup."""

from __future__ import annotations

import html
import re

import pytest

import chainmap
from tests.conftest import TINY, write_files

EVIL = "<img src=x onerror=alert(1)>"
HOME = "安徽省/马鞍山市/当涂县"


@pytest.fixture
def evil_ws(tmp_path):
    files = dict(TINY)
    files["companies.csv"] = TINY["companies.csv"].replace("上海某压缩机有限公司", EVIL)
    folder = tmp_path / EVIL  # a hostile folder name, shown as the workspace location
    folder.mkdir()
    ws = chainmap.open(folder / "ws.db")
    chainmap.import_dataset(ws, write_files(tmp_path / "data", files))
    ws.set_home(HOME)
    lead = chainmap.add_lead(ws, "shcomp", product="compressor", owner=EVIL, note=EVIL,
                             investment=3, by=EVIL, date="2026-01-02")
    chainmap.move_lead(ws, lead, "signed", note=EVIL, date="2026-01-05", by=EVIL)
    chainmap.log_activity(ws, lead, "visit", EVIL, date="2026-01-06", by=EVIL)
    yield ws, lead
    ws.close()


def assert_escaped(page: str) -> None:
    assert EVIL not in page and "<img" not in page
    assert html.escape(EVIL, quote=False) in page or html.escape(EVIL) in page


def test_workspace(evil_ws):
    ws, _ = evil_ws
    assert_escaped(ws._repr_html_())
    with chainmap.use_language("zh"):
        page = ws._repr_html_()
    # the tables named as a 招商 office names them, like the headers above them
    assert "<b>chainmap 工作区</b>" in page and "<th>表</th><th>行数</th>" in page
    assert "<tr><td>企业</td><td>3</td></tr>" in page and ">companies<" not in page
    assert "<tr><td>companies</td><td>3</td></tr>" in ws._repr_html_()


def test_gap_report_and_targets(evil_ws):
    ws, _ = evil_ws
    report = chainmap.gaps(ws, "ac")
    assert report.set_index("product").loc["compressor", "candidates"] == ["shcomp"]
    targets = chainmap.targets(ws, "ac", "compressor")
    assert targets.loc[0, "name"] == EVIL
    assert_escaped(targets._repr_html_())
    assert EVIL not in report._repr_html_()


def test_pipeline_report(evil_ws):
    ws, _ = evil_ws
    report = chainmap.pipeline(ws, today="2026-02-01")
    assert EVIL in set(report.owners["owner"]) and EVIL in set(report.projects["company_name"])
    page = report._repr_html_()
    assert_escaped(page)
    assert page.count("<table") == len(report.sheets())


def test_lead_details_and_lists(evil_ws):
    ws, lead = evil_ws
    assert_escaped(chainmap.lead_details(ws, lead)._repr_html_())
    assert_escaped(chainmap.list_leads(ws)._repr_html_())
    assert_escaped(chainmap.signed_projects(ws)._repr_html_())


def test_lead_card_with_commitments_actuals_and_requests(evil_ws):
    ws, lead = evil_ws
    chainmap.update_lead(ws, lead, land=20, output=3, start_by="2026-03-01", by=EVIL)
    chainmap.record_actual(ws, lead, "2026-06-30", invested=1, jobs=40, by=EVIL)
    chainmap.record_actual(ws, lead, "2026-09-30", invested=2, output=1.5, by=EVIL)
    chainmap.add_request(ws, "shcomp", f'=HYPERLINK("x") <script>alert(1)</script> {EVIL}',
                         kind="land", date="2026-07-01", officer=EVIL, by=EVIL)
    chainmap.add_request(ws, "shcomp", EVIL, kind="labour", date="2026-07-02", officer=EVIL)
    chainmap.close_request(ws, "R2", EVIL, date="2026-07-03")
    for lang in ("en", "zh"):
        with chainmap.use_language(lang):
            page = chainmap.lead_details(ws, lead)._repr_html_()
        assert_escaped(page)
        assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert '=HYPERLINK("x")' in page or "=HYPERLINK(&quot;x&quot;)" in page
        assert page.count("<table") == 7  # the fields and the six tables
        assert ">None<" not in page and "&lt;NA&gt;" not in page  # a missing value is blank
        # numbers as the text card shows them: 20 亩, 1.5 亿元 (not 20.0)
        assert "<td>20</td>" in page and "<td>1.5</td>" in page and "<td>20.0</td>" not in page
    assert "<h4>履约承诺</h4>" in page and "<h4>履约实绩</h4>" in page and "逾期未办结" not in page
    assert "<h4>企业诉求</h4>" in page and "已办结" in page and "未办结" in page


def test_chain_map_inline(evil_ws):
    import chainmap.viz as viz
    ws, _ = evil_ws
    page = viz.chain_map(ws, "ac", firms=True)._repr_html_()
    assert page.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in page
    assert EVIL not in page and "<img" not in page


def _cells(page: str) -> set[str]:
    import re

    return set(re.findall(r"<td>([^<]*)</td>", page))


def test_every_report_reads_in_a_notebook_as_its_command_prints_it(evil_ws):
    """Each report a notebook displays: names escaped, headers and codes in the language,
    no ``None``/``NaN``/``<NA>`` cell and no ``20.0`` (a cell reads as the text table's)."""
    ws, lead = evil_ws
    chainmap.update_lead(ws, lead, land=20, contract_date="2026-01-05", by=EVIL)
    chainmap.add_request(ws, "shcomp", EVIL, kind="land", date="2026-01-06", officer=EVIL)
    chainmap.log_visit(ws, "shcomp", "send_policy", EVIL, date="2026-01-07", officer=EVIL)
    reports = {
        "pipeline": lambda: chainmap.pipeline(ws, today="2026-02-01"),
        "service": lambda: chainmap.service_report(ws, as_of="2026-02-01"),
        "weekly": lambda: chainmap.weekly_report(ws, end="2026-01-08"),
        "signed": lambda: chainmap.signed_report(ws, as_of="2026-02-01", min_investment=0),
        "anchor": lambda: chainmap.anchor(ws, "aux"),
        "impact": lambda: chainmap.impact(ws, "shcomp", add=True),
    }
    # what each shows under zh: the titles and headers a person reads there
    zh_words = {"pipeline": ("<h4>负责人</h4>", "<td>签约</td>"),
                "service": ("<th>诉求类型</th>", "<td>土地</td>", "<h4>四送一服走访</h4>"),
                "weekly": ("<h4>汇总</h4>", "<h3>招商周报"),
                "signed": ("<h4>签约项目</h4>", "<p>新签约"),
                "anchor": ("<h4>链主概况</h4>", "<th>本地配套率</th>"),
                "impact": ("<h4>产品影响</h4>", "<th>变化前</th>")}
    # and under en: English titles (the sheet labels), not table names (signed_by_year)
    en_words = {"pipeline": ("<h4>Signed by year</h4>", "<h4>Stage conversion</h4>"),
                "service": ("<h4>By service officer</h4>", "<h4>Service visits</h4>"),
                "weekly": ("<h4>Summary</h4>", "<h4>Signed, not started</h4>"),
                "signed": ("<h4>Summary</h4>", "<h4>Signed projects</h4>"),
                "anchor": ("<h4>Anchor firm</h4>", "<h4>Known suppliers</h4>"),
                "impact": ("<h4>Products affected</h4>", "<h4>Local customers affected</h4>")}
    for lang in ("en", "zh"):
        with chainmap.use_language(lang):
            for name, make in reports.items():
                page = make()._repr_html_()
                assert "<img" not in page and "<script" not in page, name
                if name not in ("weekly", "anchor"):  # these name no EVIL firm or person
                    assert html.escape(EVIL, quote=False) in page, name
                bad = {c for c in _cells(page) if c in ("None", "NaN", "nan", "&lt;NA&gt;")
                       or (c.endswith(".0") and c[:-2].lstrip("-").isdigit())}
                assert not bad, (lang, name, bad)
                if lang == "zh":
                    for word in zh_words[name]:
                        assert word in page, (name, word)
                else:
                    assert "<h4>签约项目</h4>" not in page and "<th>变化前</th>" not in page, name
                    for word in en_words[name]:
                        assert word in page, (name, word)
                titles = re.findall(r"<h4>([^<]*)</h4>", page)
                assert titles and not any("_" in t or t.islower() for t in titles), (
                    lang, name, titles)  # titles from the sheet labels, never the names
    with chainmap.use_language("en"):
        pipeline = chainmap.pipeline(ws, today="2026-02-01")._repr_html_()
    assert "<td>3</td>" in pipeline and "<td>3.0</td>" not in pipeline  # 3 亿元, as typed


def test_results_of_writes_read_as_sentences_and_tables(tmp_path):
    """What a write returns shows its sentence (and its tables) in a notebook, in the
    language: never the dataclass repr with a DataFrame inside."""
    ws = chainmap.open(tmp_path / "ws.db")
    chainmap.set_language("zh")
    try:
        results = {
            "import": chainmap.import_dataset(ws, chainmap.sample_path()),
            "from_gaps": chainmap.leads_from_gaps(ws, chainmap.SAMPLE_CHAIN,
                                                  home=chainmap.SAMPLE_HOME, top=1,
                                                  dry_run=True),
            "merge": chainmap.merge_firms(ws, "kaiyue", "kaiyue-2"),
            "backup": chainmap.backup(ws, tmp_path / "b.db"),
            "leads": chainmap.import_leads(
                ws, chainmap.export_leads(ws, tmp_path / "leads.csv")),
        }
        pages = {name: result._repr_html_() for name, result in results.items()}
        texts = {name: str(result).splitlines()[0] for name, result in results.items()}
    finally:
        chainmap.set_language(None)
    for name, page in pages.items():
        assert "Result(" not in page and "Plan(" not in page and "DataFrame" not in page, name
        assert html.escape(texts[name]) in page, name
    assert pages["import"].startswith("<p>已导入 sample：产业链 3 条")
    plan = pages["from_gaps"]
    assert plan.startswith("<p>预演：将新增 17 条线索") and "<h4>将新增的线索</h4>" in plan
    assert "<th>企业名称</th>" in plan and "<td>台州玉环阀门有限公司</td>" in plan
    assert "<td>缺链</td>" in plan
    assert "<th>线索编号</th>" not in plan  # a dry run has no lead ids yet
    assert "<li>将转移：企业产品 1 条</li>" in pages["merge"]
    # the rows per table in words, the tables named in Chinese
    assert "产业链 3 条" in pages["backup"] and "chains" not in pages["backup"]
    assert pages["leads"] == "<p>已导入 leads.csv：线索 12 条（新增 0 条，12 条已在工作区中）</p>"
    ws.close()


def test_show_displays_a_frame_as_the_command_prints_it(sample_ws):
    """``chainmap.output.show(frame)``: a library frame (None, NaN, 28.0, codes) reads in
    a notebook as the command's table: blank cells, numbers as typed, words under zh."""
    from chainmap.output import show

    chainmap.sample_service(sample_ws)
    items = chainmap.supervise(sample_ws, as_of="2026-11-27")
    delivery = chainmap.project_delivery(sample_ws, as_of="2026-11-27")
    assert items["request_kind"].isna().any() and delivery["invested"].isna().any()
    for lang in ("en", "zh"):
        with chainmap.use_language(lang):
            pages = [show(items)._repr_html_(), show(delivery, title="<履约>")._repr_html_()]
        for page in pages:
            bad = {c for c in _cells(page) if c in ("None", "NaN", "nan", "&lt;NA&gt;", "[]")
                   or (c.endswith(".0") and c[:-2].lstrip("-").isdigit())}
            assert not bad, (lang, bad)
        assert "<td>28</td>" in pages[1] and pages[1].startswith("<h4>&lt;履约&gt;</h4>")
        if lang == "zh":
            assert "<th>灯色</th>" in pages[0] and "<td>红灯</td>" in pages[0]
            assert "<th>督办类型</th>" in pages[0] and "<th>方式</th>" not in pages[0]
            assert "<td>签而未动</td>" in pages[1] and "<th>投资额(亿元)</th>" in pages[1]
        else:
            assert "<th>light</th>" in pages[0] and "<td>red</td>" in pages[0]
            assert "<td>not_started</td>" in pages[1]
    assert "<td>红灯</td>" in show(items, lang="zh")._repr_html_()  # lang= beats the session's
    assert "红灯" in repr(show(items, lang="zh")) and "None" not in repr(show(items))
    requests = show(chainmap.list_requests(sample_ws), lang="zh")._repr_html_()
    assert "<th>诉求类型</th>" in requests and "<td>用工</td>" in requests


# -- findings, the home zone and the demo: displayed, not raw reprs (session 10) ----------


def test_findings_display_as_the_check_table(sample_ws):
    found = chainmap.findings(sample_ws)
    assert isinstance(found, list) and found == list(found)  # still a list to a program
    page = found._repr_html_()
    assert page.startswith(f"<p>Data check: {len(found)} finding(s)</p><table")
    assert "<th>check</th>" in page and "<td>idle-firm</td>" in page
    assert "Finding(" not in page and "Finding(" not in repr(found)
    assert repr(found).splitlines()[1].split() == ["severity", "check", "table", "id",
                                                   "message"]
    with chainmap.use_language("zh"):
        page = found._repr_html_()
    assert page.startswith(f"<p>数据检查：发现 {len(found)} 个问题</p>")
    assert "<td>无产品的企业</td>" in page and "<th>检查项</th>" in page


def test_findings_escape_names():
    from chainmap.quality import Findings

    found = Findings([chainmap.Finding("idle-firm", f"{EVIL} (x) makes no product",
                                       severity="warning", table="companies", id=EVIL)])
    assert_escaped(found._repr_html_())


def test_the_home_zone_shows_its_path_and_code(sample_ws):
    sample_ws.set_home("当涂县")
    assert sample_ws.home._repr_html_() == "<b>安徽省/马鞍山市/当涂县</b> (340521)"


def test_the_demo_summary_shows_as_text_and_tables_not_a_quoted_string(tmp_path):
    summary = chainmap.demo(tmp_path / "demo.db")
    assert isinstance(summary, str) and "当涂县" in summary
    assert repr(summary) == str(summary) and not repr(summary).startswith("'")
    page = summary._repr_html_()
    assert page.startswith("<p>chainmap demo: workspace ")
    assert page.count("<table") == 2 and "<th>made locally</th>" in page
    assert "\\n" not in page and "-----" not in page  # no text table inside the page
    assert "<pre>chainmap.findings(ws)</pre>" in page  # the next steps, in Python


def test_every_sheet_label_has_english_words():
    """A notebook view heads each table by its ``sheet`` label in both languages: every
    label with Chinese in the catalogue has its English title too."""
    from chainmap._gettext import ENGLISH_LABELS
    from chainmap.i18n import label, labels

    assert set(labels("sheet")) == set(ENGLISH_LABELS["sheet"])
    assert label("sheet", "signed_by_year", "en") == "Signed by year"
    assert label("sheet", "signed_by_year", "zh") == "年度签约"


def test_the_lead_card_heads_its_tables_by_their_labels(sample_ws):
    with chainmap.use_language("en"):
        page = chainmap.lead_details(sample_ws, "L0001")._repr_html_()
    assert "<h4>Stage history</h4>" in page and "<h4>history</h4>" not in page
