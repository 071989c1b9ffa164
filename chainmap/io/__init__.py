"""Dataset readers, validation and writers (the DATA_FORMAT contract)."""

from .read import RawTable, read_dataset
from .schema import TABLES, Column
from .validate import Dataset, validate
from .write import write_dataset

__all__ = ["TABLES", "Column", "Dataset", "RawTable", "read_dataset", "validate", "write_dataset"]
