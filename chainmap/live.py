"""What the reports count of the firm tables: the live rows.

One filter for every place that holds the tables as frames: the workspace's cached
frames (:meth:`Workspace._live <chainmap.Workspace._live>`) and the frames an import
has just written (:func:`chainmap.analysis.gaps.save_codes_of`). The SQLite store reads
the same rows by SQL (``SQLiteStore.live_columns``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["live_rows"]


def live_rows(name: str, table: pd.DataFrame, closed: set) -> pd.DataFrame:
    """The rows of ``table`` (``companies``, ``capabilities`` or ``supplies``) reports count.

    ``closed`` holds the ids of the firms that are not active. Firms not closed;
    confirmed links (no status: confirmed) of firms not closed; supplies between firms
    not closed. ``table`` itself when it keeps every row, else its kept rows renumbered.
    """
    if name == "companies":
        keep = None if not closed else ~table["id"].isin(closed)
    elif name == "capabilities":
        status = table["status"]
        unconfirmed = status.notna() & (status != "confirmed")
        keep = ~unconfirmed if unconfirmed.any() else None
        if closed:
            of_closed = table["company_id"].isin(closed)
            keep = ~of_closed if keep is None else keep & ~of_closed
    else:
        keep = None if not closed else \
            ~(table["supplier_id"].isin(closed) | table["customer_id"].isin(closed))
    return table if keep is None or bool(keep.all()) else \
        table[keep.to_numpy()].reset_index(drop=True)
