"""Firm intake: turning the sheets teams hold into links on the chain.

:mod:`chainmap.intake.classify` proposes which firm makes which product from the firm's
主营产品 (main products), 经营范围 (registered business scope) and 国标行业 (GB/T 4754
industry), graded ``strong``, ``medium`` or ``weak``, each with the text that decided.
It is pure: frames in, a frame out, no workspace.
"""

from .classify import (
    LINK_COLUMNS,
    MAKING_VERBS,
    NOUN_COMPOUNDS,
    TRADING_VERBS,
    propose_links,
    split_clauses,
)

__all__ = [
    "LINK_COLUMNS",
    "MAKING_VERBS",
    "NOUN_COMPOUNDS",
    "TRADING_VERBS",
    "propose_links",
    "split_clauses",
]
