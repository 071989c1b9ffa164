"""chainmap related on the bundled sample: proximities as people read them.

Tables, Markdown, notebook views and the workbook's number format show two decimals;
the DataFrame, JSON, CSV and the workbook's cells keep every digit.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.output import report_html, show

# pcb's proximity to compressor on the sample: 1 region strong in both / 7 strong in pcb
PCB = 1 / 7


@pytest.fixture
def cli(sample_ws):
    def invoke(*args):
        return CliRunner().invoke(main, ["--db", sample_ws.location, "related", "--product",
                                         "compressor", "--top", "12", *map(str, args)],
                                  catch_exceptions=False)
    return invoke


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_table_and_markdown_show_two_decimals(cli, lang):
    table = cli("--lang", lang).stdout
    assert _line(table, "pcb ").split()[3] == "0.14"
    md = cli("--format", "md", "--lang", lang).stdout
    assert _line(md, "| pcb |").split(" | ")[4] == "0.14"
    assert "0.142857" not in table + md


def test_json_csv_and_the_frame_keep_every_digit(cli, sample_ws):
    rows = json.loads(cli("--format", "json").stdout)
    assert next(r for r in rows if r["product"] == "pcb")["proximity"] == pytest.approx(PCB,
                                                                                     rel=1e-12)
    assert _line(cli("--format", "csv").stdout, "pcb,").split(",")[4] == repr(PCB)
    frame = chainmap.related(sample_ws, "compressor", top=12)
    assert frame.set_index("product").loc["pcb", "proximity"] == pytest.approx(PCB, rel=1e-12)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_workbook_keeps_the_digits_under_a_two_decimal_format(cli, tmp_path, lang):
    out = tmp_path / f"related-{lang}.xlsx"
    assert cli("--lang", lang, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    column = header.index("proximity" if lang == "en" else "邻近度") + 1
    pcb = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "pcb")
    cell = pcb[column - 1]
    assert cell.value == pytest.approx(PCB, rel=1e-12) and cell.number_format == "0.00"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_notebook_views_show_two_decimals(sample_ws, lang):
    frame = chainmap.related(sample_ws, "compressor", top=12)
    for page in (show(frame, lang=lang)._repr_html_(), report_html({"related": frame}, lang)):
        assert "<td>0.14</td>" in page and "0.1428" not in page
    assert frame.set_index("product").loc["pcb", "proximity"] == pytest.approx(PCB)
