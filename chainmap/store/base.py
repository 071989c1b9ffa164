"""The protocol every store implements, and the columns of its tables.

A :class:`~chainmap.workspace.Workspace` reaches its data only through a :class:`Store`:
reading tables, writing a dataset, the lead-pipeline writes, the gap counts and the
configuration. SQL lives only in :mod:`chainmap.store.sqlite`; Cypher only in ``cypher/``
and :mod:`chainmap.store.neo4j`. What a store can do is declared, not probed:

``writable``
    Imports (records updated field by field) and lead-pipeline writes go to this store,
    in its :meth:`~Store.transaction`. The SQLite store is writable; the Neo4j store is
    not (data arrives whole, by ``chainmap neo4j push``), and its pipeline writes raise
    :class:`~chainmap.errors.WorkspaceError`.
``keeps_leads``
    The store holds the lead-pipeline tables (:data:`CRM_COLUMNS`) for reading.
``computes_gaps``
    :meth:`~Store.gap_counts` computes the gap report's counts in the store (Neo4j);
    otherwise it returns ``None`` and the report is computed from the tables in Python.
``reads_columns``
    The store also is a :class:`ColumnReads`: it reads a few columns of a table, of the
    rows the reports count, or of records by id, without the others, and the leads with
    their firms' names or the three columns of the moves the pipeline reports use
    (SQLite). The workspace then builds the reports' codes, and
    :mod:`chainmap.crm.history` the pipeline's sums, from those columns; otherwise from
    whole tables.

Adding a table
--------------
One place per store, in this order:

1. Its columns, in frame order, in :data:`TABLE_COLUMNS` (a dataset table: also a field
   of :class:`~chainmap.io.validate.Dataset`) or :data:`CRM_COLUMNS` (a lead-pipeline
   table, written by the store's pipeline methods).
2. SQLite: a new migration appended to ``chainmap/store/sqlite/migrations.py`` creating
   it (never edit a released one). Reading (:meth:`Store.table`), the dataset upsert and
   the pipeline upsert (:meth:`Store.write_pipeline`) take its columns from step 1.
3. Neo4j: ``cypher/read_<table>.cypher``, ``cypher/push_<table>.cypher`` (an upsert
   setting the row hash ``_h``), ``cypher/keys_<table>.cypher`` and
   ``cypher/delete_<table>.cypher`` (and, for a dataset table, ``count_<table>`` and
   ``create_<table>``). :meth:`Store.table`, the push (which compares, sends and deletes)
   and the counts run them by name, in the order of step 1.

A new write is a method declared on :class:`Store`, implemented with SQL in
``chainmap/store/sqlite/pipeline.py``, and refused on Neo4j by :class:`RefusesPipeline`
(or written in Cypher there). The rules deciding a write stay in the caller
(:mod:`chainmap.crm`), run inside :meth:`Store.transaction` so that a check and the write
it decides cannot be separated by another writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, NoReturn, Protocol

from ..errors import WorkspaceError
from ..i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

    from ..io.validate import Dataset
    from ..regions import Region

__all__ = ["COMPANY_STATUSES", "CRM_COLUMNS", "EVIDENCE", "LINK_COLUMNS", "LINK_STATUSES",
           "PUSH_FIRST", "TABLE_COLUMNS", "Progress", "RefusesPipeline", "Store",
           "push_first_error", "pushed_pipeline_error", "python_string"]

#: ``progress(table, rows)``: ``rows`` more rows of ``table`` were written.
Progress = Callable[[str, int], None]

#: Columns of each stored table, in the order frames carry them.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "chains": ("id", "name", "name_en", "extra"),
    "products": ("id", "name", "name_en", "tier", "keywords", "exclude", "industries",
                 "extra"),
    "product_chains": ("product_id", "chain_id"),
    "inputs": ("upstream", "downstream"),
    "companies": ("id", "name", "uscc", "province", "city", "district", "region_code",
                  "province_code", "city_code", "in_park", "employees", "revenue", "status",
                  "status_raw", "address", "main_products", "scope", "industry",
                  "registered_capital", "founded", "source", "as_of", "extra"),
    "capabilities": ("company_id", "product_id", "status", "evidence", "source", "field",
                     "text"),
    "supplies": ("supplier_id", "customer_id", "product_id"),
}

#: Values of ``companies.status`` (the registry's own word is kept in ``status_raw``).
COMPANY_STATUSES = ("active", "closed")
#: Values of ``capabilities.status``: only ``confirmed`` links count in reports.
LINK_STATUSES = ("confirmed", "suggested", "rejected")
#: Values of ``capabilities.evidence`` (a classified link); ``None`` when a person stated it.
EVIDENCE = ("strong", "medium", "weak")
#: Columns of the frame :meth:`Store.write_links` takes.
LINK_COLUMNS = ("company_id", "product_id", "status", "evidence", "source", "field", "text")

#: Columns of the lead-pipeline tables (招商线索; see :mod:`chainmap.crm`). They are not
#: part of a dataset: ``Workspace.table("leads")`` reads them from stores that keep them.
#: The firm tables and the column that names the firm each row belongs to (the Neo4j
#: push's buckets, the SQLite change log's firms).
FIRM_COLUMN = {"companies": "id", "capabilities": "company_id", "supplies": "supplier_id"}

CRM_COLUMNS: dict[str, tuple[str, ...]] = {
    "leads": ("id", "seq", "company_id", "product_id", "stage", "owner", "investment",
              "source", "note", "lost_reason", "contract_date", "imported", "extra",
              "created", "created_by", "updated"),
    "lead_events": ("id", "lead_id", "from_stage", "to_stage", "date", "at", "by", "note",
                    "reason"),
    "activities": ("id", "lead_id", "kind", "date", "note", "at", "by"),
    "followups": ("id", "lead_id", "due", "note", "at", "by", "done_at", "done_by",
                  "done_note"),
    "merges": ("id", "keep_id", "drop_id", "dropped", "moved", "at", "by"),
    "audit": ("id", "at", "by", "entity", "entity_id", "lead_id", "action", "detail"),
    # after signing (schema 5; chainmap.crm.service, .delivery, .supervise): the ``id``
    # of liaisons is the firm's, of commitments the lead's, of stage_limits the stage
    "liaisons": ("id", "contact", "phone", "officer", "leader", "at", "by"),
    "requests": ("id", "seq", "company_id", "kind", "text", "officer", "date", "due",
                 "closed_date", "close_note", "at", "by", "updated"),
    "request_events": ("id", "request_id", "action", "date", "note", "at", "by"),
    "visits": ("id", "company_id", "kind", "date", "officer", "note", "at", "by"),
    "commitments": ("id", "land", "output", "tax", "jobs", "start_by", "produce_by", "at",
                    "by"),
    "actuals": ("id", "lead_id", "date", "invested", "output", "tax", "jobs", "at", "by"),
    "stage_limits": ("id", "days", "at", "by"),
}

Row = Mapping[str, object]


class Store(Protocol):
    """What a workspace needs from where its data lives.

    Pipeline rows are mappings of column (:data:`CRM_COLUMNS`) to value, without the
    ``id`` a store numbers itself (activities, follow-ups, merges, audit, history).
    """

    #: Where the data lives, for messages (a file path or a redacted URI).
    location: str
    #: Imports and lead-pipeline writes go here (see the module notes).
    writable: bool
    #: The store holds the lead-pipeline tables for reading.
    keeps_leads: bool
    #: :meth:`gap_counts` computes the gap report's counts in the store.
    computes_gaps: bool
    #: The store is also a :class:`ColumnReads` (reads a few columns, not whole rows).
    reads_columns: bool

    # -- reading ------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """The whole table ``name`` (of :data:`TABLE_COLUMNS` or :data:`CRM_COLUMNS`)."""
        ...

    def known_ids(self, table: str, ids: set) -> set:
        """Which of ``ids`` the store holds in ``table`` (chains, products or companies)."""
        ...

    def uscc_holders(self, usccs: set) -> dict[str, str]:
        """The firm holding each of ``usccs`` (USCC -> id; the first id if several).

        What an import decides with (a USCC held by another id is refused or merged);
        read inside the import's write transaction. A store that is not
        :attr:`writable` refuses it with the writes.
        """
        ...

    def names(self, table: str, ids: set) -> dict[str, str]:
        """The names of the records ``ids`` of ``table`` (chains, products or companies).

        Only the records asked for are read (unknown ids are left out): a report names
        its few firms without reading every firm.
        """
        ...

    def records(self, table: str, ids: set) -> pd.DataFrame:
        """The rows of the dataset table ``table`` whose ``id`` is one of ``ids``.

        Every column of :data:`TABLE_COLUMNS`, in no particular order of rows (unknown
        ids are left out): a report reads its few thousand firms, not every firm.
        """
        ...

    def revision(self) -> int:
        """A number that changes whenever the data changes."""
        ...

    def snapshot(self) -> AbstractContextManager[None]:
        """Read one committed state: the reads inside see the data as of one moment.

        A report's tables, names, revision and :meth:`cache_key` are read inside one
        (SQLite: one read transaction of the write-ahead log; Neo4j: one read
        transaction). Snapshots nest, joining the outer one; inside a
        :meth:`transaction` a snapshot joins it. Writers in other processes are neither
        seen nor held up.
        """
        ...

    def cache_key(self) -> tuple[str, str] | None:
        """Where the data live and their state now, for caches kept outside the store.

        ``(place, state)``: ``place`` names the workspace across processes (one cache
        file per place), ``state`` changes whenever the data do (the revision, and what
        tells one file at a path from another). ``None`` when no such key can be
        given: an in-memory workspace, a server whose data can be replaced without a
        trace. Derived results such as :mod:`chainmap.analysis.matrix` are then kept
        only in memory, per revision.
        """
        ...

    def firms_key(self) -> tuple[str, str] | None:
        """As :meth:`cache_key`, for what is made of the firm tables alone.

        ``state`` changes whenever ``companies``, ``capabilities`` or ``supplies`` do,
        and may stay as it is through other writes (a lead added). The reports' codes
        (:func:`chainmap.analysis.gaps.gap_codes`) are kept under it.
        """
        ...

    def firm_steps(self) -> list[tuple[tuple[str, str], list[str]]]:
        """Earlier :meth:`firms_key` states and the firms changed since each, newest first.

        The reports' codes kept under one of those keys are brought up to date by
        reading the rows of those firms alone. Empty when the store cannot tell (the
        codes are then made from every firm).
        """
        ...

    def gap_counts(self, chain_id: str, home: Region,
                   targets: list[Region]) -> dict[str, pd.Series] | None:
        """The gap report's counts per product, computed in the store.

        ``local_firms``, ``local_demand`` and ranked ``candidates``; ``None`` unless
        :attr:`computes_gaps`.
        """
        ...

    # -- configuration ------------------------------------------------------------
    def get_config(self, key: str) -> str | None:
        """The configuration value ``key`` (``home``, ``demo``), or ``None``."""
        ...

    def set_config(self, key: str, value: str | None) -> None:
        """Set the configuration value ``key``; ``None`` removes it."""
        ...

    # -- writing ------------------------------------------------------------------
    def transaction(self) -> AbstractContextManager[None]:
        """All or nothing: the writes inside commit together or not at all.

        Nested transactions join the outer one. A store that is not :attr:`writable`
        raises :class:`~chainmap.errors.WorkspaceError`.
        """
        ...

    def write_dataset(self, dataset: Dataset, progress: Progress | None = None,
                      then: Callable[[], None] | None = None) -> dict[str, int]:
        """Upsert ``dataset``; return the new rows per table of :data:`TABLE_COLUMNS`.

        ``then``, if given, runs after the dataset is written, inside the same
        transaction where the store has one (an import's leads, a pull's pipeline).
        """
        ...

    def write_pipeline(self, tables: Mapping[str, pd.DataFrame],
                       progress: Progress | None = None) -> None:
        """Upsert whole lead-pipeline tables (:data:`CRM_COLUMNS`) by id, ids kept.

        A push to, or a pull from, another store.
        """
        ...

    def write_links(self, links: pd.DataFrame, *, mode: str) -> int:
        """Write capability links found by classification or decided by a person.

        Columns :data:`LINK_COLUMNS`, in one :meth:`transaction` (joining an outer one).

        ``mode="suggest"``: a pair without a row is inserted as ``suggested``; a row still
        ``suggested`` takes the new ``evidence``, ``source``, ``field`` and ``text``;
        ``confirmed`` and ``rejected`` rows are never touched. Returns the rows inserted.

        ``mode="decide"``: each pair takes the frame's ``status`` (``confirmed`` or
        ``rejected``) and ``source`` (its ``evidence``, ``field`` and ``text`` when given),
        inserted when absent; a confirmed link is never set back to ``suggested``.
        Returns the rows changed (inserted or updated).
        """
        ...

    # -- lead-pipeline writes (inside :meth:`transaction`) ------------------------------
    def lead(self, lead_id: str) -> dict | None:
        """The stored row of the lead ``lead_id`` (every leads column), or ``None``."""
        ...

    def leads_for(self, company_id: str, product_id: str | None) -> list[dict]:
        """``id``, ``stage`` and ``source`` of the leads for this firm and product.

        ``product_id`` ``None`` means no product; oldest first.
        """
        ...

    def next_lead_number(self) -> int:
        """The number (``seq``) the next lead takes: never one used before."""
        ...

    def add_lead(self, lead: Row, event: Row) -> None:
        """Insert the lead ``lead`` (every leads column) and its first history row."""
        ...

    def move_lead(self, lead_id: str, stage: str, lost_reason: str | None, updated: str,
                  event: Row) -> None:
        """Set the lead's stage (and lost reason) and append the history row ``event``."""
        ...

    def update_lead(self, lead_id: str, changes: Row, updated: str) -> None:
        """Set the leads columns ``changes`` of the lead ``lead_id``."""
        ...

    def log_activity(self, activity: Row) -> int:
        """Append an activity; return its number."""
        ...

    def add_followup(self, followup: Row) -> int:
        """Append a follow-up; return its number."""
        ...

    def followup(self, number: int) -> dict | None:
        """The stored row of the follow-up ``number``, or ``None``."""
        ...

    def complete_followup(self, number: int, done_at: str, done_by: str,
                          done_note: str | None) -> None:
        """Mark the follow-up ``number`` done."""
        ...

    def firm_links(self, keep_id: str, drop_id: str) -> dict[str, int]:
        """What merging ``drop_id`` into ``keep_id`` would move.

        Counts of ``capabilities``, ``supplies`` (not between the two), ``leads``,
        ``activities`` and ``followups`` (of those leads), and ``internal`` supplies
        between the two.
        """
        ...

    def merge_firms(self, keep_id: str, drop_id: str, fills: Row, extra: str | None,
                    updated: str) -> dict[str, list]:
        """Move ``drop_id``'s capabilities, supplies and leads to ``keep_id``.

        Also set ``fills`` and ``extra`` on ``keep_id``, remove ``drop_id`` and the
        supplies between the two; return ``internal_supplies`` removed and ``leads``
        moved.
        """
        ...

    def log_merge(self, merge: Row) -> None:
        """Append a row to the merge log."""
        ...

    def audit(self, entry: Row) -> None:
        """Append a row to the audit log."""
        ...

    # -- after signing: 1+1+1, requests, visits, delivery, limits (inside transaction) --
    def liaison(self, company_id: str) -> dict | None:
        """The 1+1+1 row of the firm ``company_id`` (``liaisons``), or ``None``."""
        ...

    def set_liaison(self, row: Row) -> None:
        """Insert or replace the ``liaisons`` row ``row`` (its ``id`` is the firm's)."""
        ...

    def next_request_number(self) -> int:
        """The number (``seq``) the next request takes: never one used before."""
        ...

    def add_request(self, row: Row) -> None:
        """Insert the request ``row`` (every ``requests`` column)."""
        ...

    def request(self, request_id: str) -> dict | None:
        """The stored row of the request ``request_id``, or ``None``."""
        ...

    def add_request_event(self, row: Row) -> int:
        """Append a progress note or the closing of a request; return its number."""
        ...

    def close_request(self, request_id: str, closed_date: str, close_note: str,
                      updated: str) -> None:
        """Mark the request ``request_id`` closed (销号) on ``closed_date``."""
        ...

    def add_visit(self, row: Row) -> int:
        """Append a 四送一服 visit; return its number."""
        ...

    def commitment(self, lead_id: str) -> dict | None:
        """The commitments of the lead ``lead_id`` (``commitments``), or ``None``."""
        ...

    def set_commitment(self, row: Row) -> None:
        """Insert or replace the ``commitments`` row ``row`` (its ``id`` is the lead's)."""
        ...

    def actual(self, lead_id: str, date: str) -> dict | None:
        """The ``actuals`` row of the lead ``lead_id`` dated ``date``, or ``None``."""
        ...

    def set_actual(self, row: Row) -> None:
        """Insert or replace the ``actuals`` row of ``row``'s lead and date."""
        ...

    def set_stage_limit(self, stage: str, days: int | None, at: str, by: str) -> None:
        """Set the time limit of ``stage`` in days; ``None`` removes it (the default)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class ColumnReads(Protocol):
    """The column reads of a store that declares :attr:`Store.reads_columns`."""

    def table_columns(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """The columns ``columns`` of the whole table ``name``, no other column read."""
        ...

    def live_columns(self, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
        """``columns`` of the rows the reports count (as ``Workspace._live``).

        ``rowid`` may be among the columns of ``companies`` and ``supplies``: the rows'
        order.
        """
        ...

    def live_rows_of(self, table: str, columns: tuple[str, ...],
                     firms: list[str]) -> pd.DataFrame:
        """As :meth:`live_columns`, of the rows naming one of ``firms`` only."""
        ...

    def rows_at(self, table: str, rowids: list[int],
                columns: tuple[str, ...]) -> dict[int, tuple]:
        """``columns`` of the rows ``rowids`` of ``companies`` or ``supplies``, by rowid."""
        ...

    def record_columns(self, table: str, ids: set, columns: tuple[str, ...]) -> pd.DataFrame:
        """``id`` and ``columns`` of the rows of ``table`` whose id is one of ``ids``."""
        ...

    def rows_where(self, table: str, column: str, values: set) -> pd.DataFrame:
        """Every column of the rows of ``table`` whose ``column`` is one of ``values``."""
        ...

    def rows_between(self, table: str, column: str, first: str, last: str) -> pd.DataFrame:
        """Every column of the rows of ``table`` whose date ``column`` is in ``first..last``."""
        ...

    def count(self, name: str) -> int:
        """Rows of the dataset table ``name``, counted by the store."""
        ...

    # the lead pipeline's reads (chainmap.store.sqlite.history)
    def lead_rows(self, columns: tuple[str, ...]) -> pd.DataFrame:
        """``columns`` of every lead by number (objects, ``None`` for NULL)."""
        ...

    def lead_firms(self) -> pd.DataFrame:
        """``id``, ``name`` and ``province`` of every firm some lead is for."""
        ...

    def move_columns(self) -> pd.DataFrame:
        """``lead_id``, ``to_stage`` and ``date`` of every move, in the order recorded."""
        ...

    def last_move_row(self) -> int:
        """The rowid of the newest history row (0 without any)."""
        ...

    def moves_after(self, rowid: int) -> list[tuple]:
        """``(lead_id, to_stage, date)`` of the history rows after ``rowid``, in order."""
        ...

    def lead_read_row(self, lead_id: str, columns: tuple[str, ...]) -> dict | None:
        """One lead's ``columns``, ``since``, ``company_name`` and ``province``, or ``None``."""
        ...


#: Why a store that holds a pushed pipeline (Neo4j) refuses every pipeline write, and how
#: to change it in Python (``{location_literal}``: the location as a Python string
#: literal, :func:`python_string`); the command line says ``chainmap neo4j push``
#: (:data:`chainmap.cli.errors.CLI_MESSAGES`, topic ``pushed-pipeline``).
_NO_PIPELINE = N_("the lead pipeline needs the embedded SQLite workspace; {location} holds a "
                  "pushed copy that only reports read: change leads in the SQLite workspace, "
                  "then push it with chainmap.push(ws, {location_literal})")


def python_string(text: str) -> str:
    r"""``text`` as a Python string literal, in double quotes when it holds no quote.

    Examples
    --------
    >>> print(python_string("bolt://db:7687"), python_string('bolt://a"b\\c'))
    "bolt://db:7687" 'bolt://a"b\\c'
    """
    literal = repr(text)
    # repr chose single quotes and ``text`` has no quote at all: nothing inside is a quote
    if literal.startswith("'") and '"' not in text and "'" not in text:
        return '"' + literal[1:-1] + '"'
    return literal


def pushed_pipeline_error(location: str) -> WorkspaceError:
    """The error of a pipeline write to a store that holds a pushed copy (Neo4j).

    Its snippet is valid Python whatever the location holds (a quote, a backslash).
    """
    return WorkspaceError(_(_NO_PIPELINE).format(
        location=location, location_literal=python_string(location)),
        topic="pushed-pipeline", values={"location": location})


#: What a store holding a pushed copy (Neo4j) refuses besides the pipeline, by topic, in
#: the words of Python: do it in the SQLite workspace, then ``chainmap.push``; the
#: command line says ``chainmap neo4j push`` (:data:`chainmap.cli.errors.CLI_MESSAGES`).
PUSH_FIRST = {
    "push-import": N_("import into the SQLite workspace, then push it with "
                      "chainmap.push(ws, {location_literal}) (an import updates records field "
                      "by field, which the Neo4j store does not)"),
    "push-firms": N_("import firms into the SQLite workspace, then push it with "
                     "chainmap.push(ws, {location_literal})"),
    "push-review": N_("classify and review in the SQLite workspace, then push it with "
                      "chainmap.push(ws, {location_literal})"),
    "push-chains": N_("add chains to the SQLite workspace, then push it with "
                      "chainmap.push(ws, {location_literal})"),
}


def push_first_error(topic: str, location: str) -> WorkspaceError:
    """The refusal of a write a store holding a pushed copy (Neo4j) does not make.

    Parameters
    ----------
    topic : str
        What was refused: a key of :data:`PUSH_FIRST` (``push-import``, ``push-firms``,
        ``push-review``, ``push-chains``).
    location : str
        The database, as the workspace names it.

    Returns
    -------
    WorkspaceError
        With ``topic`` and the ``location`` for the command line's words.

    Examples
    --------
    >>> str(push_first_error("push-firms", "bolt://db:7687"))
    'import firms into the SQLite workspace, then push it with chainmap.push(ws, "bolt://db:7687")'
    """
    return WorkspaceError(_(PUSH_FIRST[topic]).format(
        location=location, location_literal=python_string(location)), topic=topic,
        values={"location": location})


class RefusesPipeline:
    """The lead-pipeline writes of a store that is not :attr:`Store.writable`.

    Each raises :class:`~chainmap.errors.WorkspaceError` (write in the SQLite
    workspace, then push). Declared ``NoReturn``, so they stand for every write's
    signature in :class:`Store`.
    """

    location: str
    writable = False

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise pushed_pipeline_error(self.location)

    transaction = lead = leads_for = next_lead_number = add_lead = move_lead = _refuse
    update_lead = log_activity = add_followup = followup = complete_followup = _refuse
    firm_links = merge_firms = log_merge = audit = write_links = _refuse
    liaison = set_liaison = next_request_number = add_request = request = _refuse
    add_request_event = close_request = add_visit = commitment = set_commitment = _refuse
    actual = set_actual = set_stage_limit = uscc_holders = _refuse
