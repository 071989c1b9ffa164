"""chainmap: industrial-chain maps, gap analysis and lead pipeline for development zones.

The public API, re-exported here:

- :func:`open` a workspace (``chainmap.db`` by default), then
- :func:`import_dataset` / :func:`export_dataset` datasets, :func:`check` their quality,
- :func:`sample` writes the bundled Dangtu sample, :func:`demo` shows it,
- :func:`gaps` (缺链/弱链), :func:`targets`, :func:`anchor` (本地配套率), :func:`metrics`,
  :func:`impact` (what-if) analyse a chain at the home zone; :func:`graph` is the chain
  as a networkx graph, :func:`write_graph` writes it as GraphML or GEXF;
- the lead pipeline (招商线索, :mod:`chainmap.crm`): :func:`add_lead`, :func:`move_lead`,
  :func:`list_leads`, :func:`pipeline`, :func:`duplicate_firms`, :func:`merge_firms` ...;
- :func:`push` / :func:`pull` a workspace to and from Neo4j; ``chainmap.open("bolt://...")``
  opens a Neo4j store directly (the gap report is then computed in Cypher).

Two modules are imported only when used: :mod:`chainmap.viz` (chain maps, pyvis) and
:mod:`chainmap.charts` (the pipeline funnel and the gap bars, matplotlib).
"""

from .analysis import (
    ANCHOR_INPUT_COLUMNS,
    ANCHOR_SUMMARY_COLUMNS,
    ANCHOR_SUPPLIER_COLUMNS,
    GAP_COLUMNS,
    IMPACT_CUSTOMER_COLUMNS,
    IMPACT_PRODUCT_COLUMNS,
    METRIC_COLUMNS,
    TARGET_COLUMNS,
    AnchorReport,
    ImpactReport,
    anchor,
    gaps,
    graph,
    impact,
    metrics,
    targets,
    write_graph,
)
from .crm import (
    AUDIT_COLUMNS,
    DUE_COLUMNS,
    DUPE_COLUMNS,
    LEAD_COLUMNS,
    PROJECT_COLUMNS,
    STAGES,
    STALE_COLUMNS,
    FromGapsResult,
    LeadDetails,
    LeadsImport,
    MergePlan,
    Pipeline,
    add_followup,
    add_lead,
    audit_log,
    complete_followup,
    duplicate_firms,
    export_leads,
    followups_due,
    import_leads,
    lead_details,
    leads_from_gaps,
    list_leads,
    log_activity,
    merge_firms,
    move_lead,
    overdue_projects,
    signed_projects,
    stale_leads,
    update_lead,
)
from .crm.pipeline import pipeline
from .errors import (
    ArgumentError,
    ChainmapError,
    DatasetError,
    Finding,
    NotFoundError,
    Problem,
    RegionError,
    WorkspaceError,
)
from .quality import CHECK_COLUMNS, check
from .regions import Region
from .sampledata import SAMPLE_CHAIN, SAMPLE_HOME, sample, sample_path
from .sync import pull, push
from .tour import demo
from .workspace import (
    ImportResult,
    Workspace,
    export_dataset,
    import_dataset,
    open_workspace,
)

__version__ = "0.1.0"

#: ``chainmap.open(path)`` returns a :class:`Workspace`.
open = open_workspace  # noqa: A001 - the documented entry point

__all__ = [
    "ANCHOR_INPUT_COLUMNS", "ANCHOR_SUMMARY_COLUMNS", "ANCHOR_SUPPLIER_COLUMNS",
    "IMPACT_CUSTOMER_COLUMNS", "IMPACT_PRODUCT_COLUMNS", "METRIC_COLUMNS", "TARGET_COLUMNS",
    "AnchorReport", "ImpactReport", "anchor", "graph", "impact", "metrics", "targets",
    "write_graph",
    "ArgumentError",
    "CHECK_COLUMNS", "GAP_COLUMNS", "SAMPLE_CHAIN", "SAMPLE_HOME", "ChainmapError", "DatasetError",
    "Finding", "ImportResult", "NotFoundError", "Problem", "Region", "RegionError", "Workspace",
    "WorkspaceError", "check", "demo", "export_dataset", "gaps", "import_dataset", "open",
    "open_workspace", "pull", "push", "sample", "sample_path",
    # the lead pipeline (招商线索), chainmap.crm
    "AUDIT_COLUMNS", "DUE_COLUMNS", "DUPE_COLUMNS", "LEAD_COLUMNS", "PROJECT_COLUMNS", "STAGES",
    "STALE_COLUMNS", "FromGapsResult", "LeadDetails", "LeadsImport", "MergePlan", "Pipeline",
    "add_followup", "add_lead", "audit_log", "complete_followup", "duplicate_firms",
    "export_leads", "followups_due", "import_leads", "lead_details", "leads_from_gaps",
    "list_leads", "log_activity", "merge_firms", "move_lead", "overdue_projects", "pipeline",
    "signed_projects", "stale_leads", "update_lead",
]
