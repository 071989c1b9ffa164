"""The words for stages, tiers, gap statuses and severities, in English and Chinese.

Held once here; reports (:func:`chainmap.output.localize`), charts
(:mod:`chainmap.charts`) and chain maps (:mod:`chainmap.viz`) take them from here.
The English words are the values stored and shown in English reports; the Chinese
ones, those a development zone's team uses, are labels of the message catalogue
(:mod:`chainmap.i18n`): these dicts are read from it.

Examples
--------
>>> " → ".join(STAGE_ZH[s] for s in STAGES)
'线索 → 接洽 → 考察 → 洽谈 → 签约 → 开工 → 投产 → 终止'
>>> [TIER_ZH[tier_key(t)] for t in ("upstream", "", None)]
['上游', '未分环节', '未分环节']
"""

from __future__ import annotations

from typing import Any, cast

from .i18n import label

__all__ = ["SEVERITIES", "SEVERITY_ZH", "STAGES", "STAGE_ZH", "STATUSES", "STATUS_ZH", "TIERS",
           "TIER_ZH", "UNSPECIFIED", "tier_key"]

#: Lead stages, in pipeline order; ``lost`` (终止) is terminal.
STAGES = ("lead", "contacted", "visited", "negotiating", "signed", "started", "producing",
          "lost")
#: Chinese names of the lead stages.
STAGE_ZH = {s: label("stage", s, "zh") for s in STAGES}

#: Chain tiers, upstream to downstream.
TIERS = ("upstream", "midstream", "downstream")
#: The key of a product without a tier (an empty ``tier`` cell), shown after the tiers.
UNSPECIFIED = "unspecified"
#: Chinese names of the tiers, :data:`UNSPECIFIED` last (未分环节).
TIER_ZH = {t: label("tier", t, "zh") for t in (*TIERS, UNSPECIFIED)}

#: Gap statuses of a product at the home zone, worst first.
STATUSES = ("missing", "weak", "covered")
#: Chinese names of the gap statuses (缺链, 弱链, 已覆盖).
STATUS_ZH = {s: label("status", s, "zh") for s in STATUSES}

#: Severities of a finding (:class:`chainmap.errors.Finding`), worst first.
SEVERITIES = ("error", "warning")
#: Chinese names of the severities.
SEVERITY_ZH = {s: label("severity", s, "zh") for s in SEVERITIES}


def tier_key(tier: object) -> str:
    """The key of ``tier`` in :data:`TIER_ZH`: a blank or missing tier is :data:`UNSPECIFIED`.

    Parameters
    ----------
    tier
        A product's tier as stored (``"upstream"`` ..., ``""`` or ``None`` when it has
        none).

    Returns
    -------
    str
        ``tier`` as text, or ``"unspecified"``.

    Examples
    --------
    >>> tier_key("midstream"), tier_key(""), tier_key(float("nan"))
    ('midstream', 'unspecified', 'unspecified')
    """
    if isinstance(tier, str):
        return tier or UNSPECIFIED
    if tier is None:
        return UNSPECIFIED
    import pandas as pd  # only for a value that is not text (NaN, pd.NA); not at import

    return UNSPECIFIED if pd.isna(cast(Any, tier)) else str(tier)


def product_label(row: Any, lang: str) -> str:
    """The name a chart shows for a product (or chain): in English ``name_en``, else ``name``.

    A missing English name (no column, ``None``, ``""`` or NaN, as a report read back
    with ``pandas.read_csv`` has it) falls back to the Chinese name, never ``"nan"``.

    Parameters
    ----------
    row
        A mapping with ``name`` and maybe ``name_en`` (a report's row, a chain's
        record, a ``pd.Series``).
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    str
        The name to draw.

    Examples
    --------
    >>> product_label({"name": "正极材料", "name_en": float("nan")}, "en")
    '正极材料'
    >>> product_label({"name": "正极材料", "name_en": "Cathode"}, "en")
    'Cathode'
    >>> product_label({"name": "正极材料", "name_en": "Cathode"}, "zh")
    '正极材料'
    """
    english = row.get("name_en") if lang == "en" else None
    if isinstance(english, str) and english.strip():
        return english
    return str(row["name"])
