"""The kinds of requests (诉求) and visits (四送一服), and request ids.

Kinds are stored as English codes; their Chinese names are accepted too. Light (no
pandas), so that the command line can name them in its help.

>>> parse_request_kind("用工"), parse_visit_kind("送要素"), request_id("r7")
('labour', 'send_factors', 'R0007')
"""

from __future__ import annotations

from ..errors import ArgumentError
from ..i18n import _, join, label
from .common import _numbered

__all__ = ["REQUEST_KINDS", "REQUEST_WORDS", "VISIT_KINDS", "VISIT_WORDS", "kind_help",
           "parse_request_kind", "parse_visit_kind", "request_id"]

#: Kinds of request (诉求), as stored; 用工, 土地, 资金, 科技, 政策, 审批, 其他 accepted too.
REQUEST_KINDS = ("labour", "land", "funding", "technology", "policy", "approval", "other")
_REQUEST_ALIASES = {"用工": "labour", "招工": "labour", "人才": "labour", "labor": "labour",
                    "土地": "land", "用地": "land", "资金": "funding", "融资": "funding",
                    "科技": "technology", "技术": "technology", "tech": "technology",
                    "政策": "policy", "审批": "approval", "手续": "approval",
                    "其他": "other", "其它": "other"}
#: Kinds of 四送一服 visit, as stored: 送政策, 送(生产)要素, 送(创新)项目, 服务(实体经济).
VISIT_KINDS = ("send_policy", "send_factors", "send_projects", "service")
_VISIT_ALIASES = {"送政策": "send_policy", "政策": "send_policy", "policy": "send_policy",
                  "送要素": "send_factors", "送生产要素": "send_factors", "要素": "send_factors",
                  "factors": "send_factors", "送项目": "send_projects",
                  "送创新项目": "send_projects", "项目": "send_projects",
                  "projects": "send_projects", "服务": "service", "一服": "service",
                  "服务实体经济": "service"}


def _words(kinds: tuple[str, ...], aliases: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {kind: tuple(w for w, named in aliases.items() if named == kind and not w.isascii())
            for kind in kinds}


#: The Chinese words :func:`parse_request_kind` takes for each kind (its label first).
REQUEST_WORDS = _words(REQUEST_KINDS, _REQUEST_ALIASES)
#: The Chinese words :func:`parse_visit_kind` takes for each kind (its label first).
VISIT_WORDS = _words(VISIT_KINDS, _VISIT_ALIASES)


def kind_help(words: dict[str, tuple[str, ...]]) -> str:
    """The help text of a ``--kind`` option: each kind with the Chinese words it takes.

    >>> kind_help({"land": ("土地", "用地"), "other": ("其他",)})
    'land (土地, 用地) or other (其他).'
    """
    shown = [f"{kind} ({', '.join(chinese)})" for kind, chinese in words.items()]
    return f"{', '.join(shown[:-1])} or {shown[-1]}."


def _kind(value: str, names: tuple[str, ...], aliases: dict[str, str],
          message: str) -> str:
    key = str(value).strip().lower()
    if key in names:
        return key
    if key in aliases:
        return aliases[key]
    known = join(f"{k}/{label('value', k, 'zh')}" for k in names)
    raise ArgumentError(message.format(kind=value, kinds=known), parameter="kind")


def parse_request_kind(value: str) -> str:
    """A request kind (:data:`REQUEST_KINDS`) from its English or Chinese name.

    >>> parse_request_kind("用工"), parse_request_kind("Land")
    ('labour', 'land')
    """
    return _kind(value, REQUEST_KINDS, _REQUEST_ALIASES,
                 _("unknown request kind '{kind}'; kinds: {kinds}"))


def parse_visit_kind(value: str) -> str:
    """A visit kind (:data:`VISIT_KINDS`) from its English or Chinese name.

    >>> parse_visit_kind("送要素"), parse_visit_kind("service")
    ('send_factors', 'service')
    """
    return _kind(value, VISIT_KINDS, _VISIT_ALIASES,
                 _("unknown visit kind '{kind}'; kinds: {kinds}"))


def request_id(value: str | int) -> str:
    """The canonical request id: ``R`` and four or more digits (``'7'`` -> ``'R0007'``)."""
    return _numbered(str(value), "R")
