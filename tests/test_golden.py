"""Golden outputs: every command, in every format, on the bundled sample.

Each step runs the CLI in this process at a frozen clock (2026-11-29 10:00) against one
workspace that the steps build up in order, and compares exit code, stdout, stderr and
any files written with ``tests/golden/<step>.txt``. A refactoring must leave them all
unchanged; a change of behaviour updates them on purpose::

    CHAINMAP_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and the diff of ``tests/golden/`` is then reviewed like code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).resolve().parents[1]
UPDATE = bool(os.environ.get("CHAINMAP_UPDATE_GOLDEN"))
FROZEN = dt.datetime(2026, 11, 29, 10, 0, 0)

CHAIN = "智能家电"
HOME = "安徽省/马鞍山市/当涂县"
REPORT_FORMATS = ("table", "json", "csv", "md")
DATA_FORMATS = ("table", "json", "csv", "md")


def _steps() -> list[tuple[str, list[str], list[str]]]:
    """(name, arguments, files the step writes) in the order they run."""
    steps: list[tuple[str, list[str], list[str]]] = [
        ("000-help", ["--help"], []),
        ("001-version", ["--version"], []),
        ("002-sample", ["sample", "{tmp}/sample"], []),
        ("003-import", ["import", "{tmp}/sample"], []),
        ("004-import-again", ["import", "{tmp}/sample"], []),
        ("005-import-missing", ["import", "{tmp}/nowhere"], []),
        ("006-config-home-unset", ["config", "home"], []),
        ("007-config-home", ["config", "home", HOME], []),
        ("008-config-home-show", ["config", "home"], []),
        ("009-config-overdue-days", ["config", "overdue-days"], []),
        ("010-config-overdue-days-set", ["config", "overdue-days", "200"], []),
        ("011-config-overdue-days-unset", ["config", "overdue-days", "--unset"], []),
    ]
    for fmt in DATA_FORMATS:
        steps.append((f"020-region-{fmt}", ["region", "当涂", "苏浙沪", "浦东",
                                             "--format", fmt], []))
        steps.append((f"021-check-{fmt}", ["check", "--format", fmt], []))
    steps.append(("022-region-unknown", ["region", "安徽者"], []))
    analysis = {
        "gaps": ["gaps", "--chain", CHAIN],
        "gaps-weak3": ["gaps", "--chain", "smart-appliances", "--weak-threshold", "3",
                       "--targets", "江苏省"],
        "targets": ["targets", "--chain", CHAIN, "--product", "电容器"],
        "anchor": ["anchor", "aux"],
        "metrics": ["metrics"],
        "metrics-chain": ["metrics", "--chain", CHAIN],
        "impact": ["impact", "haoyue"],
        "impact-add": ["impact", "gree", "--add", "--chain", CHAIN],
        "opportunities": ["opportunities", "--chain", CHAIN],
        "related": ["related", "--product", "压缩机"],
    }
    for n, (name, args) in enumerate(analysis.items()):
        for fmt in REPORT_FORMATS:
            for lang in ("en", "zh"):
                steps.append((f"1{n:02d}-{name}-{fmt}-{lang}",
                              [*args, "--format", fmt, "--lang", lang], []))
        for lang in ("en", "zh"):
            steps.append((f"1{n:02d}-{name}-xlsx-{lang}",
                          [*args, "--format", "xlsx", "--lang", lang, "-o",
                           f"{{tmp}}/{name}-{lang}.xlsx"], [f"{name}-{lang}.xlsx"]))
        steps.append((f"1{n:02d}-{name}-csv-file",
                      [*args, "--format", "csv", "-o", f"{{tmp}}/{name}.csv"],
                      [f"{name}.csv"]))
    steps += [
        ("150-gaps-unknown-chain", ["gaps", "--chain", "家电"], []),
        ("151-targets-unknown-product", ["targets", "--chain", CHAIN, "--product", "控制器"],
         []),
        ("152-gaps-xlsx-no-output", ["gaps", "--chain", CHAIN, "--format", "xlsx"], []),
        ("153-opportunities-near-revenue", ["opportunities", "--chain", CHAIN, "--strategy",
                                            "near", "--weight", "revenue", "--format", "json"],
         []),
        ("154-opportunities-bets-province", ["opportunities", "--chain", "生物医药", "--home",
                                             "安徽省", "--strategy", "bets"], []),
        ("156-related-unknown-product", ["related", "--product", "压缩"], []),
        ("157-related-top", ["related", "--product", "capacitor", "--top", "3", "--format",
                             "md", "--lang", "zh"], []),
        ("160-graph-graphml", ["graph", "--chain", CHAIN, "-o", "{tmp}/chain.graphml"],
         ["chain.graphml"]),
        ("161-graph-gexf-no-firms", ["graph", "--no-firms", "-o", "{tmp}/all.gexf"],
         ["all.gexf"]),
        ("170-viz", ["viz", "--chain", CHAIN, "--firms", "-o", "{tmp}/map.html"],
         ["map.html"]),
        ("171-chart-gaps", ["chart", "gaps", "--chain", CHAIN, "-o", "{tmp}/gaps.png"],
         ["gaps.png"]),
        ("172-chart-funnel", ["chart", "funnel", "-o", "{tmp}/funnel.png"], ["funnel.png"]),
        ("173-chart-opportunities", ["chart", "opportunities", "--chain", CHAIN, "-o",
                                     "{tmp}/opportunities.png"], ["opportunities.png"]),
    ]
    # the lead pipeline, written at fixed dates
    by = ["--by", "tester"]
    steps += [
        ("200-leads-add", ["leads", "add", "gree", "--product", "压缩机", "--owner", "王磊",
                           "--investment", "15", "--source", "referral", "--note", "via 奥克斯",
                           "--date", "2026-11-01", *by], []),
        ("201-leads-add-again", ["leads", "add", "gree", "--product", "压缩机", *by], []),
        ("202-leads-move", ["leads", "move", "L0013", "contacted", "--date", "2026-11-05",
                            "--note", "first call", *by], []),
        ("203-leads-move-lost-no-reason", ["leads", "move", "L0013", "lost", *by], []),
        ("204-leads-log", ["leads", "log", "L0013", "--kind", "拜访", "--note", "visited HQ",
                           "--date", "2026-11-10", *by], []),
        ("205-leads-follow-up", ["leads", "follow-up", "L0013", "--due", "2026-11-20",
                                 "--note", "send the park brochure", *by], []),
        ("206-leads-follow-up-2", ["leads", "follow-up", "L0001", "--due", "2026-12-20",
                                   "--note", "call back", *by], []),
        ("207-leads-done", ["leads", "done", "F0002", "--note", "called", *by], []),
        ("208-leads-update", ["leads", "update", "L0013", "--investment", "18", "--owner",
                              "李娜", *by], []),
        ("209-leads-move-signed", ["leads", "move", "L0004", "signed", "--date",
                                   "2026-06-01", *by], []),
        ("210-leads-from-gaps-dry-run", ["leads", "from-gaps", "--chain", CHAIN, "--top",
                                         "1", "--dry-run", *by], []),
        ("210-leads-from-gaps-dry-run-json", ["leads", "from-gaps", "--chain", CHAIN, "--top",
                                              "1", "--dry-run", "--format", "json", *by], []),
        ("210-leads-from-gaps", ["leads", "from-gaps", "--chain", CHAIN, "--top", "1",
                                 "--owner", "张超", *by], []),
        ("211-leads-add-unknown", ["leads", "add", "no-such-firm", *by], []),
        ("212-leads-move-unknown-stage", ["leads", "move", "L0001", "married", *by], []),
    ]
    for fmt in DATA_FORMATS:
        steps += [
            (f"220-leads-list-{fmt}", ["leads", "list", "--format", fmt], []),
            (f"221-leads-due-{fmt}", ["leads", "due", "--format", fmt], []),
            (f"222-leads-stale-{fmt}", ["leads", "stale", "--format", fmt], []),
            (f"223-leads-projects-{fmt}", ["leads", "projects", "--format", fmt], []),
            (f"224-leads-overdue-{fmt}", ["leads", "overdue", "--format", fmt], []),
            (f"225-log-{fmt}", ["log", "--format", fmt], []),
            (f"226-firms-dupes-{fmt}", ["firms", "dupes", "--format", fmt], []),
        ]
    for fmt in REPORT_FORMATS:
        for lang in ("en", "zh"):
            steps.append((f"230-pipeline-{fmt}-{lang}",
                          ["pipeline", "--format", fmt, "--lang", lang], []))
    steps += [
        ("231-pipeline-xlsx", ["pipeline", "--format", "xlsx", "-o", "{tmp}/pipeline.xlsx"],
         ["pipeline.xlsx"]),
        ("232-leads-list-filtered", ["leads", "list", "--stage", "open", "--owner", "王磊",
                                     "--region", "苏浙沪", "--chain", CHAIN], []),
        ("233-leads-due-overdue", ["leads", "due", "--overdue", "--owner", "王磊"], []),
        ("234-leads-show", ["leads", "show", "L0013"], []),
        ("235-leads-show-json", ["leads", "show", "L0013", "--format", "json"], []),
        ("236-log-lead-since", ["log", "--lead", "L0013", "--since", "2026-11-01"], []),
        ("237-leads-show-unknown", ["leads", "show", "L9999"], []),
        ("240-leads-export", ["leads", "export", "{tmp}/leads-out.csv"], ["leads-out.csv"]),
        ("241-leads-export-xlsx", ["leads", "export", "{tmp}/leads-out.xlsx"],
         ["leads-out.xlsx"]),
        ("242-leads-import", ["leads", "import", "{tmp}/leads-out.csv", *by], []),
        ("250-firms-merge-refused", ["firms", "merge", "aux", "haoyue", *by], []),
        ("251-firms-merge-dry", ["firms", "merge", "kaiyue", "kaiyue-2", *by], []),
        ("252-firms-merge-apply", ["firms", "merge", "kaiyue", "kaiyue-2", "--apply", *by],
         []),
        ("253-log-after-merge", ["log", "--since", "2026-11-29"], []),
        ("260-export-csv", ["export", "{tmp}/out"],
         ["out/chains.csv", "out/products.csv", "out/inputs.csv", "out/companies.csv",
          "out/capabilities.csv", "out/supplies.csv", "out/leads.csv"]),
        ("261-export-xlsx", ["export", "{tmp}/out.xlsx"], ["out.xlsx"]),
        ("270-demo", ["demo", "--out", "{tmp}/demo.db"], []),
        ("271-synth", ["synth", "{tmp}/synth", "--firms", "50", "--products", "20"],
         ["synth/chains.csv", "synth/products.csv", "synth/companies.csv"]),
    ]
    # firm intake (issue 10): templates, an office list, classify, review
    for fmt in DATA_FORMATS:
        steps.append((f"280-chains-list-{fmt}", ["chains", "list", "--format", fmt], []))
    office = "{repo}/examples/dangtu-office-list.csv"
    steps += [
        ("281-chains-add", ["chains", "add", CHAIN], []),
        ("282-chains-add-again", ["chains", "add", "smart-appliances"], []),
        ("283-import-firm-list", ["import", office], []),
        ("284-firms-import", ["firms", "import", office, "--as-of", "2026-11-01"], []),
    ]
    for fmt in ("table", "json", "csv"):
        steps.append((f"285-classify-{fmt}", ["classify", "--chain", CHAIN, "--format", fmt],
                      []))
    steps += [
        ("285-classify-xlsx", ["classify", "--format", "xlsx", "-o", "{tmp}/review.xlsx"],
         ["review.xlsx"]),
        ("286-classify-accept", ["classify", "accept", "--min", "strong", *by], []),
        ("287-classify-reject", ["classify", "reject", "马鞍山恒冷压缩机有限公司", "四通阀", *by],
         []),
        ("288-classify-again", ["classify", "--format", "json"], []),
        ("289-gaps-after-review", ["gaps", "--chain", CHAIN], []),
    ]
    # the weekly report (issue 11): the default week, and November
    steps += [
        ("290-report-weekly-table", ["report", "weekly"], []),
        ("291-report-weekly-json", ["report", "weekly", "--from", "2026-11-01", "--format",
                                    "json"], []),
    ]
    # the bulletin of signed projects (issue 12): the year to date, a half year, Chinese
    steps += [
        ("292-report-signed-table", ["report", "signed"], []),
        ("293-report-signed-json", ["report", "signed", "--from", "2026-01-01", "--to",
                                    "2026-06-30", "--as-of", "2026-07-15", "--format",
                                    "json"], []),
        ("294-report-signed-md-zh", ["report", "signed", "--min", "0.5", "--format", "md",
                                     "--lang", "zh"], []),
        ("295-report-signed-xlsx-zh", ["report", "signed", "--format", "xlsx", "--lang", "zh",
                                       "-o", "{tmp}/signed-zh.xlsx"], ["signed-zh.xlsx"]),
    ]
    # after signing (issue 12): 1+1+1, requests (诉求), visits, commitments against
    # delivery (履约), stage limits and supervision (红黄绿灯)
    steps += [
        ("300-service-assign", ["service", "assign", "aux", "--contact",
                                "人事部王经理:0555-6710000", "--officer", "张超", "--leader",
                                "陈主任", *by], []),
        ("301-service-assign-fuma", ["service", "assign", "福马汽车零部件有限公司", "--contact",
                                     "顾鹏", "--officer", "李侃", *by], []),
        ("302-service-request", ["service", "request", "aux", "投产之初出现用工荒", "--kind",
                                 "用工", "--date", "2026-07-01", "--due", "2026-08-31", *by], []),
        ("303-service-progress", ["service", "progress", "R0001", "--note",
                                  "联系县人社局，筹备体验式招工", "--date", "2026-07-10", *by], []),
        ("304-service-close", ["service", "close", "R1", "--note", "首次体验式招工，招聘200余人",
                               "--date", "2026-08-20", *by], []),
        ("305-service-request-funding", ["service", "request", "fuma", "申报技改项目资金",
                                         "--kind", "资金", "--date", "2026-10-08", "--due",
                                         "2026-11-15", *by], []),
        ("306-service-request-land", ["service", "request", "aux", "扩建用地50亩", "--kind",
                                      "land", "--date", "2026-11-20", "--due", "2026-12-01",
                                      *by], []),
        ("307-service-request-no-officer", ["service", "request", "haoyue", "缺工", "--kind",
                                            "用工", *by], []),
        ("308-service-close-no-note", ["service", "close", "R0002", "--note", "", *by], []),
        ("309-service-close-early", ["service", "close", "R0002", "--note", "已拨付",
                                     "--date", "2026-10-01", *by], []),
        ("310-service-visit", ["service", "visit", "aux", "--kind", "送政策", "--note",
                               "惠企政策宣讲", "--date", "2026-11-10", *by], []),
    ]
    for fmt in DATA_FORMATS:
        steps.append((f"311-service-list-{fmt}", ["service", "list", "--format", fmt], []))
    steps += [
        ("312-service-list-overdue-zh", ["service", "list", "--overdue", "--lang", "zh"], []),
        ("313-service-firms", ["service", "firms", "--officer", "张超"], []),
        ("314-service-firms-json", ["service", "firms", "--format", "json"], []),
    ]
    for fmt in REPORT_FORMATS:
        for lang in ("en", "zh"):
            steps.append((f"315-service-report-{fmt}-{lang}",
                          ["service", "report", "--from", "2026-07-01", "--format", fmt,
                           "--lang", lang], []))
    steps += [
        ("315-service-report-xlsx-zh", ["service", "report", "--format", "xlsx", "--lang",
                                        "zh", "-o", "{tmp}/service-zh.xlsx"],
         ["service-zh.xlsx"]),
        ("320-leads-update-commitments", ["leads", "update", "L0007", "--land", "50",
                                          "--output", "5", "--tax", "1500", "--jobs", "200",
                                          "--start-by", "2025-06-30", "--produce-by",
                                          "2026-03-31", *by], []),
        ("321-leads-update-negative", ["leads", "update", "L0007", "--land", "-5", *by], []),
        ("322-leads-actual", ["leads", "actual", "L0007", "--date", "2026-06-30",
                              "--invested", "1.5", "--output", "2", "--jobs", "150", *by], []),
        ("323-leads-actual-not-signed", ["leads", "actual", "L0001", "--date", "2026-06-30",
                                         "--invested", "1", *by], []),
        ("324-leads-update-produce-by", ["leads", "update", "L0005", "--land", "40",
                                         "--produce-by", "2026-10-31", *by], []),
    ]
    for fmt in REPORT_FORMATS:
        steps.append((f"325-projects-delivery-{fmt}", ["projects", "delivery", "--format", fmt],
                      []))
    steps += [
        ("325-projects-delivery-table-zh", ["projects", "delivery", "--lang", "zh"], []),
        ("325-projects-delivery-xlsx-zh", ["projects", "delivery", "--format", "xlsx",
                                           "--lang", "zh", "-o", "{tmp}/delivery-zh.xlsx"],
         ["delivery-zh.xlsx"]),
        ("326-projects-delivery-as-of", ["projects", "delivery", "--as-of", "2026-03-01"], []),
        ("327-leads-show-project", ["leads", "show", "L0007"], []),
        ("327-leads-show-project-zh", ["leads", "show", "L0007", "--lang", "zh"], []),
        ("327-leads-show-project-json", ["leads", "show", "L0007", "--format", "json"], []),
        ("330-config-stage-limit", ["config", "stage-limit"], []),
        ("331-config-stage-limit-set", ["config", "stage-limit", "洽谈", "60", *by], []),
        ("332-config-stage-limit-closed", ["config", "stage-limit", "投产", "30", *by], []),
    ]
    for fmt in REPORT_FORMATS:
        steps.append((f"333-supervise-{fmt}", ["supervise", "--format", fmt], []))
    steps += [
        ("333-supervise-table-zh", ["supervise", "--lang", "zh"], []),
        ("334-supervise-xlsx-zh", ["supervise", "--format", "xlsx", "--lang", "zh", "-o",
                                   "{tmp}/督办单.xlsx"], ["督办单.xlsx"]),
        ("335-supervise-as-of", ["supervise", "--as-of", "2026-06-01"], []),
        ("336-log-lead-after-signing", ["log", "--lead", "L0007"], []),
    ]
    return steps


STEPS = _steps()


def _show_file(path: Path) -> str:
    """A file the step wrote, as text that is stable between runs."""
    if not path.exists():
        return "(missing)"
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        parts = []
        for sheet in book.worksheets:
            rows = ["\t".join("" if v is None else repr(v) for v in row)
                    for row in sheet.iter_rows(values_only=True)]
            parts.append(f"[sheet {sheet.title}]\n" + "\n".join(rows))
        return "\n".join(parts)
    if suffix == ".png":
        data = path.read_bytes()
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        return f"PNG {width}x{height}"
    if suffix == ".html":
        import json

        text = path.read_text("utf-8")
        found = re.search(r'<script type="application/json" id="chainmap-data">(.*?)</script>',
                          text, re.S)
        data = json.loads(found.group(1)) if found else None
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        return (f"HTML title {title.group(1) if title else None}\n"
                + json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
    return path.read_bytes().decode("utf-8-sig")


def _render(args: list[str], result, tmp: Path, files: list[str]) -> str:
    def clean(text: str) -> str:
        return text.replace(str(tmp), "{tmp}").replace(str(REPO), "{repo}")

    shown = [clean(a) for a in args]
    out = [f"$ chainmap {' '.join(shown)}", f"[exit {result.exit_code}]",
           "--- stdout", clean(result.stdout), "--- stderr", clean(result.stderr)]
    for name in files:
        out += [f"--- file {name}", clean(_show_file(tmp / name))]
    return "\n".join(out).rstrip() + "\n"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """Every step's rendered output, run once in order at the frozen clock."""
    import time_machine
    tmp = tmp_path_factory.mktemp("golden")
    db = tmp / "ws.db"
    runner = CliRunner()
    env = {"CHAINMAP_USER": "tester", "CHAINMAP_DB": None, "CHAINMAP_DEBUG": None,
           "COLUMNS": "100"}
    rendered: dict[str, str] = {}
    with time_machine.travel(FROZEN, tick=False):
        for name, args, files in STEPS:
            argv = [a.replace("{tmp}", str(tmp)).replace("{repo}", str(REPO)) for a in args]
            result = runner.invoke(main, ["--db", str(db), *argv], env=env,
                                   catch_exceptions=False)
            rendered[name] = _render(args, result, tmp, files)
    return rendered


def test_the_steps_have_unique_names() -> None:
    names = [s[0] for s in STEPS]
    assert len(names) == len(set(names))


def test_golden_files_match_the_steps() -> None:
    """No golden file is left over from a step that no longer runs."""
    if UPDATE:
        return
    on_disk = {p.stem for p in GOLDEN.glob("*.txt")}
    assert on_disk == {s[0] for s in STEPS}


@pytest.mark.parametrize("name", [s[0] for s in STEPS])
def test_output_is_unchanged(outputs: dict[str, str], name: str) -> None:
    path = GOLDEN / f"{name}.txt"
    # a golden records what users see: never a crash, even when regenerated in a hurry
    assert "internal error" not in outputs[name] and "Traceback" not in outputs[name]
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(outputs[name], encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with CHAINMAP_UPDATE_GOLDEN=1"
    assert outputs[name] == path.read_text("utf-8")


def test_the_sample_is_the_one_the_goldens_were_made_from() -> None:
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, chainmap.sample_path())
    assert ws.counts()["companies"] == 131
