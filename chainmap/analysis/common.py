"""Pieces the analyses share: who is local, who is in the target regions, ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..regions import Region, resolve_many

__all__ = ["DEFAULT_TARGETS", "STATUS_ORDER", "in_region", "in_regions", "status_of",
           "target_regions"]

#: The default target regions of the gap report: 苏浙沪.
DEFAULT_TARGETS = "苏浙沪"
STATUS_ORDER = {"missing": 0, "weak": 1, "covered": 2}


def in_region(companies: pd.DataFrame, region: Region) -> np.ndarray:
    """Boolean mask of the firms located inside ``region``."""
    column = {"province": "province_code", "city": "city_code",
              "district": "region_code"}[region.level]
    return (companies[column] == region.code).to_numpy(dtype=bool, na_value=False)


def in_regions(companies: pd.DataFrame, regions: list[Region]) -> np.ndarray:
    mask = np.zeros(len(companies), dtype=bool)
    for r in regions:
        mask |= in_region(companies, r)
    return mask


def target_regions(targets: str | list | None) -> list[Region]:
    """Regions from a comma-separated string, a list, or the default 苏浙沪."""
    return resolve_many(targets if targets else DEFAULT_TARGETS)


def status_of(local_producers: pd.Series, weak_threshold: int) -> pd.Series:
    """``missing`` for 0, ``weak`` below ``weak_threshold``, else ``covered``."""
    return pd.Series(np.where(local_producers == 0, "missing",
                              np.where(local_producers < weak_threshold, "weak", "covered")),
                     index=local_producers.index)
