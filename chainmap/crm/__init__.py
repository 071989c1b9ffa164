"""The lead pipeline (招商线索).

Leads, stages, activities, follow-ups, pipeline reports, firm identity (duplicates,
merges) and the audit log; after signing, the 1+1+1 service of firms and their requests
(:mod:`.service`), commitments against delivery (:mod:`.delivery`) and traffic-light
supervision (:mod:`.supervise`).

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
# ``pipeline`` and ``supervise`` (the functions) are chainmap.pipeline and chainmap.supervise;
# here the names are the modules.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "activities": ("DUE_COLUMNS", "STALE_COLUMNS", "add_followup", "complete_followup",
                   "followups_due", "log_activity", "stale_leads"),
    "audit": ("AUDIT_COLUMNS", "audit_log"),
    "delivery": ("DELIVERY_COLUMNS", "DELIVERY_FLAGS", "FULL_OUTPUT_SHARE", "project_delivery",
                 "record_actual"),
    "common": ("CLOSED_STAGES", "OPEN_STAGES", "STAGES", "STAGE_ZH", "current_user"),
    "identity": ("DUPE_COLUMNS", "MergePlan", "duplicate_firms", "merge_firms"),
    "leads": ("ACTUAL_COLUMNS", "CARD_REQUEST_COLUMNS", "COMMITMENT_KEYS",
              "FROM_GAPS_COLUMNS", "FromGapsResult", "LEAD_COLUMNS", "LeadDetails",
              "add_lead", "lead_details",
              "leads_from_gaps", "list_leads", "move_lead", "update_lead"),
    "leads_io": ("LeadsImport", "export_leads", "import_leads"),
    "pipeline": ("DEFAULT_OVERDUE_DAYS", "PROJECT_COLUMNS", "Pipeline", "overdue_days",
                 "overdue_projects", "set_overdue_days", "signed_projects"),
    "service": ("REQUEST_COLUMNS", "REQUEST_KINDS", "SERVICE_FIRM_COLUMNS", "SERVICE_MEASURES",
                "VISIT_KINDS", "ServiceReport", "add_request", "assign_service",
                "close_request", "list_requests", "log_visit", "record_progress",
                "sample_service", "service_firms", "service_report"),
    "supervise": ("DEFAULT_STAGE_LIMITS", "LIGHTS", "REQUEST_WARNING_DAYS", "SUPERVISE_COLUMNS",
                  "YELLOW_SHARE", "set_stage_limit", "stage_limits", "supervision_orders",
                  "supervision_workbook"),
}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .activities import *  # noqa: F403
    from .audit import *  # noqa: F403
    from .common import CLOSED_STAGES, OPEN_STAGES, STAGE_ZH, STAGES, current_user  # noqa: F401
    from .delivery import *  # noqa: F403
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
    from .service import *  # noqa: F403
    from .supervise import *  # noqa: F403
