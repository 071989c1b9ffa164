"""Analyses: pure functions over a workspace's frames that return DataFrames."""

from .gaps import GAP_COLUMNS, gaps

__all__ = ["GAP_COLUMNS", "gaps"]
