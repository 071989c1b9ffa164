"""The lead pipeline (招商线索).

Leads, stages, activities, follow-ups, pipeline reports, firm identity (duplicates,
merges) and the audit log.

Stages: ``lead`` 线索 → ``contacted`` 接洽 → ``visited`` 考察 → ``negotiating`` 洽谈 →
``signed`` 签约 → ``started`` 开工 → ``producing`` 投产, and ``lost`` 终止 (needs a reason).
A lead is *open* unless it is ``lost`` or ``producing``. Lead ids are ``L0001`` ...
Every write is one transaction and leaves a row in the audit log; "by whom" is the
``by`` argument, else ``$CHAINMAP_USER``, else the OS user name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attach

# Each module's ``__all__``, imported on first use (tests/test_public_api.py checks them).
# ``pipeline`` (the function) is chainmap.pipeline; here the name is the module.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "activities": ("DUE_COLUMNS", "STALE_COLUMNS", "add_followup", "complete_followup",
                   "followups_due", "log_activity", "stale_leads"),
    "audit": ("AUDIT_COLUMNS", "audit_log"),
    "common": ("CLOSED_STAGES", "OPEN_STAGES", "STAGES", "STAGE_ZH", "current_user"),
    "identity": ("DUPE_COLUMNS", "MergePlan", "duplicate_firms", "merge_firms"),
    "leads": ("FROM_GAPS_COLUMNS", "FromGapsResult", "LEAD_COLUMNS", "LeadDetails",
              "add_lead", "lead_details",
              "leads_from_gaps", "list_leads", "move_lead", "update_lead"),
    "leads_io": ("LeadsImport", "export_leads", "import_leads"),
    "pipeline": ("DEFAULT_OVERDUE_DAYS", "PROJECT_COLUMNS", "Pipeline", "overdue_days",
                 "overdue_projects", "set_overdue_days", "signed_projects"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .activities import *  # noqa: F403
    from .audit import *  # noqa: F403
    from .common import CLOSED_STAGES, OPEN_STAGES, STAGE_ZH, STAGES, current_user  # noqa: F401
    from .identity import *  # noqa: F403
    from .leads import *  # noqa: F403
    from .leads_io import *  # noqa: F403
    from .pipeline import (  # noqa: F401
        DEFAULT_OVERDUE_DAYS,
        PROJECT_COLUMNS,
        Pipeline,
        overdue_days,
        overdue_projects,
        set_overdue_days,
        signed_projects,
    )
