"""The protocol every store implements, and the columns of its tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from ..io.validate import Dataset

__all__ = ["CRM_COLUMNS", "TABLE_COLUMNS", "Store"]

#: Columns of each stored table, in the order frames carry them.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "chains": ("id", "name", "name_en", "attrs"),
    "products": ("id", "name", "name_en", "tier", "attrs"),
    "product_chains": ("product_id", "chain_id"),
    "inputs": ("upstream", "downstream"),
    "companies": ("id", "name", "uscc", "province", "city", "district", "region_code",
                  "province_code", "city_code", "in_park", "employees", "revenue", "attrs"),
    "capabilities": ("company_id", "product_id"),
    "supplies": ("supplier_id", "customer_id", "product_id"),
}

#: Columns of the lead-pipeline tables (招商线索; see :mod:`chainmap.crm`). They are not
#: part of a dataset: ``Workspace.table("leads")`` reads them from stores that keep them.
CRM_COLUMNS: dict[str, tuple[str, ...]] = {
    "leads": ("id", "seq", "company_id", "product_id", "stage", "owner", "investment",
              "source", "note", "lost_reason", "contract_date", "imported", "attrs",
              "created", "created_by", "updated"),
    "lead_events": ("id", "lead_id", "from_stage", "to_stage", "date", "at", "by", "note",
                    "reason"),
    "activities": ("id", "lead_id", "kind", "date", "note", "at", "by"),
    "followups": ("id", "lead_id", "due", "note", "at", "by", "done_at", "done_by",
                  "done_note"),
    "merges": ("id", "keep_id", "drop_id", "dropped", "moved", "at", "by"),
    "audit": ("id", "at", "by", "entity", "entity_id", "lead_id", "action", "detail"),
}


class Store(Protocol):
    """What a workspace needs from where its data lives."""

    location: str

    def write_dataset(self, dataset: Dataset, progress=None) -> dict[str, int]:
        """Upsert a validated dataset in one transaction; return new rows per table."""

    def table(self, name: str) -> pd.DataFrame:
        """The whole table ``name`` (one of :data:`TABLE_COLUMNS`) as a frame."""

    def known_ids(self, table: str, ids: set) -> set:
        """Which of ``ids`` the store holds in ``table`` (products or companies)."""

    def revision(self) -> int:
        """A number that changes whenever the data changes."""

    def get_config(self, key: str) -> str | None: ...

    def set_config(self, key: str, value: str | None) -> None: ...

    def close(self) -> None: ...
