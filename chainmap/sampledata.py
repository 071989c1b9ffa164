"""The bundled sample: Dangtu Economic Development Zone (当涂经开区), from the article.

Firms the article names are real names placed where it places them; every other
firm, code and figure is illustrative (``illustrative = 1`` in ``companies.csv``).
"""

from __future__ import annotations

import functools
import shutil
from importlib import resources
from pathlib import Path

from .errors import ArgumentError, ChainmapError
from .files import write_all
from .i18n import _, join

__all__ = ["SAMPLE_CHAIN", "SAMPLE_HOME", "sample", "sample_path"]

#: Where the sample zone lies.
SAMPLE_HOME = "安徽省/马鞍山市/当涂县"
#: The sample's main chain (智能家电).
SAMPLE_CHAIN = "smart-appliances"


def sample_path() -> Path:
    """The folder of the bundled sample dataset (inside the installed package)."""
    return Path(str(resources.files("chainmap") / "data" / "sample"))


def sample(path: str | Path) -> list[Path]:
    """Write the sample dataset to the folder ``path`` (created if needed).

    Refuses to overwrite files that are already there.

    Examples
    --------
    >>> import tempfile, chainmap
    >>> out = chainmap.sample(tempfile.mkdtemp() + "/dangtu")
    >>> sorted(p.name for p in out)[:3]
    ['README.md', 'capabilities.csv', 'chains.csv']
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise ArgumentError(_("{path} is a file; give a folder for the sample").format(
            path=target))
    sources = sorted(p for p in sample_path().iterdir() if p.suffix in (".csv", ".md"))
    clashes = [p.name for p in sources if (target / p.name).exists()]
    if clashes:
        raise ArgumentError(_("{path} already has {files}; give an empty or new folder").format(
            path=target, files=join(clashes)))
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ChainmapError(_("cannot write the sample to {path}: {reason}").format(
            path=target, reason=exc.strerror)) from None
    return write_all(target, {p.name: functools.partial(shutil.copyfile, p) for p in sources})
