"""Leads in and out of CSV / XLSX, with the dataset rules.

All or nothing, every problem listed as ``file:line: column: value: reason``.

Columns (English or Chinese header): ``company`` 企业 (firm id, USCC or registered
name; required, but a sheet without it may name its firms under 企业名称),
``product`` 产品 (id or name), ``stage`` 阶段 (English or Chinese; blank = ``lead``),
``owner`` 负责人, ``investment`` 投资额 (亿元), ``source`` 来源 (gap/referral/event/other;
blank = ``other``), ``date`` 日期 (the day the lead reached
its stage: ``2026-03-18``, or as Excel writes it, ``2026/3/18``, ``2026-3-18`` or
``2026年3月18日``; blank = today), ``note`` 备注, ``reason`` 终止原因 (only for ``lost``;
the note is used when blank). ``investment`` is a finite number ≥ 0. ``id`` 线索编号
and ``company_name`` 企业名称, which an export writes, are read but not stored
(``company_name`` stands for ``company`` when there is no such column). Other
columns are kept as attributes.

A name is matched exactly first; a name no record has exactly is matched written another
way (full-width or half-width brackets, spaces, case, 有限公司 or not) when that names one
record, with a warning, and is refused as ambiguous when it names several (two firms
may differ only in bracket width: each is named by its exact name).

Importing never changes or duplicates a lead: a row is skipped when its ``id`` names a
lead of the workspace, when a lead with the same firm, product and source exists, or
when the firm already has an open lead for the product. A row skipped for the last
reason (another source) gets a warning naming its line and that lead
(:meth:`PendingLeads.kept_out_warnings`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

import numpy as np
import pandas as pd

from ..dates import DATE_FORMS, parse_cell_date
from ..errors import ArgumentError, ChainmapError, DatasetError, Problem
from ..i18n import _, join, label
from ..io.read import RawTable, exact_repeats, read_table, repeated_rows_warnings
from ..names import fold, legal_form, normalize_name, person_name, same_legal_form
from ..snapshot import reads_snapshot
from .common import (
    CLOSED_STAGES,
    current_user,
    lead_id,
    parse_investment,
    parse_source,
    parse_stage,
    pipeline_store,
    record,
    today,
)
from .leads import insert_lead

if TYPE_CHECKING:
    from ..io.validate import Dataset
    from ..store import Store
    from ..workspace import Workspace

__all__ = ["LeadsImport", "export_leads", "import_leads"]

_KNOWN = ("company", "product", "stage", "owner", "investment", "source", "date", "note",
          "reason", "id", "company_name")


@dataclass(frozen=True)
class LeadsImport:
    """What a leads import read, added and skipped, and what it warned of."""

    source: str
    rows: int
    added: list[str]
    skipped: int
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        """One line: the file, and how many leads were new and already there."""
        said = _("imported {source}: {rows} lead ({new} new, {skipped} already in the "
                 "workspace)") if self.rows == 1 else \
            _("imported {source}: {rows} leads ({new} new, {skipped} already in the "
              "workspace)")
        return said.format(source=self.source, rows=self.rows, new=len(self.added),
                           skipped=self.skipped)

    def _repr_html_(self) -> str:
        """The sentence (:meth:`__str__`), for a notebook."""
        from ..output import result_html

        return result_html([str(self)])


def read_leads(path: str | Path) -> RawTable:
    """Read a leads file: a ``.csv`` (UTF-8, BOM or GBK), ``.xlsx`` or ``.xls``.

    From a workbook, the sheet named ``leads`` / ``线索``, or the only sheet; read with
    :func:`chainmap.io.read.read_table`: the same decoding, header matching, line
    numbers and messages as a dataset.
    """
    return read_table(path, "leads")


class _Names:
    """Ids of the records a leads file may name, by id and by other columns.

    The same rules as :meth:`Workspace.company_id` / :meth:`Workspace.product_id` (the
    first column that matches wins; a value naming several records is ambiguous;
    ``fold`` compares case-insensitively, else a USCC is compared upper-cased), over a
    frame instead of the workspace, because: a dataset's leads may name firms and
    products of the dataset being imported, which are not in the workspace yet; the
    frame may hold one id twice (the workspace's record and the dataset's newer one),
    which is one record, not an ambiguity; and a file has many rows, so each column is
    indexed once rather than scanned for every row. Problems are per row, not raised.

    A value no column holds exactly is then looked up written another way: by
    ``folded`` of it against ``folded`` of the id and name columns (the key
    :meth:`Workspace.company_id` compares first when no name is exact: full-width or
    half-width brackets, spaces, case, 有限公司 or not), when that names one record. Only
    when no record is named exactly: ``凯越电子（宁波）有限公司`` and ``凯越电子(宁波)有限公司``
    may be two firms (the sample has both), each named by its exact name; written a
    third way they are ambiguous. No fuzzy match: a file's many rows are not guessed at.
    With ``formed`` (firms), a name written another way names only the records whose
    legal form fits its own (:func:`chainmap.names.same_legal_form`: the same, or one
    left out); a record of the same name but another form (集团有限公司 for a
    股份有限公司) is another firm, which :meth:`other_forms` lists.
    """

    def __init__(self, frame: pd.DataFrame, columns: tuple[str, ...], fold: bool,
                 folded: Callable[[str], str] | None = None, formed: bool = False) -> None:
        self.fold = fold
        self.columns = columns
        self.tables: list[dict[str, set]] = []
        self.frame = frame
        self.folded_key = folded
        self.formed = formed
        self._folded: dict[str, set[tuple[str, str]]] | None = None
        for column in columns:
            values = frame[column].fillna("").astype(str).str.strip()
            values = values.str.lower() if fold else (
                values.str.upper() if column == "uscc" else values)
            table: dict[str, set] = {}
            for key, ident in zip(values, frame["id"], strict=True):
                if key:
                    table.setdefault(key, set()).add(ident)
            self.tables.append(table)

    def resolve(self, value: str) -> tuple[str | None, str | None]:
        """``(id, None)``, or ``(None, why)``: ``'unknown'``, or ``'several'`` (:meth:`named`).

        A value named written another way (:meth:`folded`) gives ``(id, 'folded')`` when
        it names one record, ``(None, 'several-folded')`` when it names several, and
        ``(None, 'other-form')`` when it names only records of another legal form
        (:meth:`other_forms`).
        """
        named = self.named(value)
        if len(named) == 1:
            return named[0], None
        if named:
            return None, "several"
        folded = self.folded(value)
        if len(folded) == 1:
            return folded[0], "folded"
        if folded:
            return None, "several-folded"
        return None, "other-form" if self.other_forms(value) else "unknown"

    def named(self, value: str) -> list[str]:
        """The ids ``value`` names, sorted: those of the first column that names any."""
        key = str(value).strip()
        for column, table in zip(self.columns, self.tables, strict=True):
            probe = key.lower() if self.fold else (key.upper() if column == "uscc" else key)
            hit = table.get(probe)
            if hit:
                return sorted(hit)
        return []

    def _by_folded(self, value: str) -> tuple[set[tuple[str, str]], str]:
        """The ``(id, legal form)`` of the names folded as ``value``, and ``value``'s form."""
        if self.folded_key is None:
            return set(), ""
        if self._folded is None:
            self._folded = {}
            for column in self.columns:
                if column == "uscc":
                    continue
                formed = self.formed and column == "name"
                for name, ident in zip(self.frame[column], self.frame["id"], strict=True):
                    if isinstance(name, str) and name.strip():
                        self._folded.setdefault(self.folded_key(name), set()).add(
                            (ident, legal_form(name) if formed else ""))
            self._folded.pop("", None)
        text = str(value)
        return (self._folded.get(self.folded_key(text), set()),
                legal_form(text) if self.formed else "")

    def folded(self, value: str) -> list[str]:
        """The ids whose id or name, folded, is ``value`` folded (none without ``folded``).

        With ``formed``, only those whose legal form fits ``value``'s.
        """
        hits, form = self._by_folded(value)
        return sorted({ident for ident, other in hits if same_legal_form(form, other)})

    def other_forms(self, value: str) -> list[tuple[str, str]]:
        """``(id, legal form)`` of the names folded as ``value`` whose form is not its own.

        Only when no name of a fitting form is (:meth:`folded`): ``上海恒粘新材料集团有限公司``
        lists ``('hengnian', '股份有限公司')`` in the sample.
        """
        hits, form = self._by_folded(value)
        if any(same_legal_form(form, other) for _ident, other in hits):
            return []
        return sorted(hits)

    def label(self, ident: str) -> str:
        """``name (id)`` of the record ``ident`` (its id alone when it has no name)."""
        names = self.frame.loc[self.frame["id"] == ident, "name"].dropna()
        name = str(names.iloc[-1]) if len(names) else ident
        return ident if name == ident else _("{name} ({id})").format(name=name, id=ident)


def _firm_key(name: str) -> str:
    """A firm's name or id folded (:func:`chainmap.names.fold` of its normalised name)."""
    return fold(normalize_name(name))


def _closest(frame: pd.DataFrame, kind: str, value: str, asked: dict[str, str]) -> str:
    """Return the closest names (``name (id), ...``), or ``""``.

    Also ``""`` once 50 values were looked up: each is a fuzzy search of every name.
    """
    from ..io.refs import References

    if value not in asked and len(asked) < 50:
        asked[value] = join(References(kind, frame).closest(value))
    return asked.get(value, "")


@dataclass(frozen=True)
class _NameWords:
    """The reasons about a firm's or a product's name in a leads file (:class:`_Said`)."""

    unknown: str
    unknown_like: str
    several: str
    several_folded: str
    folded: str
    other_form: str = ""


class _Said:
    """The reasons of a leads file, each translated once per file (not once per row)."""

    def __init__(self) -> None:
        self.no_company = _("company is required")
        self.firm = _NameWords(
            unknown=_("unknown firm: not an id, USCC or registered name in this dataset or "
                      "the workspace"),
            unknown_like=_("unknown firm: not an id, USCC or registered name in this "
                           "dataset or the workspace; did you mean: {names}?"),
            several=_("the firm names several: {ids}; give the id"),
            several_folded=_(
                "no firm has exactly this registered name, and written another way "
                "(brackets, spaces) it names several: {names}; give the id or the exact "
                "name"),
            folded=_("{source}:{line}: column '{column}': value '{value}' was read as "
                     "{name}, its registered name written another way"),
            other_form=_("unknown firm: {firms} has this name with another legal form "
                         "({forms}, not {form}), a different firm; give its id or its "
                         "exact name if you mean it"))
        self.product = _NameWords(
            unknown=_("unknown product: not an id or name in this dataset or the "
                      "workspace"),
            unknown_like=_("unknown product: not an id or name in this dataset or the "
                           "workspace; did you mean: {names}?"),
            several=_("the product names several: {ids}; give the id"),
            several_folded=_(
                "no product has exactly this name, and written another way (brackets, "
                "spaces) it names several: {names}; give the id or the exact name"),
            folded=_("{source}:{line}: column '{column}': value '{value}' was read as "
                     "{name}, its name written another way"))
        self.bad_stage = _("unknown stage: use lead/线索, contacted/接洽, visited/考察, "
                           "negotiating/洽谈, signed/签约, started/开工, producing/投产 or "
                           "lost/终止")
        self.not_finite = _("not a finite number (亿元)")
        self.negative = _("not a number ≥ 0 (亿元)")
        self.bad_source = _("unknown source: use gap, referral, event or other")
        self.bad_date = _("not a date: use {forms}").format(forms=_(DATE_FORMS))
        self.misplaced = _("a reason (终止原因) is only for a lost lead (终止), not for stage "
                           "{stage}; put it in the note")
        self.no_reason = _("a lost lead needs a reason (column 'reason' 终止原因, or a note)")
        self.twice = _("duplicate lead: same firm, product and source as line {line}")


def _check(raw: RawTable, companies: pd.DataFrame, products: pd.DataFrame,
           existing_leads: set[str], default_date: str,
           warnings: list[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row; return the normalised rows and the problems found.

    ``warnings`` gets what was read another way: a firm or product named by its name
    written another way (:class:`_Names`), once per value.
    """
    warnings = [] if warnings is None else warnings
    told: set[tuple[str, str]] = set()  # (column, value) warned of
    problems: list[Problem] = []
    f = raw.frame

    def col(name: str) -> list[str]:
        return f[name].tolist() if name in f.columns else [""] * len(f)

    said = _Said()
    firms = _Names(companies, ("id", "uscc", "name"), fold=False, folded=_firm_key,
                   formed=True)
    asked: dict[str, str] = {}  # value -> its "did you mean" (see _closest)
    product_names = _Names(products, ("id", "name", "name_en"), fold=True, folded=fold)
    extras = raw.extras
    out: list[dict[str, object]] = []
    seen: dict[tuple[str | None, str | None, str | None], int] = {}
    for i, (line, company, product, stage, owner, investment, source, date, note, reason,
            ref) in enumerate(zip(raw.lines, col("company"), col("product"), col("stage"),
                                  col("owner"), col("investment"), col("source"), col("date"),
                                  col("note"), col("reason"), col("id"))):
        line = int(line)

        def bad(code: str, column: str, value: str, why: str, line: int = line) -> None:
            problems.append(Problem(code, why, table="leads", source=raw.source, line=line,
                                    column=raw.header(column), value=value))

        def folded(column: str, value: str, names: _Names, ident: str, said: str,
                   line: int = line) -> None:
            if (column, value) not in told:
                told.add((column, value))
                warnings.append(said.format(source=raw.source, line=line,
                                            column=raw.header(column), value=value,
                                            name=names.label(ident)))

        def named(column: str, value: str, names: _Names, frame: pd.DataFrame,
                  words: _NameWords) -> tuple[str | None, bool]:
            """The record ``value`` names (or ``None``), and whether the row stays good."""
            ident, why = names.resolve(value)
            if why == "several":
                bad("ambiguous-name", column, value,
                    words.several.format(ids=join(names.named(value))))
            elif why == "several-folded":
                bad("ambiguous-name", column, value, words.several_folded.format(
                    names=join(names.label(i) for i in names.folded(value))))
            elif why == "other-form":
                others = names.other_forms(value)
                bad("unknown-id", column, value, words.other_form.format(
                    form=legal_form(value), firms=join(names.label(i) for i, _f in others),
                    forms=join(dict.fromkeys(f for _i, f in others))))
            elif why == "folded" and ident is not None:
                folded(column, value, names, ident, words.folded)
                return ident, True
            elif ident is None:
                like = _closest(frame, column, value, asked)
                bad("unknown-id", column, value,
                    words.unknown_like.format(names=like) if like else words.unknown)
            else:
                return ident, True
            return ident, False

        ok = True
        company_id = None
        if not company:
            ok = False
            bad("missing-value", "company", company, said.no_company)
        else:
            company_id, ok = named("company", company, firms, companies, said.firm)
        product_id = None
        if product:
            product_id, good = named("product", product, product_names, products,
                                     said.product)
            ok = ok and good
        try:
            stage_v = parse_stage(stage) if stage else "lead"
        except ChainmapError:
            ok, stage_v = False, None
            bad("bad-stage", "stage", stage, said.bad_stage)
        amount = None
        if investment:
            try:
                amount = parse_investment(investment)
            except ValueError:
                amount = None
            if amount is not None and not math.isfinite(amount):
                ok, amount = False, None
                bad("bad-number", "investment", investment, said.not_finite)
            elif amount is None or amount < 0:
                ok, amount = False, None
                bad("bad-number", "investment", investment, said.negative)
        try:
            source_v = parse_source(source)
        except ChainmapError:
            ok, source_v = False, None
            bad("bad-source", "source", source, said.bad_source)
        try:
            date_v = parse_cell_date(date) or default_date
        except ValueError:
            ok, date_v = False, None
            bad("bad-date", "date", date, said.bad_date)
        reason_v = reason or None
        if reason and stage_v is not None and stage_v != "lost":
            ok = False
            bad("misplaced-reason", "reason", reason,
                said.misplaced.format(stage=label("stage", stage_v)))
        if stage_v == "lost" and not (reason or note):
            ok = False
            bad("missing-reason", "stage", stage, said.no_reason)
        elif stage_v == "lost" and not reason:
            reason_v = note
        key = (company_id, product_id, source_v)
        if ok and key in seen:
            ok = False
            bad("duplicate-lead", "company", company, said.twice.format(line=seen[key]))
        if ok:
            seen[key] = line
        existing = None
        if ref:
            try:
                existing = lead_id(ref) if lead_id(ref) in existing_leads else None
            except ChainmapError:
                existing = None
        extra = {k: f[k].iloc[i] for k in extras if f[k].iloc[i] != ""}
        out.append({"company_id": company_id, "product_id": product_id, "stage": stage_v,
                    "owner": person_name(owner) or None, "investment": amount, "source": source_v,
                    "date": date_v, "note": note or None, "reason": reason_v,
                    "existing": existing, "line": line,
                    "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True)
                    if extra else None})
    return _rows_frame(out), problems


def _rows_frame(rows: list[dict]) -> pd.DataFrame:
    """The checked rows as a frame whose missing texts stay ``None``.

    pandas would make a column of texts and ``None`` a ``str`` column holding NaN, and
    NaN is not ``None``: :meth:`PendingLeads.write` then took every row of a file that
    also named known leads for a known one, and skipped it.
    """
    frame = pd.DataFrame(rows, columns=list(_Row._fields), dtype=object)
    return frame.astype({"investment": "float64", "line": "int64"})


def _once(raw: RawTable, warnings: list[str]) -> RawTable:
    """``raw`` with each row that repeats an earlier one exactly taken once (a warning each).

    A row pasted twice loses nothing when taken once; two rows of one lead that differ in
    any cell stay two rows (and the second a ``duplicate-lead`` problem).
    """
    repeats = exact_repeats(raw.frame)
    if not repeats:
        return raw
    warnings.extend(repeated_rows_warnings(raw.source, repeats, raw.lines))
    keep = np.ones(len(raw.frame), dtype=bool)
    keep[list(repeats)] = False
    return replace(raw, frame=raw.frame[keep].reset_index(drop=True), lines=raw.lines[keep])


def _leads_imported() -> str:
    """The audit log's words for a leads import, in the current language."""
    return _("imported {source}: {rows} row(s), {new} new lead(s), {skipped} skipped")


class _Row(NamedTuple):
    """A row of :class:`PendingLeads` (the frame :func:`_check` returns)."""

    company_id: str
    product_id: str | None
    stage: str
    owner: str | None
    investment: float  # NaN: none
    source: str
    date: str
    note: str | None
    reason: str | None
    existing: str | None
    line: int
    extra: str | None


@dataclass
class PendingLeads:
    """Checked leads waiting to be written by :meth:`write` inside a transaction."""

    rows: pd.DataFrame
    by: str
    added: list[str] = field(default_factory=list)
    skipped: int = 0
    #: The rows not added because an open lead of the workspace with another source
    #: holds their firm and product: (line, that lead's id, its stage). A row with a
    #: lead's id, or with the firm, product and source of one, is that lead: not noted.
    kept_out: list[tuple[int, str, str]] = field(default_factory=list)

    def write(self, store: Store) -> None:
        """Add the rows that are not in the workspace yet (caller's transaction).

        A row is skipped when a lead with its firm, product and source exists, or, for
        an open stage, when the firm has an open lead for the product; the latter is
        noted in :attr:`kept_out`.
        """
        # pandas-stubs types the cells of itertuples() as any scalar; these are _Row's
        rows = cast(Iterable[_Row], self.rows.itertuples(index=False))
        for row in rows:
            known = isinstance(row.existing, str)  # the id of a lead of the workspace
            others = [] if known else store.leads_for(row.company_id, row.product_id)
            if known or any(o["source"] == row.source for o in others):
                self.skipped += 1
                continue
            held = [o for o in others if o["stage"] not in CLOSED_STAGES] \
                if row.stage not in CLOSED_STAGES else []
            if held:
                self.skipped += 1
                self.kept_out.append((int(row.line), held[0]["id"], held[0]["stage"]))
                continue
            investment = None if pd.isna(row.investment) else float(row.investment)
            self.added.append(insert_lead(
                store, row.company_id, row.product_id, by=self.by, date=row.date,
                stage=row.stage, owner=row.owner, investment=investment, source=row.source,
                note=row.note, reason=row.reason, imported=True, extra=row.extra,
                action="import"))

    def kept_out_warnings(self, source: str) -> list[str]:
        """One warning per row of :attr:`kept_out`: its line, and the lead that holds it."""
        return [_("{source}:{line}: not added: lead {lead} ({stage}) is open for the same "
                  "firm and product").format(source=source, line=line, lead=lead,
                                             stage=label("stage", stage))
                for line, lead, stage in self.kept_out]


def _references(workspace: Workspace, tables: dict[str, RawTable] | None,
                dataset: Dataset | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Firms and products a leads file may name: the workspace's and the dataset's."""
    frames_c = [workspace._table("companies")[["id", "uscc", "name"]]]
    frames_p = [workspace._table("products")[["id", "name", "name_en"]]]
    if dataset is not None:
        frames_c.append(dataset.companies[["id", "uscc", "name"]])
        if dataset.merged:  # the file's ids of firms read as stored ones
            frames_c.append(pd.DataFrame({"id": list(dataset.merged), "uscc": None,
                                          "name": None}))
        frames_p.append(dataset.products[["id", "name", "name_en"]])
    elif tables:  # the dataset has problems: take ids from the raw tables
        for name, cols, frames in (("companies", ("id", "uscc", "name"), frames_c),
                                   ("products", ("id", "name", "name_en"), frames_p)):
            raw = tables.get(name)
            if raw is None:
                continue
            g = {c: raw.frame[c] if c in raw.frame.columns else pd.Series([""] * len(raw.frame))
                 for c in cols}
            part = pd.DataFrame(g)
            if name == "companies":
                part["uscc"] = part["uscc"].str.upper()
                part["id"] = part["id"].where(part["id"] != "", part["uscc"])
            frames.append(part)
    companies = pd.concat(frames_c, ignore_index=True).drop_duplicates()
    products = pd.concat(frames_p, ignore_index=True).drop_duplicates()
    return companies.astype(object), products.astype(object)


def _existing(workspace: Workspace) -> set[str]:
    """Ids of the workspace's leads."""
    pipeline_store(workspace)
    return set(workspace._table("leads")["id"])


class DatasetLeads:
    """The lead-pipeline side of :func:`chainmap.import_dataset`.

    :meth:`check` checks the dataset's ``leads`` table (if any) against the dataset and
    the workspace, together with the dataset's own problems; :meth:`write` runs inside
    the import's transaction: it adds the new leads and records the import in the
    audit log, so the dataset and its leads are written all or nothing.
    """

    def __init__(self, workspace: Workspace, raw: RawTable | None, source: str,
                 by: str | None = None) -> None:
        self.workspace = workspace
        self.raw = raw
        self.source = source
        self.pending = PendingLeads(pd.DataFrame(), current_user(by))
        self.companies = 0
        #: What was taken once (a row repeated exactly) or read another way (a firm's name).
        self.warnings: list[str] = []
        if raw is not None:
            self.raw = _once(raw, self.warnings)

    def check(self, tables: dict[str, RawTable], dataset: Dataset | None = None,
              prior: DatasetError | None = None) -> None:
        """Raise :class:`DatasetError` with ``prior``'s and the leads' problems, if any."""
        if dataset is not None:
            self.companies = len(dataset.companies)
        if self.raw is None:
            if prior is not None:
                raise prior
            return
        companies, products = _references(self.workspace, tables, dataset)
        rows, problems = _check(self.raw, companies, products, _existing(self.workspace),
                                today().isoformat(), self.warnings)
        from ..io.validate import clean_problems

        problems = clean_problems(self.raw) + problems
        if prior is not None or problems:
            before = prior.problems if prior is not None else []
            total = (prior.total if prior is not None else 0) + len(problems)
            items = sorted(before + problems, key=lambda p: (p.source, p.line or 0))
            raise DatasetError(items, total)
        if dataset is not None and dataset.merged and len(rows):
            rows = rows.assign(company_id=rows["company_id"].replace(dataset.merged))
        self.pending.rows = rows

    @property
    def rows(self) -> int:
        """Rows of the leads table."""
        return len(self.pending.rows)

    @property
    def added(self) -> list[str]:
        """Ids of the leads added by :meth:`write`."""
        return self.pending.added

    def write(self) -> None:
        """Write the checked leads and the audit rows (inside the import transaction)."""
        store = self.workspace.store
        record(store, self.pending.by, "firm", "*", "import",
               _("imported dataset {source}: {count} firm record(s) upserted").format(
                   source=self.source, count=self.companies))
        if self.rows:
            assert self.raw is not None  # rows come only from a leads table
            self.pending.write(store)
            record(store, self.pending.by, "lead", "*", "import",
                   _leads_imported().format(source=self.raw.source, rows=self.rows,
                                            new=len(self.pending.added),
                                            skipped=self.pending.skipped))


def import_leads(workspace: Workspace, path: str | Path, by: str | None = None) -> LeadsImport:
    """Import the leads of a ``.csv`` or ``.xlsx`` file, all or nothing.

    Rows name firms and products of the workspace. Leads already in the workspace are
    skipped, never duplicated or changed (see the module notes).

    Raises
    ------
    DatasetError
        Listing every problem (file:line: column: value: reason); nothing is written.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> print(chainmap.import_leads(ws, chainmap.sample_path() / "leads.csv"))
    imported leads.csv: 12 leads (0 new, 12 already in the workspace)
    """
    store = pipeline_store(workspace)
    raw = read_leads(path)
    companies, products = _references(workspace, None, None)
    from ..io.validate import clean_problems

    warnings = list(raw.warnings)
    raw = _once(raw, warnings)
    rows, problems = _check(raw, companies, products, _existing(workspace),
                            today().isoformat(), warnings)
    problems = clean_problems(raw) + problems
    if problems:
        raise DatasetError(sorted(problems, key=lambda p: (p.source, p.line or 0)))
    pending = PendingLeads(rows, current_user(by))
    if len(rows):
        with store.transaction():
            pending.write(store)
            record(store, pending.by, "lead", "*", "import",
                   _leads_imported().format(source=Path(path).name, rows=len(rows),
                                            new=len(pending.added), skipped=pending.skipped))
    warnings += pending.kept_out_warnings(raw.source)
    return LeadsImport(Path(path).name, len(rows), pending.added, pending.skipped, warnings)


@reads_snapshot
def export_leads(workspace: Workspace, path: str | Path, *, force: bool = False) -> Path:
    """Write every lead to ``path``: ``.csv`` (UTF-8 with BOM, for Excel) or ``.xlsx``.

    The columns are those :func:`import_leads` reads (``date`` is the day the lead
    reached its current stage), so the file imports again. A file already at ``path``
    (a team's own 线索台账, say) is refused unless ``force`` is true.

    Raises
    ------
    ArgumentError
        ``path`` is not a ``.csv`` or ``.xlsx`` file, or exists and ``force`` is false.
    """
    from ..files import inert_csv, refuse_existing, write_atomic, write_xlsx

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ArgumentError(_("cannot export leads to {path}: give a .csv or .xlsx file")
                            .format(path=path))
    refuse_existing(path, force=force)
    pipeline_store(workspace)  # leads are exported from the SQLite workspace
    out = leads_frame(workspace)
    if suffix == ".csv":
        # '=1+1: a spreadsheet shows it as text, chainmap's reader takes the ' off again
        write_atomic(path, lambda tmp: inert_csv(out, tmp, encoding="utf-8-sig"))
    else:
        from ..io.write import DATASET_KINDS

        write_xlsx({"leads": out}, path, kinds={"leads": DATASET_KINDS["leads"]})
    return path


@reads_snapshot
def leads_frame(workspace: Workspace) -> pd.DataFrame:
    """Every lead as rows of the leads file format (string cells), ordered by id.

    The columns are those :func:`import_leads` reads (``date`` is the day the lead
    reached its current stage), so the frame imports again; :func:`export_leads` and
    :func:`chainmap.export_dataset` write it.
    """
    from .leads import _frame

    frame = _frame(workspace)
    stored = workspace._table("leads").set_index("id")[["note", "lost_reason", "extra"]]
    out = pd.DataFrame({
        "id": frame["id"], "company": frame["company"], "company_name": frame["company_name"],
        "product": frame["product"], "stage": frame["stage"], "owner": frame["owner"],
        "investment": frame["investment"], "source": frame["source"], "date": frame["since"],
        "note": frame["id"].map(stored["note"]), "reason": frame["id"].map(stored["lost_reason"]),
    })
    extra = [json.loads(a) if isinstance(a, str) else {} for a in frame["id"].map(stored["extra"])]
    for key in sorted({k for d in extra for k in d} - set(_KNOWN)):
        out[key] = [d.get(key, "") for d in extra]
    out["investment"] = out["investment"].map(
        lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(v)))
    return out.astype(object).where(out.notna(), "")
