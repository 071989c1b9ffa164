"""Import a firm list (an office sheet or a registry export) into a workspace.

:func:`import_firms` reads the file with :func:`~chainmap.intake.firmlist.read_firm_list`,
matches its firms to the stored ones (:func:`~chainmap.intake.firmlist.match_firms`: USCC,
else registered name) and upserts them in one transaction, all or nothing. A refreshed
export of the same registry updates the firms it names (only the fields the file has
columns for), turns the ones that closed closed, adds the new ones and never duplicates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import DatasetError
from ..i18n import _
from ..regions import LOCATION_COLUMNS
from ..store import TABLE_COLUMNS
from ..store.base import push_first_error
from ..workspace import ImportResult, Progress
from .firmlist import read_firm_list

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["FirmsImport", "import_firms"]

#: Columns compared to tell whether a stored firm changed (provenance aside).
_COMPARED = tuple(c for c in TABLE_COLUMNS["companies"] if c not in ("id", "source", "as_of"))


@dataclass(frozen=True)
class FirmsImport(ImportResult):
    """What :func:`import_firms` read and changed.

    ``rows["companies"]`` firms were read, ``added["companies"]`` of them are new;
    ``updated`` existing firms changed (a field other than the provenance); ``closed``
    firms are closed now and were not before (new firms already closed included).
    """

    updated: int = 0
    closed: int = 0

    def __str__(self) -> str:
        """``imported FILE: N firm(s) read, N new, N updated, N closed (注销/吊销)``."""
        read = self.rows.get("companies", 0)
        new = self.added.get("companies", 0)
        return _("imported {source}: {read} firm(s) read, {new} new, {updated} updated, "
                 "{closed} closed (注销/吊销)").format(source=self.source, read=read, new=new,
                                                   updated=self.updated, closed=self.closed)


def _as_of(value: str | dt.date | None) -> str:
    from ..dates import parse_date

    return parse_date(value, "as_of") or dt.date.today().isoformat()


def _company_frame(firms: pd.DataFrame, ids: pd.Series, source: str, as_of: str
                   ) -> pd.DataFrame:
    """The firm list as rows of the ``companies`` table."""
    from ..regions import location_record, resolve

    codes = firms["region_code"]
    location = {c: pd.Series([None] * len(firms), dtype=object) for c in LOCATION_COLUMNS}
    if len(firms):
        uniq, inverse = np.unique(codes.fillna("").astype(str).to_numpy(), return_inverse=True)
        records = [location_record(resolve(code) if code else None) for code in uniq]
        for c in LOCATION_COLUMNS:
            location[c] = pd.Series(np.array([r[c] for r in records], dtype=object)[inverse],
                                    dtype=object)
    capital = firms["registered_capital"].astype(object)
    capital_text = firms["registered_capital_text"]
    # a foreign-currency capital is kept as written (the number is empty then)
    capital = capital.where(capital.notna(), capital_text).where(
        capital.notna() | capital_text.notna(), None)
    extra = [json.dumps(e, ensure_ascii=False, sort_keys=True) if e else None
             for e in firms["extra"]]
    in_park = firms["in_park"].map(lambda v: None if v is None or pd.isna(v) else int(bool(v)))
    frame = pd.DataFrame({
        "id": ids.to_numpy(dtype=object),
        "name": firms["name"].where(firms["name"].notna(), ids).to_numpy(dtype=object),
        "uscc": firms["uscc"].to_numpy(dtype=object),
        **{c: location[c].to_numpy(dtype=object) for c in LOCATION_COLUMNS},
        "in_park": in_park.to_numpy(dtype=object),
        "employees": firms["employees"].astype(object).where(firms["employees"].notna(),
                                                             None).to_numpy(dtype=object),
        "revenue": firms["revenue"].astype(object).where(firms["revenue"].notna(),
                                                         None).to_numpy(dtype=object),
        "status": firms["status"].to_numpy(dtype=object),
        "status_raw": firms["status_raw"].to_numpy(dtype=object),
        "address": firms["address"].to_numpy(dtype=object),
        "main_products": firms["main_products"].to_numpy(dtype=object),
        "scope": firms["scope"].to_numpy(dtype=object),
        "industry": firms["industry"].to_numpy(dtype=object),
        "registered_capital": capital.to_numpy(dtype=object),
        "founded": firms["founded"].to_numpy(dtype=object),
        "source": source,
        "as_of": as_of,
        "extra": extra,
    }, columns=list(TABLE_COLUMNS["companies"]))
    return frame


def _updates(given: tuple[str, ...]) -> tuple[str, ...]:
    """The ``companies`` columns an existing firm takes from a list that gives ``given``."""
    out: list[str] = [c for c in ("name", "uscc", "in_park", "employees", "revenue", "status",
                       "status_raw", "address", "main_products", "scope", "industry",
                       "founded", "extra") if c in given]
    if "province" in given:
        out += list(LOCATION_COLUMNS)
    if "registered_capital" in given:
        out.append("registered_capital")
    return (*out, "source", "as_of")


#: Fields of a stored firm that a blank cell of a list clears (a blank name keeps it).
_CLEARABLE = ("uscc", "in_park", "employees", "revenue", "address", "main_products", "scope",
              "industry", "founded", "registered_capital")


def _cleared(before: pd.DataFrame, companies: pd.DataFrame, ids: pd.Series,
             given: tuple[str, ...]) -> dict[str, int]:
    """Per field, how many of the stored firms ``ids`` lose a value to a blank cell."""
    columns = [c for c in _CLEARABLE if c in _updates(given) and c in companies.columns
               and c in before.columns]
    if not columns or not len(ids):
        return {}
    old = before.set_index("id").reindex(ids)
    new = companies.set_index("id").reindex(ids)
    out = {}
    for column in columns:
        had = old[column].notna().to_numpy() & (old[column].astype(str) != "").to_numpy()
        blank = new[column].isna().to_numpy() | (new[column].astype(str) == "").to_numpy()
        if (count := int((had & blank).sum())):
            out[column] = count
    return out


def _cleared_warning(source: str, cleared: dict[str, int]) -> str:
    """The warning of the stored values a list's blank cells clear."""
    from ..i18n import join, language
    from .firmlist import HEADER_ALIASES

    zh = language() == "zh"
    fields = join(_("{field} ({count})").format(
        field=HEADER_ALIASES[c][0] if zh and c in HEADER_ALIASES else c, count=n)
        for c, n in cleared.items())
    return _("{source}: blank cells clear {count} stored value(s): {fields}; fill them in, "
             "or leave the column out of the list, to keep them").format(
        source=source, count=sum(cleared.values()), fields=fields)


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _changed(before: pd.DataFrame, after: pd.DataFrame, ids: pd.Series) -> int:
    """How many of ``ids`` (firms stored before) differ between the two tables."""
    old = before.set_index("id").reindex(ids)
    new = after.set_index("id").reindex(ids)
    diff = np.zeros(len(ids), dtype=bool)
    for c in _COMPARED:
        a, b = old[c].astype(object), new[c].astype(object)
        both_blank = a.isna().to_numpy() & b.isna().to_numpy()
        same = (a.astype(str).to_numpy() == b.astype(str).to_numpy()) | both_blank
        if c in ("employees", "revenue", "registered_capital", "in_park"):
            x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=float)
            y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=float)
            same |= (x == y)
        diff |= ~same
    return int(diff.sum())


def import_firms(workspace: Workspace, path: str | os.PathLike, *, sheet: str | None = None,
                 as_of: str | dt.date | None = None,
                 progress: Progress | None = None) -> FirmsImport:
    r"""Import a firm list (an office sheet or a registry export), all or nothing.

    Firms are matched to the stored ones by USCC, else by normalised registered name
    (:func:`~chainmap.intake.firmlist.match_firms`); a new firm's id is its USCC, else a
    stable id from its name. A stored firm takes only the fields the file has columns
    for (its other fields stay), so a refreshed registry export updates the firms, turns
    the ones that closed ``closed`` (the registry's word kept in ``status_raw``), adds
    the new ones and never duplicates. Each firm of the file gets ``source`` (the file
    name) and ``as_of``; one audit-log entry records the import.

    Parameters
    ----------
    workspace
        The workspace (SQLite: the Neo4j store takes data by ``push``).
    path
        A ``.csv`` (UTF-8, UTF-8 with BOM or GBK), ``.xlsx`` or ``.xls`` firm list.
    sheet
        The workbook's sheet (default: the first with a firm header).
    as_of
        The date the list describes (``YYYY-MM-DD``); default today.
    progress
        ``progress(done, total)``, called as rows are written.

    Returns
    -------
    FirmsImport
        Firms read, new, updated and closed; warnings (a foreign-currency capital ...).

    Raises
    ------
    DatasetError
        Every problem of the file (``file:line: column: value: reason``); nothing written.
    WorkspaceError
        The workspace is a Neo4j store.

    Examples
    --------
    >>> import chainmap, tempfile, pathlib
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "园区企业.csv"
    >>> _ = sheet.write_bytes(
    ...     "企业名称,所在地区,主营产品,登记状态\n"
    ...     "马鞍山恒冷压缩机有限公司,安徽省马鞍山市当涂县,压缩机、四通阀,存续\n"
    ...     "安徽粤美压缩机配件有限公司,安徽省马鞍山市当涂县,压缩机配件,注销\n".encode("gbk"))
    >>> result = chainmap.import_firms(ws, sheet, as_of="2026-11-01")
    >>> print(result)
    imported 园区企业.csv: 2 firm(s) read, 1 new, 1 updated, 1 closed (注销/吊销)
    >>> ws.table("companies").set_index("id").loc["yuemei", ["status", "status_raw"]].tolist()
    ['closed', '注销']
    """
    from ..crm.common import current_user, record
    from ..io.validate import Dataset

    if not workspace.store.writable:
        raise push_first_error("push-firms", workspace.location)
    stamp = _as_of(as_of)
    firms = read_firm_list(Path(path), sheet=sheet)
    if firms.problems:
        raise DatasetError(firms.problems)
    frame = firms.frame
    source = Path(path).name
    # the stored firms the list is matched against are read inside the write transaction
    # (BEGIN IMMEDIATE): a merge or import committed meanwhile cannot fall in between
    with workspace.store.transaction():
        before = workspace._table("companies")
        ids = pd.Series(frame["id"].to_numpy(dtype=object))
        if len(before):
            ids = pd.Series(_matched(frame, before), dtype=object)
        companies = _company_frame(frame, ids, source, stamp)
        # two rows of the file matched to one stored firm: one firm, listed twice
        twice = ids.duplicated(keep=False)
        if twice.any():
            from ..errors import Problem

            lines = firms.lines
            said = _("the same firm as another row (stored firm '{id}')")
            problems = [Problem("duplicate-id", said.format(id=ids.iloc[i]), table="companies",
                                source=firms.source,
                                line=int(lines[i]), column="企业名称",
                                value=str(frame["name"].iloc[i]))
                        for i in np.flatnonzero(twice.to_numpy())[1:]]
            raise DatasetError(problems)
        stored = set(before["id"])
        existed = ids.isin(stored).to_numpy()
        cleared = _cleared(before, companies, ids[existed], firms.given)
        if cleared:
            firms.warnings.append(_cleared_warning(source, cleared))
        was_closed = ids.map(before.set_index("id")["status"]).eq("closed").to_numpy() \
            if len(before) else np.zeros(len(ids), dtype=bool)
        closed_now = frame["status"].eq("closed").to_numpy()
        empty = {t: _empty(TABLE_COLUMNS[t]) for t in TABLE_COLUMNS}
        dataset = Dataset(chains=empty["chains"], products=empty["products"],
                          product_chains=empty["product_chains"], inputs=empty["inputs"],
                          companies=companies, capabilities=empty["capabilities"],
                          supplies=empty["supplies"], warnings=list(firms.warnings),
                          updates={"chains": (), "products": (), "companies": _updates(firms.given),
                                   "capabilities": ()},
                          chains_given=set())
        on_write = None
        if progress is not None:
            total = len(companies)
            done = [0]

            def on_write(table: str, n: int) -> None:
                done[0] += n
                progress(done[0], total)

        def audit() -> None:
            record(workspace.store, current_user(None), "firm", source, "import-firms",
                   _("{count} firm(s) from {source} as of {date}: {new} new, {closed} closed")
                   .format(count=len(companies), source=source, date=stamp,
                           new=int((~existed).sum()), closed=int((closed_now & ~was_closed).sum())))

        added = workspace.store.write_dataset(dataset, progress=on_write,
                                              then=audit if workspace.store.keeps_leads else None)
    after = workspace._table("companies")  # committed: a new revision, read again
    updated = _changed(before, after, ids[existed]) if existed.any() else 0
    closed = int((closed_now & ~was_closed).sum())
    return FirmsImport(source, {"companies": len(companies)},
                       {"companies": added.get("companies", 0)}, list(firms.warnings),
                       updated=updated, closed=closed)


def _matched(frame: pd.DataFrame, known: pd.DataFrame) -> list:
    from .firmlist import match_firms

    return match_firms(frame[["id", "name", "uscc"]], known[["id", "name", "uscc"]]).tolist()
