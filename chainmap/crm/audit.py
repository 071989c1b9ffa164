"""The audit log: every change to leads and firms, with when and by whom.

Changes to leads: adds, moves, updates, activities, follow-ups, imports; to firms:
dataset imports, merges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..dates import parse_date
from ..snapshot import reads_snapshot
from .common import lead_id

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["AUDIT_COLUMNS", "audit_log"]

#: Columns of :func:`audit_log`.
AUDIT_COLUMNS = ["at", "by", "entity", "entity_id", "lead_id", "action", "detail"]


@reads_snapshot
def audit_log(workspace: Workspace, since: str | None = None,
              lead: str | None = None) -> pd.DataFrame:
    """The audit log, oldest first; columns :data:`AUDIT_COLUMNS`.

    ``since`` (``YYYY-MM-DD``) keeps the changes recorded on or after that day;
    ``lead`` only those about one lead. ``at`` is when the change was recorded.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> _ = chainmap.move_lead(ws, "L0002", "negotiating", by="李娜", date="2026-03-10")
    >>> chainmap.audit_log(ws, lead="L2")[["by", "action", "detail"]].iloc[-1].tolist()
    ['李娜', 'move', 'visited → negotiating on 2026-03-10']
    """
    frame = workspace._table("audit").sort_values("id")
    if since:
        frame = frame[frame["at"] >= parse_date(since, "since")]
    if lead:
        frame = frame[frame["lead_id"] == lead_id(lead)]
    frame = frame[list(AUDIT_COLUMNS)].reset_index(drop=True)
    return frame.astype(object).where(frame.notna(), None)
