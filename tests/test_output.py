"""chainmap.output: JSON is always valid, xlsx text is never a formula, one --lang zh."""

from __future__ import annotations

import json
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

import chainmap
from chainmap.files import write_xlsx, xlsx_cell, xlsx_row
from chainmap.output import localize, render, to_records


def strict_json(text: str):
    """json.loads that refuses NaN / Infinity (which are not JSON)."""
    def refuse(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_numbers_are_null():
    frame = pd.DataFrame({"x": [math.inf, -math.inf, math.nan, 1.5],
                          "y": [np.float32("inf"), np.float64("-inf"), None, 2]})
    assert [r["x"] for r in to_records(frame)] == [None, None, None, 1.5]
    assert [r["y"] for r in to_records(frame)] == [None, None, None, 2.0]
    assert strict_json(render(frame, "json"))[0] == {"x": None, "y": None}
    nested = pd.DataFrame({"l": [[1.0, math.inf]], "d": [{"a": -math.inf}]})
    assert strict_json(render(nested, "json")) == [{"l": [1.0, None], "d": {"a": None}}]


def test_xlsx_text_is_never_a_formula(tmp_path):
    names = ["=1+2", '=HYPERLINK("http://x","y")', "+SUM(A1:A2)", "普通企业"]
    frame = pd.DataFrame({"name": names, "n": [1, 2.5, None, math.inf],
                          "ids": [["a", "b"], [], ["=c"], ["d"]]})
    path = write_xlsx({"report": frame, "=sheet": frame.rename(columns={"name": "=x"})},
                      tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path, data_only=False)
    sheet = book["report"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == names
    assert [c.data_type for c in cells] == ["s"] * 4
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [1, 2.5, None, None]
    assert sheet["B2"].data_type == "n"
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["a;b", None, "=c", "d"]
    assert sheet["C4"].data_type == "s"
    header = book["=sheet"]["A1"]
    assert (header.value, header.data_type) == ("=x", "s")


def test_xlsx_escapes_control_characters(tmp_path):
    # written the OOXML way (_x000B_), which Excel and calamine read back as the character
    frame = pd.DataFrame({"名\x0b称": ["奥克斯\x0b空调\x00", "line\nbreak\ttab"]})
    path = write_xlsx({"s": frame}, tmp_path / "c.xlsx")
    rows = list(openpyxl.load_workbook(path)["s"].values)
    assert rows == [("名_x000B_称",), ("奥克斯_x000B_空调_x0000_",), ("line\nbreak\ttab",)]


def test_xlsx_cell_helper_for_other_writers(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("t")
    sheet.append(xlsx_row(sheet, ["=A1", 3, True, None, "x\x1fy", {"k": 1}]))
    cell = xlsx_cell(sheet, '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"
    sheet.append([cell])
    book.save(tmp_path / "h.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx")["t"]
    assert [c.value for c in sheet[1]] == ["=A1", 3, True, None, "x_x001F_y", "{'k': 1}"]
    assert [c.data_type for c in sheet[1]][:3] == ["s", "n", "b"]
    assert sheet["A2"].value == '=HYPERLINK("http://x","y")'


def test_one_localize_for_every_report():
    stages = pd.DataFrame({"stage": ["signed", "lost"], "stage_zh": ["签约", "终止"],
                           "count": [1, 2], "region": ["other", "上海"]})
    out = localize(stages, "zh")
    assert out.columns.tolist() == ["阶段", "数量", "地区"]
    assert out.values.tolist() == [["签约", 1, "其他"], ["终止", 2, "上海"]]
    gaps = pd.DataFrame({"product": ["eev"], "status": ["missing"], "tier": ["upstream"]})
    assert localize(gaps, "zh").values.tolist() == [["eev", "缺链", "上游"]]
    assert localize(gaps, "zh").columns.tolist() == ["产品编号", "状态", "环节"]
    assert localize(stages, "en") is stages


@pytest.mark.parametrize("report", ["gaps", "pipeline"])
def test_zh_headers_cover_every_column(sample_ws, report):
    if report == "gaps":
        sheets = {"gaps": chainmap.gaps(sample_ws, "智能家电", home="当涂县")}
    else:
        sheets = chainmap.pipeline(sample_ws, today="2026-06-01").sheets()
    for frame in sheets.values():
        out = localize(frame, "zh")
        assert not [c for c in out.columns if c.isascii()], (report, list(out.columns))
