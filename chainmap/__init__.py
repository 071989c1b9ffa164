"""chainmap: industrial-chain maps, gap analysis and lead pipeline for development zones.

The public API, re-exported here:

- :func:`open` a workspace (``chainmap.db`` by default), then
- :func:`import_dataset` / :func:`export_dataset` datasets, :func:`check` their quality,
- :func:`sample` writes the bundled Dangtu sample, :func:`demo` shows it.
"""

from .analysis import GAP_COLUMNS, gaps
from .errors import (
    ChainmapError,
    DatasetError,
    NotFoundError,
    Problem,
    RegionError,
    WorkspaceError,
)
from .quality import CHECK_COLUMNS, check
from .regions import Region
from .sampledata import SAMPLE_CHAIN, SAMPLE_HOME, sample, sample_path
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
    "CHECK_COLUMNS", "GAP_COLUMNS", "SAMPLE_CHAIN", "SAMPLE_HOME", "ChainmapError", "DatasetError",
    "ImportResult", "NotFoundError", "Problem", "Region", "RegionError", "Workspace",
    "WorkspaceError", "check", "demo", "export_dataset", "gaps", "import_dataset", "open",
    "open_workspace", "sample", "sample_path",
]
