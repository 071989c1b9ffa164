"""Lazy re-exports for a package's ``__init__`` (PEP 562), as ``lazy_loader`` does.

A package names, per submodule, the names it re-exports: each tuple is that submodule's
``__all__`` (``tests/test_public_api.py`` checks it), so the submodule's ``__all__``
is the single list. A name is imported on first use, so ``import chainmap`` (and the
command line's ``chainmap --version``) does not import pandas.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(package: str, exports: Mapping[str, tuple[str, ...]],
           aliases: Mapping[str, tuple[str, str]] | None = None,
           ) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """Make ``package`` resolve the names in ``exports`` lazily.

    Parameters
    ----------
    package
        The package's ``__name__``.
    exports
        Submodule (relative to ``package``, dotted) -> the names it re-exports.
    aliases
        Public name -> (submodule, name there), for a name re-exported under another
        name (``chainmap.open`` is ``chainmap.workspace.open_workspace``).

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)`` for the package's module: ``__all__`` is
        the sorted public names.
    """
    index = {name: (module, name) for module, names in exports.items() for name in names}
    index.update(aliases or {})

    def __getattr__(name: str) -> Any:
        try:
            module, attr = index[name]
        except KeyError:
            # a submodule (``chainmap.regions``) is imported on first use, as the
            # import system would after ``import chainmap.regions``
            if not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}"):
                return importlib.import_module(f"{package}.{name}")
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{package}.{module}"), attr)
        setattr(sys.modules[package], name, value)  # found once; later lookups are plain
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(index))

    return __getattr__, __dir__, sorted(index)
