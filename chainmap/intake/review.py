"""Classify the workspace's firms onto the chain, and the person's review of it.

:func:`classify` proposes links for every active firm (:func:`~chainmap.intake.classify.
propose_links` on its 主营产品, 经营范围 and 国标行业) and keeps them as *suggested*
capabilities, which no report counts. A person then decides: :func:`accept` confirms the
suggestions at or above an evidence grade in bulk, or reads back the review sheet
(:func:`review_sheet`, written by ``chainmap classify --format xlsx``) with its 是否采纳
column; :func:`reject` rejects one link. A rejected link is not proposed again; a
confirmed one is never set back to suggested. Every decision goes to the audit log: one
entry per bulk action (with its counts), one per single rejection.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ArgumentError, DatasetError, NotFoundError, Problem
from ..i18n import _, join
from ..store.base import EVIDENCE, push_first_error

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["ACCEPT_COLUMN", "REVIEW_COLUMNS", "accept", "classify", "reject", "review_sheet"]

#: Columns of :func:`classify`, :func:`accept` and :func:`reject`.
REVIEW_COLUMNS = ["company", "company_name", "product", "product_name", "evidence", "field",
                  "text", "keyword", "status"]
#: The review sheet's column for the person's decision: 是/否 (yes/no); also read as
#: ``accept``.
ACCEPT_COLUMN = "是否采纳"

_RANK = {"strong": 3, "medium": 2, "weak": 1}
_YES = frozenset({"是", "y", "yes", "1", "true", "✓", "√", "✔", "采纳", "接受", "对", "ok", "x",
                  "同意", "确认"})
_NO = frozenset({"否", "n", "no", "0", "false", "✗", "×", "✘", "不采纳", "拒绝", "不", "不是",
                 "不同意", "否决"})
_HEADERS = {
    "company": ("company", "company_id", "企业编号", "企业", "firm"),
    "company_name": ("company_name", "企业名称", "firm_name"),
    "product": ("product", "product_id", "产品编号", "产品"),
    "product_name": ("product_name", "产品名称"),
    "accept": (ACCEPT_COLUMN.lower(), "accept", "采纳", "accept?", "是否采纳(是/否)"),
}
_SOURCE = "classify"


def _writable(workspace: Workspace) -> None:
    if not workspace.store.writable:
        raise push_first_error("push-review", workspace.location)


def _chain_products(workspace: Workspace, chain: str | None) -> pd.DataFrame:
    products = workspace._table("products")
    if chain is None:
        return products
    cid = workspace.chain_id(chain)
    links = workspace._table("product_chains")
    ids = set(links.loc[links["chain_id"] == cid, "product_id"])
    return products[products["id"].isin(ids).to_numpy()]


def _named(workspace: Workspace, frame: pd.DataFrame,
           firm_table: pd.DataFrame | None = None,
           product_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` (company, product, ...) with the firm's and the product's names.

    ``firm_table`` and ``product_table``, when given, are frames already read (with
    every firm and product of ``frame``): after a write the workspace would read its
    tables again only to find the names.
    """
    if firm_table is None:
        firm_table = workspace._table("companies")
    if product_table is None:
        product_table = workspace._table("products")
    firms = firm_table.set_index("id")["name"]
    products = product_table.set_index("id")["name"]
    out = frame.copy()
    out["company_name"] = out["company"].map(firms)
    out["product_name"] = out["product"].map(products)
    for c in REVIEW_COLUMNS:
        if c not in out.columns:
            out[c] = None
    out = out[REVIEW_COLUMNS].reset_index(drop=True)
    return out.astype(object).where(out.notna(), None)


def _pairs(frame: pd.DataFrame, company: str, product: str) -> pd.Index:
    return pd.MultiIndex.from_arrays([frame[company].astype(str), frame[product].astype(str)])


def classify(workspace: Workspace, *, chain: str | None = None) -> pd.DataFrame:
    r"""Propose which active firm makes which product, and keep the proposals as suggestions.

    Runs :func:`~chainmap.intake.classify.propose_links` on the active firms and the
    products of ``chain`` (default: every product), drops the pairs a person has already
    decided (a confirmed or a rejected link), and stores the rest as ``suggested``
    capabilities (a suggestion already stored takes the new evidence). Suggestions count
    in no report until accepted (:func:`accept`). One audit-log entry records the run.

    Parameters
    ----------
    workspace
        The workspace (SQLite).
    chain
        A chain id or name; default every product.

    Returns
    -------
    pandas.DataFrame
        One row per suggestion, columns :data:`REVIEW_COLUMNS` (``status`` is
        ``suggested``): the firm and product ids and names, ``evidence`` (``strong``,
        ``medium``, ``weak``), the ``field`` and ``text`` that decided and the ``keyword``.

    Raises
    ------
    NotFoundError
        An unknown chain.
    WorkspaceError
        The workspace is a Neo4j store.

    Examples
    --------
    >>> import chainmap, tempfile, pathlib
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "firms.csv"
    >>> _ = sheet.write_text("企业名称,所在地区,主营产品,经营范围\n"
    ...                      "马鞍山恒冷压缩机有限公司,当涂县,压缩机,一般项目：四通阀销售\n",
    ...                      encoding="utf-8")
    >>> _ = chainmap.import_firms(ws, sheet)
    >>> found = chainmap.classify(ws, chain="智能家电")
    >>> found[["product_name", "evidence", "field", "text"]].values.tolist()
    [['压缩机', 'strong', 'main_products', '压缩机'], ['四通阀', 'weak', 'scope', '四通阀销售']]
    """
    from ..crm.common import current_user, record
    from .classify import propose_links

    _writable(workspace)
    products = _chain_products(workspace, chain)
    firms = workspace._live("companies")
    links = propose_links(products, firms)
    caps = workspace._table("capabilities")
    status = caps["status"]
    decided = caps[(status.isna() | status.isin(("confirmed", "rejected"))).to_numpy()]
    if len(links) and len(decided):
        done = _pairs(links, "company", "product").isin(
            _pairs(decided, "company_id", "product_id"))
        links = links[~done].reset_index(drop=True)
    out = links.assign(status="suggested")
    with workspace.store.transaction():
        added = 0
        if len(links):
            added = workspace.store.write_links(pd.DataFrame({
                "company_id": links["company"], "product_id": links["product"],
                "evidence": links["evidence"], "source": _SOURCE, "field": links["field"],
                "text": links["text"]}), mode="suggest")
        counts = {g: int(links["evidence"].eq(g).sum()) for g in EVIDENCE}
        said = _("{count} suggestion(s) ({strong} strong, {medium} medium, {weak} weak; "
                 "{new} new) for {firms} active firm(s) and {products} product(s) of chain "
                 "{chain}") if chain else \
            _("{count} suggestion(s) ({strong} strong, {medium} medium, {weak} weak; "
              "{new} new) for {firms} active firm(s) and {products} product(s)")
        record(workspace.store, current_user(None), "link", _SOURCE, "classify",
               said.format(count=len(links), new=added, firms=len(firms),
                           products=len(products),
                           chain=workspace.chain_id(chain) if chain else "", **counts))
    return _named(workspace, out, firms, products)


def review_sheet(links: pd.DataFrame) -> pd.DataFrame:
    """The review sheet of :func:`classify`'s suggestions, one row each.

    Its last column, :data:`ACCEPT_COLUMN` (是否采纳), is empty, for the person to fill
    with 是 or 否 (yes/no).

    Read it back with :func:`accept` (``source=`` the file). ``chainmap classify
    --format xlsx -o FILE`` writes it as a workbook.

    Examples
    --------
    >>> import pandas as pd
    >>> links = pd.DataFrame([dict.fromkeys(REVIEW_COLUMNS, "x")])
    >>> list(review_sheet(links).columns)[-2:]
    ['keyword', '是否采纳']
    """
    out = links[[c for c in REVIEW_COLUMNS if c != "status"]].copy()
    out[ACCEPT_COLUMN] = None
    return out


def _min_rank(min_evidence: str) -> int:
    key = str(min_evidence).strip().lower()
    if key not in _RANK:
        raise ArgumentError(_("min_evidence must be one of {grades}, not {value!r}").format(
            grades=", ".join(EVIDENCE), value=min_evidence), parameter="min_evidence")
    return _RANK[key]


def _decide(workspace: Workspace, decisions: pd.DataFrame) -> int:
    """Write ``decisions`` (company, product, status) as decided links.

    A stored link keeps its evidence, field, text and source; a link no one suggested
    gets the source ``person``.
    """
    caps = workspace._table("capabilities")
    keep = caps.set_index(_pairs(caps, "company_id", "product_id"))
    idx = _pairs(decisions, "company", "product")
    old = keep.reindex(idx) if len(keep) else pd.DataFrame(
        index=idx, columns=["evidence", "source", "field", "text"])
    frame = pd.DataFrame({
        "company_id": decisions["company"].to_numpy(),
        "product_id": decisions["product"].to_numpy(),
        "status": decisions["status"].to_numpy(),
        "evidence": old["evidence"].to_numpy(dtype=object),
        "source": old["source"].fillna("person").to_numpy(dtype=object),
        "field": old["field"].to_numpy(dtype=object),
        "text": old["text"].to_numpy(dtype=object),
    })
    frame = frame.astype(object).where(frame.notna(), None)
    return workspace.store.write_links(frame, mode="decide")


def accept(workspace: Workspace, source: str | os.PathLike | None = None, *,
           min_evidence: str = "strong", chain: str | None = None,
           by: str | None = None) -> pd.DataFrame:
    r"""Confirm suggested links: in bulk by evidence grade, or as a reviewed sheet says.

    Without ``source``, every current suggestion of an active firm graded
    ``min_evidence`` or better (``strong`` > ``medium`` > ``weak``), of ``chain``'s
    products if given, is confirmed. With ``source``, the review sheet (``.xlsx`` or
    ``.csv``, as :func:`classify` / ``chainmap classify --format xlsx`` wrote it, first
    sheet) is read: a row whose 是否采纳 (``accept``) cell says 是/yes/1/✓ is confirmed,
    否/no/0 rejected, a blank one stays suggested (``min_evidence`` and ``chain`` do not
    apply). Firms are given by id, USCC or name, products by id or name. All or
    nothing: an unknown firm or product or a cell that is no yes/no is an error and
    nothing is written. One audit-log entry records the action and its counts.

    Parameters
    ----------
    workspace
        The workspace (SQLite).
    source
        The reviewed sheet; default none (bulk by grade).
    min_evidence
        ``strong`` (default), ``medium`` or ``weak``.
    chain
        A chain id or name (bulk only).
    by
        Who decides (default ``$CHAINMAP_USER``, else the OS user).

    Returns
    -------
    pandas.DataFrame
        The links decided, columns :data:`REVIEW_COLUMNS`; ``status`` is ``confirmed``
        (or ``rejected``, for a sheet's 否 rows).

    Raises
    ------
    DatasetError
        A problem in the sheet (``file:line: column: value: reason``).
    ArgumentError
        A ``min_evidence`` that is no grade.

    Examples
    --------
    >>> import chainmap, tempfile, pathlib
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "firms.csv"
    >>> _ = sheet.write_text("企业名称,所在地区,主营产品,经营范围\n"
    ...                      "马鞍山恒冷压缩机有限公司,当涂县,压缩机,一般项目：四通阀销售\n",
    ...                      encoding="utf-8")
    >>> _ = chainmap.import_firms(ws, sheet)
    >>> _ = chainmap.classify(ws)
    >>> chainmap.accept(ws, by="王磊")[["product_name", "status"]].values.tolist()
    [['压缩机', 'confirmed']]
    """
    from ..crm.common import current_user, record

    _writable(workspace)
    who = current_user(by)
    if source is not None:
        decisions, name = _read_review(workspace, Path(source)), Path(source).name
    else:
        rank = _min_rank(min_evidence)
        caps = workspace._table("capabilities")
        live = set(workspace._live("companies")["id"])
        keep = caps["status"].eq("suggested") & caps["company_id"].isin(live) & \
            caps["evidence"].map(_RANK).fillna(0).ge(rank)
        if chain is not None:
            keep &= caps["product_id"].isin(set(_chain_products(workspace, chain)["id"]))
        chosen = caps[keep.to_numpy()]
        decisions = pd.DataFrame({"company": chosen["company_id"].to_numpy(),
                                  "product": chosen["product_id"].to_numpy(),
                                  "status": "confirmed"})
        name = f"--min {min_evidence}" + (f" --chain {chain}" if chain else "")
    with workspace.store.transaction():
        if len(decisions):
            _decide(workspace, decisions)
        yes = int(decisions["status"].eq("confirmed").sum())
        no = len(decisions) - yes
        record(workspace.store, who, "link", name, "accept",
               _("{confirmed} link(s) confirmed, {rejected} rejected ({how})").format(
                   confirmed=yes, rejected=no, how=name))
    caps = workspace._table("capabilities")
    stored = caps.set_index(_pairs(caps, "company_id", "product_id"))
    got = stored.reindex(_pairs(decisions, "company", "product"))
    out = pd.DataFrame({"company": decisions["company"].to_numpy(),
                        "product": decisions["product"].to_numpy(),
                        "evidence": got["evidence"].to_numpy(dtype=object),
                        "field": got["field"].to_numpy(dtype=object),
                        "text": got["text"].to_numpy(dtype=object),
                        "keyword": None, "status": decisions["status"].to_numpy()})
    return _named(workspace, out)


def _decision(cell: str) -> str | None | bool:
    """``confirmed``, ``rejected``, ``None`` (blank), or ``False`` (not a yes/no)."""
    key = str(cell).strip().lower()
    if not key:
        return None
    if key in _YES:
        return "confirmed"
    if key in _NO:
        return "rejected"
    return False


def _read_review(workspace: Workspace, path: Path) -> pd.DataFrame:
    """The decisions of a reviewed sheet: company, product, status; all or nothing."""
    from ..io.read import WORKBOOKS, _open_book, csv_cells, require_file, sheet_cells

    require_file(path)
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        book = _open_book(path)
        try:
            sheet = book.worksheets[0]
            cells, lines = sheet_cells(sheet)
            source = f"{path.name}[{sheet.title}]"
        finally:
            book.close()
    elif suffix == ".csv":
        cells, lines = csv_cells(path)
        source = path.name
    else:
        raise DatasetError([Problem("bad-file-type", _("not a review sheet (.xlsx, .xls or .csv)"),
                                    source=path.name)])
    if not len(cells):
        raise DatasetError([Problem("empty-file", _("the file has no header row"),
                                    source=source)])
    header = [str(h).strip() for h in cells.iloc[0].tolist()]
    folded = [h.lower() for h in header]
    where: dict[str, int] = {}
    for field, names in _HEADERS.items():
        for n in names:
            if n.lower() in folded:
                where[field] = folded.index(n.lower())
                break
    problems: list[Problem] = []
    for field, fallback in (("company", "company_name"), ("product", "product_name"),
                            ("accept", None)):
        if field not in where and (fallback is None or fallback not in where):
            shown = ACCEPT_COLUMN if field == "accept" else field
            problems.append(Problem("missing-column",
                                    _("required column '{column}' is missing (also "
                                      "accepted: {aliases})").format(
                                        column=shown, aliases=join(_HEADERS[field][1:])),
                                    source=source, line=int(lines[0])))
    if problems:
        raise DatasetError(problems)
    body, body_lines = cells.iloc[1:], lines[1:]
    rows: list[tuple[str, str, str | bool]] = []
    firm_cache: dict[str, str | Exception] = {}
    product_cache: dict[str, str | Exception] = {}
    no_decision = _("not a decision: 是/yes/1/✓ to confirm, 否/no/0 to reject, blank to "
                    "leave it suggested")
    not_given = {"company": _("no company given"), "product": _("no product given")}

    def lookup(cache: dict, key: str, find: object) -> str | Exception:
        if key not in cache:
            try:
                cache[key] = find(key)  # type: ignore[operator]
            except (NotFoundError, ArgumentError) as exc:
                cache[key] = exc
        return cache[key]

    for values, line in zip(body.itertuples(index=False, name=None), body_lines):
        cell = values[where["accept"]]
        decision = _decision(cell)
        if decision is None:
            continue
        if decision is False:
            problems.append(Problem("bad-bool", no_decision,
                                    table="capabilities", source=source, line=int(line),
                                    column=header[where["accept"]], value=str(cell)))
            continue
        found = []
        for what, fallback, cache, find in (
                ("company", "company_name", firm_cache, workspace.company_id),
                ("product", "product_name", product_cache, workspace.product_id)):
            col = where.get(what, where.get(fallback))
            text = str(values[col]).strip() if col is not None else ""
            if not text and fallback in where:
                col = where[fallback]
                text = str(values[col]).strip()
            got = lookup(cache, text, find) if text else NotFoundError(not_given[what])
            if isinstance(got, Exception):
                assert col is not None
                problems.append(Problem("unknown-id", str(got), table="capabilities",
                                        source=source, line=int(line), column=header[col],
                                        value=text))
            found.append(got)
        if not any(isinstance(g, Exception) for g in found):
            rows.append((str(found[0]), str(found[1]), decision))
    if problems:
        raise DatasetError(problems)
    out = pd.DataFrame(rows, columns=["company", "product", "status"])
    return out.drop_duplicates(["company", "product"], keep="last").reset_index(drop=True)


def reject(workspace: Workspace, company: str, product: str, *,
           by: str | None = None) -> pd.DataFrame:
    """Reject the link of ``company`` and ``product``.

    A rejected link counts nowhere and :func:`classify` does not propose it again. A
    confirmed link becomes rejected too (a person's explicit decision); one audit-log
    entry records it.

    Parameters
    ----------
    workspace
        The workspace (SQLite).
    company
        The firm's id, USCC or registered name.
    product
        The product's id or name.
    by
        Who decides (default ``$CHAINMAP_USER``, else the OS user).

    Returns
    -------
    pandas.DataFrame
        The link, one row, columns :data:`REVIEW_COLUMNS`, ``status`` ``rejected``.

    Raises
    ------
    NotFoundError
        An unknown firm or product.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> chainmap.reject(ws, "aux", "空调整机", by="王磊")[["company", "product", "status"]]
      company product    status
    0     aux ac-unit  rejected
    """
    from ..crm.common import current_user, record

    _writable(workspace)
    who = current_user(by)
    cid, pid = workspace.company_id(company), workspace.product_id(product)
    decisions = pd.DataFrame({"company": [cid], "product": [pid], "status": ["rejected"]})
    caps = workspace._table("capabilities")
    was = caps.loc[(caps["company_id"] == cid).to_numpy() & (caps["product_id"] == pid)
                   .to_numpy(), "status"]
    before = None if not len(was) else (was.iloc[0] if pd.notna(was.iloc[0]) else "confirmed")
    with workspace.store.transaction():
        _decide(workspace, decisions)
        said = {"confirmed": _("{company} makes {product}: rejected (was confirmed)"),
                "suggested": _("{company} makes {product}: rejected (was suggested)"),
                "rejected": _("{company} makes {product}: rejected (was rejected)"),
                None: _("{company} makes {product}: rejected")}
        record(workspace.store, who, "link", f"{cid}→{pid}", "reject",
               said.get(before, said[None]).format(company=cid, product=pid))
    caps = workspace._table("capabilities")
    row = caps[(caps["company_id"] == cid).to_numpy() & (caps["product_id"] == pid).to_numpy()]
    out = pd.DataFrame({"company": [cid], "product": [pid],
                        "evidence": row["evidence"].to_numpy(dtype=object)[:1],
                        "field": row["field"].to_numpy(dtype=object)[:1],
                        "text": row["text"].to_numpy(dtype=object)[:1],
                        "keyword": [None], "status": ["rejected"]})
    return _named(workspace, out)
