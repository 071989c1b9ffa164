"""Write a workspace's tables back out in the dataset format.

CSV files are UTF-8 *with* BOM so that Excel on Chinese Windows shows them right, and
a cell that a spreadsheet would evaluate (``=1+1``) starts with an apostrophe, which
chainmap's reader takes off again (:func:`chainmap.files.csv_text`);
a path ending in ``.xlsx`` gets one workbook with a sheet per table. Files appear
whole or not at all: they are written by :mod:`chainmap.files`.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ArgumentError, ChainmapError
from ..files import inert_csv, refuse_existing, write_all, write_xlsx
from ..i18n import _
from .words import system_error

__all__ = ["dataset_frames", "write_dataset"]



def _expand_extra(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn the JSON ``extra`` column back into one column per extra header."""
    extra = frame.pop("extra") if "extra" in frame.columns else None
    if extra is None or extra.isna().all():
        return frame
    parsed = [json.loads(a) if isinstance(a, str) else {} for a in extra]
    keys: list[str] = []
    for d in parsed:
        keys.extend(k for k in d if k not in keys and k not in frame.columns)
    for k in keys:
        frame[k] = [d.get(k, "") for d in parsed]
    return frame


def _number(value: Any) -> str:
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
    companies["registered_capital"] = companies["registered_capital"].map(_number)
    out = {
        "chains": _expand_extra(chains.copy()),
        "products": _expand_extra(products),
        "inputs": tables["inputs"].sort_values(["upstream", "downstream"]),
        "companies": _expand_extra(companies),
        "capabilities": tables["capabilities"].sort_values(["company_id", "product_id"])
        .rename(columns={"company_id": "company", "product_id": "product"}),
        "supplies": tables["supplies"].sort_values(["supplier_id", "customer_id", "product_id"])
        .rename(columns={"supplier_id": "supplier", "customer_id": "customer",
                         "product_id": "product"}),
    }
    return {k: v.astype(object).where(v.notna(), "").reset_index(drop=True)
            for k, v in out.items()}


#: How the dataset workbook writes columns (:func:`chainmap.files.write_xlsx`): these
#: numbers as numbers and these days as dates when their text is one (the reader gives
#: back the same text); every other cell, ids and USCCs included, is text.
DATASET_KINDS = {
    "companies": {**dict.fromkeys(("in_park", "employees", "revenue", "registered_capital",
                                   "illustrative"), "number"),
                  "founded": "date", "as_of": "date"},
    "leads": {"investment": "number", "date": "date"},
}


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every cell as its text (``str(value)``), as in the CSV files."""
    rows = [[str(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return pd.DataFrame(rows, columns=frame.columns, dtype=object)


def write_dataset(tables: dict[str, pd.DataFrame], path: str | os.PathLike[str],
                  extra: dict[str, pd.DataFrame] | None = None, *,
                  force: bool = False) -> list[Path]:
    """Write stored tables to ``path`` (a folder of CSVs, or a ``.xlsx`` workbook).

    ``extra`` adds tables already in file form (the ``leads`` table). A workbook that
    exists, or a folder already holding any of the files this writes, is refused unless
    ``force`` (:func:`chainmap.files.refuse_existing`), before anything is written. In a
    folder, every file is first written in full under a temporary name and only then are
    all renamed, so a failure while writing (disk full, say) leaves the earlier export
    as it was. Returns the files written.
    """
    path = Path(path)
    frames = dataset_frames(tables)
    frames.update(extra or {})
    if path.suffix.lower() == ".xlsx":
        refuse_existing(path, force=force)
        return [write_xlsx({name: _text(frame) for name, frame in frames.items()}, path,
                           kinds=DATASET_KINDS)]
    if path.exists() and not path.is_dir():
        raise ArgumentError(_("{path} is a file; give a folder, or a path ending in .xlsx")
                            .format(path=path))
    names = [f"{name}.csv" for name in frames]
    if path.is_dir():
        refuse_existing(path, names, force=force)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ChainmapError(_("cannot create folder {path}: {error}").format(
            path=path, error=system_error(exc))) from None
    return write_all(path, {
        name: functools.partial(_write_csv, frame)
        for name, frame in zip(names, frames.values(), strict=True)})


def _write_csv(frame: pd.DataFrame, path: str) -> None:
    """One table as CSV, cells a spreadsheet would evaluate made text (:func:`inert_csv`)."""
    inert_csv(frame, path, encoding="utf-8-sig")
