"""Propose firm → product links from what the registry and the office sheets say.

:func:`propose_links` reads each firm's 主营产品 (``main_products``), 经营范围 (``scope``)
and 国标行业 (``industry``) and proposes the products of the chain it makes, each graded
and with the text that decided, so that a person can accept or reject it.

Grades
------
``strong``
    The product's name or one of its keywords in 主营产品, or a keyword in a 经营范围
    clause that also holds a making verb (:data:`MAKING_VERBS`), including a verb list
    before a colon ("生产、销售：伺服电机、控制器") or at the head of the clause.
``medium``
    A keyword in a clause with no verb at all, or, when no clause nor 主营产品 names the
    product, the firm's 国标行业 matching one of the product's ``industries`` by code (the
    product's code is the firm's or an ancestor of it: ``349`` covers ``3491``) or by name.
``weak``
    A keyword only in trading or service clauses (:data:`TRADING_VERBS`: 销售, 批发,
    进出口, 维修, 安装, 技术服务, 研发 without 生产 ...). A trader is not a maker. A 主营产品
    item that carries such a verb and no making verb ("汽车销售") is weak too.

How a text is read
------------------
- Text is normalised first: NFKC (full-width letters, digits and punctuation become
  half-width), whitespace dropped, Latin letters lower-cased for matching.
- 经营范围 is cut into clauses at ``;`` ``；`` ``。`` and line breaks
  (:func:`split_clauses`). The heads "一般项目：", "许可项目：", "经营范围：" are dropped, so are
  the registry's closing boilerplate ("（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
  "（依法须经批准的项目，经相关部门批准后方可开展经营活动…）") and parenthesised negations
  ("（不含危险化学品）"): nothing inside them matches.
- Inside a clause, ``、`` ``,`` ``/`` and ``:`` separate *items*, not clauses. A verb
  belongs to its item; verb-only items at the head of a clause ("生产、销售：A、B",
  "生产、销售A、B") apply to every item of the clause; verb-only items after an item
  ("A制造、销售") join it; an item with no verb takes the verbs of the next item that has
  some ("A、B销售"), else of the previous one ("生产销售A、B").
- Verbs are looked for outside keywords: a verb inside a matched keyword, or inside a
  noun compound (:data:`NOUN_COMPOUNDS`: 生产线, 加工中心, 服务器 ...), is part of a name, not
  an activity: "焊接生产线销售" is trading. One exception, the catalogue phrasing
  (经营范围登记规范表述目录): a keyword that *ends* with a making verb ("工业机器人制造",
  "齿轮及齿轮减、变速箱制造") names the making itself, so the clause "工业机器人制造" is
  strong for it. A keyword ending with a trading or service verb ("集成电路设计",
  "动力电池回收") names the product node, so its own verb does not make it weak; another
  product's keyword ending that way does count as a verb for the items around it.
- An ``exclude`` phrase blocks the product in the item it stands in ("温度控制器销售" for
  控制器), not in the rest of the clause nor in the firm's other clauses.
- The best evidence per (firm, product) wins; on a tie 主营产品 comes before 经营范围, and
  an earlier clause before a later one. 国标行业 is used only when no text names the
  product.

Speed: every product name, keyword and exclude phrase goes into one Aho-Corasick
automaton (``pyahocorasick``), and each text is scanned once; verbs are looked for only
in the clauses where a keyword was found.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

import ahocorasick
import pandas as pd

from ..errors import ArgumentError
from ..i18n import _

__all__ = [
    "LINK_COLUMNS",
    "MAKING_VERBS",
    "NOUN_COMPOUNDS",
    "TRADING_VERBS",
    "propose_links",
    "split_clauses",
]

#: The columns :func:`propose_links` returns, in order.
LINK_COLUMNS = ["company", "product", "evidence", "field", "text", "keyword"]

#: Verbs that say a firm makes what the clause names.
MAKING_VERBS: tuple[str, ...] = (
    "制造", "生产", "加工", "组装", "装配", "研制", "试制", "冶炼", "铸造", "锻造", "压铸",
    "冲压", "注塑", "制作", "制备", "精炼", "炼制", "酿造", "开采",
)

#: Verbs of trading and services: a firm that only sells, repairs or advises is no maker.
TRADING_VERBS: tuple[str, ...] = (
    "销售", "批发", "零售", "进出口", "进口", "出口", "经销", "代理", "购销", "贸易", "经营",
    "维修", "维护", "修理", "保养", "安装", "调试", "技术服务", "技术开发", "技术咨询",
    "技术交流", "技术转让", "技术推广", "研发", "研究", "开发", "设计", "咨询", "服务",
    "系统集成", "租赁", "回收", "仓储", "运输", "配送", "检测", "检验", "测试", "施工",
    "推广", "转让", "中介",
)

#: Nouns that contain a verb's characters: the verb inside them is not an activity.
NOUN_COMPOUNDS: tuple[str, ...] = (
    "生产线", "生产设备", "生产资料", "安全生产", "清洁生产", "加工中心", "加工设备",
    "加工机械", "制造设备", "智能制造", "增材制造", "制造业", "服务器", "服务机器人",
    "检测设备", "检测仪器", "测试设备", "维修设备",
)

_MAKE, _TRADE = 1, 2
_RANK = {3: "strong", 2: "medium", 1: "weak"}
_FIELDS = ("main_products", "scope", "industry")

_VERB_CLASS: dict[str, int] = {
    **{w: 0 for w in NOUN_COMPOUNDS}, **{w: _TRADE for w in TRADING_VERBS},
    **{w: _MAKE for w in MAKING_VERBS},
}
# longest first, so that 技术服务 wins over 服务 and 生产线 over 生产
_VERB_RE = re.compile("|".join(sorted(_VERB_CLASS, key=len, reverse=True)))
_FILLER = str.maketrans("", "", "的及和与并或等、,/:")

_SPACE_RE = re.compile(r"\s+")
_LINEBREAK_RE = re.compile(r"[\r\n]+")
_BOILER_PAREN_RE = re.compile(
    r"\([^()]*(?:依法须经批准|凭营业执照|经相关部门批准|许可证件为准|审批结果为准)[^()]*\)")
_NEGATION_PAREN_RE = re.compile(r"\((?:不含|除|不得|不从事|不涉及)[^()]*\)")
_BOILERPLATE_RE = re.compile(
    r"除?依法须经批准的项目外?,?(?:凭营业执照依法自主开展经营活动|经相关部门批准后方可开展经营活动)"
    r"(?:,?具体经营项目以[^;。]*?为准)?")
# the registry's two closing sentences as they are most often written (after NFKC)
_TAILS = ("(除依法须经批准的项目外,凭营业执照依法自主开展经营活动)",
          "(依法须经批准的项目,经相关部门批准后方可开展经营活动,具体经营项目以审批结果为准)",
          "(依法须经批准的项目,经相关部门批准后方可开展经营活动)")
_HEAD_RE = re.compile(r"(?:一般|许可)(?:经营)?项目:|经营范围:")
_ITEM_SEP_RE = re.compile(r"[、,/:]")
_MAIN_SPLIT_RE = re.compile(r"[、,;/|\s]+")
_LIST_SPLIT_RE = re.compile(r"[;|\n]")
_INDUSTRY_SPLIT_RE = re.compile(r"[\s;/,、|>—-]+")
_CODE_RE = re.compile(r"^[A-Za-z]?(\d{2,4})(.*)$")


def _cell(value: Any) -> str:
    """A frame cell as text; missing values (None, NaN, pd.NA) are empty."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


def _nfkc(text: str) -> str:
    """NFKC; the common full-width punctuation is replaced first, which is much faster."""
    if not text.isascii():
        text = (text.replace("；", ";").replace("：", ":").replace("（", "(").replace("）", ")")
                .replace("，", ",").replace("\u3000", " "))
    return unicodedata.normalize("NFKC", text)


def _clean_scope(scope: str) -> str:
    """Normalise a scope text: NFKC, no whitespace, clauses cut by ``;`` only.

    Heads and boilerplate are replaced by a clause break: literal replacements first
    (fast), the regular expressions only when something is left for them.
    """
    text = _nfkc(scope)
    if "\n" in text or "\r" in text:
        text = _LINEBREAK_RE.sub(";", text)
    text = "".join(text.split()).replace("。", ";")
    if "(" in text:
        for tail in _TAILS:
            text = text.replace(tail, ";")
        if "(" in text:
            text = _NEGATION_PAREN_RE.sub("", _BOILER_PAREN_RE.sub(";", text))
    if "依法须经批准" in text:
        text = _BOILERPLATE_RE.sub(";", text)
    if ":" in text:
        text = text.replace("一般项目:", ";").replace("许可项目:", ";")
        if "项目:" in text or "范围:" in text:
            text = _HEAD_RE.sub(";", text)
    return text


def split_clauses(scope: str) -> list[str]:
    """The clauses of a 经营范围 text, normalised, without heads and boilerplate.

    Parameters
    ----------
    scope : str
        A registered business scope, as the registry gives it.

    Returns
    -------
    list of str
        The clauses, NFKC-normalised and without whitespace, in order.

    Examples
    --------
    >>> split_clauses("一般项目：工业机器人制造；工业机器人销售；技术服务、技术开发"
    ...               "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）")
    ['工业机器人制造', '工业机器人销售', '技术服务、技术开发']
    >>> split_clauses("许可项目：道路货物运输（不含危险货物）。（依法须经批准的项目，经相关部门"
    ...               "批准后方可开展经营活动，具体经营项目以审批结果为准）")
    ['道路货物运输']
    """
    return [c for c in _clean_scope(_cell(scope)).split(";") if c]


def _split_list(value: Any) -> list[str]:
    """A ``;``-separated cell as its stripped, non-empty parts (NFKC)."""
    text = _nfkc(_cell(value))
    return [p.strip() for p in _LIST_SPLIT_RE.split(text) if p.strip()]


def _pattern(word: str) -> str:
    return _SPACE_RE.sub("", word).lower()


class _Catalogue:
    """Every product's words in one automaton, and its industries by code and name."""

    def __init__(self, products: pd.DataFrame) -> None:
        for needed in ("id", "name"):
            if needed not in products.columns:
                raise ArgumentError(_("products has no {column!r} column").format(
                    column=needed), parameter="products")
        n = len(products)

        def column(name: str) -> list[Any]:
            return products[name].tolist() if name in products.columns else [None] * n

        self.ids = products["id"].tolist()
        words: dict[str, tuple[list[tuple[int, str]], list[int]]] = {}
        self.codes: dict[str, list[tuple[int, str]]] = {}
        self.names: dict[str, list[tuple[int, str]]] = {}
        for p, (name, keywords, exclude, industries) in enumerate(zip(
                column("name"), column("keywords"), column("exclude"), column("industries"))):
            seen: set[str] = set()
            for word in [_nfkc(_cell(name)).strip(), *_split_list(keywords)]:
                key = _pattern(word)
                if key and key not in seen:
                    seen.add(key)
                    words.setdefault(key, ([], []))[0].append((p, word))
            for word in _split_list(exclude):
                key = _pattern(word)
                if key:
                    words.setdefault(key, ([], []))[1].append(p)
            for entry in _split_list(industries):
                key = _SPACE_RE.sub("", entry)
                match = _CODE_RE.match(key)
                if match and not match.group(2):
                    self.codes.setdefault(match.group(1), []).append((p, entry))
                elif key:
                    self.names.setdefault(key.lower(), []).append((p, entry))
        self.automaton = ahocorasick.Automaton()
        for key, (kws, exs) in words.items():
            self.automaton.add_word(key, (len(key), tuple(kws), tuple(exs)))
        self.empty = not words
        if words:
            self.automaton.make_automaton()

    def hits(self, text: str) -> list[tuple[int, int, tuple, tuple]]:
        """(start, end, keyword entries, excluding products) of every pattern in ``text``."""
        if self.empty:
            return []
        return [(end + 1 - length, end + 1, kws, exs)
                for end, (length, kws, exs) in self.automaton.iter(text)]

    def industry(self, cell: str) -> dict[int, str]:
        """Products whose ``industries`` match a firm's 国标行业 cell: product -> entry."""
        found: dict[int, str] = {}
        for token in _INDUSTRY_SPLIT_RE.split(_nfkc(cell)):
            if not token:
                continue
            match = _CODE_RE.match(token)
            name = token
            if match:
                code, name = match.group(1), match.group(2)
                for size in range(2, len(code) + 1):
                    for p, entry in self.codes.get(code[:size], ()):
                        found.setdefault(p, entry)
            for p, entry in self.names.get(name.lower(), ()) if name else ():
                found.setdefault(p, entry)
        return found


def _grade_clause(clause: str, hits: list[tuple[int, int, tuple, tuple]]
                  ) -> dict[int, tuple[int, str]]:
    """Grade the products whose keywords are in one clause: product -> (rank, keyword).

    ``clause`` is lower-cased normalised text; ``hits`` are the automaton's matches in it,
    positions relative to the clause.
    """
    starts = [0]
    starts += [sep.end() for sep in _ITEM_SEP_RE.finditer(clause)]
    n_items = len(starts)
    spans = [(a, b) for a, b, kws, _exs in hits if kws]
    # verb occurrences (start, end, class, item) outside noun compounds and outside
    # keywords, unless they end where a keyword ends
    verbs: list[tuple[int, int, int, int]] = []
    for m in _VERB_RE.finditer(clause):
        cls = _VERB_CLASS[m.group()]
        if not cls:
            continue
        s, e = m.span()
        for a, b in spans:
            if s < b and e > a and e != b:
                break
        else:
            verbs.append((s, e, cls, bisect_right(starts, s) - 1 if n_items > 1 else 0))
    head = 0
    if n_items == 1:
        verb_only = [False]
        trailing = merged = [0]
    else:
        item_cls = [0] * n_items
        rest = list(starts)  # per item: where the text not yet covered by a verb starts
        left = [""] * n_items  # per item: its text outside its verbs
        for s, e, cls, i in verbs:
            item_cls[i] |= cls
            left[i] += clause[rest[i]:s]
            rest[i] = e
        # verb-only items: nothing left once their verbs and fillers are taken out
        ends = starts[1:] + [len(clause) + 1]
        verb_only = [bool(item_cls[i]) and not (left[i] + clause[rest[i]:ends[i] - 1])
                     .translate(_FILLER) for i in range(n_items)]
        trailing = [0] * n_items
        merged = list(item_cls)
        last = -1
        for i in range(n_items):
            if verb_only[i]:
                if last < 0:
                    head |= item_cls[i]
                else:
                    trailing[last] |= item_cls[i]
                    merged[last] |= item_cls[i]
            else:
                last = i

    def items(a: int, b: int) -> tuple[int, int]:
        if n_items == 1:
            return 0, 0
        return bisect_right(starts, a) - 1, bisect_right(starts, b - 1) - 1

    blocked: set[tuple[int, int]] = set()
    for a, b, _kws, exs in hits:
        if exs:
            first, last_item = items(a, b)
            blocked.update((p, i) for p in exs for i in range(first, last_item + 1))

    graded: dict[int, tuple[int, str]] = {}
    for a, b, kws, _exs in hits:
        if not kws:
            continue
        first, last_item = items(a, b)
        own = head
        for s, e, cls, i in verbs:
            if first <= i <= last_item and (e <= a or s >= b or (e == b and cls == _MAKE)):
                own |= cls
        for i in range(first, last_item + 1):
            own |= trailing[i]
        if not own:
            own = next((merged[i] for i in range(last_item + 1, n_items)
                        if merged[i] and not verb_only[i]), 0)
        if not own:
            own = next((merged[i] for i in range(first - 1, -1, -1)
                        if merged[i] and not verb_only[i]), 0)
        rank = 3 if own & _MAKE else 1 if own & _TRADE else 2
        for p, word in kws:
            if blocked and any((p, i) in blocked for i in range(first, last_item + 1)):
                continue
            old = graded.get(p)
            if old is None or rank > old[0] or (rank == old[0] and len(word) > len(old[1])):
                graded[p] = (rank, word)  # the best grade; on a tie the longer keyword
    return graded


def _texts(frame: pd.DataFrame, name: str) -> Iterable[Any]:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def propose_links(products: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """Propose which firm makes which product, with the best evidence for each pair.

    Parameters
    ----------
    products : pandas.DataFrame
        The chain's products: ``id``, ``name`` and optionally ``keywords``, ``exclude``
        (``;``-separated words) and ``industries`` (``;``-separated GB/T 4754-2017 codes
        and/or names, e.g. ``3491;工业机器人制造``). The name counts as a keyword.
    firms : pandas.DataFrame
        The firms: ``id`` and optionally ``main_products`` (主营产品), ``scope``
        (经营范围) and ``industry`` (国标行业: a code "3491", a name "工业机器人制造" or both
        "C3491 工业机器人制造"). Missing columns and empty cells are no evidence.

    Returns
    -------
    pandas.DataFrame
        One row per (firm, product) proposed, firms and products in their input order,
        columns :data:`LINK_COLUMNS`:

        - ``company``: the firm's ``id``;
        - ``product``: the product's ``id``;
        - ``evidence``: ``strong``, ``medium`` or ``weak`` (see the module's docstring);
        - ``field``: where the evidence was found, ``main_products``, ``scope`` or
          ``industry``;
        - ``text``: what decided, normalised: the 主营产品 item, the 经营范围 clause or the
          国标行业 cell;
        - ``keyword``: the product's name, keyword or ``industries`` entry that matched,
          as the product gives it.

    Raises
    ------
    ArgumentError
        When ``products`` lacks ``id`` or ``name``, or ``firms`` lacks ``id``.

    Examples
    --------
    >>> import pandas as pd
    >>> products = pd.DataFrame({
    ...     "id": ["robot", "servo", "ctrl"], "name": ["工业机器人", "伺服电机", "控制器"],
    ...     "keywords": ["工业机器人制造", "伺服驱动器", ""], "exclude": [None, None, "温度控制器"],
    ...     "industries": ["3491", "", ""]})
    >>> firms = pd.DataFrame({
    ...     "id": ["f1", "f2", "f3"],
    ...     "main_products": ["伺服电机、伺服驱动器", None, ""],
    ...     "scope": ["一般项目：工业机器人制造；温度控制器销售；控制器销售", "工业机器人销售",
    ...               "技术服务"],
    ...     "industry": ["", "", "C3491 工业机器人制造"]})
    >>> propose_links(products, firms)
      company product evidence          field           text   keyword
    0      f1   robot   strong          scope        工业机器人制造  工业机器人制造
    1      f1   servo   strong  main_products           伺服电机      伺服电机
    2      f1    ctrl     weak          scope          控制器销售       控制器
    3      f2   robot     weak          scope        工业机器人销售     工业机器人
    4      f3   robot   medium       industry  C3491工业机器人制造      3491
    """
    if "id" not in firms.columns:
        raise ArgumentError(_("firms has no 'id' column"), parameter="firms")
    catalogue = _Catalogue(products)
    rows: list[tuple[Any, Any, str, str, str, str]] = []
    # registry scopes repeat the catalogue's phrasing: each distinct clause (or 主营产品 item)
    # is scanned and graded once. lower-cased text -> {product: (rank, keyword)}
    graded: dict[str, dict[int, tuple[int, str]]] = {}
    nothing: dict[int, tuple[int, str]] = {}
    sectors: dict[str, tuple[str, dict[int, str]]] = {}  # 国标行业 cell -> (shown, matches)
    scan, grade = catalogue.hits, _grade_clause
    for firm, main, scope, industry in zip(firms["id"].tolist(), _texts(firms, "main_products"),
                                           _texts(firms, "scope"), _texts(firms, "industry")):
        # product -> (rank, field, text, keyword); the first of the highest rank wins
        best: dict[int, tuple[int, int, str, str]] = {}
        main = main if type(main) is str else _cell(main)
        if main:
            for part in _MAIN_SPLIT_RE.split(_nfkc(main)):
                if not part:
                    continue
                low = part.lower()
                found = graded.get(low)
                if found is None:
                    hits = scan(low)
                    found = graded[low] = grade(low, hits) if hits else nothing
                for p, (rank, word) in found.items() if found else ():
                    rank = 1 if rank == 1 else 3  # a name in 主营产品 is made, unless sold
                    if rank > best.get(p, (0,))[0]:
                        best[p] = (rank, 0, part, word)
        scope = scope if type(scope) is str else _cell(scope)
        if scope:
            text = _clean_scope(scope)
            lowered = text.lower()
            clauses = text.split(";")
            lows = lowered.split(";") if len(lowered) == len(text) else clauses
            for clause, low in zip(clauses, lows):
                if not low:
                    continue
                if lows is clauses:  # lower-casing changed lengths: clause by clause
                    low = clause.lower()
                found = graded.get(low)
                if found is None:
                    hits = scan(low)
                    found = graded[low] = grade(low, hits) if hits else nothing
                if found:
                    for p, (rank, word) in found.items():
                        if rank > best.get(p, (0,))[0]:
                            best[p] = (rank, 1, clause, word)
        industry = industry if type(industry) is str else _cell(industry)
        if industry and (catalogue.codes or catalogue.names):
            sector = sectors.get(industry)
            if sector is None:
                sector = sectors[industry] = ("".join(_nfkc(industry).split()),
                                              catalogue.industry(industry))
            for p, entry in sector[1].items():
                if p not in best:
                    best[p] = (2, 2, sector[0], entry)
        for p in sorted(best):
            rank, field, shown, word = best[p]
            rows.append((firm, catalogue.ids[p], _RANK[rank], _FIELDS[field], shown, word))
    return pd.DataFrame(rows, columns=LINK_COLUMNS)
