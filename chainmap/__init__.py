"""chainmap: industrial-chain maps, gap analysis and lead pipeline for development zones.

The public API, re-exported here:

- :func:`open` a workspace (``chainmap.db`` by default), then
- :func:`import_dataset` / :func:`export_dataset` datasets, :func:`check` their quality,
- :func:`sample` writes the bundled Dangtu sample, :func:`demo` shows it,
- :func:`gaps` (缺链/弱链), :func:`targets`, :func:`anchor` (本地配套率), :func:`metrics`,
  :func:`impact` (what-if) analyse a chain at the home zone; :func:`opportunities` ranks
  its links by relatedness, complexity and local demand, :func:`related` lists the
  products nearest to one; :func:`graph` is the chain
  as a networkx graph, :func:`write_graph` writes it as GraphML or GEXF;
- the lead pipeline (招商线索, :mod:`chainmap.crm`): :func:`add_lead`, :func:`move_lead`,
  :func:`list_leads`, :func:`pipeline`, :func:`duplicate_firms`, :func:`merge_firms` ...;
  :func:`weekly_report` (招商周报) sums up a period of it;
- after signing: the 1+1+1 service of firms and their requests (:func:`assign_service`,
  :func:`add_request`, :func:`close_request`, :func:`service_report` ...), commitments
  against delivery (:func:`record_actual`, :func:`project_delivery`) and traffic-light
  supervision (:func:`supervise`, :func:`set_stage_limit`);
- :func:`backup` a workspace to a file while others write, :func:`restore` it from one;
- :func:`push` / :func:`pull` a workspace to and from Neo4j; ``chainmap.open("bolt://...")``
  opens a Neo4j store directly (the gap report is then computed in Cypher).

Two modules are imported only when used: :mod:`chainmap.viz` (chain maps, pyvis) and
:mod:`chainmap.charts` (the pipeline funnel and the gap bars, matplotlib).

Every name here is the ``__all__`` of one submodule listed in ``_EXPORTS``, imported on
first use (PEP 562): ``import chainmap`` alone does not import pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import attach

__version__ = "0.1.0"

#: Submodule -> the names re-exported from it: its ``__all__``, no more, no less
#: (tests/test_public_api.py checks that; it prints the line to paste when one drifts).
_EXPORTS: dict[str, tuple[str, ...]] = {
    "analysis.anchor": ("ANCHOR_INPUT_COLUMNS", "ANCHOR_SUMMARY_COLUMNS",
                        "ANCHOR_SUPPLIER_COLUMNS", "AnchorReport", "anchor"),
    "analysis.gaps": ("GAP_COLUMNS", "gaps"),
    "analysis.graph": ("FIRM", "GRAPH_FORMATS", "PRODUCT", "graph", "write_graph"),
    "analysis.impact": ("IMPACT_CUSTOMER_COLUMNS", "IMPACT_PRODUCT_COLUMNS", "ImpactReport",
                        "impact"),
    "analysis.metrics": ("METRIC_COLUMNS", "metrics"),
    "analysis.opportunities": ("OPPORTUNITY_COLUMNS", "STRATEGIES", "ThinDataWarning",
                               "WEIGHTS", "opportunities"),
    "analysis.related": ("RELATED_COLUMNS", "related"),
    "analysis.targets": ("TARGET_COLUMNS", "targets"),
    "backups": ("BackupResult", "backup", "restore"),
    "crm.activities": ("DUE_COLUMNS", "STALE_COLUMNS", "add_followup", "complete_followup",
                       "followups_due", "log_activity", "stale_leads"),
    "crm.audit": ("AUDIT_COLUMNS", "audit_log"),
    "crm.delivery": ("DELIVERY_COLUMNS", "DELIVERY_FLAGS", "FULL_OUTPUT_SHARE",
                     "project_delivery", "record_actual"),
    "crm.identity": ("DUPE_COLUMNS", "MergePlan", "duplicate_firms", "merge_firms"),
    "crm.leads": ("ACTUAL_COLUMNS", "CARD_REQUEST_COLUMNS", "COMMITMENT_KEYS",
                  "FROM_GAPS_COLUMNS", "FromGapsResult", "LEAD_COLUMNS", "LeadDetails", "add_lead",
                  "lead_details", "leads_from_gaps", "list_leads", "move_lead", "update_lead"),
    "crm.leads_io": ("LeadsImport", "export_leads", "import_leads"),
    "crm.pipeline": ("DEFAULT_OVERDUE_DAYS", "PROJECT_COLUMNS", "Pipeline",
                     "overdue_days", "overdue_projects", "pipeline", "set_overdue_days",
                     "signed_projects"),
    "crm.service": ("REQUEST_COLUMNS", "REQUEST_KINDS", "SERVICE_FIRM_COLUMNS",
                    "SERVICE_MEASURES", "VISIT_KINDS", "ServiceReport", "add_request",
                    "assign_service", "close_request", "list_requests", "log_visit",
                    "record_progress", "sample_service", "service_firms", "service_report"),
    "crm.supervise": ("DEFAULT_STAGE_LIMITS", "LIGHTS", "REQUEST_WARNING_DAYS",
                      "SUPERVISE_COLUMNS", "YELLOW_SHARE", "set_stage_limit", "stage_limits",
                      "supervise", "supervision_orders", "supervision_workbook"),
    "i18n": ("LANGUAGES", "label", "language", "set_language", "translate", "use_language"),
    "intake.firms": ("FirmsImport", "import_firms"),
    "intake.review": ("ACCEPT_COLUMN", "REVIEW_COLUMNS", "accept", "classify", "reject",
                      "review_sheet"),
    "intake.templates": ("TEMPLATE_COLUMNS", "add_chain", "templates"),
    "errors": ("ArgumentError", "CODES", "ChainmapError", "DatasetError", "Finding",
               "NearMatchWarning", "NotFoundError", "PartialPushWarning", "Problem",
               "RegionError", "WorkspaceError"),
    "labels": ("SEVERITIES", "SEVERITY_ZH", "STAGES", "STAGE_ZH", "STATUSES", "STATUS_ZH",
               "TIERS", "TIER_ZH", "UNSPECIFIED", "tier_key"),
    "quality": ("CHECKS", "CHECK_COLUMNS", "Findings", "check", "findings"),
    # regions' functions are called as chainmap.regions.resolve(...); only Region here
    "regions": ("Region",),
    "reports.signed": ("DEFAULT_BANDS", "SIGNED_COLUMNS", "SIGNED_MEASURES", "SignedReport",
                       "signed_report"),
    "reports.weekly": ("WEEKLY_MEASURES", "WeeklyReport", "weekly_report"),
    "sampledata": ("SAMPLE_CHAIN", "SAMPLE_HOME", "sample", "sample_path"),
    "sync": ("pull", "push"),
    "tour": ("DemoSummary", "demo"),
    "workspace": ("DEFAULT_DB", "ImportResult", "Workspace", "export_dataset",
                  "import_dataset", "open_workspace", "workspace_path"),
}

#: ``chainmap.open(path)`` returns a :class:`Workspace` (the documented entry point).
_ALIASES = {"open": ("workspace", "open_workspace")}

__getattr__, __dir__, __all__ = attach(__name__, _EXPORTS, _ALIASES)

if TYPE_CHECKING:  # the same names, for type checkers and editors (a test compares them)
    from .analysis.anchor import *  # noqa: F403
    from .analysis.gaps import *  # noqa: F403
    from .analysis.graph import *  # noqa: F403
    from .analysis.impact import *  # noqa: F403
    from .analysis.metrics import *  # noqa: F403
    from .analysis.opportunities import *  # noqa: F403
    from .analysis.related import *  # noqa: F403
    from .analysis.targets import *  # noqa: F403
    from .backups import *  # noqa: F403
    from .crm.activities import *  # noqa: F403
    from .crm.audit import *  # noqa: F403
    from .crm.delivery import *  # noqa: F403
    from .crm.identity import *  # noqa: F403
    from .crm.leads import *  # noqa: F403
    from .crm.leads_io import *  # noqa: F403
    from .crm.pipeline import *  # noqa: F403
    from .crm.service import *  # noqa: F403
    from .crm.supervise import *  # noqa: F403
    from .errors import *  # noqa: F403
    from .i18n import *  # noqa: F403
    from .intake.firms import *  # noqa: F403
    from .intake.review import *  # noqa: F403
    from .intake.templates import *  # noqa: F403
    from .labels import *  # noqa: F403
    from .quality import *  # noqa: F403
    from .regions import Region  # noqa: F401
    from .reports.signed import *  # noqa: F403
    from .reports.weekly import *  # noqa: F403
    from .sampledata import *  # noqa: F403
    from .sync import *  # noqa: F403
    from .tour import *  # noqa: F403
    from .workspace import *  # noqa: F403
    from .workspace import open_workspace as open  # noqa: F401
