"""``chainmap.output.to_table`` made a column at a time prints what it printed cell by cell.

The oracle below is the table renderer as it was before issue 13 made it column-wise
(one ``_clip(visible(cell_text(v)))`` per cell, padded and joined row by row): every kind
of column (numbers, -0.0, NaN and inf, booleans, text with and without Chinese, control
and bidi characters, 2- and 4-byte characters, trailing blanks, lists, dates, pandas'
own string and nullable types, mixed objects) must come out byte for byte the same.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from chainmap.output import _clip, _width, cell_text, render, to_table, visible


def oracle(frame: pd.DataFrame, max_cell: int = 100) -> str:
    cells = [[_clip(visible(cell_text(v)), max_cell) for v in row]
             for row in frame.itertuples(index=False, name=None)]
    header = [visible(str(c)) for c in frame.columns]
    sizes = [[_width(v) for v in r] for r in cells]
    widths = [max([_width(h)] + [r[i] for r in sizes]) for i, h in enumerate(header)]

    def line(values, used):
        padded = (v + " " * (w - u) for v, u, w in zip(values, used, widths, strict=False))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header, [_width(h) for h in header]), rule,
                      *(line(r, u) for r, u in zip(cells, sizes, strict=True))])


TEXTS = ["压缩机", "a", "", " ", "trailing ", "\u3000全角空格", "x\x1b[31mred", "abc\u202edef",
         "zero\u200bwidth", "é·ü", "emoji 😀 wide", "ｆｕｌｌ", "한국어", "tab\tin", "new\nline",
         "(none)", "上海", "L0001", "-0", "…", "\ud800lone", "a" * 120, "长" * 70,
         "混合 text 长长长" * 8]


def _frames(seed: int) -> list[pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = 400
    pick = rng.integers(0, len(TEXTS), n)
    many = [f"f{i:07d}" for i in rng.integers(0, 10**7, n)]
    names = [f"苏州{i}号电子科技有限公司" for i in range(n)]
    floats = rng.choice([0.5, 1.0, 2.25, 1e15, 123456789.123, -3.0, np.nan, np.inf,
                         -np.inf, 1e-7], n)
    return [
        pd.DataFrame({"text": [TEXTS[i] for i in pick],
                      "some none": [None if i % 3 == 0 else TEXTS[i] for i in pick],
                      "some nan": [np.nan if i % 4 == 0 else TEXTS[i] for i in pick],
                      "ids": many, "names": names, "floats": floats,
                      "ints": rng.integers(-5, 10**12, n), "bools": rng.random(n) < 0.5,
                      "last": [TEXTS[i] for i in pick[::-1]]}),
        pd.DataFrame({"neg zero": np.where(rng.random(n) < 0.5, -0.0, 0.0),
                      "mixed": [[1, 1.0, True, "1", None, 2.5][i % 6] for i in range(n)],
                      "lists": [["a", "b"] if i % 2 else [1, None] for i in range(n)],
                      "dates": pd.to_datetime("2026-01-01") + pd.to_timedelta(
                          rng.integers(0, 900, n), "D"),
                      "py dates": [dt.date(2026, 1, 1 + i % 28) for i in range(n)],
                      "str dtype": pd.array([None if i % 5 == 0 else TEXTS[i] for i in pick],
                                            dtype="str"),
                      "nullable": pd.array([None if i % 7 == 0 else i for i in range(n)],
                                           dtype="Int64"),
                      "category": pd.Categorical([TEXTS[i % 4] for i in pick]),
                      "f32": rng.random(n).astype("float32"),
                      "all none": [None] * n, "empty last": [""] * n}),
        pd.DataFrame({"中文列": [TEXTS[i] for i in pick], "x\x1bhead": 1}),
        pd.DataFrame({"only": [None if i % 2 else f"{i}  " for i in range(n)]}),
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_to_table_prints_what_the_cell_by_cell_renderer_printed(seed):
    for frame in _frames(seed):
        assert to_table(frame) == oracle(frame)
        assert to_table(frame, max_cell=12) == oracle(frame, max_cell=12)
        assert to_table(frame.iloc[:3]) == oracle(frame.iloc[:3])  # few distinct values
        assert to_table(frame.iloc[:0]) == oracle(frame.iloc[:0])


def test_to_table_handles_duplicate_columns_and_wide_frames():
    frame = pd.DataFrame([["a", "压缩机", 1.5], ["bb", None, np.nan]], columns=["x", "x", "y"])
    assert to_table(frame) == oracle(frame)
    assert render(frame, "table").splitlines()[2] == "a   压缩机  1.5"
