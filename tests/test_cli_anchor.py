"""chainmap anchor: the CLI over chainmap.anchor."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.conftest import write_files
from tests.test_analysis_anchor import ANCHOR, HOME


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "anchor", ANCHOR)).exit_code == 0
    return run


def test_json(cli):
    r = cli("anchor", "anc", "--home", HOME, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data) == ["summary", "inputs", "suppliers"]
    assert data["summary"][0]["supporting_rate"] == pytest.approx(3 / 7)
    assert data["summary"][0]["definition"].startswith("本地配套率 (local supporting rate)")
    assert [row["product"] for row in data["inputs"]][:2] == ["comp", "foil"]
    assert [row["where"] for row in data["suppliers"]] == [
        "local", "targets", "targets", "elsewhere", "elsewhere"]
    assert r.stderr.splitlines() == [
        "当涂链主空调有限公司 (anc) at 安徽省/马鞍山市/当涂县: 本地配套率 42.9% "
        "(3 of 7 input products), 5 known supplier(s)",
        "本地配套率 (local supporting rate) = share of the input products of what the firm "
        "makes that at least one firm in 安徽省/马鞍山市/当涂县 makes (the firm itself included)",
    ]


def test_table_has_three_sections(cli):
    r = cli("anchor", "当涂链主空调有限公司", "--home", HOME)
    assert r.exit_code == 0
    assert [line for line in r.stdout.splitlines() if line.startswith("[")] == [
        "[summary]", "[inputs]", "[suppliers]"]


def test_chinese(cli):
    r = cli("anchor", "anc", "--home", HOME, "--format", "csv", "--lang", "zh")
    assert "本地配套率" in r.stdout.splitlines()[0]
    assert "本地" in r.stdout and "其他地区" in r.stdout and "缺链" in r.stdout


def test_xlsx_sheets(cli, tmp_path):
    out = tmp_path / "anchor.xlsx"
    r = cli("anchor", "anc", "--home", HOME, "-o", out)
    assert r.exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["summary", "inputs", "suppliers"]
    summary = list(book["summary"].values)
    assert dict(zip(summary[0], summary[1]))["supported"] == 3


def test_errors(cli):
    r = cli("anchor", "nope", "--home", HOME)
    assert (r.exit_code, r.stderr) == (1, "Error: unknown firm 'nope'\n")
    r = cli("anchor", "anc")
    assert r.exit_code == 1 and r.stderr.startswith("Error: no home region")
    assert cli("anchor", "--home", HOME).exit_code == 2


# -- supplier names beside their ids (the bundled sample) ---------------------------------

SAMPLE_HOME = "安徽省/马鞍山市/当涂县"
COMPRESSOR_SUPPLIERS = ["合肥肥西压缩机有限公司", "上海浦江压缩机股份有限公司",
                        "无锡新吴压缩机有限公司"]


@pytest.fixture
def sample_cli(sample_ws):
    from click.testing import CliRunner

    from chainmap.cli import main

    def invoke(*args):
        return CliRunner().invoke(main, ["--db", sample_ws.location, "anchor", "aux",
                                         "--home", SAMPLE_HOME, *map(str, args)],
                                  catch_exceptions=False)
    return invoke


def _section(stdout: str, title: str) -> list[str]:
    lines = stdout.splitlines()
    start = lines.index(title) + 1
    start += not lines[start]  # Markdown: a blank line after the heading
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def test_table_and_markdown_name_the_suppliers_without_their_ids(sample_cli):
    """The suppliers by name only (``supplier_names``); their ids, shown beside them
    before, stay in JSON and English CSV (and the frame)."""
    r = sample_cli()
    rows = _section(r.stdout, "[inputs]")
    assert rows[0].split()[-2:] == ["known_supplier", "supplier_names"]
    compressor = next(line for line in rows if line.startswith("compressor "))
    assert "feixi-comp" not in compressor
    assert compressor.endswith(", ".join(COMPRESSOR_SUPPLIERS))
    r = sample_cli("--format", "md", "--lang", "zh")
    md = _section(r.stdout, "## 投入品配套")
    assert md[0].endswith("| 有已知供应商 | 已知供应商名称 |")
    assert next(line for line in md if line.startswith("| compressor |")).endswith(
        " | " + "、".join(COMPRESSOR_SUPPLIERS) + " |")
    assert "feixi-comp" not in r.stdout.split("## 已知供应商")[0]
    data = json.loads(sample_cli("--format", "json").stdout)
    compressor = next(row for row in data["inputs"] if row["product"] == "compressor")
    assert compressor["suppliers"] == ["feixi-comp", "pujiang-comp", "xinwu-comp"]
    assert ",feixi-comp;pujiang-comp;xinwu-comp," in sample_cli("--format", "csv").stdout


@pytest.mark.parametrize(("lang", "sheet", "ids", "names", "sep"), [
    ("en", "inputs", "suppliers", "supplier_names", ";"),
    ("zh", "投入品配套", "已知供应商", "已知供应商名称", "、")])
def test_workbook_names_the_suppliers_without_their_ids(sample_cli, tmp_path, lang, sheet,
                                                        ids, names, sep):
    """A workbook is read by the zone's leadership: the suppliers by name, no column of
    their ids (it stood beside the names)."""
    out = tmp_path / f"anchor-{lang}.xlsx"
    assert sample_cli("--lang", lang, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)[sheet]
    headers = [cell.value for cell in sheet[1]]
    assert ids not in headers and headers[-1] == names and len(headers) == 10
    compressor = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "compressor")
    assert compressor[headers.index(names)].value == sep.join(COMPRESSOR_SUPPLIERS)
    assert not any("feixi-comp" in str(cell.value) for cell in compressor)


def test_notebook_view_names_the_suppliers(sample_ws):
    import chainmap
    from chainmap.analysis.anchor import ANCHOR_INPUT_COLUMNS

    report = chainmap.anchor(sample_ws, "aux", home=SAMPLE_HOME)
    assert ANCHOR_INPUT_COLUMNS[:10] == [  # the columns before stay where they were
        "product", "name", "tier", "used_for", "status", "local_producers", "local_firms",
        "in_house", "known_supplier", "suppliers"]
    row = report.inputs.set_index("product").loc["compressor"]
    assert row["supplier_names"] == COMPRESSOR_SUPPLIERS
    assert "<th>supplier_names</th>" in report._repr_html_()
    assert "<td>" + ", ".join(COMPRESSOR_SUPPLIERS) + "</td>" in report._repr_html_()
    assert "<th>suppliers</th>" not in report._repr_html_()  # names, not ids beside them
    assert "feixi-comp, pujiang-comp" not in report._repr_html_()
    assert row["suppliers"] == ["feixi-comp", "pujiang-comp", "xinwu-comp"]  # the frame's


def test_notebook_view_names_its_lists_as_the_command_table_does(sample_ws):
    import chainmap

    report = chainmap.anchor(sample_ws, "aux", home=SAMPLE_HOME)
    page = report._repr_html_()
    # sheet-metal: three local firms, used for ac-unit; haixin supplies sheet-metal
    assert ("<td>当涂县华钢金属材料有限公司, 安徽海欣实业有限公司, 当涂县永固钣金制造有限公司</td>"
            in page)
    assert "<td>dt-steel, haixin, yonggu</td>" not in page and "<td>ac-unit</td>" not in page
    assert "<td>空调整机</td>" in page and "<td>钣金件</td>" in page
    assert report.inputs.set_index("product").loc["sheet-metal", "local_firms"] == [
        "dt-steel", "haixin", "yonggu"]  # the frame keeps its ids
