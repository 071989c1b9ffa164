"""``chainmap demo``: the sample zone, end to end, for a newcomer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import regions
from .analysis.gaps import gaps
from .crm.service import sample_service
from .errors import ArgumentError
from .i18n import _, counted, join, language
from .output import localize, to_table
from .quality import check
from .sampledata import SAMPLE_CHAIN, SAMPLE_HOME, sample_path
from .store import SQLiteStore
from .workspace import import_dataset, open_workspace

__all__ = ["DemoSummary", "demo"]




class DemoSummary(str):
    """What :func:`demo` returns: its summary, a ``str`` shown as text, not a quoted string.

    Printed (or used as text) it is the summary; its ``repr`` is the same text, so a
    notebook or a Python prompt shows it as lines, not as one quoted string with escaped
    line breaks; in a notebook its ``_repr_html_`` shows the sentences as paragraphs and
    the tables as tables. Its next steps are Python (``chainmap.findings(ws)``); the
    command ``demo`` prints it with its commands instead (:meth:`with_next`: ``chainmap
    --db ... check``), made from :attr:`values` (``path``, ``chain``, ``findings``).

    Examples
    --------
    >>> import pandas as pd
    >>> summary = DemoSummary(["Local firms: 2", pd.DataFrame({"n": [1.0]})])
    >>> summary
    Local firms: 2
    n
    -
    1
    >>> summary._repr_html_().startswith("<p>Local firms: 2</p><table")
    True
    """

    _parts: list
    #: What the next steps are made of: ``path``, ``chain`` (its name), ``findings``.
    values: dict[str, str]
    _steps: tuple[int, int] | None

    def __new__(cls, parts: list, values: dict[str, str] | None = None,
                steps: tuple[int, int] | None = None) -> DemoSummary:
        """Make the summary of ``parts``, lines of text and frames (for people) in order.

        ``values`` are what its next steps are made of; ``steps``, where its data-check
        line and its ``Next:`` line stand among the parts (the steps follow that line).
        """
        text = "\n".join(to_table(p) if isinstance(p, pd.DataFrame) else p for p in parts)
        made = super().__new__(cls, text)
        made._parts = parts
        made.values = dict(values or {})
        made._steps = steps
        return made

    def with_next(self, check: str, commands: list[str]) -> DemoSummary:
        """The summary with other words for its data-check line and next steps.

        ``check`` for its data-check line and ``commands`` after ``Next:`` (the command
        line's words); a summary without steps is returned as it is.
        """
        if self._steps is None:
            return self
        at_check, at_next = self._steps
        parts = list(self._parts[:at_next + 1])
        parts[at_check] = check
        return DemoSummary([*parts, *(f"  {c}" for c in commands)], self.values,
                           self._steps)

    def __repr__(self) -> str:
        """The summary itself (as ``print`` shows it)."""
        return str(self)

    def _repr_html_(self) -> str:
        """Sentences as paragraphs, tables as tables, commands as code (all escaped)."""
        from html import escape

        from .output import table_html

        out = []
        for part in self._parts:
            if isinstance(part, pd.DataFrame):
                out.append(table_html(part))
            elif part.startswith("  "):  # a command to try next
                out.append(f"<pre>{escape(part.strip())}</pre>")
            elif part:
                out.append(f"<p>{escape(part)}</p>")
        return "".join(out)


def _make_room(path: Path) -> None:
    """Remove an earlier demo workspace at ``path``; refuse to touch anything else."""
    if path.is_dir():
        raise ArgumentError(_("{path} is a folder; give a file name for the demo workspace"
                              ).format(path=path))
    if path.exists():
        # read-only: never migrate or touch a file that may not be ours
        if SQLiteStore.peek_config(path, "demo") != "1":
            raise ArgumentError(_("{path} exists and is not a demo workspace; the demo makes "
                                  "its workspace anew, so give another path=").format(path=path),
                                parameter="path")
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def demo(path: str | Path = "chainmap-demo.db") -> DemoSummary:
    """Make a fresh workspace at ``path`` from the sample; return the zone's summary.

    An earlier demo workspace at ``path`` is replaced; any other file there is refused.
    The summary is in the current language (:func:`chainmap.i18n.language`).
    Besides the sample dataset it holds the article's service facts (1+1+1 people,
    requests and visits: :func:`chainmap.sample_service`), which the dataset format has
    no table for.

    Returns a :class:`DemoSummary`: the summary as a ``str`` (``print`` it), which a
    notebook shows as paragraphs and tables, not as a quoted string.

    Examples
    --------
    >>> import tempfile, chainmap
    >>> text = chainmap.demo(tempfile.mkdtemp() + "/demo.db")
    >>> "当涂县" in text
    True
    """
    path = Path(path)
    _make_room(path)
    lang = language()
    with open_workspace(path) as ws:
        import_dataset(ws, sample_path())
        sample_service(ws)  # the article's 1+1+1 people, requests and visits (illustrative)
        ws.store.set_config("demo", "1")
        home = ws.set_home(SAMPLE_HOME)
        t = ws._tables()
        companies = ws._live("companies")  # what the reports count: active firms and
        caps = ws._live("capabilities")    # their confirmed links
        local = companies[regions.inside(companies, home)]
        lines: list[str | pd.DataFrame] = [
            _("chainmap demo: workspace {path} (home {home}, set as default)").format(
                path=path, home=home.path), ""]
        counts = ws.counts()
        lines.append(_("Workspace: {tables}").format(tables=join(
            counted(v, k) for k, v in counts.items())))
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
        lines += ["", _("Local firms in {home}: {firms} ({park} in the park)").format(
                      home=home.path, firms=len(local),
                      park=int(local["in_park"].fillna(0).sum())), "",
                  localize(pd.DataFrame(rows), lang)]
        report = check(ws)
        lines += ["", _("Data check: {findings} finding(s); see chainmap.findings(ws)"
                        ).format(findings=len(report))]
        at_check = len(lines) - 1
        chain = t["chains"].set_index("id").loc[SAMPLE_CHAIN, "name"]
        found = gaps(ws, SAMPLE_CHAIN, home=home)
        names = companies.set_index("id")["name"]
        view = found[found["status"] != "covered"][
            ["product", "name", "status", "local_producers", "local_demand", "n_candidates"]
        ].copy()
        view["top candidate"] = [names.get(c[0], c[0]) if c else "" for c in
                                 found.loc[view.index, "candidates"]]
        lines += ["", _("Gap report: {chain} ({id}) at {home}, candidates in 苏浙沪 — "
                        "{missing} missing (缺链), {weak} weak (弱链), {covered} covered").format(
                      chain=chain, id=SAMPLE_CHAIN, home=home.path,
                      missing=int((found["status"] == "missing").sum()),
                      weak=int((found["status"] == "weak").sum()),
                      covered=int((found["status"] == "covered").sum())),
                  "", localize(view, lang)]
        lines += ["", _("Next:")]
        at_next = len(lines) - 1
        lines += [f"  ws = chainmap.open({str(path)!r})", f"  chainmap.gaps(ws, {chain!r})",
                  "  chainmap.findings(ws)", "  chainmap.export_dataset(ws, 'dangtu.xlsx')"]
        values = {"path": str(path), "chain": str(chain), "findings": str(len(report))}
    return DemoSummary(lines, values, (at_check, at_next))
