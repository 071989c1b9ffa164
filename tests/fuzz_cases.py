"""Mutated datasets for the import fuzzing (issue 14, item 4).

Hypothesis strategies that damage a dataset (the bundled sample, or a small synthetic
one from :func:`chainmap.synth.synth`) as people's files get damaged: bytes flipped,
inserted or deleted, another encoding, a cut-off file, a stray quote, columns dropped,
doubled or renamed, huge cells, NUL bytes anywhere, workbooks with holes, broken zips
and corrupt sheet XML. :func:`import_outcome` imports one into a copy of a workspace
holding the sample and says what happened: ``ok``, ``error:CODE`` (a clean
:class:`~chainmap.errors.ChainmapError`, the workspace unchanged) or ``internal:...``
/ ``changed:...`` (a bug). tests/test_fuzz_import.py asserts there is no bug over a few
hundred examples; benchmarks/fuzz.py counts the outcomes of thousands.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from click.testing import CliRunner
from hypothesis import strategies as st

import chainmap
from chainmap.cli import main
from chainmap.errors import ChainmapError, DatasetError
from chainmap.synth import synth

#: A dataset in memory: file name -> bytes (CSV files), or one ``dataset.xlsx``.
Files = dict[str, bytes]

_TABLES = ("chains", "products", "inputs", "companies", "capabilities", "supplies", "leads")


# --- the datasets mutated ---------------------------------------------------------------

@functools.cache
def _base_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="chainmap-fuzz-"))


def _csv_files(folder: Path) -> Files:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


@functools.cache
def sample_files() -> Files:
    """The bundled sample dataset's CSV files."""
    return _csv_files(chainmap.sample_path())


@functools.cache
def synth_files() -> Files:
    """A small synthetic dataset (40 firms, 12 products)."""
    folder = _base_dir() / "synth"
    synth(folder, firms=40, products=12, seed=14)
    return _csv_files(folder)


@functools.cache
def template_db() -> Path:
    """A workspace holding the sample: every example imports into a copy of it."""
    db = _base_dir() / "template.db"
    with chainmap.open(db) as ws:
        chainmap.import_dataset(ws, chainmap.sample_path())
    return db


@functools.cache
def xlsx_inline() -> bytes:
    """The sample exported by chainmap (inline strings, one sheet per table)."""
    db = _base_dir() / "export.db"
    shutil.copyfile(template_db(), db)
    with chainmap.open(db) as ws:
        chainmap.export_dataset(ws, _base_dir() / "export.xlsx")
    return (_base_dir() / "export.xlsx").read_bytes()


@functools.cache
def xlsx_shared() -> bytes:
    """The synthetic dataset as Excel saves it (shared strings, numbers as numbers)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, data in synth_files().items():
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        sheet = book.create_sheet(name.removesuffix(".csv"))
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            sheet.append([int(v) if v.isdigit() and len(v) < 10 else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- mutations ----------------------------------------------------------------------------

Mutation = Callable[[Files], Files]


def _pick(files: Files, index: int) -> str:
    names = sorted(files)
    return names[index % len(names)]


def _at(data: bytes, where: float) -> int:
    return int(where * len(data))


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig", errors="replace")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:  # a huge cell from an earlier mutation: leave the file as it is
        return []


def _unrows(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


_where = st.floats(0, 1, exclude_max=True)
_file = st.integers(0, 50)


@st.composite
def byte_mutation(draw: Any) -> tuple[str, Mutation]:
    """Bytes flipped, inserted or deleted, a cut, a stray quote, a NUL."""
    f, where = draw(_file), draw(_where)
    kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "quote", "nul",
                                 "nul-late", "newline"]))
    noise = draw(st.binary(min_size=1, max_size=12))
    span = draw(st.integers(1, 200))

    def mutate(files: Files) -> Files:
        name = _pick(files, f)
        data = files[name]
        i = _at(data, where)
        if kind == "flip" and data:
            i = min(i, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ (noise[0] or 1)]) + data[i + 1:]
        elif kind == "insert":
            data = data[:i] + noise + data[i:]
        elif kind == "delete":
            data = data[:i] + data[i + span:]
        elif kind == "truncate":
            data = data[:i]
        elif kind == "quote":
            data = data[:i] + b'"' + data[i:]
        elif kind == "nul":
            data = data[:i] + b"\x00" + data[i:]
        elif kind == "nul-late":  # after the first 4 KiB, where the binary check is blind
            data = data + b"x" * max(0, 4200 - len(data))
            j = 4096 + int(where * (len(data) - 4096))
            data = data[:j] + b"\x00" + data[j:]
        elif kind == "newline":
            data = data[:i] + draw_newline(noise) + data[i:]
        return {**files, name: data}

    return f"{kind}@{where:.3f}", mutate


def draw_newline(noise: bytes) -> bytes:
    return [b"\n", b"\r", b"\r\n", b"\n\n", b'"\r"'][noise[0] % 5]


@st.composite
def encoding_mutation(draw: Any) -> tuple[str, Mutation]:
    """The file saved in another encoding (or decoded as one and saved as UTF-8)."""
    f = draw(_file)
    encoding = draw(st.sampled_from(["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig",
                                     "latin-1", "mojibake", "big5", "shift_jis"]))

    def mutate(files: Files) -> Files:
        name = _pick(files, f)
        text = files[name].decode("utf-8-sig", errors="replace")
        if encoding == "mojibake":
            data = files[name].decode("latin-1").encode("utf-8")
        else:
            data = text.encode(encoding, errors="replace")
        return {**files, name: data}

    return encoding, mutate


_cell_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\t", "\r", "\r\n", "=1+1", "'", "''=x", "\x00", "\u202e",
                     "\ufeff", "-", "1e999", "nan", "NULL", "否", "是", "上游", "0" * 30,
                     "9" * 40, "-1", "1.5", "2026-02-30", "１２３", "\\", '"', ",", ";"]),
)


@st.composite
def cell_mutation(draw: Any) -> tuple[str, Mutation]:
    """A cell replaced: any text, or a huge one (around and beyond the cell limit)."""
    f, r, c = draw(_file), draw(st.integers(0, 60)), draw(st.integers(0, 40))
    huge = draw(st.sampled_from([0, 0, 0, 32_767, 32_768, 40_000, 140_000]))
    text = draw(_cell_text) if not huge else draw(st.sampled_from("x长\t")) * huge

    def mutate(files: Files) -> Files:
        name = _pick(files, f)
        rows = _rows(files[name])
        if not rows:
            return files
        row = rows[r % len(rows)]
        if not row:
            return files
        row[c % len(row)] = text
        return {**files, name: _unrows(rows)}

    return f"cell{'-huge' if huge else ''}", mutate


@st.composite
def column_mutation(draw: Any) -> tuple[str, Mutation]:
    """A column dropped, doubled or renamed; a header or a whole file gone."""
    f, c = draw(_file), draw(st.integers(0, 40))
    kind = draw(st.sampled_from(["drop", "double", "rename", "blank-header", "extra-cells",
                                 "drop-file", "empty-file", "header-only", "shuffle"]))
    new = draw(st.one_of(st.text(max_size=12), st.sampled_from(
        ["id", "name", "编号", "名称", "province", "省份", "company", "product", ""])))
    seed = draw(st.integers(0, 1000))

    def mutate(files: Files) -> Files:
        name = _pick(files, f)
        if kind == "drop-file":
            return {k: v for k, v in files.items() if k != name}
        if kind == "empty-file":
            return {**files, name: b""}
        rows = _rows(files[name])
        if not rows or not rows[0]:
            return files
        k = c % len(rows[0])
        if kind == "drop":
            rows = [r[:k] + r[k + 1:] for r in rows]
        elif kind == "double":
            rows = [r[:k + 1] + r[k:k + 1] + r[k + 1:] for r in rows]
        elif kind == "rename":
            rows[0][k] = new
        elif kind == "blank-header":
            rows[0][k] = ""
        elif kind == "extra-cells":
            rows = [rows[0], *[r + ["x", "y"] for r in rows[1:2]], *rows[2:]]
        elif kind == "header-only":
            rows = rows[:1]
        elif kind == "shuffle":
            order = sorted(range(len(rows[0])), key=lambda i: hash((seed, i)))
            rows = [[r[i] if i < len(r) else "" for i in order] for r in rows]
        return {**files, name: _unrows(rows)}

    return kind, mutate


def csv_mutation() -> st.SearchStrategy[tuple[str, Mutation]]:
    return st.one_of(byte_mutation(), encoding_mutation(), cell_mutation(),
                     column_mutation())


# --- workbook mutations -------------------------------------------------------------------

def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


_SHEET_EDITS = ["hole-cell", "hole-row", "bad-ref", "ref-garbage", "text-in-number",
                "bad-type", "xml-flip", "xml-truncate", "xml-mismatch", "dimension-huge",
                "dimension-gone", "far-cell", "far-cell-in-limits", "bad-shared-index",
                "drop-member", "rename-sheet", "bad-row-number", "duplicate-cell",
                "huge-cell"]


@st.composite
def xlsx_mutation(draw: Any) -> tuple[str, Callable[[bytes], bytes]]:
    """A workbook damaged in its zip or in its sheet XML."""
    kind = draw(st.sampled_from(["zip-flip", "zip-insert", "zip-truncate", *_SHEET_EDITS,
                                 *_SHEET_EDITS]))
    where, pick, noise = draw(_where), draw(st.integers(0, 1000)), draw(
        st.binary(min_size=1, max_size=8))
    text = draw(st.sampled_from(["abc", "?B2", "A0", "ZZZZ1", "A99999999", "-1", "", "1e5",
                                 "B", "XFD1048577", "2", "nan"]))

    def mutate(data: bytes) -> bytes:
        if kind.startswith("zip-"):
            i = _at(data, where)
            if kind == "zip-flip":
                return data[:i] + bytes([data[i] ^ (noise[0] or 1)]) + data[i + 1:]
            if kind == "zip-insert":
                return data[:i] + noise + data[i:]
            return data[:i]
        try:
            members = _members(data)
        except Exception:  # noqa: BLE001 - a zip an earlier mutation broke: left as it is
            return data
        sheets = sorted(n for n in members if n.startswith("xl/worksheets/sheet"))
        if not sheets:
            return data
        part = sheets[pick % len(sheets)]
        xml = members[part]
        cells = [m.span() for m in re.finditer(rb"<c [^>]*?(?:/>|>.*?</c>)", xml)]
        rows = [m.span() for m in re.finditer(rb"<row [^>]*?(?:/>|>.*?</row>)", xml)]
        cell = cells[pick % len(cells)] if cells else (0, 0)
        if kind == "hole-cell" and cells:
            xml = xml[:cell[0]] + xml[cell[1]:]
        elif kind == "hole-row" and rows:
            r = rows[pick % len(rows)]
            xml = xml[:r[0]] + xml[r[1]:]
        elif kind in ("bad-ref", "ref-garbage") and cells:
            ref = b"?B2" if kind == "bad-ref" else text.encode()
            xml = xml[:cell[0]] + re.sub(rb'r="[^"]*"', b'r="' + ref + b'"',
                                         xml[cell[0]:cell[1]], count=1) + xml[cell[1]:]
        elif kind == "text-in-number":
            xml = xml[:cell[0]] + f'<c r="A2"><v>{text or "x"}</v></c>'.encode() \
                + xml[cell[0]:]
        elif kind == "bad-type" and cells:
            t = [b"s", b"n", b"b", b"e", b"str", b"d", b"x"][noise[0] % 7]
            one = re.sub(rb' t="[^"]*"', b"", xml[cell[0]:cell[1]])
            one = one.replace(b"<c ", b'<c t="' + t + b'" ', 1)
            xml = xml[:cell[0]] + one + xml[cell[1]:]
        elif kind == "xml-flip":
            i = min(_at(xml, where), len(xml) - 1)
            xml = xml[:i] + bytes([xml[i] ^ (noise[0] or 1)]) + xml[i + 1:]
        elif kind == "xml-truncate":
            xml = xml[:_at(xml, where)]
        elif kind == "xml-mismatch" and cells:
            xml = xml[:cell[1]] + b"</row>" + xml[cell[1]:]
        elif kind == "dimension-huge":
            xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
            xml = xml.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
        elif kind == "dimension-gone":
            xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        elif kind in ("far-cell", "far-cell-in-limits"):
            ref = ("XFD200000" if kind == "far-cell" else "GR300000") if noise[0] % 2 \
                else ("XFD5000" if kind == "far-cell" else "CV90000")
            number = int(re.sub(r"[A-Z]", "", ref))
            xml = xml.replace(b"</sheetData>", f'<row r="{number}"><c r="{ref}" t="inline'
                              f'Str"><is><t>x</t></is></c></row></sheetData>'.encode())
        elif kind == "bad-shared-index" and cells:
            xml = xml[:cell[0]] + f'<c r="A2" t="s"><v>{10 ** 6 + pick}</v></c>'.encode() \
                + xml[cell[1]:]
        elif kind == "drop-member":
            victim = sorted(members)[pick % len(members)]
            del members[victim]
            return _zipped(members)
        elif kind == "rename-sheet":
            book = members["xl/workbook.xml"]
            members["xl/workbook.xml"] = re.sub(rb'name="[^"]*"', b'name="' + text.encode()
                                                + b'"', book, count=1)
            return _zipped(members)
        elif kind == "bad-row-number" and rows:
            r = rows[pick % len(rows)]
            xml = xml[:r[0]] + re.sub(rb'r="[^"]*"', b'r="' + text.encode() + b'"',
                                      xml[r[0]:r[1]], count=1) + xml[r[1]:]
        elif kind == "duplicate-cell" and cells:
            xml = xml[:cell[1]] + xml[cell[0]:cell[1]] + xml[cell[1]:]
        elif kind == "huge-cell" and cells:
            big = ("长" * (32_768 if noise[0] % 2 else 100_000)).encode()
            xml = xml[:cell[0]] + b'<c r="B2" t="inlineStr"><is><t>' + big \
                + b"</t></is></c>" + xml[cell[1]:]
        members[part] = xml
        return _zipped(members)

    return kind, mutate


# --- one import, judged -------------------------------------------------------------------

def digest(db: Path) -> str:
    """A digest of every table of the workspace file ``db``."""
    h = hashlib.sha256()
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            h.update(table.encode())
            for row in sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"'))):
                h.update(row.encode())
    return h.hexdigest()


def write_dataset(folder: Path, files: Files) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _code(exc: ChainmapError) -> str:
    if isinstance(exc, DatasetError) and exc.problems:
        return exc.problems[0].code
    return type(exc).__name__


def import_outcome(dataset: Path, work: Path, cli: bool = False) -> str:
    """Import ``dataset`` into a copy of :func:`template_db` in ``work``; the outcome.

    ``ok``; ``error:CODE`` for a clean error that left the workspace as it was;
    ``changed:CODE`` for a clean error after which the workspace differs;
    ``internal:KIND: message`` for anything else (a traceback, an internal error).
    """
    db = work / "w.db"
    shutil.copyfile(template_db(), db)
    before = digest(db)
    if cli:
        result = CliRunner().invoke(main, ["--db", str(db), "import", str(dataset)])
        out = result.output
        if result.exit_code == 0:
            return "ok"
        if result.exit_code != 1 or "Error:" not in out or "internal error" in out \
                or "Traceback" in out or result.exception and \
                not isinstance(result.exception, SystemExit):
            return f"internal:exit {result.exit_code}: {out[-300:]!r} {result.exception!r}"
        code = "cli"
    else:
        try:
            with chainmap.open(db) as ws:
                chainmap.import_dataset(ws, dataset)
            return "ok"
        except ChainmapError as exc:
            try:
                str(exc)  # the message renders
            except Exception as bad:  # noqa: BLE001 - what is judged
                return f"internal:message {type(bad).__name__}: {bad}"
            code = _code(exc)
        except Exception as exc:  # noqa: BLE001 - what is judged
            return f"internal:{type(exc).__name__}: {str(exc)[:300]}"
    if digest(db) != before:
        return f"changed:{code}"
    return f"error:{code}"


def csv_outcome(base: Files, mutations: list[tuple[str, Mutation]], cli: bool = False) -> str:
    files = base
    for _name, mutate in mutations:
        files = mutate(files)
    with tempfile.TemporaryDirectory(prefix="chainmap-fuzz-") as tmp:
        work = Path(tmp)
        return import_outcome(write_dataset(work / "d", files), work, cli)


def xlsx_outcome(base: bytes, mutations: list[tuple[str, Callable[[bytes], bytes]]],
                 cli: bool = False) -> str:
    data = base
    for _name, mutate in mutations:
        data = mutate(data)
    with tempfile.TemporaryDirectory(prefix="chainmap-fuzz-") as tmp:
        work = Path(tmp)
        (work / "dataset.xlsx").write_bytes(data)
        return import_outcome(work / "dataset.xlsx", work, cli)


def is_bug(outcome: str) -> bool:
    return outcome.startswith(("internal:", "changed:"))
