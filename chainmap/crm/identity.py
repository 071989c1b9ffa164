"""Firm identity: find the same firm recorded twice, and merge the two records.

Two records are the same firm when they share a USCC (统一社会信用代码). Two records
with *different* USCCs are never the same firm. Otherwise names are compared after
:func:`chainmap.names.normalize_name` (legal-form and branch suffixes, width, brackets)
with rapidfuzz; to stay fast on 100k firms only names in the same block are compared:
same first two characters of the name once a leading place name (苏州, 上海 ...) and
bracketed places (（宁波）) are taken off. One name with legal forms that do not fit
(有限公司 / 股份有限公司, :func:`chainmap.names.same_firm_name`) is two firms by name,
listed for a person to check, not as one name.

Examples
--------
>>> import chainmap
>>> ws = chainmap.open(":memory:")
>>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
>>> chainmap.duplicate_firms(ws)[["keep", "drop", "score", "reason"]]
       keep         drop  score                         reason
0    kaiyue     kaiyue-2  100.0           same normalised name
1  hengleng  hengleng-gf   90.0  same name, another legal form
>>> plan = chainmap.merge_firms(ws, "kaiyue", "kaiyue-2")
>>> plan.applied, plan.moves["capabilities"]
(False, 1)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ArgumentError
from ..i18n import N_, _, counted, join
from ..names import normalize_name, same_legal_form, split_firm_name
from ..regions import CODE_COLUMN, LOCATION_COLUMNS, record_inside
from ..snapshot import reads_snapshot
from .common import CLOSED_STAGES, current_user, now, pipeline_store, record

if TYPE_CHECKING:
    from ..store import Store
    from ..workspace import Workspace

__all__ = ["DUPE_COLUMNS", "MergePlan", "duplicate_firms", "merge_firms"]

#: The score of two firms of one name and two legal forms in :func:`duplicate_firms`.
OTHER_FORM_SCORE = 90.0
#: Columns of :func:`duplicate_firms`.
DUPE_COLUMNS = ["keep", "keep_name", "drop", "drop_name", "province", "score", "reason"]

_BRACKETS = re.compile(r"\([^()]*\)")
_FILLABLE = ("uscc", "in_park", "employees", "revenue")


@cache
def _place_prefixes() -> tuple[str, ...]:
    from ..regions import all_regions

    names: set[str] = set()
    for r in all_regions():
        if r.level in ("province", "city"):
            names.add(r.name)
            for suffix in ("省", "市", "自治区", "特别行政区", "地区", "盟", "自治州"):
                if r.name.endswith(suffix) and len(r.name) > len(suffix) + 1:
                    names.add(r.name[: -len(suffix)])
    return tuple(sorted(names, key=len, reverse=True))


def name_core(name: str) -> str:
    """The normalised name without bracketed places and without a leading place name.

    >>> name_core("苏州恒冷换热器股份有限公司"), name_core("凯越电子（宁波）有限公司")
    ('恒冷换热器', '凯越电子')
    """
    text = _BRACKETS.sub("", normalize_name(name))
    for prefix in _place_prefixes():
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            return text[len(prefix):]
    return text


@reads_snapshot
def duplicate_firms(workspace: Workspace, min_score: float = 90) -> pd.DataFrame:
    """Pairs of firm records that are likely the same firm; columns :data:`DUPE_COLUMNS`.

    ``score`` is 100 for a shared USCC or the same normalised name, 99 for the same name
    with its place written differently (凯越电子（宁波） / 宁波凯越电子), 95 for the same
    name with a place on one side only (安徽皓月电气 / 皓月电气（上海）分公司), 90
    (:data:`OTHER_FORM_SCORE`) for the same name with another legal form (苏州恒冷换热器
    有限公司 / 苏州恒冷换热器股份有限公司: two firms by name,
    :func:`chainmap.names.same_firm_name`, listed for a person to tell whether one firm
    was recorded before and after a change of form), else the rapidfuzz similarity
    (0-100) of the normalised names; pairs below ``min_score`` are left out. One name
    with its places written differently counts only with legal forms that fit
    (有限公司 and 有限责任公司, or one left out). Names with different places (苏州华冷 /
    南京华冷) are only compared by similarity.
    In each pair ``keep`` is the record to keep when merging: the one with a USCC,
    else more capabilities, else the smaller id.
    """
    from rapidfuzz import fuzz, process

    if not 0 <= float(min_score) <= 100:
        raise ArgumentError(_("min_score= must be between 0 and 100, not {min_score}").format(
            min_score=min_score), parameter="min_score")
    companies = workspace._table("companies")
    caps = workspace._table("capabilities")["company_id"].value_counts()
    f = pd.DataFrame({"id": companies["id"], "name": companies["name"].fillna(""),
                      "uscc": companies["uscc"], "province": companies["province"]})
    split = f["name"].map(split_firm_name)
    f["norm"] = split.map(lambda pair: pair[0])
    f["form"] = split.map(lambda pair: pair[1])
    f["core"] = f["name"].map(name_core)
    f["block"] = f["core"].str[:2]
    pairs: dict[tuple[str, str], tuple[float, str]] = {}

    def add(a: str, b: str, score: float, reason: str) -> None:
        key = (a, b) if a < b else (b, a)
        if key not in pairs or pairs[key][0] < score:
            pairs[key] = (score, reason)

    with_uscc = f[f["uscc"].notna() & (f["uscc"] != "")]
    for _uscc, group in with_uscc.groupby("uscc"):
        ids = group["id"].tolist()
        for i in range(1, len(ids)):
            add(ids[0], ids[i], 100.0, "same USCC")
    uscc = dict(zip(f["id"], f["uscc"]))

    def different_uscc(a: str, b: str) -> bool:
        ua, ub = uscc.get(a), uscc.get(b)
        return bool(ua) and bool(ub) and ua == ua and ub == ub and ua != ub

    def same_name(a: str, b: str, form_a: str, form_b: str) -> None:
        """The pair of one normalised name: one firm's, or of two legal forms."""
        if same_legal_form(form_a, form_b):
            add(a, b, 100.0, "same normalised name")
        elif min_score <= OTHER_FORM_SCORE:
            add(a, b, OTHER_FORM_SCORE, "same name, another legal form")

    for _block, group in f.groupby("block", sort=False):
        if len(group) < 2:
            continue
        ids, norms, cores, forms = (group["id"].tolist(), group["norm"].tolist(),
                                    group["core"].tolist(), group["form"].tolist())
        matrix = process.cdist(norms, norms, scorer=fuzz.ratio, score_cutoff=float(min_score),
                               workers=1)
        for i, j in zip(*matrix.nonzero()):
            if i < j and not different_uscc(ids[i], ids[j]):
                if norms[i] == norms[j]:
                    same_name(ids[i], ids[j], forms[i], forms[j])
                else:
                    add(ids[i], ids[j], float(matrix[i, j]), "similar names")
        # the same core name, places written differently (凯越电子（宁波） / 宁波凯越电子)
        by_core: dict[str, list[int]] = {}
        for i, core in enumerate(cores):
            by_core.setdefault(core, []).append(i)
        for members in by_core.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    i, j = members[x], members[y]
                    if different_uscc(ids[i], ids[j]):
                        continue
                    pi, pj = sorted(_places(norms[i])), sorted(_places(norms[j]))
                    if norms[i] == norms[j]:
                        same_name(ids[i], ids[j], forms[i], forms[j])
                    elif not same_legal_form(forms[i], forms[j]):
                        continue  # another place and another legal form: not this pair
                    elif pi == pj:
                        add(ids[i], ids[j], 99.0, "same name, place written differently")
                    elif not pi or not pj:
                        add(ids[i], ids[j], 95.0, "same name, place given on one only")
    info = f.set_index("id")
    rows = []
    for (a, b), (score, reason) in pairs.items():
        keep, drop = _order(a, b, info, caps)
        rows.append({"keep": keep, "keep_name": info.at[keep, "name"], "drop": drop,
                     "drop_name": info.at[drop, "name"], "province": info.at[keep, "province"],
                     "score": round(score, 1), "reason": reason})
    out = pd.DataFrame(rows, columns=DUPE_COLUMNS)
    out = out.sort_values(["score", "keep", "drop"], ascending=[False, True, True],
                          kind="mergesort")
    return out.reset_index(drop=True)


def _places(norm: str) -> list[str]:
    inside = [m.strip("()") for m in _BRACKETS.findall(norm)]
    rest = _BRACKETS.sub("", norm)
    for prefix in _place_prefixes():
        if rest.startswith(prefix) and len(rest) > len(prefix) + 1:
            inside.append(prefix)
            break
    return [p.removesuffix("市").removesuffix("省") for p in inside]


def _order(a: str, b: str, info: pd.DataFrame, caps: pd.Series) -> tuple[str, str]:
    def rank(x: str) -> tuple:
        u = info.at[x, "uscc"]
        return (0 if isinstance(u, str) and u else 1, -int(caps.get(x, 0)), x)

    return (a, b) if rank(a) <= rank(b) else (b, a)


#: What a merge moves, in words: (would move, moved) per table, for many rows and for one.
_MOVES = {
    "capabilities": ((N_("would move: {n} capabilities"), N_("moved: {n} capabilities")),
                     (N_("would move: {n} capability"), N_("moved: {n} capability"))),
    "supplies": ((N_("would move: {n} supply relations"), N_("moved: {n} supply relations")),
                 (N_("would move: {n} supply relation"), N_("moved: {n} supply relation"))),
    "leads": ((N_("would move: {n} leads"), N_("moved: {n} leads")),
              (N_("would move: {n} lead"), N_("moved: {n} lead"))),
    "activities": ((N_("would move: {n} activities (with their leads)"),
                    N_("moved: {n} activities (with their leads)")),
                   (N_("would move: {n} activity (with its lead)"),
                    N_("moved: {n} activity (with its lead)"))),
    "followups": ((N_("would move: {n} follow-ups (with their leads)"),
                   N_("moved: {n} follow-ups (with their leads)")),
                  (N_("would move: {n} follow-up (with its lead)"),
                   N_("moved: {n} follow-up (with its lead)"))),
}


@dataclass(frozen=True)
class MergePlan:
    """What merging ``drop`` into ``keep`` moves (or moved, when ``applied``)."""

    keep: str
    drop: str
    keep_name: str
    drop_name: str
    moves: dict[str, int]
    fills: dict[str, object]
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    def lines(self) -> list[str]:
        """The plan in words, one line each: what moves, what fills, notes."""
        done = int(self.applied)
        out = [_("merge {drop} ({drop_name}) into {keep} ({keep_name})").format(
            drop=self.drop, drop_name=self.drop_name, keep=self.keep, keep_name=self.keep_name)]
        for key, (many, one) in _MOVES.items():
            n = self.moves.get(key, 0)
            out.append("  " + _((one if n == 1 else many)[done]).format(n=n))
        fill = _("filled {column} of {keep} from {drop}: {value}") if self.applied else \
            _("would fill {column} of {keep} from {drop}: {value}")
        for column, value in self.fills.items():
            out.append("  " + fill.format(column=column, keep=self.keep, drop=self.drop,
                                          value=value))
        out.extend("  " + _("note: {note}").format(note=n) for n in self.notes)
        removed = _("removed firm record {drop}; the whole record is kept in the merge log") \
            if self.applied else \
            _("would remove firm record {drop}; the whole record is kept in the merge log")
        out.append("  " + removed.format(drop=self.drop))
        return out

    def __str__(self) -> str:
        """The plan in words (:meth:`lines`)."""
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        """The plan in words (:meth:`lines`), for a notebook."""
        from ..output import result_html

        return result_html(self.lines())


def merge_firms(workspace: Workspace, keep: str, drop: str, apply: bool = False,
                by: str | None = None) -> MergePlan:
    """Merge the firm ``drop`` into ``keep``; a dry run unless ``apply``.

    Capabilities, supply relations and leads (with their activities and follow-ups)
    of ``drop`` move to ``keep``; fields ``keep`` lacks (USCC, in_park, employees,
    revenue, extra attributes) are filled from ``drop``, and so is its location when
    ``drop``'s lies inside it (a district for a province); then the record
    ``drop`` is removed and kept whole, with what moved, in the ``merges`` table and
    the audit log. Nothing is dropped silently: a supply between the two firms, which
    would become a firm supplying itself, is reported and removed. All in one
    transaction.

    Returns
    -------
    MergePlan
        What moves (``applied`` tells whether it was done).
    """
    store = pipeline_store(workspace)
    keep_id, drop_id = workspace.company_id(keep), workspace.company_id(drop)
    if keep_id == drop_id:
        raise ArgumentError(_("cannot merge firm '{firm}' into itself").format(firm=keep_id))
    plan = _plan(workspace, store, keep_id, drop_id)
    if not apply:
        return plan
    who = current_user(by)
    with store.transaction():
        # planned again inside the write: what is checked and logged is what is merged
        plan = _plan(workspace, store, keep_id, drop_id)
        companies = workspace._table("companies").set_index("id")
        k, d = companies.loc[keep_id], companies.loc[drop_id]
        dropped: dict[str, object] = {"company": {c: _plain(v) for c, v in d.items()},
                                      "id": drop_id}
        at = now()
        moved = store.merge_firms(keep_id, drop_id, plan.fills,
                                  _merged_extra(k["extra"], d["extra"], d["name"]), at)
        dropped["internal_supplies"] = moved["internal_supplies"]
        dropped["leads"] = lead_ids = moved["leads"]
        store.log_merge({"keep_id": keep_id, "drop_id": drop_id,
                         "dropped": json.dumps(dropped, ensure_ascii=False),
                         "moved": json.dumps({"moves": plan.moves, "fills": plan.fills},
                                             ensure_ascii=False),
                         "at": at, "by": who})
        summary = join(counted(n, key) for key, n in plan.moves.items())
        merged = _("merged {drop} ({name}) into {keep}: moved {moved}; filled {filled}") \
            if plan.fills else _("merged {drop} ({name}) into {keep}: moved {moved}")
        record(store, who, "firm", keep_id, "merge",
               merged.format(drop=drop_id, name=d["name"], keep=keep_id, moved=summary,
                             filled=", ".join(plan.fills)), at=at)
        for lid in lead_ids:
            record(store, who, "lead", lid, "firm merged",
                   _("firm {drop} merged into {keep}").format(drop=drop_id, keep=keep_id),
                   lead=lid, at=at)
    return replace(plan, applied=True)


def _plan(workspace: Workspace, store: Store, keep_id: str, drop_id: str) -> MergePlan:
    """What merging ``drop_id`` into ``keep_id`` moves and fills; refused for two USCCs."""
    companies = workspace._table("companies").set_index("id")
    k, d = companies.loc[keep_id], companies.loc[drop_id]
    if isinstance(k["uscc"], str) and isinstance(d["uscc"], str) and k["uscc"] != d["uscc"]:
        raise ArgumentError(_("'{keep}' and '{drop}' have different USCCs ({keep_uscc}, "
                              "{drop_uscc}): they are different firms").format(
                                  keep=keep_id, drop=drop_id, keep_uscc=k["uscc"],
                                  drop_uscc=d["uscc"]))
    links = store.firm_links(keep_id, drop_id)
    internal = links.pop("internal")
    moves = links
    fills = {c: _plain(d[c]) for c in _FILLABLE if _empty(k[c]) and not _empty(d[c])}
    # KEEP's location is filled from DROP only where DROP is more precise inside it (KEEP
    # says 安徽省, DROP says 安徽省/马鞍山市/当涂县), and then as a whole, codes included
    if k[CODE_COLUMN] != d[CODE_COLUMN] and record_inside(d, k[CODE_COLUMN]):
        fills.update({c: _plain(d[c]) for c in LOCATION_COLUMNS})
    notes = []
    if internal:
        notes.append(_("{n} supply relation(s) between {keep} and {drop} become a firm "
                       "supplying itself and are removed (kept in the merge log)").format(
                           n=internal, keep=keep_id, drop=drop_id))
    leads = workspace._table("leads")
    leads = leads[~leads["stage"].isin(CLOSED_STAGES)].sort_values("seq")
    product = leads["product_id"].fillna("")
    kept = leads[leads["company_id"] == keep_id]
    for b, b_product in zip(leads.loc[leads["company_id"] == drop_id, "id"],
                            product[leads["company_id"] == drop_id]):
        for a in kept.loc[product[kept.index] == b_product, "id"]:
            two = _("{keep} will have two open leads for {product}: {first} and {second}; "
                    "move one to lost if they are the same project") if b_product else \
                _("{keep} will have two open leads for no product: {first} and {second}; "
                  "move one to lost if they are the same project")
            notes.append(two.format(keep=keep_id, product=b_product, first=a, second=b))
    return MergePlan(keep_id, drop_id, str(k["name"]), str(d["name"]), moves, fills, notes)


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA \
        or (isinstance(value, str) and not value)


def _plain(value: object) -> object:
    if _empty(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _merged_extra(keep_extra: object, drop_extra: object, drop_name: str) -> str:
    keep = json.loads(keep_extra) if isinstance(keep_extra, str) and keep_extra else {}
    drop = json.loads(drop_extra) if isinstance(drop_extra, str) and drop_extra else {}
    merged = {**drop, **keep}
    names = [n for n in str(merged.get("merged_names", "")).split(";") if n]
    if drop_name not in names:
        names.append(str(drop_name))
    merged["merged_names"] = ";".join(names)
    return json.dumps(merged, ensure_ascii=False, sort_keys=True)
