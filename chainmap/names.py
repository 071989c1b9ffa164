"""Names written another way: company-name normalisation, and the near match of a name.

:func:`normalize_name` makes one firm written two ways one name (its core, without the
legal form); :func:`legal_form` is the form it drops, and :func:`same_firm_name` says
whether two names are one firm: the same core and compatible legal forms
(:func:`same_legal_form`), so ``上海恒粘新材料集团有限公司`` is not
``上海恒粘新材料股份有限公司``, another legal entity. :func:`fold` makes any
name typed another way (width, case, spaces, punctuation, brackets) one key; and
:func:`near_match` picks the one record a typed name nearly matches, the step after
the id and the exact name when chains, products, firms and regions are looked up.

>>> normalize_name("苏州恒冷换热器股份有限公司")
'苏州恒冷换热器'
>>> normalize_name("奥克斯空调（马鞍山） 有限公司") == normalize_name("奥克斯空调(马鞍山)有限公司")
True
>>> normalize_name("上海华冷科技有限公司（上海）分公司")
'上海华冷科技'
>>> same_firm_name("上海恒粘新材料集团有限公司", "上海恒粘新材料股份有限公司")
False
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["CHAIN_WORDS", "NEAR_GAP", "NEAR_SCORE", "chain_key", "firm_keys", "fold", "legal_form",
           "near_match", "normalize_name", "person_name", "same_firm_name", "same_legal_form",
           "split_firm_name"]

#: A near match needs at least this rapidfuzz ``ratio`` (0-100) of the folded names ...
NEAR_SCORE = 90
#: ... and the runner-up (another record) at least this many points lower.
NEAR_GAP = 10

_BRANCH = re.compile(r"\([^()]*\)\s*(分公司|分厂|办事处)$|(分公司|分厂|办事处)$")
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "总公司", "公司",
             "股份", "co.,ltd.", "co.,ltd", "co.ltd.", "ltd.", "ltd", "inc.", "inc")


def _split(name: str) -> tuple[str, tuple[str, ...]]:
    """``name``'s core (:func:`normalize_name`) and the legal-form suffixes taken off it."""
    text = unicodedata.normalize("NFKC", str(name)).lower()
    text = re.sub(r"\s+", "", text)
    text = _BRANCH.sub("", text)
    taken: list[str] = []
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                taken.append(suffix)
                changed = True
    return text, tuple(taken)


def normalize_name(name: str) -> str:
    """Fold width and case, drop spaces, branch suffixes and legal-form suffixes.

    The core of a firm's name: two names with one core are one firm only when their
    legal forms agree too (:func:`same_firm_name`).
    """
    return _split(name)[0]


#: The legal forms :func:`legal_form` gives, by (集团 or not, kind of company):
#: 有限 is 有限公司 / 有限责任公司, 股份 is 股份有限公司 / 股份公司 / 股份, ``None`` a
#: company whose kind the name does not say (公司, 总公司, an English Co., Ltd. or Inc.).
_FORMS = {(False, "有限"): "有限公司", (False, "股份"): "股份有限公司", (False, None): "公司",
          (True, "有限"): "集团有限公司", (True, "股份"): "集团股份有限公司", (True, None): "集团"}
_PARTS = {form: parts for parts, form in _FORMS.items()}


def legal_form(name: str) -> str:
    """The legal form ``name`` ends with, one word per form; ``""`` for none.

    有限公司 and 有限责任公司 are one form (``有限公司``); 股份有限公司, 股份公司 and 股份
    are ``股份有限公司``; with 集团 before them ``集团有限公司`` and ``集团股份有限公司``;
    集团 and 集团公司 alone ``集团``; 公司, 总公司 and the English Co., Ltd. / Inc.,
    which do not say the kind of company, ``公司``. A branch (分公司) has its firm's.

    >>> legal_form("上海恒粘新材料有限责任公司"), legal_form("上海恒粘新材料股份公司")
    ('有限公司', '股份有限公司')
    >>> legal_form("上海恒粘新材料集团有限公司"), legal_form("上海恒粘新材料")
    ('集团有限公司', '')
    """
    return _form(_split(name)[1])


def _form(taken: tuple[str, ...]) -> str:
    """The legal form (:func:`legal_form`) of the suffixes ``taken`` off a name."""
    if not taken:
        return ""
    group = any(s in ("集团", "集团公司") for s in taken)
    kind = ("股份" if any(s in ("股份有限公司", "股份") for s in taken) else
            "有限" if any(s in ("有限公司", "有限责任公司") for s in taken) else None)
    return _FORMS[(group, kind)]


def split_firm_name(name: str) -> tuple[str, str]:
    """``(normalize_name(name), legal_form(name))``, the name split once.

    >>> split_firm_name("上海恒粘新材料集团有限公司")
    ('上海恒粘新材料', '集团有限公司')
    """
    core, taken = _split(name)
    return core, _form(taken)


def same_legal_form(a: str, b: str) -> bool:
    """Whether the legal forms ``a`` and ``b`` (of :func:`legal_form`) may be one firm's.

    Equal forms, or one of them none (``""``); and a form that does not say the kind
    of company (``公司``, ``集团``) fits the forms of that kind with the same 集团 or not:
    ``公司`` fits ``有限公司`` and ``股份有限公司``, ``集团`` fits ``集团有限公司``. Any
    other two differ: ``有限公司`` / ``股份有限公司``, ``集团有限公司`` / ``股份有限公司``,
    ``集团`` / ``公司``.

    >>> same_legal_form("有限公司", ""), same_legal_form("公司", "股份有限公司")
    (True, True)
    >>> same_legal_form("有限公司", "股份有限公司"), same_legal_form("集团", "公司")
    (False, False)
    """
    if not a or not b or a == b:
        return True
    (group_a, kind_a), (group_b, kind_b) = _PARTS[a], _PARTS[b]
    return group_a == group_b and (kind_a is None or kind_b is None)


def same_firm_name(a: str, b: str) -> bool:
    """Whether the names ``a`` and ``b`` are one firm's: one core, compatible legal forms.

    The core is :func:`normalize_name` (width, case, spaces, a branch suffix and the
    legal form do not count); the legal forms must be the same or one missing
    (:func:`same_legal_form`): a 集团有限公司, a 股份有限公司 and a 有限公司 of one core
    are three legal entities.

    >>> same_firm_name("上海恒粘新材料", "上海恒粘新材料股份有限公司")
    True
    >>> same_firm_name("苏州恒冷换热器有限责任公司", "苏州恒冷换热器 有限公司")
    True
    >>> same_firm_name("上海恒粘新材料有限公司", "上海恒粘新材料股份有限公司")
    False
    """
    (core_a, form_a), (core_b, form_b) = split_firm_name(a), split_firm_name(b)
    return core_a == core_b and same_legal_form(form_a, form_b)


def firm_keys(names: Iterable[tuple[str, str]]) -> list[str]:
    """One key per name, equal for the names of one firm (``""`` for a blank one).

    ``names`` are :func:`split_firm_name` pairs (normalised name, legal form). A name is
    the firm of the first earlier name with its normalised name whose legal form fits
    its own (:func:`same_legal_form`), else a firm of its own: the way a list of names
    is grouped by :func:`same_firm_name`, which is not transitive (``恒粘`` fits both
    ``恒粘有限公司`` and ``恒粘股份有限公司``, two firms).

    >>> keys = firm_keys(map(split_firm_name, ["恒粘有限公司", "恒粘股份有限公司",
    ...                                        "恒粘有限责任公司", "恒粘"]))
    >>> keys[0] == keys[2] == keys[3], keys[0] == keys[1]
    (True, False)
    """
    firsts: dict[str, list[tuple[int, str]]] = {}
    out: list[str] = []
    for i, (core, form) in enumerate(names):
        if not core:
            out.append("")
            continue
        seen = firsts.setdefault(core, [])
        first = next((j for j, f in seen if same_legal_form(form, f)), None)
        if first is None:
            seen.append((i, form))
            first = i
        out.append(f"{first}\x1f{core}")
    return out


def fold(text: str) -> str:
    """``text`` as a key for a near match: width and case folded, no punctuation.

    Spaces, punctuation and brackets go (``控制器（主控板）`` and ``控制器 主控板`` are
    both ``控制器主控板``).

    >>> fold("控制器（主控板）"), fold("Smart-Appliances "), fold("ＡＢＣ")
    ('控制器主控板', 'smartappliances', 'abc')
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text
                   if not unicodedata.category(ch).startswith(("P", "Z", "C")))


#: Characters of a Chinese name: CJK ideographs, and the middle dots of transliterated
#: names (阿卜杜拉·买买提), between which a space is only a typing slip.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
                  r"\u00b7\u30fb\u2027\u2022]")


def person_name(text: str | None) -> str:
    """A person's name (a lead's owner, 负责人) as stored and compared.

    Trimmed; a space between two Chinese characters (``王 磊``, ``王　磊`` with a
    full-width space) is dropped, as Chinese names are written without; any other run of
    spaces becomes one (``Li  Na`` is ``Li Na``). ``None`` and blanks give ``""``.

    >>> person_name(" 王 磊 "), person_name("王\u3000磊"), person_name("Li   Na")
    ('王磊', '王磊', 'Li Na')
    >>> person_name("欧阳 娜娜 Nana"), person_name(None)
    ('欧阳娜娜 Nana', '')
    """
    parts = str(text).split() if text is not None else []
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if _HAN.match(out[-1]) and _HAN.match(part[0]):
            out += part
        else:
            out += " " + part
    return out


#: Words a chain's name is often written with (智能家电产业链 for 智能家电), left out of
#: its near-match key (:func:`chain_key`).
CHAIN_WORDS = ("产业链", "产业")


def chain_key(name: str) -> str:
    """A chain's name folded for a near match, without a trailing 产业链 or 产业.

    >>> chain_key("智能家电产业链"), chain_key("智能 家电 产业"), chain_key("产业链")
    ('智能家电', '智能家电', '产业链')
    """
    key = fold(name)
    for word in CHAIN_WORDS:
        if key.endswith(word) and len(key) > len(word):
            return key[:-len(word)]
    return key


def near_match(key: str, names: Sequence[str],
               owners: Sequence[str]) -> tuple[str | None, list[str]]:
    """The one record whose name ``key`` nearly matches: ``(owner, [])``, else ``(None, fits)``.

    ``names`` are the folded names of the records (several per record allowed: id, name,
    English name), ``owners[i]`` the record of ``names[i]``; ``key`` is the folded name
    typed. A record fits when one of its names equals ``key``, else when its best
    rapidfuzz ``ratio`` is at least :data:`NEAR_SCORE`. One record fitting by equal
    name, or by a score with every other record at least :data:`NEAR_GAP` points lower,
    is the match; otherwise ``fits`` lists the records that fit (none, or several that
    a person must choose from), best first.

    Examples
    --------
    >>> names = [fold(n) for n in ("控制器（主控板）", "压缩机", "电容器")]
    >>> near_match(fold("控制器 主控板"), names, ["controller", "compressor", "capacitor"])
    ('controller', [])
    >>> near_match(fold("控制器"), names, ["controller", "compressor", "capacitor"])
    (None, [])
    """
    if not key:
        return None, []
    equal = list(dict.fromkeys(o for n, o in zip(names, owners, strict=True) if n == key))
    if len(equal) == 1:
        return equal[0], []
    if equal:
        return None, equal
    from rapidfuzz import fuzz, process

    best: dict[str, float] = {}
    for _name, score, index in process.extract(key, names, scorer=fuzz.ratio, limit=None,
                                               score_cutoff=NEAR_SCORE - NEAR_GAP):
        owner = owners[index]
        best[owner] = max(score, best.get(owner, 0.0))
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < NEAR_SCORE:
        return None, []
    if len(ranked) == 1 or ranked[1][1] <= ranked[0][1] - NEAR_GAP:
        return ranked[0][0], []
    return None, [o for o, score in ranked if score > ranked[0][1] - NEAR_GAP]
