"""The lead pipeline (招商线索): leads, stages, activities, follow-ups, pipeline reports,
firm identity (duplicates, merges) and the audit log.

Stages: ``lead`` 线索 → ``contacted`` 接洽 → ``visited`` 考察 → ``negotiating`` 洽谈 →
``signed`` 签约 → ``started`` 开工 → ``producing`` 投产, and ``lost`` 终止 (needs a reason).
A lead is *open* unless it is ``lost`` or ``producing``. Lead ids are ``L0001`` ...
Every write is one transaction and leaves a row in the audit log; "by whom" is the
``by`` argument, else ``$CHAINMAP_USER``, else the OS user name.
"""

from .activities import (
    DUE_COLUMNS,
    STALE_COLUMNS,
    add_followup,
    complete_followup,
    followups_due,
    log_activity,
    stale_leads,
)
from .audit import AUDIT_COLUMNS, audit_log
from .common import CLOSED_STAGES, OPEN_STAGES, STAGE_ZH, STAGES, current_user
from .identity import DUPE_COLUMNS, MergePlan, duplicate_firms, merge_firms
from .leads import (
    LEAD_COLUMNS,
    FromGapsResult,
    LeadDetails,
    add_lead,
    lead_details,
    leads_from_gaps,
    list_leads,
    move_lead,
    update_lead,
)
from .leads_io import LeadsImport, export_leads, import_leads

# ``pipeline`` (the function) is chainmap.pipeline; here the name is the module.
from .pipeline import (
    DEFAULT_OVERDUE_DAYS,
    PROJECT_COLUMNS,
    Pipeline,
    overdue_days,
    overdue_projects,
    signed_projects,
)

__all__ = [
    "AUDIT_COLUMNS", "CLOSED_STAGES", "DEFAULT_OVERDUE_DAYS", "DUE_COLUMNS", "DUPE_COLUMNS",
    "LEAD_COLUMNS", "OPEN_STAGES", "PROJECT_COLUMNS", "STAGES", "STAGE_ZH", "STALE_COLUMNS",
    "FromGapsResult", "LeadDetails", "LeadsImport", "MergePlan", "Pipeline", "add_followup",
    "add_lead", "audit_log", "complete_followup", "current_user", "duplicate_firms",
    "export_leads", "followups_due", "import_leads", "lead_details", "leads_from_gaps",
    "list_leads", "log_activity", "merge_firms", "move_lead", "overdue_days",
    "overdue_projects", "signed_projects", "stale_leads", "update_lead",
]
