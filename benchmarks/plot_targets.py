"""Plot (issue 13): every target of the speed issue against size, from the benchmarks' JSON.

Reads what the benchmarks wrote with ``--json`` and draws one log-log panel per part of
the issue, each with its targets as dashed lines (a target set at one size only is a
marker at that size):

- the reports (``bench_reports.py``): ``gaps``, ``targets``, ``metrics``, ``anchor``,
  ``impact``, a notebook's first report, the pandas script and the DuckDB peer, and
  ``python -c 'import pandas'`` as the floor of any report (also in the pipeline's panel);
- the import (``bench_import.py``): the whole import and its peak RSS, the pandas read
  floor, the 1 % import and the first ``gaps`` after it;
- Neo4j (``bench_push.py``): the first push, the 1 % push and the gap report with a
  province and a district home;
- the lead pipeline (``bench_pipeline.py``): ``pipeline``, ``leads list`` and
  ``supervise`` against the number of leads.

A part whose file is not given is left out. Every figure is a median of whole
processes; the dates and loads are in the files (and in RESULTS.md).

Usage::

    python benchmarks/plot_targets.py --reports reports.json --import import.json \\
        --push push.json --pipeline pipeline.json --png benchmarks/targets.png
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def _firms(size: str | int) -> int:
    return SIZES.get(str(size), 0) or int(size)


def _median(value: object) -> float | None:
    if isinstance(value, dict):
        value = value.get("median")
    return float(value) if isinstance(value, (int, float)) else None


def _by_size(data: dict, names: dict[str, str], size: str) -> dict[str, list[tuple[int, float]]]:
    """Name -> [(``size`` of each entry of ``data["sizes"]``, the median of its key)]."""
    out: dict[str, list[tuple[int, float]]] = {}
    for entry in data.get("sizes", []):
        for key, name in names.items():
            value = _median(entry.get(key))
            if value is not None:
                out.setdefault(name, []).append((int(entry[size]), value))
    return out


def reports_series(data: dict) -> dict[str, list[tuple[int, float]]]:
    """``bench_reports.py`` JSON: name -> [(firms, seconds)]."""
    names = {"gaps": "gaps", "targets": "targets", "metrics": "metrics",
             "anchor": "anchor", "impact": "impact",
             "library": "notebook: first gaps call (whole process)",
             "library_result": "notebook: first gaps call, until it returned",
             "pandas": "pandas script",
             "duckdb": "DuckDB peer", "gaps_first": "gaps, first after a change of the firms"}
    out = _by_size(data, names, "firms")
    return _with_floor(out, _median(data.get("floors", {}).get("python_pandas")))


#: The floor of any report that returns a DataFrame, measured once per run.
_PANDAS_FLOOR = "floor: python -c 'import pandas'"


def _with_floor(series: dict[str, list[tuple[int, float]]],
                floor: float | None) -> dict[str, list[tuple[int, float]]]:
    """``series`` and, when measured, ``import pandas`` as a process at each size shown."""
    sizes = sorted({n for points in series.values() for n, _s in points})
    if floor is not None and sizes:
        series[_PANDAS_FLOOR] = [(n, floor) for n in sizes]
    return series


def import_series(data: dict) -> dict[str, list[tuple[int, float]]]:
    """``bench_import.py`` JSON: name -> [(firms, seconds or MB)]."""
    names = {"import s": ("import, whole process", "this"),
             "import peak RSS MB": ("import peak RSS (MB)", "this"),
             "first gaps after it s": ("first gaps after an import", "this"),
             "1% change import s": ("import changing 1 % of a loaded workspace", "this"),
             "first gaps after the 1% import s": ("first gaps after the 1 % import", "this")}
    out: dict[str, list[tuple[int, float]]] = {}
    for row in data.get("rows", []):
        if row["figure"] == "import s" and row.get("floor") is not None:
            out.setdefault("pandas read floor", []).append((_firms(row["size"]),
                                                            row["floor"]))
        if row["figure"] in names:
            name, column = names[row["figure"]]
            out.setdefault(name, []).append((_firms(row["size"]), row[column]))
    return out


def push_series(data: dict) -> dict[str, list[tuple[int, float]]]:
    """``bench_push.py`` JSON (this tree's rows): name -> [(firms, seconds)]."""
    out: dict[str, list[tuple[int, float]]] = {}
    for row in data.get("rows", []):
        if row.get("tree") == "this" and row["figure"] != "no-change push":
            out.setdefault(row["figure"], []).append((_firms(row["size"]), row["wall"]))
    return out


def pipeline_series(data: dict) -> dict[str, list[tuple[int, float]]]:
    """``bench_pipeline.py`` JSON: name -> [(leads, seconds)], later and cold processes.

    Right after a write of one lead a report costs what a later one does (the write
    keeps the files: :mod:`chainmap.crm.leadfiles`); cold is the first after any other
    change.
    """
    names = {"pipeline": "pipeline", "leads_list": "leads list", "supervise": "supervise",
             "pipeline_first": "pipeline, no cache files (after an import)",
             "leads_list_first": "leads list, no cache files",
             "supervise_first": "supervise, no cache files"}
    return _with_floor(_by_size(data, names, "leads"), _median(data.get("pandas_floor")))


#: Words of the series drawn dotted: peers, floors and the first process after a change
#: (the targets are for the solid ones).
_DOTTED = ("peer", "script", "floor", "no cache", "whole process)", "first after",
           "first gaps")
#: Each panel: title, x label, series maker, targets [(label, seconds, size or None)].
PANELS = {
    "reports": ("reports (one chain, home Dangtu county)", "firms", reports_series,
                [("target 0.6 s", 0.6, None)]),
    "import": ("chainmap import", "firms", import_series,
               [("target: import 15 s", 15.0, 1_000_000),
                ("target: peak RSS 1.5 GB (1,500 MB)", 1500.0, 1_000_000),
                ("target: 1 % import 3 s", 3.0, 1_000_000)]),
    "push": ("Neo4j (test server, default heap)", "firms", push_series,
             [("target: first push 60 s", 60.0, 1_000_000),
              ("target: 1 % push 10 s", 10.0, 1_000_000),
              ("target: province report 2 s", 2.0, 1_000_000),
              ("target: district report 1 s", 1.0, 1_000_000)]),
    "pipeline": ("lead pipeline (100,000 firms)", "leads", pipeline_series,
                 [("target 0.6 s", 0.6, None)]),
}


def plot(parts: dict[str, dict], png: Path) -> None:
    """Draw the panels of ``parts`` (panel name -> its JSON) into ``png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [name for name in PANELS if name in parts]
    across = 2 if len(shown) > 1 else 1
    down = -(-len(shown) // across)
    fig, axes = plt.subplots(down, across, figsize=(6.4 * across, 5.2 * down), squeeze=False)
    for ax in axes.flat[len(shown):]:
        ax.set_visible(False)
    markers = "o^vsDP*Xhx+"
    for ax, name in zip(axes.flat, shown, strict=False):
        title, xlabel, series_of, targets = PANELS[name]
        for k, (label, points) in enumerate(series_of(parts[name]).items()):
            points = sorted(points)
            ax.plot([p[0] for p in points], [p[1] for p in points],
                    marker=markers[k % len(markers)], label=label,
                    linestyle=":" if any(word in label for word in _DOTTED) else "-")
        for k, (label, value, at) in enumerate(targets):
            color = f"C{(k + 6) % 10}"
            if at is None:
                ax.axhline(value, color="grey", linestyle="--", linewidth=1, label=label)
            else:
                ax.plot([at], [value], marker="_", markersize=28, color=color,
                        linestyle="none", label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("whole process, s (median); RSS in MB" if name == "import"
                      else "whole process, s (median)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("chainmap issue 13: every target against size")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in PANELS:
        parser.add_argument(f"--{name}", type=Path, help=f"the {name} benchmark's JSON")
    parser.add_argument("--png", type=Path, required=True)
    args = parser.parse_args()
    parts = {name: json.loads(getattr(args, name).read_text()) for name in PANELS
             if getattr(args, name) is not None}
    if not parts:
        parser.error("give at least one benchmark's JSON")
    plot(parts, args.png)
    print(args.png)


if __name__ == "__main__":
    main()
