"""Write a workspace's tables back out in the dataset format.

CSV files are UTF-8 *with* BOM so that Excel on Chinese Windows shows them right;
a path ending in ``.xlsx`` gets one workbook with a sheet per table. Files appear
whole or not at all (written to a temporary name, then renamed).
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..errors import ChainmapError
from ..output import xlsx_row

__all__ = ["dataset_frames", "write_all", "write_dataset"]


def _expand_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn the JSON ``attrs`` column back into one column per extra header."""
    attrs = frame.pop("attrs") if "attrs" in frame.columns else None
    if attrs is None or attrs.isna().all():
        return frame
    parsed = [json.loads(a) if isinstance(a, str) else {} for a in attrs]
    keys: list[str] = []
    for d in parsed:
        keys.extend(k for k in d if k not in keys and k not in frame.columns)
    for k in keys:
        frame[k] = [d.get(k, "") for d in parsed]
    return frame


def _number(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    f = float(value)
    return str(int(f)) if f.is_integer() else repr(f)


def dataset_frames(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Stored tables -> the frames of the dataset format (string cells, sorted by key)."""
    chains = tables["chains"].sort_values("id")
    pc = tables["product_chains"].sort_values(["product_id", "chain_id"])
    chain_lists = pc.groupby("product_id")["chain_id"].agg(";".join)
    products = tables["products"].sort_values("id").copy()
    products.insert(3, "chains", products["id"].map(chain_lists).fillna(""))
    companies = tables["companies"].sort_values("id").drop(
        columns=["region_code", "province_code", "city_code"]).copy()
    companies["in_park"] = companies["in_park"].map(
        lambda v: "" if v is None or pd.isna(v) else str(int(v)))
    companies["employees"] = companies["employees"].map(_number)
    companies["revenue"] = companies["revenue"].map(_number)
    out = {
        "chains": _expand_attrs(chains.copy()),
        "products": _expand_attrs(products),
        "inputs": tables["inputs"].sort_values(["upstream", "downstream"]),
        "companies": _expand_attrs(companies),
        "capabilities": tables["capabilities"].sort_values(["company_id", "product_id"])
        .rename(columns={"company_id": "company", "product_id": "product"}),
        "supplies": tables["supplies"].sort_values(["supplier_id", "customer_id", "product_id"])
        .rename(columns={"supplier_id": "supplier", "customer_id": "customer",
                         "product_id": "product"}),
    }
    return {k: v.astype(object).where(v.notna(), "").reset_index(drop=True)
            for k, v in out.items()}


def write_dataset(tables: dict[str, pd.DataFrame], path: str | Path,
                  extra: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write stored tables to ``path`` (a folder of CSVs, or a ``.xlsx`` workbook).

    ``extra`` adds tables already in file form (the ``leads`` table). In a folder, every
    file is first written in full under a temporary name and only then are all renamed,
    so a failure while writing (disk full, say) leaves the earlier export as it was.
    Returns the files written.
    """
    path = Path(path)
    frames = dataset_frames(tables)
    frames.update(extra or {})
    if path.suffix.lower() == ".xlsx":
        _atomic(path, lambda tmp: _write_xlsx(frames, tmp))
        return [path]
    if path.exists() and not path.is_dir():
        raise ChainmapError(f"{path} is a file; give a folder, or a path ending in .xlsx")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ChainmapError(f"cannot create folder {path}: {exc.strerror}") from None
    return write_all(path, {
        f"{name}.csv": (lambda tmp, f=frame: f.to_csv(tmp, index=False, encoding="utf-8-sig"))
        for name, frame in frames.items()})


def write_all(folder: Path, files: dict[str, Callable[[str], object]]) -> list[Path]:
    """Write several files into ``folder`` all at once: each ``files[name](tmp)`` writes
    a temporary file, and only when every one is written are they all renamed into
    place, so a failure while writing leaves the folder as it was."""
    staged: list[tuple[str, Path]] = []
    try:
        for name, write in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            os.close(fd)
            staged.append((tmp, folder / name))
            write(tmp)
            os.chmod(tmp, 0o666 & ~_umask())
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        raise ChainmapError(f"cannot write to {folder}: {exc.strerror}") from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [target for _, target in staged]


@functools.cache
def _umask() -> int:
    """The process umask, read once (reading it means setting it for a moment)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _atomic(target: Path, write) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise ChainmapError(f"cannot write {target}: {exc.strerror}") from None
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, target)
    except OSError as exc:
        raise ChainmapError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_xlsx(frames: dict[str, pd.DataFrame], tmp: str) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, frame in frames.items():
        sheet = book.create_sheet(name)
        sheet.append(xlsx_row(sheet, list(frame.columns)))
        for row in frame.itertuples(index=False, name=None):
            sheet.append(xlsx_row(sheet, [str(v) for v in row]))
    book.save(tmp)
