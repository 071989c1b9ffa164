"""Analyses: pure functions over a workspace's frames that return DataFrames."""

from .anchor import (
    ANCHOR_INPUT_COLUMNS,
    ANCHOR_SUMMARY_COLUMNS,
    ANCHOR_SUPPLIER_COLUMNS,
    AnchorReport,
    anchor,
)
from .common import open_lead_firms
from .gaps import GAP_COLUMNS, gaps
from .graph import graph, write_graph
from .impact import IMPACT_CUSTOMER_COLUMNS, IMPACT_PRODUCT_COLUMNS, ImpactReport, impact
from .metrics import METRIC_COLUMNS, metrics
from .targets import TARGET_COLUMNS, targets

__all__ = [
    "ANCHOR_INPUT_COLUMNS", "ANCHOR_SUMMARY_COLUMNS", "ANCHOR_SUPPLIER_COLUMNS",
    "GAP_COLUMNS", "IMPACT_CUSTOMER_COLUMNS", "IMPACT_PRODUCT_COLUMNS", "METRIC_COLUMNS",
    "TARGET_COLUMNS", "AnchorReport", "ImpactReport", "anchor", "gaps",
    "graph", "impact", "metrics", "open_lead_firms", "targets", "write_graph",
]
