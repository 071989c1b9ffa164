"""References by name: firms by id, USCC or registered name; products by id or name.

Each distinct value is looked up once, in dicts, never by a scan per row.

>>> import pandas as pd
>>> firms = pd.DataFrame({"id": ["aux"], "uscc": [None],
...                       "name": ["奥克斯空调（马鞍山）有限公司"]})
>>> refs = References("company", firms)
>>> refs.resolve(["aux", "奥克斯空调(马鞍山)有限公司", "奥克斯空调有限公司"])[0]
{'aux': 'aux', '奥克斯空调(马鞍山)有限公司': 'aux'}
>>> print(refs.resolve(["奥克斯空调有限公司"])[1]["奥克斯空调有限公司"])
unknown company '奥克斯空调有限公司'; did you mean: 奥克斯空调（马鞍山）有限公司 (aux)?

A name may leave out its legal form, not change it (:func:`chainmap.names.same_firm_name`):

>>> refs.resolve(["奥克斯空调（马鞍山）"])[0]
{'奥克斯空调（马鞍山）': 'aux'}
>>> print(refs.resolve(["奥克斯空调（马鞍山）股份有限公司"])[1]["奥克斯空调（马鞍山）股份有限公司"])
... # doctest: +NORMALIZE_WHITESPACE
unknown company '奥克斯空调（马鞍山）股份有限公司': 奥克斯空调（马鞍山）有限公司 (aux) has this
name with another legal form (有限公司, not 股份有限公司), a different firm; give its id or
its exact name if you mean it
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..i18n import _, join
from ..names import same_legal_form, split_firm_name

__all__ = ["References"]

#: The columns a reference may match, in the order they are tried.
_COLUMNS = {"company": ("id", "uscc", "name"), "product": ("id", "name", "name_en")}
#: How many unknown values get "did you mean" suggestions (each is a fuzzy search).
_SUGGEST_CAP = 50


class References:
    """The records a file may name (``kind`` ``company`` or ``product``).

    ``frame`` has ``id`` and the name columns (``uscc``, ``name`` for firms; ``name``,
    ``name_en`` for products); one id may appear on several rows (a workspace's record
    and the dataset's newer one), which is one record, not an ambiguity.
    """

    def __init__(self, kind: str, frame: pd.DataFrame) -> None:
        self.kind = kind
        self.columns = _COLUMNS[kind]
        self.frame = frame
        self._normal: dict[str, set[tuple[str, str]]] | None = None
        #: The values of the last :meth:`resolve` that name several records.
        self.ambiguous: set[str] = set()

    def _matches(self, column: str, keys: set[str]) -> dict[str, set[str]]:
        """For each of ``keys`` found in ``column``: the ids it names."""
        if column not in self.frame.columns or not keys:
            return {}
        values = self.frame[column].fillna("").astype(str).str.strip()
        if column == "uscc":
            values = values.str.upper()
        elif column == "name_en" or (self.kind == "product" and column == "name"):
            values = values.str.lower()
        hit = values.isin(keys).to_numpy()
        out: dict[str, set[str]] = {}
        for key, ident in zip(values[hit], self.frame["id"][hit], strict=True):
            out.setdefault(key, set()).add(str(ident))
        return out

    def _normalised(self) -> dict[str, set[tuple[str, str]]]:
        """``(id, legal form)`` of the registered names, by normalised name."""
        if self._normal is None:
            self._normal = {}
            names = self.frame["name"].fillna("").astype(str)
            for (key, form), ident in zip(names.map(split_firm_name), self.frame["id"],
                                          strict=True):
                if key:
                    self._normal.setdefault(key, set()).add((str(ident), form))
        return self._normal

    def resolve(self, values: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
        """``(found, problems)``: value -> id, and value -> why for the rest.

        ``found`` holds the values that name one record; ``problems`` the others (unknown,
        with the closest names; or the records it names), in the current language.
        Blank values are in neither. Afterwards :attr:`ambiguous` holds the values of
        ``problems`` that name several records.
        """
        found: dict[str, str] = {}
        problems: dict[str, str] = {}
        self.ambiguous = set()
        todo = {str(v).strip(): str(v) for v in values if str(v).strip()}
        for column in self.columns:
            if not todo:
                break
            probe = {(k.upper() if column == "uscc" else
                      k.lower() if column == "name_en" or (self.kind == "product"
                                                           and column == "name") else k): k
                     for k in todo}
            for key, ids in self._matches(column, set(probe)).items():
                original = todo.pop(probe[key], None)
                if original is None:
                    continue
                if len(ids) == 1:
                    found[original] = next(iter(ids))
                else:
                    problems[original] = self._several(original, ids)
                    self.ambiguous.add(original)
        if todo and self.kind == "company" and "name" in self.frame.columns:
            normal = self._normalised()
            for key, original in list(todo.items()):
                core, form = split_firm_name(key)
                hits = normal.get(core, set())
                named = {i for i, f in hits if same_legal_form(form, f)}
                if named:
                    del todo[key]
                    if len(named) == 1:
                        found[original] = next(iter(named))
                    else:
                        problems[original] = self._several(original, named)
                        self.ambiguous.add(original)
                elif hits:  # only firms of another legal form: not this one
                    del todo[key]
                    problems[original] = self._other_form(original, form, hits)
        for n, original in enumerate(todo.values()):
            problems[original] = self._unknown(original, suggest=n < _SUGGEST_CAP)
        return found, problems

    def _label(self, ident: str) -> str:
        names = self.frame.loc[self.frame["id"] == ident, "name"].dropna()
        name = str(names.iloc[-1]) if len(names) else ident
        return ident if name == ident else _("{name} ({id})").format(name=name, id=ident)

    def _several(self, value: str, ids: set[str]) -> str:
        listed = join(self._label(i) for i in sorted(ids))
        said = (_("'{value}' names several company records: {records}; give the id")
                if self.kind == "company" else
                _("'{value}' names several product records: {records}; give the id"))
        return said.format(value=value, records=listed)

    def _other_form(self, value: str, form: str, hits: set[tuple[str, str]]) -> str:
        return _("unknown company '{value}': {firms} has this name with another legal form "
                 "({forms}, not {form}), a different firm; give its id or its exact name "
                 "if you mean it").format(
                     value=value, form=form, firms=join(self._label(i) for i, _f in sorted(hits)),
                     forms=join(dict.fromkeys(f for _i, f in sorted(hits))))

    def _unknown(self, value: str, suggest: bool) -> str:
        picked = self.closest(value) if suggest else []
        if not picked:
            said = (_("unknown company '{value}': not an id, USCC or registered name in this "
                      "dataset nor in the workspace") if self.kind == "company" else
                    _("unknown product '{value}': not an id or name in this dataset nor in "
                      "the workspace"))
            return said.format(value=value)
        said = (_("unknown company '{value}'; did you mean: {names}?")
                if self.kind == "company" else
                _("unknown product '{value}'; did you mean: {names}?"))
        return said.format(value=value, names=join(picked))

    def closest(self, value: str, limit: int = 3) -> list[str]:
        """The records whose names are closest to ``value``: ``name (id)``, best first."""
        if "name" not in self.frame.columns or not len(self.frame):
            return []
        from rapidfuzz import fuzz, process

        names = self.frame["name"].fillna("").astype(str)
        best = process.extract(value, names.tolist(), scorer=fuzz.WRatio, limit=8, score_cutoff=60)
        picked: list[str] = []
        for _name, _score, index in best:
            ident = self.frame["id"].iloc[index]
            if pd.isna(ident) or not str(ident).strip():  # a row of a sheet with no id
                continue
            label = self._label(str(ident))
            if label not in picked:
                picked.append(label)
        return picked[:limit]
