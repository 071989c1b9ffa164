"""The Neo4j store: the same workspace in a Neo4j server, cluster or Aura.

Every query it runs is a ``.cypher`` file shipped with chainmap (``cypher/``); every
value is a parameter, and labels and relationship types are fixed in those files.
Credentials come from the environment (``NEO4J_URI``, ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or from arguments, and are never printed.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from ..errors import WorkspaceError
from ..i18n import _
from .base import CRM_COLUMNS, TABLE_COLUMNS, Progress, RefusesPipeline

if TYPE_CHECKING:
    from ..io.validate import Dataset
    from ..regions import Region

__all__ = ["Neo4jStore", "is_neo4j_uri", "query", "redact"]

_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
_BATCH = 10_000


def redact(uri: str) -> str:
    """``uri`` without user, password, query or fragment, for messages.

    >>> redact("neo4j+s://alice:secret@db.example.com:7687/?x=1")
    'neo4j+s://db.example.com:7687/'
    """
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def is_neo4j_uri(location: str | os.PathLike | None) -> bool:
    """Whether ``location`` is a Neo4j URI rather than a SQLite file path."""
    return str(location or "").lower().startswith(_SCHEMES)


@cache
def query(name: str) -> str:
    """The text of ``cypher/<name>.cypher`` as shipped with chainmap."""
    try:
        return (resources.files("chainmap.cypher") / f"{name}.cypher").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        here = Path(__file__).resolve().parents[2] / "cypher" / f"{name}.cypher"
        return here.read_text("utf-8")


def _statements(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _value(v: object) -> object:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


#: Tables a first push CREATEs (their key columns, unique in the pushed frame).
_CREATE = {"companies": ("id",), "capabilities": ("company_id", "product_id"),
           "supplies": ("supplier_id", "customer_id", "product_id")}
#: Rows per transaction of a CREATE batch.
_CREATE_BATCH = 20_000


def _records(frame: pd.DataFrame, drop_nulls: bool = False) -> list[dict]:
    """The rows of ``frame`` as parameter maps (missing values ``None``, numbers Python's).

    ``in_park`` (a firm's) is sent as 0/1. With ``drop_nulls``, keys whose value is
    missing are left out of a row's map.
    """
    columns = list(frame.columns)
    values = []
    for column in columns:
        series = frame[column]
        cells: list = series.astype(object).where(series.notna(), None).tolist()
        if column == "in_park":
            cells = [None if v is None else int(bool(v)) for v in cells]
        values.append([v.item() if hasattr(v, "item") else v for v in cells])
    if drop_nulls:
        return [{k: v for k, v in zip(columns, row) if v is not None} for row in zip(*values)]
    return [dict(zip(columns, row)) for row in zip(*values)]


class Neo4jStore(RefusesPipeline):
    """A workspace kept in Neo4j (``chainmap.open("bolt://host:7687")``).

    It holds the chains, products and firms, and a pushed lead pipeline for reading
    (``keeps_leads``): reports such as :func:`chainmap.pipeline` run on it, while adding
    or moving leads needs the embedded SQLite workspace (every pipeline write raises
    :class:`WorkspaceError`). Tables are read and pushed by the shipped queries
    ``read_<table>``, ``push_<table>`` and ``count_<table>``, for every table of
    :data:`~chainmap.store.base.TABLE_COLUMNS` and
    :data:`~chainmap.store.base.CRM_COLUMNS`.
    """

    #: Data arrives by ``chainmap neo4j push`` of a whole workspace, not by ``import``
    #: or lead-pipeline writes.
    writable = False
    #: Reports may read the lead-pipeline tables (pushed from a SQLite workspace).
    keeps_leads = True
    #: The gap report's counts are computed by ``gaps.cypher`` (:meth:`gap_counts`).
    computes_gaps = True
    #: Tables come whole (one query per table): not a column reader.
    reads_columns = False
    #: The read transaction of the open :meth:`snapshot`, and the thread that opened it.
    _tx: object = None
    _tx_thread: int | None = None

    def __init__(self, uri: str | None = None, user: str | None = None,
                 password: str | None = None, database: str | None = None) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        raw = uri or os.environ.get("NEO4J_URI")
        if not raw:
            raise WorkspaceError(_("no Neo4j server: give uri= bolt://HOST:7687 or set "
                                   "NEO4J_URI"), parameter="uri")
        #: The server's URI as shown in messages (never with a user, password or query).
        self.uri = redact(raw)
        self.location = self.uri
        if urlsplit(raw).password is not None or urlsplit(raw).username is not None:
            raise WorkspaceError(_("give the Neo4j user and password in NEO4J_USERNAME and "
                                   "NEO4J_PASSWORD, not in the URI ({uri})").format(uri=self.uri))
        user = user if user is not None else os.environ.get("NEO4J_USERNAME", "neo4j")
        password = password if password is not None else os.environ.get("NEO4J_PASSWORD")
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        auth = (user, password) if password else None
        try:
            self.driver = neo4j.GraphDatabase.driver(
                raw, auth=auth, notifications_min_severity="OFF")
            self.driver.verify_connectivity()
        except AuthError:
            raise WorkspaceError(_("Neo4j at {uri} refused the login for user '{user}' (check "
                                   "NEO4J_USERNAME / NEO4J_PASSWORD)").format(
                                       uri=self.uri, user=user)) from None
        except neo4j.exceptions.ConfigurationError:
            refused = _("the Neo4j URI {uri} with its query part (not shown) is not one the "
                        "driver accepts (use bolt://HOST:7687, neo4j://HOST or neo4j+s://HOST)"
                        ) if urlsplit(raw).query else \
                _("the Neo4j URI {uri} is not one the driver accepts (use bolt://HOST:7687, "
                  "neo4j://HOST or neo4j+s://HOST)")
            raise WorkspaceError(refused.format(uri=self.uri)) from None
        except (DriverError, Neo4jError, OSError, ValueError) as exc:
            text = str(exc).replace(raw, self.uri)
            if password:
                text = text.replace(password, "***")
            raise WorkspaceError(_("cannot reach Neo4j at {uri}: {reason}").format(
                uri=self.uri, reason=text)) from None
        for statement in _statements(query("schema")):
            self._run(statement)

    # -- plumbing ----------------------------------------------------------------
    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Run the reads inside in one read transaction (nested snapshots join it).

        A report's queries (the gap query and the names it looks up, its tables) then
        run in one transaction of the server, not each in its own. Reads of other
        threads, and writes (a push), are not part of it.
        """
        from neo4j import READ_ACCESS
        from neo4j.exceptions import DriverError, Neo4jError

        if self._tx is not None and self._tx_thread == threading.get_ident():
            yield
            return
        lock = self.__dict__.setdefault("_snapshot_lock", threading.RLock())
        with lock:
            session = self.driver.session(database=self.database,
                                          default_access_mode=READ_ACCESS)
            try:
                tx = session.begin_transaction()
            except (DriverError, Neo4jError, OSError) as exc:
                session.close()
                raise WorkspaceError(_("lost the connection to Neo4j at {uri}: {reason}"
                                       ).format(uri=self.uri, reason=exc)) from None
            self._tx, self._tx_thread = tx, threading.get_ident()
            try:
                yield
            finally:
                self._tx, self._tx_thread = None, None
                try:
                    tx.close()  # a read transaction: nothing to commit
                except (DriverError, Neo4jError, OSError):
                    pass
                finally:
                    session.close()

    def _run(self, text: str, **params: object) -> list[dict]:
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        try:
            tx = self._tx
            if tx is not None and self._tx_thread == threading.get_ident():
                return [r.data() for r in tx.run(text, params)]  # type: ignore[attr-defined]
            records, _summary, _keys = self.driver.execute_query(text, params,
                                                                 database_=self.database)
        except ServiceUnavailable as exc:
            raise WorkspaceError(_("lost the connection to Neo4j at {uri}: {reason}").format(
                uri=self.uri, reason=exc)) from None
        except Neo4jError as exc:
            raise WorkspaceError(_("Neo4j refused a query: {reason}").format(
                reason=exc.message)) from None
        return [r.data() for r in records]

    def run(self, name: str, **params: object) -> list[dict]:
        """Run the shipped query ``name`` with ``params`` (all values are parameters)."""
        return self._run(query(name), **params)

    # -- Store protocol ----------------------------------------------------------
    def revision(self) -> int:
        """A number that changes whenever the data changes (0 before the first push)."""
        rows = self.run("meta_get", key="revision")
        return int(rows[0]["value"]) if rows else 0

    def cache_key(self) -> None:
        """``None``: a database can be cleared and pushed again to the same revision."""
        return None

    def get_config(self, key: str) -> str | None:
        """The configuration value ``key``, or ``None``."""
        rows = self.run("meta_get", key="config." + key)
        return rows[0]["value"] if rows else None

    def set_config(self, key: str, value: str | None) -> None:
        """Set the configuration value ``key``; ``None`` removes it."""
        if value is None:
            self.run("meta_delete", key="config." + key)
        else:
            self.run("meta_set", key="config." + key, value=value)
        self.run("revision_bump")

    def table(self, name: str) -> pd.DataFrame:
        """The whole table ``name`` as a frame, read by ``read_<name>.cypher``."""
        if name not in TABLE_COLUMNS and name not in CRM_COLUMNS:
            raise KeyError(name)
        columns = TABLE_COLUMNS.get(name) or CRM_COLUMNS[name]
        rows = self.run(f"read_{name}")
        frame = pd.DataFrame(rows, columns=list(columns))
        if name == "companies":
            frame["employees"] = frame["employees"].astype("Int64")
            frame["revenue"] = frame["revenue"].astype("float64")
            frame["in_park"] = frame["in_park"].astype("Int64")
            frame["registered_capital"] = frame["registered_capital"].astype("float64")
        return frame

    def known_ids(self, table: str, ids: set) -> set:
        """Which of ``ids`` the database holds in ``table``."""
        if table not in ("chains", "products", "companies"):
            raise KeyError(table)
        found: set = set()
        items = list(ids)
        for i in range(0, len(items), _BATCH):
            found.update(r["id"] for r in self.run(f"known_{table}", ids=items[i:i + _BATCH]))
        return found

    def names(self, table: str, ids: set) -> dict[str, str]:
        """The names of the records ``ids`` of ``table``, by id."""
        if table not in ("chains", "products", "companies"):
            raise KeyError(table)
        found: dict[str, str] = {}
        items = list(ids)
        for i in range(0, len(items), _BATCH):
            found.update((r["id"], r["name"])
                         for r in self.run(f"names_{table}", ids=items[i:i + _BATCH]))
        return found

    def records(self, table: str, ids: set) -> pd.DataFrame:
        """The rows of ``table`` whose id is one of ``ids`` (from the whole table)."""
        frame = self.table(table)
        return frame[frame["id"].isin(ids)].reset_index(drop=True)

    def write_dataset(self, dataset: Dataset, progress: Progress | None = None,
                      then: Callable[[], None] | None = None) -> dict[str, int]:
        """Push ``dataset`` in batches (``UNWIND $rows ... MERGE``), idempotently.

        Neo4j cannot hold a million-row push in one transaction, so each batch is its
        own. A push that stops midway is marked incomplete; pushing again repairs it
        (every statement is a MERGE). ``then``, if given, runs after the push.
        """
        before = {name: self._count(name) for name in TABLE_COLUMNS}
        self.run("meta_set", key="push_state", value="incomplete")
        for name in TABLE_COLUMNS:  # in order: records before the relations naming them
            frame = getattr(dataset, name).loc[:, list(TABLE_COLUMNS[name])]
            # The big tables of a first push (none of their rows in the database yet,
            # and every key unique, as a dataset's are): CREATE instead of a MERGE per row.
            query_name = f"create_{name}" if name in _CREATE and before[name] == 0 \
                and frame.duplicated(list(_CREATE[name])).sum() == 0 else f"push_{name}"
            batch = _CREATE_BATCH if query_name.startswith("create_") else _BATCH
            records = _records(frame, drop_nulls=query_name == "create_companies")
            for i in range(0, len(records), batch):
                part = records[i:i + batch]
                self.run(query_name, rows=part)
                if progress:
                    progress(name, len(part))
        self.run("meta_set", key="push_state", value="complete")
        self.run("revision_bump")
        after = {name: self._count(name) for name in before}
        if then is not None:
            then()
        return {name: after.get(name, 0) - before.get(name, 0) for name in TABLE_COLUMNS}

    def write_pipeline(self, tables: Mapping[str, pd.DataFrame],
                       progress: Progress | None = None) -> None:
        """Push the lead-pipeline tables in batches, upserting by id.

        Leads, history, activities, follow-ups, merges and the audit log; leads link to
        their firm and product.
        """
        self.run("meta_set", key="push_state", value="incomplete")
        for name in CRM_COLUMNS:
            frame = tables[name].loc[:, list(CRM_COLUMNS[name])]
            records = [{k: _value(v) for k, v in zip(frame.columns, row)}
                       for row in frame.itertuples(index=False, name=None)]
            for i in range(0, len(records), _BATCH):
                self.run(f"push_{name}", rows=records[i:i + _BATCH])
                if progress:
                    progress(name, len(records[i:i + _BATCH]))
        self.run("meta_set", key="push_state", value="complete")
        self.run("revision_bump")

    def push_state(self) -> str | None:
        """``complete``, ``incomplete`` (a push stopped midway) or ``None`` (never pushed)."""
        rows = self.run("meta_get", key="push_state")
        return rows[0]["value"] if rows else None

    def _count(self, name: str) -> int:
        return self.run(f"count_{name}")[0]["n"]

    #: The former name of :meth:`write_pipeline`.
    write_crm = write_pipeline

    def gap_counts(self, chain_id: str, home: Region,
                   targets: list[Region]) -> dict[str, pd.Series]:
        """The gap report's counts and ranked candidates, computed by ``gaps.cypher``."""
        from ..regions import cypher_params

        rows = self.run("gaps", chain=chain_id, **cypher_params(home, targets))
        ids = [r["product"] for r in rows]
        return {
            "local_firms": pd.Series([sorted(r["local_firms"]) for r in rows], index=ids,
                                     dtype=object),
            "local_demand": pd.Series([r["local_demand"] for r in rows], index=ids),
            "candidates": pd.Series([r["candidates"] for r in rows], index=ids, dtype=object),
        }

    #: The former name of :meth:`gap_counts`.
    gap_rows = gap_counts

    def clear(self) -> None:
        """Delete everything chainmap keeps in this database (for tests and re-pushes)."""
        with self.driver.session(database=self.database) as session:
            for statement in _statements(query("clear")):
                session.run(statement).consume()

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()
