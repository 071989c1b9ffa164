"""``chainmap demo``: the sample zone, end to end, for a newcomer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import regions
from .analysis.gaps import gaps
from .crm.service import sample_service
from .errors import ArgumentError
from .output import to_table
from .quality import check
from .sampledata import SAMPLE_CHAIN, SAMPLE_HOME, sample_path
from .store import SQLiteStore
from .workspace import import_dataset, open_workspace

__all__ = ["demo"]


def _make_room(path: Path) -> None:
    """Remove an earlier demo workspace at ``path``; refuse to touch anything else."""
    if path.is_dir():
        raise ArgumentError(f"{path} is a folder; give a file name for the demo workspace")
    if path.exists():
        # read-only: never migrate or touch a file that may not be ours
        if SQLiteStore.peek_config(path, "demo") != "1":
            raise ArgumentError(f"{path} exists and is not a demo workspace; the demo makes "
                                "its workspace anew, so give another path=", parameter="path")
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def demo(path: str | Path = "chainmap-demo.db") -> str:
    """Make a fresh workspace at ``path`` from the sample; return the zone's summary.

    An earlier demo workspace at ``path`` is replaced; any other file there is refused.
    Besides the sample dataset it holds the article's service facts (1+1+1 people,
    requests and visits: :func:`chainmap.sample_service`), which the dataset format has
    no table for.

    Examples
    --------
    >>> import tempfile, chainmap
    >>> text = chainmap.demo(tempfile.mkdtemp() + "/demo.db")
    >>> "当涂县" in text
    True
    """
    path = Path(path)
    _make_room(path)
    with open_workspace(path) as ws:
        import_dataset(ws, sample_path())
        sample_service(ws)  # the article's 1+1+1 people, requests and visits (illustrative)
        ws.store.set_config("demo", "1")
        home = ws.set_home(SAMPLE_HOME)
        t = ws._tables()
        companies = ws._live("companies")  # what the reports count: active firms and
        caps = ws._live("capabilities")    # their confirmed links
        local = companies[regions.inside(companies, home)]
        lines = [f"chainmap demo: workspace {path} (home {home.path}, set as default)", ""]
        counts = ws.counts()
        lines.append("Workspace: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        caps = caps.merge(t["product_chains"], on="product_id")
        rows = []
        for cid, name in zip(t["chains"]["id"], t["chains"]["name"], strict=False):
            products = set(t["product_chains"].loc[t["product_chains"]["chain_id"] == cid,
                                                   "product_id"])
            makers = caps[(caps["chain_id"] == cid) & caps["company_id"].isin(set(local["id"]))]
            made = makers.groupby("product_id")["company_id"].nunique()
            rows.append({"chain": cid, "name": name, "products": len(products),
                         "made locally": int((made >= 1).sum()),
                         "by one firm only": int((made == 1).sum()),
                         "missing": len(products) - int((made >= 1).sum())})
        lines += ["", f"Local firms in {home.path}: {len(local)} "
                  f"({int(local['in_park'].fillna(0).sum())} in the park)", "",
                  to_table(pd.DataFrame(rows))]
        report = check(ws)
        lines += ["", f"Data check: {len(report)} finding(s); see 'chainmap --db {path} check'"]
        chain = t["chains"].set_index("id").loc[SAMPLE_CHAIN, "name"]
        found = gaps(ws, SAMPLE_CHAIN, home=home)
        names = companies.set_index("id")["name"]
        view = found[found["status"] != "covered"][
            ["product", "name", "status", "local_producers", "local_demand", "n_candidates"]
        ].copy()
        view["top candidate"] = [names.get(c[0], c[0]) if c else "" for c in
                                 found.loc[view.index, "candidates"]]
        lines += ["", f"Gap report: {chain} ({SAMPLE_CHAIN}) at {home.path}, candidates in "
                  f"苏浙沪 — {int((found['status'] == 'missing').sum())} missing (缺链), "
                  f"{int((found['status'] == 'weak').sum())} weak (弱链), "
                  f"{int((found['status'] == 'covered').sum())} covered", "", to_table(view)]
        lines += ["", "Next:", f"  chainmap --db {path} gaps --chain {chain} --format json",
                  f"  chainmap --db {path} check",
                  f"  chainmap --db {path} export dangtu.xlsx"]
    return "\n".join(lines)
