"""Copy a workspace between stores: push the embedded workspace to Neo4j, pull it back."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from typing import Any

import pandas as pd

from .analysis.gaps import gap_codes
from .errors import WorkspaceError
from .i18n import _
from .io.validate import Dataset
from .makerlists import maker_lists
from .store.base import CRM_COLUMNS, FIRM_COLUMN, TABLE_COLUMNS, Store
from .store.base import Progress as TableProgress
from .store.neo4j import ConnectionLost, Neo4jStore, PushResult
from .store.sqlite.changes import ChangeLog
from .workspace import Workspace

__all__ = ["pull", "push"]

Progress = Callable[[int, int], None]


def _dataset(store: Store) -> Dataset:
    # every table of TABLE_COLUMNS is a frame field of Dataset (store/base.py)
    frames: dict[str, Any] = {name: store.table(name) for name in TABLE_COLUMNS}
    return Dataset(**frames)


def _crm(store: Store) -> dict[str, pd.DataFrame]:
    return {name: store.table(name) for name in CRM_COLUMNS}


def _counting(frames: list[pd.DataFrame], progress: Progress | None) -> TableProgress | None:
    if progress is None:
        return None
    total = sum(len(f) for f in frames)
    done = [0]

    def on_write(table: str, n: int) -> None:
        done[0] += n
        progress(done[0], total)

    return on_write


def _firm_state(store: Store) -> object:
    """What changes with the store's firm tables (their key, else the revision)."""
    with store.snapshot():
        return store.firms_key() or store.revision()


def push(workspace: Workspace, target: Neo4jStore | str | None = None,
         progress: Progress | None = None) -> PushResult:
    """Make the Neo4j database equal to ``workspace``: send what differs, delete what is gone.

    Chains, products, inputs, firms, capabilities and supplies, then the lead pipeline
    (leads and their history, activities, follow-ups, merges, audit log) and what follows
    signing (1+1+1 liaisons, requests and their notes, visits, commitments, actuals,
    stage limits). Rows the database holds and the workspace no longer does (a firm
    dropped by ``firms merge --apply``, a deleted link) are deleted; only new and
    changed rows are sent (see :meth:`~chainmap.store.neo4j.Neo4jStore.mirror`), so a
    push after a small change is quick. Afterwards :func:`pull` into an empty workspace
    gives the workspace's tables back.

    From a SQLite workspace, the first push starts the workspace's change log
    (:mod:`chainmap.store.sqlite.changes`) and leaves a push mark in the database; a
    later push to the same database then reads and compares only the firms and tables
    changed since (``result.incremental`` is true and ``result.changes`` counts the
    changes logged). When the log cannot answer for the database (emptied, pushed from
    another workspace or by anything else since, a push stopped midway, a copy or
    backup of the workspace that went its own way) the whole workspace is compared, as
    on the first push. A workspace that cannot be written keeps no log and is always
    compared whole.

    When the firm tables changed (or the database's lists do not hold), the push then
    leaves on each product its ranked maker lists, made from the workspace's gap codes
    (:mod:`chainmap.makerlists`), which the gap report on Neo4j reads instead of the
    graph; ``result.maker_lists`` counts the products whose lists it rewrote (``None``:
    none needed it). The progress counts them after the rows.

    ``target`` is a :class:`~chainmap.store.neo4j.Neo4jStore`, a ``bolt://`` /
    ``neo4j://`` URI, or ``None`` for ``$NEO4J_URI``. Returns the new rows per table (a
    :class:`~chainmap.store.neo4j.PushResult`, whose ``changed`` and ``deleted`` give
    the rows replaced and removed). A push interrupted by a lost connection (after
    ``$CHAINMAP_NEO4J_TIMEOUT`` seconds of retries, default 5) raises
    :class:`~chainmap.errors.WorkspaceError` saying so; the database is marked
    incomplete once writing began, and the next push finishes the job.
    """
    store = target if isinstance(target, Neo4jStore) else Neo4jStore(target)
    try:
        local = workspace.store
        log = local if isinstance(local, ChangeLog) else None
        if log is not None:
            try:
                log.start_change_log()  # once: the first push from this workspace
            except sqlite3.Error:  # a workspace that cannot be written: the full mirror
                log = None
        with local.snapshot():  # the mark names exactly the rows read
            changes = None
            if log is not None and store.push_state() == "complete":
                changes = log.changes_since(store.push_mark())
            if changes is None:  # the full mirror
                tables = {name: local.table(name) for name in TABLE_COLUMNS}
                if local.keeps_leads:
                    tables.update(_crm(local))
                firms = None
                mark = log.change_mark() if log is not None else None
            else:  # what changed since the last push to this database
                tables = {name: local.table(name) for name in (*TABLE_COLUMNS, *CRM_COLUMNS)
                          if name in changes.tables
                          and (name in TABLE_COLUMNS or local.keeps_leads)}
                if changes.firms:
                    tables.update({name: log.changed_rows(name, changes.since)  # type: ignore[union-attr]
                                   for name in FIRM_COLUMN})
                firms = changes.firms
                mark = changes.mark
            # the state pushed, for the products' maker lists (made after the rows)
            pushed_state = _firm_state(local)
        total = [0]
        done = [0]

        def planned(rows: int) -> None:
            total[0] = rows

        def on_write(table: str, n: int) -> None:
            done[0] += n
            if progress is not None:
                progress(done[0], total[0])

        try:
            result = store.mirror(tables, progress=on_write, planned=planned, firms=firms,
                                  mark=mark)
            if not local.computes_gaps and not store.maker_lists_fresh():
                # from the workspace's gap codes, when they are those of the rows pushed
                # (no write to its firm tables since); else the report reads the graph
                lists = maker_lists(gap_codes(workspace), store.maker_places())
                if lists is not None and _firm_state(local) == pushed_state:
                    # the lists' products count on after the rows (one step each)
                    def more(n: int) -> None:
                        planned(total[0] + n)
                        on_write("maker_lists", 0)

                    result.maker_lists = store.write_maker_lists(
                        lists, result.digests,
                        progress=lambda n: on_write("maker_lists", n), planned=more)
        except ConnectionLost as exc:
            raise WorkspaceError(_("the push to {uri} was interrupted: {reason}. Push again "
                                   "when the server is back: that push finishes this one"
                                   ).format(uri=store.uri, reason=exc)) from None
        for name in (*TABLE_COLUMNS, *(CRM_COLUMNS if local.keeps_leads else ())):
            for counts in (result, result.changed, result.deleted):
                counts.setdefault(name, 0)  # tables an incremental push did not read
        result.incremental = changes is not None
        result.changes = changes.entries if changes is not None else None
        if log is not None and mark is not None:
            with contextlib.suppress(sqlite3.Error):  # the log is kept longer
                log.trim_change_log(mark)
        return result
    finally:
        if store is not target:
            store.close()


#: What makes two rows with the same id the same record, per lead-pipeline table.
_IDENTITY = {"leads": ("company_id", "created"), "lead_events": ("lead_id", "at"),
             "activities": ("lead_id", "at"), "followups": ("lead_id", "at"),
             "merges": ("keep_id", "at"), "audit": ("at", "entity_id"),
             # after signing; liaisons, commitments and stage limits are keyed by their
             # firm, lead and stage: the same id is the same record
             "requests": ("company_id", "at"), "request_events": ("request_id", "at"),
             "visits": ("company_id", "at"), "actuals": ("lead_id", "date")}


def _clashes(store: Store, crm: dict[str, pd.DataFrame]) -> list[str]:
    """Pulled pipeline rows whose id the workspace already uses for another record."""
    found = []
    for name, keys in _IDENTITY.items():
        frame = crm[name]
        if not len(frame):
            continue
        mine = store.table(name)
        local = {row[0]: tuple(row[1:])
                 for row in mine[["id", *keys]].astype(object).itertuples(index=False,
                                                                          name=None)}
        for row in frame[["id", *keys]].itertuples(index=False, name=None):
            ident = row[0].item() if hasattr(row[0], "item") else row[0]
            stored = local.get(ident)
            if stored is not None and stored != tuple(row[1:]):
                found.append(f"{name} {ident}")
    return found


def _upsert_crm(store: Store, crm: dict[str, pd.DataFrame]) -> Callable[[], None]:
    """The pipeline side of a pull, run inside the dataset write's transaction.

    Refused when the workspace's own pipeline uses the pulled ids for other records.
    """
    def write() -> None:
        clashes = _clashes(store, crm)
        if len(clashes) > 5:
            raise WorkspaceError(_("cannot pull: the workspace's own lead pipeline uses the "
                                   "same ids for other records ({records} and {more} more); "
                                   "pull into a new workspace").format(
                                       records=", ".join(clashes[:5]), more=len(clashes) - 5))
        if clashes:
            raise WorkspaceError(_("cannot pull: the workspace's own lead pipeline uses the "
                                   "same ids for other records ({records}); pull into a new "
                                   "workspace").format(records=", ".join(clashes)))
        store.write_pipeline(crm)
    return write


def pull(workspace: Workspace, source: Neo4jStore | str | None = None,
         progress: Progress | None = None) -> dict[str, int]:
    """Bring a Neo4j database's chains, products, firms and lead pipeline into ``workspace``.

    In one transaction (all or nothing), upserting by id.

    Leads keep their ids (L0001 ...); pulling into a workspace whose own pipeline uses
    the same ids for other records (another firm's L0001) is refused rather than mixed.
    Records are replaced whole by the pulled ones (no import merge rules).
    """
    store = source if isinstance(source, Neo4jStore) else Neo4jStore(source)
    try:
        dataset = _dataset(store)
        crm = _crm(store)
    finally:
        if store is not source:
            store.close()
    on_write = _counting([getattr(dataset, n) for n in TABLE_COLUMNS], progress)
    return workspace.store.write_dataset(dataset, progress=on_write,
                                         then=_upsert_crm(workspace.store, crm))
