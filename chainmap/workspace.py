"""The workspace: one zone's chains, products, firms (and later leads) in a store."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast, overload

import pandas as pd

from . import regions
from .errors import (
    ArgumentError,
    DatasetError,
    NearMatchWarning,
    NotFoundError,
    WorkspaceError,
    warn,
)
from .i18n import N_, _, join, label
from .live import live_rows
from .names import (
    chain_key,
    fold,
    legal_form,
    near_match,
    normalize_name,
    same_legal_form,
    split_firm_name,
)
from .snapshot import reads_snapshot
from .store import TABLE_COLUMNS, SQLiteStore, Store
from .store.base import CRM_COLUMNS, ColumnReads, push_first_error, python_string

if TYPE_CHECKING:
    from .io.validate import Dataset

__all__ = ["DEFAULT_DB", "ImportResult", "Workspace", "export_dataset", "import_dataset",
           "open_workspace", "workspace_path"]

#: The workspace used when neither ``--db`` nor ``CHAINMAP_DB`` names one.
DEFAULT_DB = "chainmap.db"

#: Whether pandas copies a frame's data only when one of its copies is changed
#: (always from pandas 3): then a shallow copy is a caller's own frame at no cost.
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3 or \
    pd.get_option("mode.copy_on_write") is True

#: Tables :meth:`Workspace._live` gives: what the reports count.
_LIVE = ("companies", "capabilities", "supplies")
T = TypeVar("T")

#: ``progress(done, total)``: rows written so far, out of how many.
Progress = Callable[[int, int], None]


def workspace_path(path: str | os.PathLike | None = None) -> str:
    """``path``, else ``$CHAINMAP_DB``, else ``./chainmap.db``."""
    if path:
        return str(path)
    return os.environ.get("CHAINMAP_DB") or DEFAULT_DB


#: Rows read from one table and how many were new, by table (``""``: any other): for
#: many rows, and for one.
_ROWS = {
    "chains": (N_("{rows} chains ({new} new)"), N_("{rows} chain ({new} new)")),
    "products": (N_("{rows} products ({new} new)"), N_("{rows} product ({new} new)")),
    "inputs": (N_("{rows} inputs ({new} new)"), N_("{rows} input ({new} new)")),
    "companies": (N_("{rows} companies ({new} new)"), N_("{rows} company ({new} new)")),
    "capabilities": (N_("{rows} capabilities ({new} new)"),
                     N_("{rows} capability ({new} new)")),
    "supplies": (N_("{rows} supplies ({new} new)"), N_("{rows} supply ({new} new)")),
    "leads": (N_("{rows} leads ({new} new)"), N_("{rows} lead ({new} new)")),
    "": (N_("{rows} {table} ({new} new)"), N_("{rows} {table} ({new} new)")),
}


@dataclass(frozen=True)
class ImportResult:
    """What an import read and what it changed."""

    source: str
    rows: dict[str, int]
    added: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        """One line: the source, and the rows read per table with how many were new."""
        parts = [_(_ROWS.get(t, _ROWS[""])[n == 1]).format(rows=n, new=self.added.get(t, 0),
                                                          table=t)
                 for t, n in self.rows.items() if n]
        if not parts:
            return _("imported {source}: no rows (headers only)").format(source=self.source)
        return _("imported {source}: {tables}").format(source=self.source, tables=join(parts))

    def _repr_html_(self) -> str:
        """The sentence (:meth:`__str__`) and what the import warned of, for a notebook."""
        from .output import result_html

        return result_html([str(self), *self.warnings])


def in_period(dates: pd.Series, first: str, last: str) -> pd.Series:
    """Whether each of ``dates`` (its first ten characters) is in ``first..last``.

    Both ends included; a missing date is in no period.
    """
    day = dates.fillna("").astype(str).str[:10]
    return (day >= first) & (day <= last)


class Workspace:
    """A zone's data, kept in a :class:`~chainmap.store.Store`.

    Open one with :func:`chainmap.open`. Frames of the stored tables are cached and
    refreshed whenever the data changes (also when another process changed it).

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> ws.counts()["companies"]
    0
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[str, pd.DataFrame] = {}
        self._cache_revision: int | None = None
        #: Keeps the cache consistent when threads share the workspace.
        self._cache_lock = threading.RLock()

    # -- lifecycle ---------------------------------------------------------------
    @property
    def location(self) -> str:
        """Where the data lives: a file path or a Neo4j URI (without credentials)."""
        return self.store.location

    def close(self) -> None:
        """Close the store's connection."""
        self.store.close()

    def __enter__(self) -> Workspace:
        """The workspace itself, closed at the end of the ``with`` block."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the workspace."""
        self.close()

    def __repr__(self) -> str:
        """``<chainmap.Workspace LOCATION>``."""
        return f"<chainmap.Workspace {self.location}>"

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(f"<tr><td>{escape(label('table', k))}</td><td>{v}</td></tr>"
                       for k, v in self.counts().items())
        home = self.home.path if self.home else _("(not set)")
        return ("<b>{title}</b> {location}<br>{home}<table><tr><th>{table}</th><th>{rows}</th>"
                "</tr>{body}</table>").format(
            title=escape(_("chainmap workspace")), location=escape(self.location),
            home=escape(_("home: {home}").format(home=home)),
            table=escape(label("column", "table")), rows=escape(label("column", "rows")),
            body=rows)

    # -- data --------------------------------------------------------------------
    def snapshot(self) -> AbstractContextManager[None]:
        """Read one committed state: what is read inside comes from the same moment.

        Every report of the library (:func:`chainmap.gaps`, :func:`chainmap.pipeline`,
        :func:`chainmap.check`, :func:`chainmap.export_dataset` ...) runs inside one, so
        an import committed by another process while it reads is either wholly in the
        report or not at all. Use it to read several tables, or call several reports,
        as of one moment. Snapshots nest (the inner one joins the outer). Writing to
        the workspace inside one raises :class:`~chainmap.errors.WorkspaceError`.
        While it is open, other threads using this workspace wait.

        Examples
        --------
        >>> import chainmap
        >>> ws = chainmap.open(":memory:")
        >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
        >>> with ws.snapshot():
        ...     firms, links = ws.table("companies"), ws.table("capabilities")
        >>> set(links["company_id"]) <= set(firms["id"])
        True
        """
        return self.store.snapshot()

    def table(self, name: str) -> pd.DataFrame:
        """The stored table ``name`` as a frame of the caller's own.

        Changing it (``companies["province"] = ...``) changes neither the workspace nor
        what later calls and reports read.

        Parameters
        ----------
        name : str
            A dataset table (:data:`~chainmap.store.TABLE_COLUMNS`) or, in a workspace
            that keeps leads, a lead-pipeline table.

        Returns
        -------
        pandas.DataFrame
            A copy of the table (with pandas' copy-on-write, pandas 3, a free one).

        Raises
        ------
        NotFoundError
            No such table.
        WorkspaceError
            A lead-pipeline table of a workspace that keeps no leads.
        """
        return self._table(name).copy(deep=not _COPY_ON_WRITE)

    def _table(self, name: str) -> pd.DataFrame:
        """The cached frame of the table ``name``, shared by every internal reader.

        The library's reports read it without copying and never change it; callers get
        :meth:`table`'s copy.
        """
        self._check_table(name)
        with self.store.snapshot(), self._cache_lock:  # the revision is the frame's
            revision = self.store.revision()
            if revision != self._cache_revision:
                self._cache.clear()
                self._cache_revision = revision
            if name not in self._cache:
                self._cache[name] = self.store.table(name)
            return self._cache[name]

    def _check_table(self, name: str) -> None:
        """Refuse an unknown table, or a lead-pipeline table of a store without leads."""
        if name not in TABLE_COLUMNS and name not in CRM_COLUMNS:
            raise NotFoundError(_("no table '{table}'; tables: {tables}").format(
                table=name, tables=join([*TABLE_COLUMNS, *CRM_COLUMNS])))
        if name in CRM_COLUMNS and not self.store.keeps_leads:
            raise WorkspaceError(_("no table '{table}': {location} does not keep leads").format(
                table=name, location=self.location))

    def _columns(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """The columns ``columns`` of the table ``name``, reading no other column if it can.

        From the cached frame of :meth:`_table` when it is read at this revision, else
        only those columns from a store that reads them (``table_columns`` of the
        SQLite store), kept until the data change. Shared and never changed, as
        :meth:`_table`'s frames.
        """
        with self.store.snapshot(), self._cache_lock:
            revision = self.store.revision()
            if revision != self._cache_revision:
                self._cache.clear()
                self._cache_revision = revision
            if name in self._cache or not self.store.reads_columns:
                return self._table(name).loc[:, list(columns)]
            key = f"columns:{name}:{','.join(columns)}"
            if key not in self._cache:
                self._check_table(name)
                self._cache[key] = cast(ColumnReads, self.store).table_columns(
                    name, tuple(columns))
            return self._cache[key]

    def _derived(self, key: str, build: Callable[[], T]) -> T:
        """What ``build()`` gives, kept until the data change (one per ``key``)."""
        with self.store.snapshot(), self._cache_lock:
            revision = self.store.revision()
            if revision != self._cache_revision:
                self._cache.clear()
                self._cache_revision = revision
            if "derived:" + key not in self._cache:
                self._cache["derived:" + key] = build()  # type: ignore[assignment]
            return cast(T, self._cache["derived:" + key])

    def _live(self, name: str) -> pd.DataFrame:
        """What the reports count, of ``companies``, ``capabilities`` or ``supplies``.

        Active firms only; confirmed links of active firms only; supplies between active
        firms only.

        Cached per data revision like :meth:`_table` (the same frame object until the
        data changes); when no firm is closed and every link is confirmed it is the
        cached table itself. Shared and never changed, as :meth:`_table`'s frames.
        """
        if name not in _LIVE:
            raise NotFoundError(_("no live table '{table}'; live tables: {tables}").format(
                table=name, tables=join(_LIVE)))
        with self.store.snapshot(), self._cache_lock:
            companies = self._table("companies")  # refreshes the cache on a new revision
            key = "live:" + name
            if key in self._cache:
                return self._cache[key]
            closed_key = "live:closed"
            if closed_key not in self._cache:
                status = companies["status"]
                shut = status.notna() & (status != "active")
                self._cache[closed_key] = (companies.loc[shut.to_numpy(), ["id"]]
                                           if shut.any() else companies.iloc[:0, :1])
            frame = live_rows(name, self._table(name), set(self._cache[closed_key]["id"]))
            self._cache[key] = frame
            return frame

    def _live_columns(self, name: str, columns: tuple[str, ...],
                      rowid: bool = False) -> pd.DataFrame:
        """``columns`` of :meth:`_live`'s ``name``, reading no other column if it can.

        From the cached frame when it is read at this revision, else only those columns
        from a store that reads them (``live_columns`` of the SQLite store), else from
        :meth:`_live`. With ``rowid``, a store's read of ``companies`` or ``supplies``
        adds each row's ``rowid`` (the cached frames have none).
        """
        with self.store.snapshot():
            with self._cache_lock:
                held = self.store.revision() == self._cache_revision and \
                    "live:" + name in self._cache
            if held or not self.store.reads_columns:
                return self._live(name).loc[:, list(columns)]
            extra = ("rowid",) if rowid and name != "capabilities" else ()
            return cast(ColumnReads, self.store).live_columns(name, columns + extra)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every dataset table, as :meth:`table` gives it (the caller's own frames).

        All read in one :meth:`snapshot`.
        """
        with self.store.snapshot():
            return {name: self.table(name) for name in TABLE_COLUMNS}

    def _tables(self) -> dict[str, pd.DataFrame]:
        """Every dataset table's cached frame (see :meth:`_table`), of one snapshot."""
        with self.store.snapshot():
            return {name: self._table(name) for name in TABLE_COLUMNS}

    def _names(self, table: str, ids: set) -> dict[str, str]:
        """The names of the records ``ids`` of ``table`` (chains, products or companies).

        From the cached frame when it is already read at this revision, else only those
        records from the store (:meth:`Store.names <chainmap.store.Store.names>`).
        """
        with self.store.snapshot(), self._cache_lock:
            if self.store.revision() == self._cache_revision and table in self._cache:
                frame = self._cache[table]
                hit = frame[frame["id"].isin(ids)]
                return dict(zip(hit["id"], hit["name"], strict=True))
            return self.store.names(table, ids)

    def _records(self, table: str, ids: set) -> pd.DataFrame:
        """The rows of the dataset table ``table`` whose id is one of ``ids``.

        From the cached frame when it is already read at this revision, else only those
        rows from the store (:meth:`Store.records <chainmap.store.Store.records>`).
        Closed firms are included: callers pick the ids.
        """
        with self.store.snapshot(), self._cache_lock:
            if self.store.revision() == self._cache_revision and table in self._cache:
                frame = self._cache[table]
                return frame[frame["id"].isin(ids)].reset_index(drop=True)
            return self.store.records(table, ids)

    def _record_columns(self, table: str, ids: set, columns: tuple[str, ...]) -> pd.DataFrame:
        """``id`` and ``columns`` of the rows of ``table`` whose id is one of ``ids``.

        As :meth:`_records`, reading only those columns from a store that can
        (``record_columns`` of the SQLite store).
        """
        wanted = ["id", *(c for c in columns if c != "id")]
        with self.store.snapshot():
            with self._cache_lock:
                held = self.store.revision() == self._cache_revision and table in self._cache
            if held or not self.store.reads_columns:
                return self._records(table, ids).loc[:, wanted]
            return cast(ColumnReads, self.store).record_columns(table, ids, tuple(columns))

    def _rows_where(self, table: str, column: str, values: set) -> pd.DataFrame:
        """The rows of ``table`` whose ``column`` is one of ``values``, every column.

        As :meth:`_some_rows` (``rows_where`` of the SQLite store).
        """
        return self._some_rows(table, lambda frame: frame[column].isin(values),
                               lambda store: store.rows_where(table, column, values))

    def _rows_between(self, table: str, column: str, first: str, last: str) -> pd.DataFrame:
        """The rows of ``table`` whose date ``column`` is in ``first..last`` (both included).

        The date is the column's first ten characters (:func:`in_period`). As
        :meth:`_some_rows` (``rows_between`` of the SQLite store).
        """
        return self._some_rows(table, lambda frame: in_period(frame[column], first, last),
                               lambda store: store.rows_between(table, column, first, last))

    def _some_rows(self, table: str, keep: Callable[[pd.DataFrame], pd.Series],
                   read: Callable[[ColumnReads], pd.DataFrame]) -> pd.DataFrame:
        """The rows of ``table`` that ``keep`` (a mask of a frame) or ``read`` (a store) give.

        From the cached frame when it is read at this revision, else only those rows
        from a store that reads them (``read``), else from :meth:`_table`.
        """
        with self.store.snapshot():
            with self._cache_lock:
                held = self.store.revision() == self._cache_revision and table in self._cache
            if held or not self.store.reads_columns:
                frame = self._table(table)
                return frame[keep(frame).to_numpy()].reset_index(drop=True)
            return read(cast(ColumnReads, self.store))

    def counts(self) -> dict[str, int]:
        """Rows per table (of one snapshot)."""
        with self.store.snapshot():
            return {name: len(self._table(name)) for name in
                    ("chains", "products", "inputs", "companies", "capabilities", "supplies")}

    # -- config ------------------------------------------------------------------
    @property
    def home(self) -> regions.Region | None:
        """The home zone set with :meth:`set_home` (``chainmap config home``)."""
        code = self.store.get_config("home")
        return regions.resolve(code) if code else None

    @overload
    def set_home(self, region: str | regions.Region) -> regions.Region: ...

    @overload
    def set_home(self, region: None) -> None: ...

    def set_home(self, region: str | regions.Region | None) -> regions.Region | None:
        """Set (or clear, with ``None``) the home zone used when ``--home`` is omitted."""
        if region is None:
            self.store.set_config("home", None)
            return None
        r = region if isinstance(region, regions.Region) else regions.resolve(region)
        self.store.set_config("home", r.code)
        return r

    @property
    def lang(self) -> str | None:
        """The language set with :meth:`set_lang` (``config lang``): ``en``, ``zh`` or None."""
        return self.store.get_config("lang")

    def set_lang(self, lang: str | None) -> str | None:
        """Set (or clear, with ``None``) the language of the command line on this workspace.

        The command line speaks it when neither ``--lang`` nor ``CHAINMAP_LANG`` says
        otherwise. Returns the language set (``zh-CN`` is ``zh``); an
        :class:`~chainmap.errors.ArgumentError` for one chainmap does not speak.
        """
        from .i18n import _check

        chosen = None if lang is None else _check(lang)
        self.store.set_config("lang", chosen)
        return chosen

    def resolve_home(self, home: str | regions.Region | None) -> regions.Region:
        """``home`` as a region, else the configured home; an error if neither.

        The error says how to set one in Python (:meth:`set_home`); the command line
        says ``chainmap config home`` instead.

        Examples
        --------
        >>> import chainmap
        >>> try:
        ...     chainmap.open(":memory:").resolve_home(None)
        ... except chainmap.ChainmapError as error:
        ...     print(error)
        no home region: give home=, or set one with ws.set_home("安徽省/马鞍山市/当涂县")
        """
        if isinstance(home, regions.Region):
            return home
        if home:
            return regions.resolve(home)
        configured = self.home
        if configured is None:
            raise ArgumentError(_("no home region: give home=, or set one with "
                                  "ws.set_home(\"安徽省/马鞍山市/当涂县\")"),
                                parameter="home", topic="no-home")
        return configured

    # -- lookups -----------------------------------------------------------------
    def _lookup(self, table: str, text: str, kind: str, columns: tuple[str, ...]) -> str:
        """The id of the one record of ``table`` that ``text`` names.

        By id and exact name first (``columns`` in order, exactly, then ignoring case),
        then by an unambiguous near match (:func:`chainmap.names.near_match`: the name
        written another way, or a close spelling), which a :class:`NearMatchWarning`
        reports. An error for none, several, or a blank ``text``; an unknown name's
        error lists the closest names.
        """
        words = _WORDS[kind]
        key = str(text).strip()
        if not key:
            raise ArgumentError(_(words["empty"]))
        if columns[0] == "id" and self._known_id(table, key):
            return key  # an exact id (ids are unique): no table read
        frame = self._table(table)
        # exact matches first (ids may differ only in case: AUX and aux), then ignoring case
        for ignore_case in (False, True):
            for column in columns:
                values = frame[column].fillna("").astype(str)
                if column == "uscc":
                    hit = frame[values.str.upper() == key.upper()]
                else:
                    hit = frame[(values.str.lower() == key.lower()) if ignore_case
                                else (values == key)]
                if len(hit) == 1:
                    return str(hit["id"].iloc[0])
                if len(hit) > 1:
                    raise ArgumentError(_(words["several"]).format(
                        name=text, ids=join(map(str, hit["id"]))))
        names, owners, forms = self._folded(table, kind, columns)
        folded = _folded_key(kind, key)
        form = legal_form(key) if kind == "firm" else ""
        fit = [True] * len(names)
        if form:  # only the names whose legal form fits: one check per form, not per name
            fitting = {f: same_legal_form(form, f) for f in dict.fromkeys(forms)}
            fit = [fitting[f] for f in forms]
            found, fits = near_match(folded,
                                     [n for n, ok in zip(names, fit, strict=True) if ok],
                                     [o for o, ok in zip(owners, fit, strict=True) if ok])
        else:
            found, fits = near_match(folded, names, owners)
        if found is None and not fits and not all(fit):
            # the name of a firm of another legal form (集团有限公司 for 股份有限公司): not it
            other, others = near_match(folded, names, owners)
            differ = [other] if other is not None else others
            if differ:
                raise NotFoundError(_(
                    "unknown firm '{name}': {firms} has this name with another legal form "
                    "({forms}, not {form}), a different firm; give its id or its exact "
                    "name if you mean it").format(
                        name=text, form=form, firms=join(_label(frame, i) for i in differ),
                        forms=join(dict.fromkeys(
                            f for f, o in zip(forms, owners, strict=True) if o in differ
                            and not same_legal_form(form, f)))))
        if found is not None:
            named = frame.loc[frame["id"].astype(str) == found, "name"]
            name = str(named.iloc[0]) if len(named) and isinstance(named.iloc[0], str) \
                else found
            warn(NearMatchWarning(key, name, found, kind))
            return found
        if table == "chains":
            known = join(_("{id} ({name})").format(id=i, name=n)
                         for i, n in zip(frame["id"], frame["name"], strict=True))
            if not known and not self.store.writable:  # a database filled by a push
                raise NotFoundError(_("unknown chain '{name}'; chains: (none: push a "
                                      "workspace with chainmap.push(ws, {location_literal}))"
                                      ).format(name=text, location_literal=python_string(
                                          self.location)),
                                    topic="pushed-none", values={"name": text,
                                                                 "location": self.location})
            if not known:
                raise NotFoundError(_("unknown chain '{name}'; chains: (none: import a "
                                      "dataset)").format(name=text))
            raise NotFoundError(_("unknown chain '{name}'; chains: {chains}").format(
                name=text, chains=known))
        closest = [_label(frame, i) for i in fits] or _closest(frame, key)
        if closest:
            raise NotFoundError(_(words["hint"]).format(name=text, names=join(closest)))
        raise NotFoundError(_(words["unknown"]).format(name=text))

    def _known_id(self, table: str, key: str) -> bool:
        """Whether ``key`` is exactly the id of a record of ``table`` (by primary key)."""
        with self.store.snapshot():  # the store's lock before the cache's, as everywhere
            with self._cache_lock:
                if self.store.revision() == self._cache_revision and table in self._cache:
                    return bool((self._cache[table]["id"] == key).any())
            return key in self.store.known_ids(table, {key})

    def _folded(self, table: str, kind: str,
                columns: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
        """The folded names of ``table``, the id and legal form of each, cached.

        :func:`_folded_key` of each name column but the USCC, the id of its record and,
        for a firm, the legal form of the name (:func:`chainmap.names.legal_form`; ``""``
        for the id, and for any other kind of record). Cached until the data changes.
        """
        with self.store.snapshot(), self._cache_lock:
            frame = self._table(table)  # clears the cache on a new revision
            cache_key = "folded:" + table
            if cache_key not in self._cache:
                names: list[str] = []
                owners: list[str] = []
                forms: list[str] = []
                ids = frame["id"].astype(str).tolist()
                for column in columns:
                    if column == "uscc" or column not in frame.columns:
                        continue
                    formed = kind == "firm" and column == "name"
                    for value, ident in zip(frame[column].tolist(), ids, strict=True):
                        if isinstance(value, str) and value.strip():
                            if formed:  # _folded_key of a firm's name, split once
                                core, form = split_firm_name(value)
                                names.append(fold(core))
                                forms.append(form)
                            else:
                                names.append(_folded_key(kind, value))
                                forms.append("")
                            owners.append(ident)
                self._cache[cache_key] = pd.DataFrame({"name": names, "owner": owners,
                                                       "form": forms})
            folded = self._cache[cache_key]
            return folded["name"].tolist(), folded["owner"].tolist(), folded["form"].tolist()

    def chain_id(self, text: str) -> str:
        """The id of the chain called ``text`` (its id, Chinese or English name).

        A name written another way (``智能 家电``) or nearly right is taken when it fits
        one chain, with a :class:`~chainmap.errors.NearMatchWarning`.
        """
        return self._lookup("chains", text, "chain", ("id", "name", "name_en"))

    def product_id(self, text: str) -> str:
        """The id of the product called ``text`` (its id, Chinese or English name).

        A name written another way (``控制器主控板`` for 控制器（主控板）) or nearly right
        is taken when it fits one product, with a
        :class:`~chainmap.errors.NearMatchWarning`; otherwise the error lists the
        closest names (``控制器`` is not taken for 控制器（主控板）, only suggested).

        Examples
        --------
        >>> import warnings, chainmap
        >>> ws = chainmap.open(":memory:")
        >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     ws.product_id("控制器主控板")
        'controller'
        >>> print(caught[0].message)
        read '控制器主控板' as '控制器（主控板）'
        >>> ws.product_id("控制器")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        chainmap.errors.NotFoundError: unknown product '控制器'; did you mean: 控制器（主控板）...
        """
        return self._lookup("products", text, "product", ("id", "name", "name_en"))

    def company_id(self, text: str) -> str:
        """The id of the firm ``text`` names: its id, USCC, or registered name.

        A registered name written another way (full-width brackets, spaces, 有限公司 or
        not) or nearly right matches when it names one firm, with a
        :class:`~chainmap.errors.NearMatchWarning`; an unknown name is an error listing
        the closest names. The legal forms must agree (:func:`chainmap.names.same_firm_name`):
        a name may leave its legal form out, but a 集团有限公司 is not a 股份有限公司, nor a
        股份有限公司 a 有限公司 (有限责任公司 is 有限公司); the error for such a name says so.

        Examples
        --------
        >>> import warnings, chainmap
        >>> ws = chainmap.open(":memory:")
        >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ws.company_id("上海恒粘新材料"), ws.company_id("上海恒粘新材料股份公司")
        ('hengnian', 'hengnian')
        >>> try:
        ...     ws.company_id("上海恒粘新材料集团有限公司")
        ... except chainmap.errors.NotFoundError as error:
        ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
        unknown firm '上海恒粘新材料集团有限公司': 上海恒粘新材料股份有限公司 (hengnian)
        has this name with another legal form (股份有限公司, not 集团有限公司), a different
        firm; give its id or its exact name if you mean it
        """
        return self._lookup("companies", text, "firm", ("id", "uscc", "name"))


#: The messages of a lookup, by the kind of record.
_WORDS: dict[str, dict[str, str]] = {
    "chain": {"empty": N_("no chain given (an empty name)"),
              "several": N_("'{name}' names several chains: {ids}; give the id")},
    "product": {"empty": N_("no product given (an empty name)"),
                "several": N_("'{name}' names several products: {ids}; give the id"),
                "unknown": N_("unknown product '{name}'"),
                "hint": N_("unknown product '{name}'; did you mean: {names}?")},
    "firm": {"empty": N_("no firm given (an empty name)"),
             "several": N_("'{name}' names several firms: {ids}; give the id"),
             "unknown": N_("unknown firm '{name}'"),
             "hint": N_("unknown firm '{name}'; did you mean: {names}?")},
}


def _folded_key(kind: str, name: str) -> str:
    """``name`` folded for a near match.

    A firm's also without its legal form (有限公司), which :meth:`Workspace._lookup`
    compares apart (:func:`chainmap.names.same_legal_form`); a chain's without a
    trailing 产业链 or 产业.
    """
    if kind == "firm":
        return fold(normalize_name(name))
    return chain_key(name) if kind == "chain" else fold(name)


def _label(frame: pd.DataFrame, ident: str) -> str:
    """``name (id)`` of the record ``ident`` of ``frame`` (the id alone if it has no name)."""
    names = frame.loc[frame["id"].astype(str) == ident, "name"].dropna()
    name = str(names.iloc[-1]) if len(names) else ident
    return ident if name == ident else _("{name} ({id})").format(name=name, id=ident)


def _closest(frame: pd.DataFrame, text: str, limit: int = 3) -> list[str]:
    """The records of ``frame`` whose names are closest to ``text``: ``name (id)``."""
    if "name" not in frame.columns or not len(frame):
        return []
    from rapidfuzz import fuzz, process

    names = frame["name"].fillna("").astype(str)
    best = process.extract(text, names.tolist(), scorer=fuzz.WRatio, limit=8, score_cutoff=60)
    picked: list[str] = []
    for _name, _score, index in best:
        label = _label(frame, str(frame["id"].iloc[index]))
        if label not in picked:
            picked.append(label)
    return picked[:limit]


def open_workspace(path: str | os.PathLike | None = None, *, create: bool = True,
                   user: str | None = None, password: str | None = None,
                   database: str | None = None) -> Workspace:
    """Open (creating if needed) the workspace at ``path``.

    ``path`` defaults to ``$CHAINMAP_DB``, else ``./chainmap.db``; ``":memory:"`` gives a
    throw-away workspace; a ``bolt://`` or ``neo4j://`` URI opens a Neo4j store
    (``user``, ``password`` and ``database`` default to ``NEO4J_USERNAME``,
    ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``; they are ignored for SQLite).

    With ``create=False`` a workspace file that does not exist is an error instead of a
    new, empty workspace: what a report wants, so that a mistyped path or the wrong
    folder is said, not shown as a workspace without data (and left behind as a file).

    Raises
    ------
    WorkspaceError
        ``create=False`` and no file at ``path`` (its ``topic`` is ``"no-workspace"``).

    Examples
    --------
    >>> import chainmap
    >>> with chainmap.open(":memory:") as ws:
    ...     ws.location
    ':memory:'
    >>> chainmap.open("no-such-folder/x.db", create=False)
    Traceback (most recent call last):
    ...
    chainmap.errors.WorkspaceError: no workspace at no-such-folder/x.db: the file does not exist
    """
    location = workspace_path(path)
    from .store.neo4j import Neo4jStore, is_neo4j_uri

    if is_neo4j_uri(location):
        return Workspace(Neo4jStore(location, user=user, password=password,
                                    database=database))
    if not create and location != ":memory:" and not Path(location).exists():
        raise WorkspaceError(_("no workspace at {path}: the file does not exist").format(
            path=location), topic="no-workspace", values={"path": location})
    return Workspace(SQLiteStore(location))


def import_dataset(workspace: Workspace, path: str | os.PathLike[str],
                   progress: Progress | None = None,
                   merge_by_uscc: bool = False) -> ImportResult:
    """Import the dataset at ``path`` (folder of CSVs or ``.xlsx``), all or nothing.

    ``progress(done, total)``, if given, is called as rows are written. Records are
    upserted by id, so importing the same data twice changes nothing.

    A firm whose USCC another firm holds (stored, or earlier in the file) is a
    ``duplicate-uscc`` problem naming both ids. With ``merge_by_uscc=True``, a firm
    whose USCC a stored firm holds is read as that firm: its id is replaced by the
    stored firm's in every table of the dataset (links, supplies, leads). Two rows of
    the file sharing a USCC stay a problem.

    Raises
    ------
    DatasetError
        Listing every problem (file:line: column: value: reason); nothing is written.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> result = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> result.added["companies"] == ws.counts()["companies"]
    True
    """
    if not workspace.store.writable:
        raise push_first_error("push-import", workspace.location)
    from .io.read import read_dataset  # the readers load only for an import
    from .io.validate import validate

    try:
        tables, warnings = read_dataset(path)
    except DatasetError as exc:
        _refuse_firm_list(path, exc)
        raise
    # What decides the write (known ids, USCC holders, the leads) is read inside the
    # write transaction (BEGIN IMMEDIATE): another writer (firms merge --apply) cannot
    # change it between the check and the write.
    with workspace.store.transaction():
        leads = tables.pop("leads", None)  # the lead pipeline's table, checked by chainmap.crm
        crm = None
        if workspace.store.keeps_leads:
            from .crm.leads_io import DatasetLeads

            crm = DatasetLeads(workspace, leads, str(Path(path).name))
        elif leads is not None:
            warnings.append(_("ignored {source}: this workspace does not keep leads").format(
                source=leads.source))
        chains = workspace._table("chains")
        known_chains = dict(zip(chains["name"], chains["id"], strict=False))
        try:
            dataset = validate(tables, known=workspace.store.known_ids, known_chains=known_chains,
                               records=workspace._table,
                               holders=workspace.store.uscc_holders,
                               merge_by_uscc=merge_by_uscc)
        except DatasetError as exc:
            if crm is not None:
                crm.check(tables, prior=exc)  # raises with the leads' problems added
            raise
        if crm is not None:
            crm.check(tables, dataset)
            warnings += crm.warnings
        del tables  # the raw cells: not needed while writing (about a third of the peak at 1M)
        on_write = None
        if progress is not None:
            total = sum(len(f) for f in (dataset.chains, dataset.products, dataset.product_chains,
                                         dataset.inputs, dataset.companies, dataset.capabilities,
                                         dataset.supplies))
            done = [0]

            def on_write(table: str, n: int) -> None:
                done[0] += n
                progress(done[0], total)

        # Into a workspace without firms, the firm tables become the dataset's: the
        # reports' codes are then made from these frames after the write (the revision
        # it makes: this transaction's, plus its one step at the commit).
        made = workspace.store.revision() + 1 if _codes_from_dataset(workspace, dataset) \
            else None
        added = workspace.store.write_dataset(dataset, progress=on_write,
                                              then=crm.write if crm is not None else None)
    rows = dataset.counts()
    if made is not None:
        from .analysis.gaps import CODE_COLUMNS, save_codes_of

        firm_tables = {name: getattr(dataset, name).loc[:, list(dict.fromkeys(
            (*columns, *(("status",) if name != "supplies" else ()))))]
            for name, columns in CODE_COLUMNS.items()}
        del dataset  # the other columns' texts (names, addresses, scopes): freed first
        try:
            save_codes_of(workspace, firm_tables, made)
        except MemoryError:  # the import is written; the first report builds them
            pass
    added = {k: v for k, v in added.items() if k in rows}
    if crm is not None and leads is not None:
        rows["leads"], added["leads"] = crm.rows, len(crm.added)
        warnings += crm.pending.kept_out_warnings(leads.source)
    return ImportResult(str(Path(path).name), rows, added, warnings)


def _codes_from_dataset(workspace: Workspace, dataset: Dataset) -> bool:
    """Whether the import of ``dataset`` makes the reports' codes from its own frames.

    For a workspace file without firms and a dataset big enough for the codes to be
    kept on disk (:func:`chainmap.analysis.gaps.save_codes_of`).
    """
    from .analysis.gaps import PERSIST_MIN_LINKS

    store = workspace.store
    return bool(store.reads_columns and not store.computes_gaps
                and len(dataset.capabilities) >= PERSIST_MIN_LINKS
                and cast(ColumnReads, store).count("companies") == 0)


def _refuse_firm_list(path: str | os.PathLike[str], error: DatasetError) -> None:
    """Say to use ``firms import`` when ``path`` is a lone firm list, not a dataset.

    ``error`` is why it is no dataset; a file that is one sheet of companies and no
    products raises a :class:`DatasetError` naming the command.
    """
    from .errors import Problem
    from .intake.firmlist import read_firm_list

    p = Path(path)
    if not p.is_file() or p.suffix.lower() not in (".csv", ".xlsx", ".xls"):
        return
    no_products = any(q.code == "bad-file-type" or (q.code == "missing-table"
                                                    and "'products'" in q.message)
                      for q in error.problems)
    if not no_products:
        return
    try:
        firms = read_firm_list(p)
    except DatasetError:
        return  # no firm header either: the dataset error stands
    raise DatasetError([Problem(
        "missing-table", _("this is a firm list ({firms} firm(s), no products), not a "
                           "dataset: import it with chainmap.import_firms(ws, {file_literal})"
                           ).format(firms=len(firms.frame), file_literal=python_string(p.name)),
        table="products", source=p.name)], topic="firm-list",
        values={"firms": str(len(firms.frame)), "file": p.name})


@reads_snapshot
def export_dataset(workspace: Workspace, path: str | os.PathLike[str], *,
                   force: bool = False) -> list[Path]:
    """Write the workspace out as a dataset (CSV folder in UTF-8 with BOM, or ``.xlsx``).

    Its leads are included (``leads.csv``, the format ``chainmap leads import`` reads).

    Importing what it writes into an empty workspace gives the same data (a lead's
    history is not part of the file: it comes back at its current stage).

    Parameters
    ----------
    workspace : Workspace
        The workspace to write out.
    path : str or path-like
        A folder (created if need be) for ``chains.csv``, ``products.csv``,
        ``companies.csv`` ... ``leads.csv``, or a workbook when it ends in ``.xlsx``.
    force : bool
        Overwrite those files, or the workbook, when they exist already. By default an
        export over an earlier one (or over a dataset someone keeps in that folder) is
        refused, naming the files; other files in the folder never matter.

    Returns
    -------
    list of Path
        The files written: all of them, or none (a failure leaves the folder as it was).

    Raises
    ------
    ArgumentError
        ``path`` is a file not ending in ``.xlsx``, or (without ``force``) the workbook
        or one of the dataset's files exists (:attr:`~chainmap.errors.ChainmapError.parameter`
        ``force``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> folder = Path(tempfile.mkdtemp()) / "dangtu"
    >>> [p.name for p in chainmap.export_dataset(ws, folder)][:3]
    ['chains.csv', 'products.csv', 'inputs.csv']
    >>> chainmap.export_dataset(ws, folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    chainmap.errors.ArgumentError: ...dangtu already holds chains.csv, products.csv, ...
    >>> len(chainmap.export_dataset(ws, folder, force=True))
    7
    """
    extra = {}
    if workspace.store.keeps_leads:
        from .crm.leads_io import leads_frame

        # always written (header only when there are none), so that an older leads.csv
        # in the folder cannot come back with the next import
        extra["leads"] = leads_frame(workspace)
    from .io.write import write_dataset

    return write_dataset(workspace._tables(), path, extra, force=force)
