"""docs/data-format.md lists exactly the headers the code accepts (so it cannot drift)."""

from __future__ import annotations

import re
from pathlib import Path

from chainmap.intake.firmlist import HEADER_ALIASES
from chainmap.io.schema import TABLES

DOC = (Path(__file__).resolve().parents[1] / "docs" / "data-format.md").read_text("utf-8")


def _section(title: str) -> str:
    start = DOC.index(title)
    end = DOC.find("\n## ", start + 1)
    nxt = DOC.find("\n### ", start + 1)
    stops = [i for i in (end, nxt) if i != -1]
    return DOC[start:min(stops) if stops else None]


def _rows(text: str) -> dict[str, tuple[str, ...]]:
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        header = cells[1:2] in (["also"], ["headers accepted"])
        if len(cells) >= 2 and re.fullmatch(r"[a-z_]+", cells[0]) and not header:
            rows[cells[0]] = tuple(a.strip() for a in cells[1].split(",") if a.strip())
    return rows


def test_every_table_lists_its_columns_and_aliases() -> None:
    for table, columns in TABLES.items():
        documented = _rows(_section(f"### {table} ("))
        assert documented == {c.name: c.aliases for c in columns}, table


def test_the_firm_list_headers_are_listed() -> None:
    documented = _rows(_section("## Firm lists"))
    assert documented == dict(HEADER_ALIASES)


def test_the_readme_links_the_contract() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    assert "(docs/data-format.md)" in readme


def test_limits_and_free_text_columns_are_documented():
    from chainmap.io.read import _TEXT_COLUMNS, DEFAULT_LIMITS

    limits = _section("## Limits")
    assert f"| {DEFAULT_LIMITS.rows:,} | `CHAINMAP_MAX_ROWS` |" in limits
    assert f"| {DEFAULT_LIMITS.columns} | `CHAINMAP_MAX_COLUMNS` |" in limits
    assert f"| {DEFAULT_LIMITS.cell:,} (Excel's own) | `CHAINMAP_MAX_CELL` |" in limits
    blanks = _section("## Blanks, tabs and line breaks")
    for columns in _TEXT_COLUMNS.values():
        for column in columns:
            assert f"`{column}`" in blanks, column
