"""A big dataset write checks its references once per table (issue 13).

SQLite's per-row foreign-key lookups are off while ≥ 20,000 link rows are written; the
same references are checked after the rows are in, inside the transaction, so that a
write naming a record the workspace lacks is refused whole, as before.
"""

from __future__ import annotations

import pandas as pd
import pytest

import chainmap
from chainmap.errors import WorkspaceError
from chainmap.io.validate import Dataset
from chainmap.store.base import TABLE_COLUMNS

N = 25_000  # above the row count from which references are checked per table


def _dataset(firms: int, links: list[tuple[str, str]],
             supplies: list[tuple[str, str, str | None]] = ()) -> Dataset:
    def frame(name, rows):
        columns = TABLE_COLUMNS[name]
        out = pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns,
                           dtype=object)
        if "status" in columns:  # the column's default
            out["status"] = "active" if name == "companies" else "confirmed"
        return out

    return Dataset(
        chains=frame("chains", [("ac", "空调", None, None)]),
        products=frame("products", [("p1", "压缩机"), ("p2", "电机")]),
        product_chains=frame("product_chains", [("p1", "ac")]),
        inputs=frame("inputs", []),
        companies=frame("companies", [(f"f{i}", f"firm {i}", None, "安徽省", None, None,
                                       "340000", "340000") for i in range(firms)]),
        capabilities=frame("capabilities", links),
        supplies=frame("supplies", supplies))


def _store(tmp_path):
    return chainmap.open(tmp_path / "ws.db").store


def test_a_big_write_is_stored_and_foreign_keys_are_on_again(tmp_path):
    store = _store(tmp_path)
    links = [(f"f{i}", "p1") for i in range(N)]
    added = store.write_dataset(_dataset(N, links, [("f0", "f1", None), ("f1", "f2", "p2")]))
    assert added["capabilities"] == N and added["supplies"] == 2
    assert store.conn.execute("PRAGMA foreign_keys").one()[0] == 1
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("bad", ["firm", "product", "supplier", "then"])
def test_a_big_write_naming_a_missing_record_is_refused_whole(tmp_path, bad):
    store = _store(tmp_path)
    store.write_dataset(_dataset(3, [("f0", "p1")]))
    before = {t: store.count(t) for t in TABLE_COLUMNS}
    links = [(f"f{i}", "p1") for i in range(N)]
    supplies = [("f0", "f1", None)]
    then = None
    if bad == "firm":
        links.append(("ghost", "p2"))
    elif bad == "product":
        links.append(("f5", "ghost"))
    elif bad == "supplier":
        supplies.append(("ghost", "f1", "p1"))
    else:  # a row written by ``then`` (the leads of an import) naming a missing firm
        def then():
            store.conn.execute(
                "INSERT INTO liaisons (id, at, by) VALUES ('ghost', '2026-01-01', 'me')")
    with pytest.raises(WorkspaceError, match="FOREIGN KEY constraint failed"):
        store.write_dataset(_dataset(N, links, supplies), then=then)
    assert {t: store.count(t) for t in TABLE_COLUMNS} == before
    assert store.conn.execute("PRAGMA foreign_keys").one()[0] == 1


def test_a_big_write_may_name_records_the_workspace_holds(tmp_path):
    store = _store(tmp_path)
    store.write_dataset(_dataset(3, [("f0", "p1")]))
    data = _dataset(0, [("f0", "p2"), ("f1", "p2")] * (N // 2), [("f0", "f1", "p1")])
    data = Dataset(**{**data.__dict__, "capabilities": data.capabilities.drop_duplicates(),
                      "product_chains": pd.DataFrame(
                          {"product_id": ["p1"] * N, "chain_id": ["ac"] * N})})
    store.write_dataset(data)
    assert store.count("capabilities") == 3
