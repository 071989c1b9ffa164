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
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from ..errors import PartialPushWarning, WorkspaceError, warn
from ..i18n import _
from .base import CRM_COLUMNS, FIRM_COLUMN, TABLE_COLUMNS, Progress, RefusesPipeline

if TYPE_CHECKING:
    from ..io.validate import Dataset
    from ..makerlists import MakerLists
    from ..regions import Region

__all__ = ["ConnectionLost", "Neo4jStore", "PushResult", "is_neo4j_uri", "query", "redact",
           "timeout"]

_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
_BATCH = 10_000


#: Seconds the driver waits for a connection and retries a failed transaction, unless
#: ``CHAINMAP_NEO4J_TIMEOUT`` says otherwise (the driver's own default is 30 s of retries).
TIMEOUT = 5.0


class ConnectionLost(WorkspaceError):
    """The Neo4j server could not be reached while a query ran (after the bounded retries)."""


def timeout() -> float:
    """Seconds to wait for the Neo4j server before giving up: ``$CHAINMAP_NEO4J_TIMEOUT``.

    Bounds the connection timeout and the driver's retries of a failed transaction, so
    that a server gone away is reported within about this time. Default 5 s.

    >>> import os; os.environ["CHAINMAP_NEO4J_TIMEOUT"] = "2.5"; timeout()
    2.5
    >>> del os.environ["CHAINMAP_NEO4J_TIMEOUT"]; timeout()
    5.0
    """
    raw = os.environ.get("CHAINMAP_NEO4J_TIMEOUT", "").strip()
    if not raw:
        return TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise WorkspaceError(_("CHAINMAP_NEO4J_TIMEOUT must be a number of seconds above 0, "
                               "not '{value}'").format(value=raw))
    return seconds


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


#: The operating system's reasons a connection fails, as a person reads them: its error
#: numbers (Linux, macOS and Windows' sockets) and the resolver's (``getaddrinfo``).
_REFUSED = {111, 61, 10061}
_NO_HOST = {-2, -3, -5, 8, 11001, 11004}
_TIMED_OUT = {110, 60, 10060}


def _unreachable(exc: BaseException, wait: float) -> str:
    """Why the driver could not connect, in one line a person can act on.

    The driver's text names resolved addresses over two lines (``Couldn't connect to
    127.0.0.1:1 (resolved to ...): Failed to establish connection to
    ResolvedIPv4Address(...) (reason [Errno 111] Connection refused)``); what matters is
    the operating system's reason at its end: refused (no server on that port), no such
    host, no answer in time, or a port that speaks HTTP (Neo4j's browser port). Anything
    else keeps the driver's last line, its cause.

    Examples
    --------
    >>> print(_unreachable(OSError("... (reason [Errno 111] Connection refused)"), 5))
    nothing answers at that address and port: is the Neo4j server running, on that port?
    >>> print(_unreachable(OSError("Failed to DNS resolve address x:7687: [Errno -2] "
    ...                            "Name or service not known"), 5))
    no such host: check the server's name in the URI
    >>> print(_unreachable(OSError("Cannot to connect to Bolt service (looks like HTTP)"), 5))
    that port answers in HTTP, not Bolt: Neo4j's Bolt port is usually 7687 (7474 is its browser)
    """
    import re

    text = str(exc).strip()
    numbers = [int(n) for n in re.findall(r"\[Errno (-?\d+)\]", text)]
    for found in (getattr(exc, "errno", None), *reversed(numbers)):
        if found in _REFUSED:
            return _("nothing answers at that address and port: is the Neo4j server "
                     "running, on that port?")
        if found in _NO_HOST:
            return _("no such host: check the server's name in the URI")
        if found in _TIMED_OUT:
            return _("no answer within {seconds:g} s (CHAINMAP_NEO4J_TIMEOUT): is the "
                     "server up, and reachable from here?").format(seconds=wait)
    if "timed out" in text.lower():
        return _("no answer within {seconds:g} s (CHAINMAP_NEO4J_TIMEOUT): is the server "
                 "up, and reachable from here?").format(seconds=wait)
    if "looks like HTTP" in text:
        return _("that port answers in HTTP, not Bolt: Neo4j's Bolt port is usually 7687 "
                 "(7474 is its browser)")
    # the driver's last line is its cause (the first only says it could not connect)
    return text.splitlines()[-1].strip() if text else type(exc).__name__


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


#: Key columns of each table a push compares (the others are keyed by ``id``).
_KEYS: dict[str, tuple[str, ...]] = {
    "product_chains": ("product_id", "chain_id"), "inputs": ("upstream", "downstream"),
    "capabilities": ("company_id", "product_id"),
    "supplies": ("supplier_id", "customer_id", "product_id")}
#: Tables kept as relationships (deleted by key, not by id).
_RELATIONS = frozenset(_KEYS)
#: Tables whose new rows are CREATEd (no lookup per row); the others are MERGEd.
_CREATES = frozenset({"chains", "products", "companies", "product_chains", "inputs",
                      "capabilities", "supplies"})
#: Big tables compared in buckets, by the firm each row belongs to.
_BUCKET_BY = FIRM_COLUMN
#: Buckets of a big table (about 15 firms each at a million firms).
_BUCKETS = 65_536
#: Meta key prefix of a table's stored digests, one byte array of 64-bit sums per table
#: (bump the number when row hashes change).
_DIGEST = "digest3."
#: Meta key of the push mark: the workspace's change-log state the database equals
#: (:mod:`chainmap.store.sqlite.changes`), removed while a push writes.
_MARK = "push_mark"
#: The server's error code for a database it does not have.
_NO_DATABASE = "Neo.ClientError.Database.DatabaseNotFound"
#: Rows per transaction of a CREATE batch.
_CREATE_BATCH = 20_000
#: Meta key prefix of the digests the products' maker lists were sealed with
#: (:mod:`chainmap.makerlists`): the lists hold while these equal the tables' digests.
_LISTS = "makers."
#: Meta key of the maker lists' place table (:attr:`chainmap.makerlists.MakerLists.places`).
_PLACES = "maker_places"
#: Meta key of the products' list hashes as sealed (a list written since breaks the seal).
_HASHES = "maker_hashes"
#: The tables the maker lists are made of.
_LISTED = ("companies", "capabilities", "supplies")
#: Characters of maker lists per transaction (about 16 MB of text).
_LISTS_BATCH = 8_000_000


#: Tables whose new rows go column by column (``create_<table>_columns``).
_COLUMNAR = frozenset({"companies", "capabilities", "supplies"})
#: Joins a column's values into one text; stands for a missing text value.
_SEP, _NONE = "\x00", "\x01"
#: Columns sent as whole numbers, and as floats, when sent column by column.
_INTEGERS = frozenset({"in_park", "employees", "_b", "_h"})
_FLOATS = frozenset({"revenue", "registered_capital"})


def _joined(frame: pd.DataFrame) -> dict[str, object] | None:
    """The parameters of ``create_<table>_columns`` for the rows of ``frame``.

    Each column becomes one text, its values joined by NUL (a missing text value is
    U+0001, a missing number the empty text): the driver packs a few long strings
    instead of a map per row, which in pure Python costs more than the server's work.
    ``None`` when a text value holds NUL or is U+0001 (then the rows go as maps).
    """
    params: dict[str, object] = {"n": len(frame), "sep": _SEP, "none": _NONE}
    for column in frame.columns:
        series = frame[column]
        key = {"_h": "hash", "_b": "bucket"}.get(column, column)
        present = series.notna()
        if not present.any():
            params[key] = None
            continue
        cells = series.astype(object).where(present, None).tolist()
        if column in _INTEGERS:
            text = ["" if v is None else str(int(v)) for v in cells]
        elif column in _FLOATS:
            text = ["" if v is None else repr(float(v)) for v in cells]
        else:
            if pd.api.types.infer_dtype(series, skipna=True) != "string" or \
                    series.eq(_NONE).any():
                return None
            text = [_NONE if v is None else v for v in cells]
        joined = _SEP.join(text)
        if joined.count(_SEP) != len(frame) - 1:
            return None
        params[key] = joined
    return params


def _columns(name: str) -> tuple[str, ...]:
    return TABLE_COLUMNS.get(name) or CRM_COLUMNS[name]


def _row_hashes(name: str, frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    """A 64-bit hash of each row of ``frame`` (table ``name``), whatever its dtypes.

    Number columns are hashed as floats and the others as text or nothing, so that the
    rows of a few firms read on their own hash as they do inside the whole table (where
    a missing number makes an integer column float).
    """
    import numpy as np

    from .sqlite.changes import number_columns

    numeric = number_columns().get(name, frozenset())
    canonical = {}
    for column in frame.columns:
        series = frame[column]
        if column in numeric:
            canonical[column] = pd.to_numeric(series.astype(object).where(series.notna(), None),
                                              errors="coerce").astype("float64")
        else:
            canonical[column] = series.astype(object).where(series.notna(), None)
    return pd.util.hash_pandas_object(pd.DataFrame(canonical, index=frame.index),
                                      index=False).to_numpy(np.uint64)


def _bucket(ids: object):  # type: ignore[no-untyped-def]
    """The comparison bucket of each firm id of ``ids``."""
    import numpy as np

    values = pd.Series(ids, dtype=object).to_numpy()
    return (pd.util.hash_array(values) % np.uint64(_BUCKETS)).astype(np.int64)


#: The tables read back as one record holding every row (``read_<name>.cypher``): those of
#: a dataset's chains and products, thousands of rows at most. A record per row costs the
#: driver more than the query (a gap report reads two of them); the firm and pipeline
#: tables, which may be millions of rows, come back a record per row.
_ONE_RECORD = frozenset({"chains", "products", "product_chains", "inputs"})


class PushResult(dict):
    """New rows per table (a dict), with ``changed`` and ``deleted`` rows per table.

    ``incremental`` says whether the push sent only what the workspace's change log
    named since the last push to the database (then ``changes`` is the number of
    changes logged), rather than comparing the whole workspace.
    """

    changed: dict[str, int]
    deleted: dict[str, int]
    #: Whether only the changes since the last push were read and compared.
    incremental: bool = False
    #: Changes logged since the last push (an incremental push), else ``None``.
    changes: int | None = None
    #: Products whose maker lists (:mod:`chainmap.makerlists`) the push wrote; ``None``
    #: when it left them as they were (they held already, or could not be made).
    maker_lists: int | None = None
    #: The firm tables' stored digests as the push left them (``None``: not stored).
    digests: Mapping[str, bytes | None] = MappingProxyType({})


class _Plan:
    """What a push sends for one table: positions of new and changed rows, deleted keys."""

    def __init__(self, name: str, keys: tuple[str, ...], digest: bytes | None) -> None:
        self.name = name
        self.keys = keys
        self.digest = digest
        self.new: list[int] = []
        self.changed: list[int] = []
        self.deleted: list[tuple] = []
        #: Whether anything is sent (or the digests must be stored anew).
        self.dirty = True
        #: Per row (by index label): the row hash ``_h`` (and a firm's bucket ``_b``).
        self.extra = pd.DataFrame()
        #: The database's row hashes of the changed and the deleted rows (``None``: none).
        self.old_changed: list = []
        self.old_deleted: list = []

    def compare(self, local: pd.DataFrame, theirs: Sequence[Sequence]) -> None:
        """Compare ``local`` (keys, ``_h``, rows by position) with the database's rows."""
        positions = pd.Series(local.index).to_numpy()
        if not theirs:  # nothing in the database (a first push): every row is new
            self.new = positions.tolist()
            self.changed, self.deleted, self.old_changed, self.old_deleted = [], [], [], []
            return
        keys = list(self.keys)
        mine = pd.DataFrame({f"k{i}": _text_key(local[k]) for i, k in enumerate(keys)})
        # hashes stay Python ints (object columns): an outer merge would make a number
        # column float and lose the low bits of a 64-bit hash
        mine["_h"] = local["_h"].to_numpy().astype(object)
        mine["_pos"] = range(len(local))
        other = pd.DataFrame(theirs, columns=[*keys, "h"], dtype=object)
        for i, k in enumerate(keys):
            other[f"k{i}"] = _text_key(other[k])
        both = mine.merge(other, on=[f"k{i}" for i in range(len(keys))], how="outer",
                          indicator=True)
        here = both["_merge"] == "left_only"
        there = both["_merge"] == "right_only"
        same = both["_merge"] == "both"
        h = both["h"].astype(object)
        moved = same & (h.isna() | (h != both["_h"]))
        self.new = positions[both.loc[here, "_pos"].astype(int).to_numpy()].tolist()
        self.changed = positions[both.loc[moved, "_pos"].astype(int).to_numpy()].tolist()
        gone = both.loc[there, keys]
        self.deleted = list(gone.astype(object).itertuples(index=False, name=None))
        self.old_changed = h[moved].tolist()
        self.old_deleted = h[there].tolist()

    def rows(self, frame: pd.DataFrame, positions: list) -> pd.DataFrame:
        """The rows at index labels ``positions`` of ``frame``, with ``_h`` (and ``_b``)."""
        return pd.concat([frame.loc[positions], self.extra.loc[positions]], axis=1)

    def deleted_rows(self) -> list[dict]:
        return [dict(zip(self.keys, key)) for key in self.deleted]

    def deleted_ids(self) -> list:
        return [key[0] for key in self.deleted]


def _patched(stored: bytes | None, plan: _Plan, hashes: object,
             buckets: object) -> bytes | None:
    """The stored digests of a table after ``plan`` (of some firms' rows) is sent.

    ``None`` when none were stored or a row in the database has no hash: then the next
    full push compares that table row by row.
    """
    import numpy as np

    if not isinstance(stored, (bytes, bytearray)) or len(stored) != _BUCKETS * 8:
        return None
    if any(h is None or h != h for h in (*plan.old_changed, *plan.old_deleted)):
        return None
    digest = np.frombuffer(bytes(stored), dtype=np.uint64).copy()
    sent = np.asarray(plan.new + plan.changed, dtype=np.int64)
    with np.errstate(over="ignore"):
        np.add.at(digest, np.asarray(buckets)[sent], np.asarray(hashes)[sent])
        old = np.asarray([int(h) for h in (*plan.old_changed, *plan.old_deleted)],
                         dtype=np.int64).view(np.uint64)
        owners = np.asarray(buckets)[np.asarray(plan.changed, dtype=np.int64)]
        gone = _bucket([key[0] for key in plan.deleted])
        np.subtract.at(digest, np.concatenate([owners, gone]).astype(np.int64), old)
    return digest.tobytes()


def _text_key(values: pd.Series) -> pd.Series:
    """Key values as text, so that 7 from SQLite and 7 from Neo4j meet ('' for none)."""
    return values.astype(object).where(values.notna(), "").map(str)


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
    #: Whether ``schema.cypher`` ran on this connection (:meth:`_ensure_schema`).
    _schema_ready = False

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
            wait = timeout()
            self.driver = neo4j.GraphDatabase.driver(
                raw, auth=auth, notifications_min_severity="OFF", connection_timeout=wait,
                connection_acquisition_timeout=wait, max_transaction_retry_time=wait)
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
            text = _unreachable(exc, wait).replace(raw, self.uri)
            if password:
                text = text.replace(password, "***")
            raise WorkspaceError(_("cannot reach Neo4j at {uri}: {reason}").format(
                uri=self.uri, reason=text)) from None

    def _ensure_schema(self) -> None:
        """Create the constraints and indexes (``schema.cypher``) once, before a write.

        Each is ``IF NOT EXISTS``; a reader does without (a database no chainmap wrote
        has nothing to read), which saves a report some twenty round trips.
        """
        if self._schema_ready:
            return
        for statement in _statements(query("schema")):
            self._run(statement)
        self._schema_ready = True

    # -- plumbing ----------------------------------------------------------------
    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Run the reads inside in one read transaction (nested snapshots join it).

        A report's queries (the gap query and the names it looks up, its tables) then
        run in one transaction of the server, not each in its own. Reads of other
        threads, and writes (a push), are not part of it.

        A push is many transactions, so a report cannot be kept from seeing part of one:
        when the database is marked as being pushed to (or as left half written by a
        push that stopped midway), the snapshot warns with
        :class:`~chainmap.errors.PartialPushWarning` and the report goes on.
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
                if isinstance(exc, Neo4jError) and exc.code == _NO_DATABASE:
                    raise self._no_database() from None
                raise WorkspaceError(_("lost the connection to Neo4j at {uri}: {reason}"
                                       ).format(uri=self.uri, reason=exc)) from None
            self._tx, self._tx_thread = tx, threading.get_ident()
            try:
                if self.push_state() == "incomplete":  # at the caller's line (errors.warn)
                    warn(PartialPushWarning(self.uri))
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
        return self._execute(text, params, values=False)

    def _execute(self, text: str, params: dict[str, object], values: bool) -> list:
        from neo4j import Result
        from neo4j.exceptions import (
            ConnectionPoolError,
            Neo4jError,
            ServiceUnavailable,
            SessionExpired,
        )

        try:
            tx = self._tx
            if tx is not None and self._tx_thread == threading.get_ident():
                result = tx.run(text, params)  # type: ignore[attr-defined]
                if values:
                    return [list(r.values()) for r in result]
                return [r.data() for r in result]
            if values:  # rows as lists of values, without a Record per row
                return self.driver.execute_query(text, params, database_=self.database,
                                                 result_transformer_=Result.values)
            records, _summary, _keys = self.driver.execute_query(text, params,
                                                                 database_=self.database)
        except (ServiceUnavailable, SessionExpired, ConnectionPoolError) as exc:
            raise ConnectionLost(_("lost the connection to Neo4j at {uri}: {reason}").format(
                uri=self.uri, reason=exc)) from None
        except Neo4jError as exc:
            if exc.code == _NO_DATABASE:
                raise self._no_database() from None
            raise WorkspaceError(_("Neo4j refused a query: {reason}").format(
                reason=exc.message)) from None
        return [r.data() for r in records]

    def _no_database(self) -> WorkspaceError:
        return WorkspaceError(_("Neo4j at {uri} has no database '{database}' (check "
                                "NEO4J_DATABASE)").format(uri=self.uri, database=self.database))

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

    def firms_key(self) -> None:
        """``None``, as :meth:`cache_key`."""
        return None

    def firm_steps(self) -> list[tuple[tuple[str, str], list[str]]]:
        """Empty: no :meth:`firms_key` to step from."""
        return []

    def get_config(self, key: str) -> str | None:
        """The configuration value ``key``, or ``None``."""
        rows = self.run("meta_get", key="config." + key)
        return rows[0]["value"] if rows else None

    def set_config(self, key: str, value: str | None) -> None:
        """Set the configuration value ``key``; ``None`` removes it."""
        self._ensure_schema()
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
        rows: list = self.run(f"read_{name}")
        if name in _ONE_RECORD:  # one record of rows, each the columns in order
            rows = rows[0]["rows"] if rows else []
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
        """Make the dataset tables of the database equal to ``dataset``'s (:meth:`mirror`).

        Rows the database holds and ``dataset`` does not are deleted. ``then``, if given,
        runs after the push. Returns the new rows per table.
        """
        result = self.mirror({name: getattr(dataset, name) for name in TABLE_COLUMNS},
                             progress=progress)
        if then is not None:
            then()
        return {name: result.get(name, 0) for name in TABLE_COLUMNS}

    def write_pipeline(self, tables: Mapping[str, pd.DataFrame],
                       progress: Progress | None = None) -> None:
        """Make the lead-pipeline tables of the database equal to ``tables`` (:meth:`mirror`)."""
        self.mirror({name: tables[name] for name in CRM_COLUMNS if name in tables},
                    progress=progress)

    def mirror(self, tables: Mapping[str, pd.DataFrame], progress: Progress | None = None,
               planned: Callable[[int], None] | None = None, *,
               firms: Sequence[str] | None = None, mark: str | None = None) -> PushResult:
        """Make the tables ``tables`` of the database equal to the given frames.

        Only what differs is sent: every row pushed carries a hash of its content
        (``_h``), and the database keeps, per table, a digest of those hashes per bucket
        of rows (firms, and their links, in 65,536 buckets by firm id). The buckets whose
        digest differs from the workspace's are read back (keys and hashes only) and
        compared row by row: new rows are created, changed rows replaced, rows the frames
        no longer hold deleted (a firm dropped by ``firms merge`` with its links). Into an
        empty database everything is created in large batches.

        Each batch is its own transaction. A push that stops midway (a lost connection)
        leaves the database marked incomplete and without the digests of the tables it
        was writing; the next push compares those tables row by row and finishes the job.

        With ``firms`` (an incremental push, :func:`chainmap.push`), the frames of the
        firm tables (``companies``, ``capabilities``, ``supplies``) hold only the rows of
        those firms, and only those firms are compared (read back by id): what the
        database holds of them and the frames do not is deleted; other firms are not
        touched. Tables not in ``tables`` are not touched either. The stored digests are
        brought up to date from the row hashes compared.

        ``mark`` (the workspace's change-log mark, :meth:`push_mark`) is stored once the
        push has finished; any push removes the stored mark before it writes, so a push
        that stopped midway leaves none.

        ``progress(table, rows)`` is called after each batch sent; ``planned(rows)`` once,
        with the number of rows to send, before the first. Returns the new rows per table
        (a :class:`PushResult`, with the changed and deleted rows per table).
        """
        self._ensure_schema()
        order = [name for name in (*TABLE_COLUMNS, *CRM_COLUMNS) if name in tables]
        frames = {name: tables[name].loc[:, list(_columns(name))].reset_index(drop=True)
                  for name in order}
        stored = dict(self._values("meta_get_many", keys=[
            _DIGEST + name for name in dict.fromkeys((*order, *_LISTED))]))
        plans = {name: self._plan(name, frames[name], stored.get(_DIGEST + name),
                                  firms if name in _BUCKET_BY else None)
                 for name in order}
        result = PushResult({name: len(plans[name].new) for name in order})
        result.changed = {name: len(plans[name].changed) for name in order}
        result.deleted = {name: len(plans[name].deleted) for name in order}
        dirty = [name for name in order if plans[name].dirty]
        # the firm tables' digests as this push leaves them (the maker lists are sealed
        # with these, not with what the database holds later: another push may come in)
        result.digests = {name: plans[name].digest if name in dirty
                          else stored.get(_DIGEST + name) for name in _LISTED}
        if planned is not None:
            planned(sum(len(p.new) + len(p.changed) for p in plans.values()))
        if not dirty and self.push_state() == "complete":
            if mark is not None and mark != self.push_mark():
                self.run("meta_set", key=_MARK, value=f"{mark}@{self.revision()}")
            return result
        self.run("meta_set", key="push_state", value="incomplete")
        # the maker lists' seal goes with any change of a firm table or of the products
        # (a product made anew holds no lists): a push that stops before its lists, or
        # does not make them, leaves the report reading the graph
        unseal = _LISTED + ("products",)
        self.run("meta_delete_many", keys=[_MARK, *(_DIGEST + name for name in dirty), *(
            _LISTS + t for t in _LISTED if any(name in unseal for name in dirty))])

        def send(query_name: str, table: str, rows: list[dict], key: str = "rows",
                 count: bool = True) -> None:
            batch = _CREATE_BATCH if query_name.startswith("create_") else _BATCH
            for i in range(0, len(rows), batch):
                self.run(query_name, **{key: rows[i:i + batch]})
                if progress and count:
                    progress(table, len(rows[i:i + batch]))

        for name in order:  # records before the relations naming them
            plan = plans[name]
            frame = frames[name]
            if name in _RELATIONS:
                send(f"delete_{name}", name, plan.deleted_rows(), count=False)
            node = name not in _RELATIONS
            if name in _COLUMNAR and name in _CREATES:
                part = plan.rows(frame, plan.new)
                for i in range(0, len(part), _CREATE_BATCH):
                    chunk = part.iloc[i:i + _CREATE_BATCH]
                    joined = _joined(chunk)
                    if joined is None:  # a value holds the separator: a map per row
                        self.run(f"create_{name}", rows=_records(chunk, drop_nulls=node))
                    else:
                        self._execute(query(f"create_{name}_columns"), joined, values=False)
                    if progress:
                        progress(name, len(chunk))
            else:
                new = _records(plan.rows(frame, plan.new), drop_nulls=node)
                send(f"create_{name}" if name in _CREATES else f"push_{name}", name, new)
            send(f"push_{name}", name, _records(plan.rows(frame, plan.changed)))
        for name in reversed(order):  # then the records no longer held, with what is left
            if name not in _RELATIONS:
                send(f"delete_{name}", name, plans[name].deleted_ids(), key="ids",
                     count=False)
        for name in dirty:
            if plans[name].digest is not None:
                self.run("meta_set", key=_DIGEST + name, value=plans[name].digest)
        self.run("meta_set", key="push_state", value="complete")
        self.run("revision_bump")
        if mark is not None:  # with the revision: any later push or setting voids it
            self.run("meta_set", key=_MARK, value=f"{mark}@{self.revision()}")
        return result

    def _plan(self, name: str, frame: pd.DataFrame, stored: bytes | None,
              firms: Sequence[str] | None = None) -> _Plan:
        """What to send for table ``name``: its new, changed and deleted rows."""
        import numpy as np

        keys = _KEYS.get(name, ("id",))
        hashes = _row_hashes(name, frame)
        bucket_of = _BUCKET_BY.get(name)
        if bucket_of:
            buckets = _bucket(frame[bucket_of])
            size = _BUCKETS
        else:
            buckets = np.zeros(len(frame), dtype=np.int64)
            size = 1
        order = np.argsort(buckets, kind="stable")
        digest = np.zeros(size, dtype=np.uint64)
        if len(frame):
            sorted_buckets = buckets[order]
            starts = np.flatnonzero(np.r_[True, sorted_buckets[1:] != sorted_buckets[:-1]])
            digest[sorted_buckets[starts]] = np.add.reduceat(hashes[order], starts)
        plan = _Plan(name, keys, digest.tobytes())
        local = frame.loc[:, list(keys)].copy()
        local["_h"] = hashes.view(np.int64)
        if bucket_of:
            local["_b"] = buckets
        plan.extra = local.loc[:, ["_h", "_b"] if name == "companies" else ["_h"]]
        theirs: Sequence[Sequence]
        if firms is not None:  # an incremental push: these firms only, read back by id
            found: list[tuple] = []
            for i in range(0, len(firms), _CREATE_BATCH):
                columns = self._values(f"firms_{name}", ids=list(firms[i:i + _CREATE_BATCH]))
                found += zip(*columns[0], strict=True) if columns else []
            plan.compare(local, found)
            plan.digest = _patched(stored, plan, hashes, buckets)
            plan.dirty = bool(plan.new or plan.changed or plan.deleted)
            return plan
        if isinstance(stored, (bytes, bytearray)) and len(stored) == digest.nbytes:
            differ = np.flatnonzero(np.frombuffer(bytes(stored), dtype=np.uint64) != digest)
            if not len(differ):
                plan.dirty = False
                return plan
            if bucket_of:
                theirs = self._values(f"bucket_{name}", buckets=differ.tolist())
                local = local[np.isin(buckets, differ)]
            else:
                theirs = self._values(f"keys_{name}")
        elif self._count(name) == 0:
            theirs = []
        else:
            theirs = self._values(f"keys_{name}")
        plan.compare(local, theirs)
        return plan

    def push_mark(self) -> str | None:
        """The change-log mark of the workspace this database was last pushed from.

        ``None`` when the last push came from a workspace without a change log, stopped
        midway, or when anything was written since (another push, from any chainmap, or
        a setting: each moves the database's revision, which the mark records); see
        :mod:`chainmap.store.sqlite.changes`.
        """
        rows = self.run("meta_get_many", keys=[_MARK, "revision"])
        found = {r["key"]: r["value"] for r in rows}
        mark, _at, revision = str(found.get(_MARK) or "").partition("@")
        return mark if mark and revision == str(found.get("revision")) else None

    def _values(self, name: str, **params: object) -> list[list]:
        """The rows of the shipped query ``name`` as lists of values (for big reads)."""
        return self._execute(query(name), params, values=True)

    def push_state(self) -> str | None:
        """``complete``, ``incomplete`` (a push stopped midway) or ``None`` (never pushed)."""
        rows = self.run("meta_get", key="push_state")
        return rows[0]["value"] if rows else None

    def _count(self, name: str) -> int:
        if name in CRM_COLUMNS:
            return len(self._values(f"keys_{name}"))
        return self.run(f"count_{name}")[0]["n"]

    #: The former name of :meth:`write_pipeline`.
    write_crm = write_pipeline

    def gap_counts(self, chain_id: str, home: Region,
                   targets: list[Region]) -> dict[str, pd.Series]:
        """The gap report's counts and ranked candidates, from the database.

        From the products' maker lists (``gaps_lists.cypher``, classed by
        :func:`chainmap.makerlists.gaps_from_lists`) while they hold for the firm tables
        (:meth:`maker_lists_fresh`), else computed in the database from the graph
        (``gaps.cypher``; ``gaps_wide.cypher`` for a province home).
        """
        from ..makerlists import gaps_from_lists, region_places
        from ..regions import REGION_COLUMN, cypher_params

        with self.snapshot():
            # rows of values (product, local_firms, local_demand, candidates): long lists
            # of ids, unpacked as they come (no per-item conversion of Record.data())
            places = self._fresh_places()
            if places is not None:  # the texts, classed here (a few MB, not 250k checks)
                products, outputs, uses = self._values("gaps_lists", chain=chain_id)[0]
                rows: Sequence[Sequence] = gaps_from_lists(
                    products, outputs, uses, home=region_places(places, home),
                    targets=region_places(places, *targets))
            else:
                # a province's local firms are too many to gather first: product by product
                shape = "gaps_wide" if home.level == "province" else "gaps"
                key = REGION_COLUMN[home.level]  # the firms' code column at the home's level
                rows = self._values(shape, chain=chain_id, home_key=key, home_code=home.code,
                                    **cypher_params(home, targets))
        ids = [r[0] for r in rows]
        return {
            "local_firms": pd.Series([sorted(r[1]) for r in rows], index=ids, dtype=object),
            "local_demand": pd.Series([r[2] for r in rows], index=ids),
            "candidates": pd.Series([r[3] for r in rows], index=ids, dtype=object),
        }

    #: The former name of :meth:`gap_counts`.
    gap_rows = gap_counts

    def maker_lists_fresh(self) -> bool:
        """Whether the products' maker lists hold for the firm tables as they are now.

        They do from the push that wrote them (:meth:`write_maker_lists`) until a write
        changes ``companies``, ``capabilities`` or ``supplies`` (each changes the table's
        stored digest); settings and the lead pipeline leave them as they are.
        """
        return self._fresh_places() is not None

    def _fresh_places(self) -> tuple[str, ...] | None:
        """The lists' place table while the lists hold (:meth:`maker_lists_fresh`)."""
        rows = self.run("makers_fresh", tables=list(_LISTED), digest=_DIGEST, lists=_LISTS,
                        places_key=_PLACES, hashes_key=_HASHES)
        if not (rows and rows[0]["fresh"]):
            return None
        return _place_table(rows[0]["places"])

    def maker_places(self) -> tuple[str, ...]:
        """The place table of the maker lists the database holds, held or not (or none).

        A push makes its lists with it (:func:`chainmap.makerlists.maker_lists`), so that
        the places it knows keep their characters and unchanged lists stay as they are.
        """
        rows = self.run("makers_places", places_key=_PLACES)
        return _place_table(rows[0]["places"] if rows else None)

    def write_maker_lists(self, lists: MakerLists,
                          digests: Mapping[str, bytes | None],
                          progress: Callable[[int], None] | None = None,
                          planned: Callable[[int], None] | None = None) -> int | None:
        """Leave ``lists`` on the products and seal them for the firm tables as they are.

        ``lists`` (:func:`chainmap.makerlists.maker_lists`) must be made from the data
        a push left, and ``digests`` be the firm tables' digests that push left
        (:attr:`PushResult.digests`): :func:`chainmap.push` makes the lists from the
        workspace it has just pushed, with the place table of :meth:`maker_places`. Only
        products whose lists differ are written (a product ``lists`` does not name gets
        empty ones; each batch removes the seal); then, in one transaction, the lists
        and their place table are sealed with ``digests``, if the database still holds
        them and every product holds these lists. Returns the number of products
        written, or ``None`` when nothing was sealed (a table without a stored digest,
        or another push in between): the gap report then reads the graph.
        ``planned(products)`` is called once with the number of products to write,
        ``progress(products)`` after each batch written.
        """
        from ..makerlists import EMPTY, ITEM

        sealed_with = [digests.get(t) for t in _LISTED]
        if not all(isinstance(d, (bytes, bytearray)) for d in sealed_with):
            return None
        self._ensure_schema()
        held = dict(self._values("makers_hashes"))
        mine = [{"id": product, "h": lists.get(product, EMPTY).digest} for product in held]
        changed = [row for row in mine if held[row["id"]] != row["h"]]
        if planned is not None:
            planned(len(changed))
        batch: list[dict] = []
        size = written = 0
        for i, row in enumerate(changed):
            made = lists.get(row["id"], EMPTY)
            batch.append({"id": row["id"], "ids": made.ids, "places": made.places,
                          "customers": made.customers, "h": row["h"]})
            size += len(made.ids) + len(made.places) + len(made.customers)
            if size >= _LISTS_BATCH or i == len(changed) - 1:
                self.run("makers_set", rows=batch, seal=[_LISTS + t for t in _LISTED])
                written += len(batch)
                if progress is not None:
                    progress(len(batch))
                batch, size = [], 0
        sealed = self.run("makers_seal", rows=mine, tables=list(_LISTED),
                          digests=sealed_with, digest=_DIGEST, lists=_LISTS,
                          places_key=_PLACES, places=ITEM.join(lists.places),
                          hashes_key=_HASHES)
        return written if len(sealed) == len(_LISTED) else None

    def clear(self) -> None:
        """Delete everything chainmap keeps in this database (for tests and re-pushes)."""
        with self.driver.session(database=self.database) as session:
            for statement in _statements(query("clear")):
                session.run(statement).consume()

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()


def _place_table(stored: str | None) -> tuple[str, ...]:
    """The place table as stored (its places joined by ``ITEM``; none: empty)."""
    from ..makerlists import ITEM

    return tuple(stored.split(ITEM)) if stored else ()
