"""Firm intake: turning the sheets teams hold into links on the chain.

:mod:`chainmap.intake.classify` proposes which firm makes which product from the firm's
主营产品 (main products), 经营范围 (registered business scope) and 国标行业 (GB/T 4754
industry), graded ``strong``, ``medium`` or ``weak``, each with the text that decided.
It is pure: frames in, a frame out, no workspace.

:mod:`chainmap.intake.firmlist` reads a firm list (an office sheet or a registry
export, CSV or any sheet of an xlsx) into normalised firm records, with every problem
found, and matches them to known firms by USCC or registered name. It writes nothing.
"""

from .classify import (
    LINK_COLUMNS,
    MAKING_VERBS,
    NOUN_COMPOUNDS,
    TRADING_VERBS,
    propose_links,
    split_clauses,
)
from .firmlist import (
    FIRM_COLUMNS,
    HEADER_ALIASES,
    STATUS_WORDS,
    FirmList,
    match_firms,
    read_firm_list,
)

__all__ = [
    "FIRM_COLUMNS",
    "HEADER_ALIASES",
    "LINK_COLUMNS",
    "MAKING_VERBS",
    "NOUN_COMPOUNDS",
    "STATUS_WORDS",
    "TRADING_VERBS",
    "FirmList",
    "match_firms",
    "propose_links",
    "read_firm_list",
    "split_clauses",
]
