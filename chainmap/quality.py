"""Data-quality checks: findings that say what looks wrong, never prints.

Each check is one small function of the workspace's tables that returns
:class:`~chainmap.errors.Finding` records; :data:`CHECKS` lists them in the order they
run, and :func:`check` runs them all. A finding's ``code`` is the name of its check.

Columns of the frame :func:`check` returns:

``severity``  ``error`` or ``warning``
``check``     which check (``cycle``, ``unmade-product``, ``idle-firm``, ``empty-chain``,
              ``unchained-product``, ``missing-uscc``, ``duplicate-name``,
              ``duplicate-uscc``, ``supply-not-made``; with ``integrity=True`` also
              ``integrity`` and ``foreign-key``): the finding's ``code``
``table``     the table the row is about
``id``        the id (or ids, joined by ``;``) concerned
``message``   what is wrong, in words (in the language current when the check ran)

Closed firms and unconfirmed links: the checks about what is made (``unmade-product``,
``idle-firm``, ``supply-not-made``) count what the reports count, confirmed links of
active firms (a closed firm is never idle); the checks about records
(``missing-uscc``, ``duplicate-uscc``, ``duplicate-name``) look at every firm, closed
ones too, since a closed record is still a record to keep clean and to merge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import networkx as nx
import pandas as pd

from .errors import Finding
from .i18n import _, join
from .names import firm_keys, split_firm_name
from .snapshot import reads_snapshot
from .workspace import Workspace

__all__ = ["CHECKS", "CHECK_COLUMNS", "Findings", "check", "findings"]

CHECK_COLUMNS = ["severity", "check", "table", "id", "message"]

#: The workspace's tables by name, as :meth:`Workspace.tables` gives them.
Tables = Mapping[str, pd.DataFrame]
#: A check: the tables in, its findings out.
Check = Callable[[Tables], list[Finding]]


def cycle(t: Tables) -> list[Finding]:
    """Cycles in the product graph (``cycle``): a warning, recycling loops are legitimate."""
    products, inputs = t["products"], t["inputs"]
    g = nx.DiGraph()
    g.add_edges_from(zip(inputs["upstream"], inputs["downstream"], strict=False))
    names = dict(zip(products["id"], products["name"], strict=False))
    said = _("cycle in the product graph ({count} products): {path}; analyses handle it, "
             "check it is meant (recycling?)")
    out = []
    for component in nx.strongly_connected_components(g):
        nodes = sorted(component)
        if len(nodes) == 1 and not g.has_edge(nodes[0], nodes[0]):
            continue
        loop = [u for u, _ in nx.find_cycle(g.subgraph(nodes), source=nodes[0])]
        text = " → ".join(f"{names.get(p, p)}" for p in loop + loop[:1])
        out.append(Finding("cycle", said.format(count=len(nodes), path=text),
                           severity="warning", table="inputs", id=";".join(nodes)))
    return out


def _live(t: Tables, name: str) -> pd.DataFrame:
    """What the reports count of the table ``name``.

    ``Workspace._live``'s frame (active firms, their confirmed links, supplies between
    them) when :func:`findings` gave it, else the table itself (a caller's own tables).
    """
    return t.get(f"live:{name}", t[name])


def unmade_product(t: Tables) -> list[Finding]:
    """Products no active firm makes by a confirmed link (``unmade-product``).

    As the gap report counts: a suggested or rejected link, or a closed firm's, does not.
    """
    products, made = t["products"], set(_live(t, "capabilities")["product_id"])
    said = _("no firm makes {name} ({id})")
    return [Finding("unmade-product", said.format(name=name, id=pid), severity="warning",
                    table="products", id=pid)
            for pid, name in zip(products["id"], products["name"], strict=False)
            if pid not in made]


def unchained_product(t: Tables) -> list[Finding]:
    """Products that belong to no chain (``unchained-product``)."""
    products, chained = t["products"], set(t["product_chains"]["product_id"])
    said = _("{name} ({id}) belongs to no chain")
    return [Finding("unchained-product", said.format(name=name, id=pid),
                    severity="warning", table="products", id=pid)
            for pid, name in zip(products["id"], products["name"], strict=False)
            if pid not in chained]


def empty_chain(t: Tables) -> list[Finding]:
    """Chains without products (``empty-chain``)."""
    with_products = set(t["product_chains"]["chain_id"])
    said = _("chain {name} ({id}) has no products")
    return [Finding("empty-chain", said.format(name=name, id=cid), severity="warning",
                    table="chains", id=cid)
            for cid, name in zip(t["chains"]["id"], t["chains"]["name"], strict=False)
            if cid not in with_products]


def idle_firm(t: Tables) -> list[Finding]:
    """Active firms without a confirmed link to a product (``idle-firm``).

    A closed firm is not idle; a firm with suggestions only is (review them).
    """
    companies = _live(t, "companies")
    idle = companies[~companies["id"].isin(set(_live(t, "capabilities")["company_id"]))]
    said = _("{name} ({id}) makes no product")
    return [Finding("idle-firm", said.format(name=name, id=cid), severity="warning",
                    table="companies", id=cid)
            for cid, name in zip(idle["id"], idle["name"], strict=False)]


def missing_uscc(t: Tables) -> list[Finding]:
    """Firms without a USCC, 统一社会信用代码 (``missing-uscc``)."""
    companies = t["companies"]
    no_uscc = companies[companies["uscc"].isna()]
    said = _("{name} ({id}) has no USCC (统一社会信用代码)")
    return [Finding("missing-uscc", said.format(name=name, id=cid),
                    severity="warning", table="companies", id=cid)
            for cid, name in zip(no_uscc["id"], no_uscc["name"], strict=False)]


def duplicate_uscc(t: Tables) -> list[Finding]:
    """Firms that share one USCC (``duplicate-uscc``): an error, one firm recorded twice."""
    by_uscc = t["companies"].dropna(subset=["uscc"]).groupby("uscc")["id"].agg(list)
    said = _("firms {ids} share USCC {code}: one firm recorded twice? (chainmap firms merge)")
    return [Finding("duplicate-uscc", said.format(ids=join(sorted(ids)), code=code),
                    table="companies", id=";".join(sorted(ids)))
            for code, ids in by_uscc[by_uscc.map(len) > 1].items()]


def duplicate_name(t: Tables) -> list[Finding]:
    """Firms whose names are one firm's (``duplicate-name``), or differ in the form only.

    One firm's: one normalised name and legal forms that fit
    (:func:`chainmap.names.same_firm_name`). Names that differ only in the legal form
    (苏州恒冷换热器有限公司 / 苏州恒冷换热器股份有限公司) are two firms by name, said as
    such: two legal entities, or one firm recorded before and after a change of form.
    """
    companies = t["companies"].sort_values("id", kind="mergesort")
    split = companies["name"].fillna("").astype(str).map(split_firm_name)
    keys = pd.Series(firm_keys(split), index=companies.index)
    cores = split.map(lambda pair: pair[0])
    said = _("names look like one firm: {names}")
    forms = _("one name with different legal forms: {names}: two firms, or one firm "
              "recorded before and after a change of form? (chainmap firms merge)")
    out = []
    for _core, group in companies.groupby(cores, sort=True):
        if len(group) < 2:
            continue
        firms = keys[group.index]
        for _key, same in group.groupby(firms, sort=False):
            if len(same) > 1:
                out.append(Finding("duplicate-name", said.format(
                    names=" / ".join(same["name"])), severity="warning",
                    table="companies", id=";".join(same["id"])))
        if firms.nunique() > 1:
            out.append(Finding("duplicate-name", forms.format(
                names=" / ".join(group["name"])), severity="warning", table="companies",
                id=";".join(group["id"])))
    return out


def supply_not_made(t: Tables) -> list[Finding]:
    """Supplies of a product the supplier has no confirmed link to (``supply-not-made``).

    Supplies between active firms only, as the reports count them.
    """
    supplies = _live(t, "supplies").dropna(subset=["product_id"])
    caps = _live(t, "capabilities")
    if not len(supplies):
        return []
    keys = set(zip(caps["company_id"], caps["product_id"], strict=False))
    said = _("{supplier} supplies {product} to {customer} but has no capability for it")
    return [Finding("supply-not-made", said.format(supplier=s, product=p, customer=c),
                    severity="warning", table="supplies", id=f"{s};{c};{p}")
            for s, c, p in supplies.itertuples(index=False, name=None) if (s, p) not in keys]


#: Every data-quality check, in the order they run; each returns findings of one code.
CHECKS: tuple[Check, ...] = (cycle, unmade_product, unchained_product, empty_chain, idle_firm,
                             missing_uscc, duplicate_uscc, duplicate_name, supply_not_made)

_SEVERITY_ORDER = {"error": 0, "warning": 1}


def _run(workspace: Workspace, integrity: bool = False) -> tuple[list[Finding], pd.DataFrame]:
    """Every check's findings, and the report frame sorted by severity, check and id."""
    found: list[Finding] = []
    if integrity:  # first: a damaged file may fail the checks that read the tables
        from .backups import integrity_findings

        found += integrity_findings(workspace)
    tables = dict(workspace._tables())
    tables.update({f"live:{name}": workspace._live(name)
                   for name in ("companies", "capabilities", "supplies")})
    found += [finding for run in CHECKS for finding in run(tables)]
    frame = pd.DataFrame([{"severity": f.severity, "check": f.code, "table": f.table,
                           "id": f.id, "message": f.message} for f in found],
                         columns=CHECK_COLUMNS)
    frame = frame.sort_values(["severity", "check", "id"], key=lambda s: s.map(_SEVERITY_ORDER)
                              if s.name == "severity" else s)
    return [found[i] for i in frame.index], frame.reset_index(drop=True)


class Findings(list):
    """What :func:`findings` returns: a list of findings, displayed as a table.

    The :class:`~chainmap.Finding` records, displayed as ``chainmap check`` prints them.

    A plain list to a program (index it, loop over it, compare it with a list); in a
    notebook a sentence and the table of :func:`check` (``_repr_html_``), in the
    current language (检查项 and 严重程度 in words under ``zh``); its ``repr`` is the
    same as text.

    Examples
    --------
    >>> from chainmap.errors import Finding
    >>> found = Findings([Finding("idle-firm", "x (x) makes no product", severity="warning",
    ...                           table="companies", id="x")])
    >>> print(repr(found))
    Data check: 1 finding(s)
    severity  check      table      id  message
    --------  ---------  ---------  --  ----------------------
    warning   idle-firm  companies  x   x (x) makes no product
    >>> found == [found[0]]
    True
    """

    def frame(self) -> pd.DataFrame:
        """The findings as :func:`check`'s rows (columns :data:`CHECK_COLUMNS`)."""
        return pd.DataFrame([{"severity": f.severity, "check": f.code, "table": f.table,
                              "id": f.id, "message": f.message} for f in self],
                            columns=CHECK_COLUMNS)

    def _sentence(self) -> str:
        return _("Data check: {findings} finding(s)").format(findings=len(self))

    def __repr__(self) -> str:
        """The sentence, then the text table (``chainmap check``)."""
        from .i18n import language
        from .output import localize, render

        return f"{self._sentence()}\n{render(localize(self.frame(), language()), 'table')}"

    def _repr_html_(self) -> str:
        """The sentence, then the table, for a notebook (everything escaped)."""
        from html import escape

        from .i18n import language
        from .output import localize, table_html

        return f"<p>{escape(self._sentence())}</p>" + (
            table_html(localize(self.frame(), language())) if self else "")


@reads_snapshot
def findings(workspace: Workspace, integrity: bool = False) -> Findings:
    """Run :data:`CHECKS` on the workspace: the findings, errors first, then by code and id.

    Parameters
    ----------
    workspace
        The workspace to check.
    integrity
        Also run SQLite's ``integrity_check`` and ``foreign_key_check`` (see
        :func:`check`).

    Returns
    -------
    Findings
        A list of :class:`~chainmap.Finding`, in the order of the rows of :func:`check`;
        a notebook shows it as that table.

    Examples
    --------
    >>> import chainmap
    >>> from chainmap.quality import findings
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> sorted({f.code for f in findings(ws)})[:3]
    ['cycle', 'duplicate-name', 'idle-firm']
    """
    return Findings(_run(workspace, integrity)[0])


@reads_snapshot
def check(workspace: Workspace, integrity: bool = False) -> pd.DataFrame:
    """Check the workspace's data and return one row per finding.

    Cycles are reported as warnings (recycling loops are legitimate); two firms with
    the same USCC are an error.

    Parameters
    ----------
    workspace
        The workspace to check.
    integrity
        Also check the workspace file itself (SQLite workspaces only): each problem
        SQLite's ``integrity_check`` finds (a damaged page or index) is an
        ``integrity`` error, and each row naming a record that does not exist
        (``foreign_key_check``: a lead of a firm no longer stored) a ``foreign-key``
        error, its table and id given. Either means: restore a backup
        (:func:`chainmap.restore`). A Neo4j workspace is refused
        (:class:`~chainmap.errors.WorkspaceError`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHECK_COLUMNS`, one row per finding of :func:`findings`, errors
        first, then by check and id.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> report = chainmap.check(ws)
    >>> sorted(set(report["check"]))[:3]
    ['cycle', 'duplicate-name', 'idle-firm']
    >>> bool((report["severity"] == "error").any())
    False
    >>> len(chainmap.check(ws, integrity=True)) == len(report)
    True
    """
    return _run(workspace, integrity)[1]
