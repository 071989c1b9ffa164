"""Results derived from a workspace, kept on disk between runs (numpy arrays).

A command that needs a big aggregate of the data (the region x product matrix of
:mod:`chainmap.analysis.matrix`, built from every firm) would otherwise rebuild it in
every new process. Such aggregates are saved here, one file per workspace and kind,
with the store's :meth:`~chainmap.store.Store.cache_key` inside: a file is used only
while the workspace is in exactly the state it was made from, and replaced after
the next change. Nothing in a cache file is needed: deleting the folder is always safe.

The folder is ``$CHAINMAP_CACHE_DIR``; else ``$XDG_CACHE_HOME/chainmap``, else
``~/.cache/chainmap`` (on Windows ``%LOCALAPPDATA%/chainmap/cache``). Setting
``CHAINMAP_CACHE_DIR`` to ``off`` keeps nothing on disk. A folder that cannot be
written only means the next run computes again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import numpy as np
    import pandas as pd

    from .workspace import Workspace

__all__ = ["arrays_frame", "cache_dir", "derived", "frame_arrays", "has_file", "holds",
           "load", "save"]

#: The first bytes of a cache file (the format's version is in it).
_MAGIC = b"CHAINMAP-CACHE-1\n"
#: Arrays start at multiples of this many bytes.
_ALIGN = 64


def cache_dir() -> Path | None:
    """The folder of cache files, or ``None`` when caching on disk is off.

    Returns
    -------
    Path or None
        ``$CHAINMAP_CACHE_DIR`` (``off``, ``0`` or ``none``: ``None``), else the user's
        cache folder with ``chainmap`` in it.
    """
    chosen = os.environ.get("CHAINMAP_CACHE_DIR", "").strip()
    if chosen.lower() in ("off", "0", "none", "false", "no"):
        return None
    if chosen:
        return Path(chosen).expanduser()
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "chainmap" / "cache"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "chainmap"


def _file(kind: str, place: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(place.encode("utf-8")).hexdigest()[:20]
    return folder / f"{kind}-{digest}.bin"


def has_file(kind: str, place: str) -> bool:
    """Whether a file of ``kind`` is kept for the workspace at ``place`` (of any state).

    A check without reading it: a writer that would bring the file up to date
    (:mod:`chainmap.crm.leadfiles`) does nothing when there is none.
    """
    path = _file(kind, place)
    return path is not None and path.exists()


def _header(path: Path, key: tuple[str, str]) -> dict | None:
    """The header of the cache file ``path`` when it was saved under ``key``, else ``None``.

    Raises ``OSError`` or ``ValueError`` for a file that cannot be read.
    """
    with open(path, "rb") as f:
        if f.read(len(_MAGIC)) != _MAGIC:
            return None
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size).decode("utf-8"))
    return header if isinstance(header, dict) and header.get("key") == list(key) else None


def holds(kind: str, key: tuple[str, str]) -> bool:
    """Whether a file of ``kind`` is kept under ``key`` (read: its header only).

    What :func:`load` would find, without mapping the arrays: a report that only asks
    (:func:`chainmap.analysis.gaps.codes_to_build`) reads one small header.
    """
    path = _file(kind, key[0])
    try:
        return path is not None and _header(path, key) is not None
    except (OSError, ValueError):
        return False


def load(kind: str, key: tuple[str, str]) -> dict[str, np.ndarray] | None:
    """The arrays saved for ``kind`` under ``key``, or ``None`` (none, stale or unreadable).

    The arrays are mapped from the file, not read: a caller that looks at a slice of a
    big one reads only that slice.

    Parameters
    ----------
    kind
        What was saved (``capability-matrix``).
    key
        The store's ``(place, state)`` (:meth:`~chainmap.store.Store.cache_key`).

    Returns
    -------
    dict of str to ndarray, or None
    """
    import numpy as np

    path = _file(kind, key[0])
    if path is None:
        return None
    try:
        header = _header(path, key)
        if header is None:
            return None
        out = {}
        for name, spec in header["arrays"].items():
            shape = tuple(spec["shape"])
            if not int(np.prod(shape)):
                out[name] = np.empty(shape, dtype=spec["dtype"])
            else:
                out[name] = np.memmap(path, dtype=spec["dtype"], mode="r",
                                      offset=spec["offset"], shape=shape)
        return out
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(kind: str, key: tuple[str, str], arrays: Mapping[str, np.ndarray]) -> Path | None:
    """Save ``arrays`` for ``kind`` under ``key``, replacing what was saved before.

    Parameters
    ----------
    kind
        What is saved.
    key
        The store's ``(place, state)``.
    arrays
        Arrays of numbers or fixed-width text (no objects).

    Returns
    -------
    Path or None
        The file written, or ``None`` when caching is off or the folder cannot be
        written (the result is then just not kept).
    """
    import numpy as np

    from .errors import ChainmapError
    from .files import write_atomic

    path = _file(kind, key[0])
    if path is None:
        return None
    blocks = {name: np.ascontiguousarray(value) for name, value in arrays.items()}
    places, at = {}, 0
    for name, value in blocks.items():  # each array's place after the header, aligned
        places[name] = at
        at += -(-value.nbytes // _ALIGN) * _ALIGN
    start = 0
    while True:  # the header holds the offsets, which depend on its length
        specs = {name: {"dtype": value.dtype.str, "shape": list(value.shape),
                        "offset": start + places[name]} for name, value in blocks.items()}
        header = json.dumps({"key": list(key), "arrays": specs}).encode("utf-8")
        need = -(-(len(_MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
        if need == start:
            break
        start = need

    def write(tmp: str) -> None:
        with open(tmp, "wb") as out:
            out.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            for name, value in blocks.items():
                out.seek(specs[name]["offset"])
                out.write(value.tobytes())
            out.truncate(start + at)

    try:
        _private_folder(path.parent)
        return write_atomic(path, write)
    except (OSError, ChainmapError):
        return None


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (mode 0700: only its owner enters it) unless it exists.

    Cache files hold what the workspace holds (firm ids, leads' owners and amounts); a
    shared server's other users cannot read them. A folder that exists is left as it is
    (``CHAINMAP_CACHE_DIR`` may name one on purpose), except the default one, which an
    older chainmap made with the usual mode: it is made private too.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not os.environ.get("CHAINMAP_CACHE_DIR", "").strip() and os.name != "nt":
            with contextlib.suppress(OSError):
                if folder.stat().st_mode & 0o077:
                    folder.chmod(0o700)


T = TypeVar("T")


def derived(workspace: Workspace, kind: str, build: Callable[[], T],
            restore: Callable[[dict[str, np.ndarray]], T],
            arrays: Callable[[T], Mapping[str, np.ndarray] | None],
            persist: Callable[[T], bool], firms_only: bool = False) -> T:
    """What ``build()`` gives for ``workspace``, kept per data revision in memory and on disk.

    In memory for the workspace's revision (:meth:`Workspace._derived
    <chainmap.Workspace._derived>`); across processes as the file of ``kind`` under the
    store's :meth:`~chainmap.store.Store.cache_key` (with ``firms_only``, for what is
    made of the firm tables alone, :meth:`~chainmap.store.Store.firms_key`: it outlives
    writes that leave those tables as they are): ``restore(arrays)`` of a file saved
    earlier (a file of another layout, which ``restore`` refuses with ``KeyError``,
    ``ValueError`` or ``IndexError``, is built again), else ``build()``, saved as
    ``arrays(value)`` when ``persist(value)`` (big enough to be worth a file) and
    ``arrays`` can hold it (``None``: it cannot, and nothing is written).
    """
    def make() -> T:
        store = workspace.store
        key = store.firms_key() if firms_only else store.cache_key()
        found = load(kind, key) if key is not None else None
        if found is not None:
            try:
                return restore(found)
            except (KeyError, ValueError, IndexError, TypeError):
                pass  # another layout: built again below
        value = build()
        if key is not None and cache_dir() is not None and persist(value):
            stored = arrays(value)
            if stored is not None:
                save(kind, key, stored)
        return value

    return workspace._derived("cache:" + kind, make)


def frame_arrays(frame: pd.DataFrame) -> dict[str, np.ndarray] | None:
    """A frame of object columns as arrays :func:`save` can write, or ``None`` if it can't.

    Each column holds text (saved as its distinct values and a code per row), whole
    numbers or floats, and ``None`` for a missing value; anything else (or a text
    holding NUL, which fixed-width text could lose) gives ``None``.
    :func:`arrays_frame` gives the frame back.
    """
    import numpy as np
    import pandas as pd

    out: dict[str, np.ndarray] = {"columns": np.array([str(c) for c in frame.columns])}
    for i, column in enumerate(frame.columns):
        values = frame[column].to_numpy(dtype=object)
        kinds = set(map(type, values.tolist()))
        missing = values == None  # noqa: E711 (each cell compared, not the array)
        kinds.discard(type(None))
        if kinds <= {str}:
            codes, uniques = pd.factorize(values)
            texts = uniques.tolist()
            if "\x00" in "".join(texts):  # fixed-width text would lose a trailing NUL
                return None
            out[f"{i}.codes"] = codes.astype(np.int32)
            out[f"{i}.text"] = np.array(texts, dtype=str) if texts else np.empty(0, "U1")
        elif kinds <= {int} or kinds <= {float}:
            kind = "int" if kinds <= {int} else "float"
            filled = np.where(missing, 0, values).astype(np.int64 if kind == "int" else float)
            out[f"{i}.{kind}"] = filled
            out[f"{i}.missing"] = missing
        else:
            return None
    return out


def arrays_frame(arrays: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The frame :func:`frame_arrays` made ``arrays`` of (object columns, ``None``)."""
    import numpy as np
    import pandas as pd

    out = {}
    for i, column in enumerate(arrays["columns"].tolist()):
        if f"{i}.codes" in arrays:
            texts = arrays[f"{i}.text"].tolist()
            table = np.empty(len(texts) + 1, dtype=object)
            table[:-1] = texts
            table[-1] = None  # code -1
            values = table[np.asarray(arrays[f"{i}.codes"])]
        else:
            kind = "int" if f"{i}.int" in arrays else "float"
            values = np.empty(len(arrays[f"{i}.{kind}"]), dtype=object)
            values[:] = np.asarray(arrays[f"{i}.{kind}"]).tolist()
            values[np.asarray(arrays[f"{i}.missing"])] = None
        out[column] = pd.Series(values, dtype=object, copy=False)
    return pd.DataFrame(out, columns=list(out))
