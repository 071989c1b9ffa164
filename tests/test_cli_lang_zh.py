"""Every command that prints, in Chinese: no English word left in what people read.

The steps of ``tests/test_golden.py`` run twice on the bundled sample, in order, each
time in its own workspace at the golden clock: once with ``--lang zh`` on every command
(``--lang en`` steps become ``--lang zh``; charts keep theirs), once under
``CHAINMAP_LANG=zh`` with no ``--lang`` at all. In each step's stdout and stderr (and the
workbooks and CSV files it writes) every ASCII word must be one a Chinese reader is
meant to see: an id or code (``L0013``, ``smart-appliances``, ``missing-uscc``,
``signed``), an option or command name (``--reason``, ``chainmap import``), a file
name, a proper name or other text from the data or typed by the user (``Shanghai``,
``via 奥克斯``), or a unit or technical name (``USCC``, ``CSV``). JSON on stdout is for
programs and stays English (``tests/test_cli_json_lang.py``); ``--help`` is checked by
``tests/test_cli_help_zh.py``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.errors import CODES
from tests import test_golden as golden

REPO = Path(__file__).resolve().parents[1]

#: An ASCII word: letters, digits, ``_`` and inner ``-``/``.`` (``smart-appliances``,
#: ``L0013``, ``main_products``).
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*")
#: What is not read as words: options (``--reason``, ``-o``), file paths and names,
#: placeholders of the golden files (``{tmp}``), URIs.
#: Python names (``chainmap.import_firms``), a cell clipped to fit a table (``magnet-wir…``).
NOT_WORDS = re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*|\{tmp\}\S*|\{repo\}\S*|\S+://\S+"
                       r"|[\w./-]*\.(?:xlsx|csv|db|png|html|graphml|gexf|md|txt)\b"
                       r"|chainmap(?: [a-z][a-z-]*)+|chainmap\.\w+|[\w-]+…")

#: Code values people may see as they are (the JSON's codes; each has a label where the
#: CLI shows one): stages, sources, activity kinds, gap statuses, tiers, link and firm
#: statuses, evidence grades and fields, severities, finding and check codes, the audit
#: log's entities and actions, region levels.
CODE_WORDS = {
    *CODES, "lead", "contacted", "visited", "negotiating", "signed", "started", "producing",
    "lost", "open", "gap", "referral", "event", "other", "visit", "call", "meeting", "email",
    "missing", "weak", "covered", "upstream", "midstream", "downstream", "unspecified",
    "confirmed", "suggested", "rejected", "active", "closed", "strong", "medium",
    "main_products", "scope", "industry", "error", "warning", "firm", "product", "chain",
    "import", "add", "move", "update", "log", "follow-up", "done", "merge", "accept",
    "reject", "classify", "province", "city", "district", "local", "targets", "elsewhere",
}
#: Technical names and units that a Chinese office writes in Latin letters too.
TECH_WORDS = {"USCC", "CSV", "UTF-8", "BOM", "GBK", "GB18030", "Excel", "JSON", "xlsx", "csv",
              "SQLite", "Neo4j", "GB", "T", "N", "PNG", "HTML", "ABS", "PCB", "IoT", "AC",
              "HQ", "chainmap", "CHAINMAP_DEBUG", "CHAINMAP_LANG", "NEO4J_URI", "RCA"}


def _data_words() -> set[str]:
    """Every ASCII word in the cells (not the headers) of the sample and the office list:
    ids, USCCs, English names, notes. The data's own words may be shown as they are."""
    found: set[str] = set()
    files = [*Path(chainmap.sample_path()).glob("*.csv"),
             REPO / "examples" / "dangtu-office-list.csv"]
    for path in files:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # the office list is GBK, as offices write them
            text = raw.decode("gb18030")
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        for column in frame.columns:
            for cell in frame[column]:
                found.update(WORD.findall(cell))
    return found


def _reference_words() -> set[str]:
    """Proper names chainmap ships: regions' English names (``Shanghai``), the reference
    chains' ids and English names (``Photovoltaics``)."""
    from chainmap.regions import all_regions

    found = {w for r in all_regions() for w in WORD.findall(r.name_en or "")}
    chains = chainmap.templates()
    for column in ("id", "name_en"):
        for cell in chains[column].astype(str):
            found.update(WORD.findall(cell))
    return found


def _typed_words() -> set[str]:
    """The words the steps type (``--note first call``, ``--by tester``, ``married``)."""
    return {w for _, args, _ in golden.STEPS for a in args for w in WORD.findall(a)}


def _command_words() -> set[str]:
    """Every command name (``leads``, ``from-gaps``): they are typed as they are."""
    import click

    names: set[str] = set()

    def walk(group: click.Group) -> None:
        for name, command in group.commands.items():
            names.add(name)
            if isinstance(command, click.Group):
                walk(command)

    walk(main)
    return names


def _metavars() -> set[str]:
    """Every metavar of an option or argument (``LEAD``, ``DATE``): typed as they are."""
    import click

    found: set[str] = set()

    def walk(command: click.Command) -> None:
        for param in command.params:
            if param.metavar:
                found.update(WORD.findall(param.metavar))
            if isinstance(param, click.Argument):
                found.update(WORD.findall(param.human_readable_name))
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                walk(sub)

    walk(main)
    return found


ALLOWED = (CODE_WORDS | TECH_WORDS | _data_words() | _reference_words() | _typed_words()
           | _metavars()
           | _command_words())
#: Words no step may show in Chinese even if the data holds them (booleans, blanks).
NEVER = {"True", "False", "None", "nan", "NaN", "NaT", "yes", "no"}


def english_words(text: str) -> list[str]:
    """The English words of ``text`` a Chinese reader should not see (sorted, unique)."""
    text = NOT_WORDS.sub(" ", text)
    # a word with a digit is an id or code (L0013, F0001, A0001, a USCC's MA2T7JH4B1)
    return sorted({w for w in WORD.findall(text)
                   if w in NEVER or (w not in ALLOWED and len(w) > 1
                                     and not any(ch.isdigit() for ch in w))})


def test_the_check_finds_english():
    assert english_words("已写入 {tmp}/gaps.xlsx") == []
    assert english_words("Wrote {tmp}/gaps.xlsx") == ["Wrote"]
    assert english_words("错误：没有线索 'L9999'") == []
    assert english_words("错误：unknown lead 'L9999'") == ["unknown"]
    assert english_words("已是线索 True, 产品 compressor, 用 --reason 或 chainmap import x") \
        == ["True"]
    assert english_words("签约 signed, 接洽 L0013 smart-appliances 2026-11-29") == []


def _variants() -> list[tuple[str, str, list[str], list[str]]]:
    """(variant, step, argv, files) for both runs, in the golden order."""
    out = []
    skip = {"000-help", "001-version"}
    for variant in ("option", "env"):
        for name, args, files in golden.STEPS:
            if name in skip:
                continue
            argv = list(args)
            if "--lang" in argv:
                at = argv.index("--lang")
                if argv[at + 1] == "en":  # the English twin of a zh step
                    continue
                if variant == "env":
                    del argv[at:at + 2]
            elif variant == "option":  # charts too: labels in zh (not both), messages in zh
                argv += ["--lang", "zh"]
            out.append((variant, name, argv, files))
    return out


VARIANTS = _variants()


def _files_text(tmp: Path, files: list[str]) -> str:
    """What people read in the workbooks and CSV files a step wrote."""
    parts = []
    for name in files:
        path = tmp / name
        if path.suffix == ".xlsx" and path.exists():
            import openpyxl

            book = openpyxl.load_workbook(path)
            for sheet in book.worksheets:
                parts.append(sheet.title)
                parts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row
                          if isinstance(v, str | bool)]
        elif path.suffix == ".csv" and path.exists():
            parts.append(path.read_text("utf-8-sig"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def shown(tmp_path_factory) -> dict[tuple[str, str], str]:
    """What people read in each step of each run (JSON on stdout left out)."""
    import time_machine

    found: dict[tuple[str, str], str] = {}
    runner = CliRunner()
    tmps = {v: tmp_path_factory.mktemp(f"zh-{v}") for v in ("option", "env")}
    with time_machine.travel(golden.FROZEN, tick=False):
        for variant, name, args, files in VARIANTS:
            tmp = tmps[variant]
            env = {"CHAINMAP_USER": "tester", "CHAINMAP_DB": None, "CHAINMAP_DEBUG": None,
                   "COLUMNS": "100", "CHAINMAP_LANG": "zh" if variant == "env" else None}
            argv = [a.replace("{tmp}", str(tmp)).replace("{repo}", str(REPO)) for a in args]
            result = runner.invoke(main, ["--db", str(tmp / "ws.db"), *argv], env=env,
                                   catch_exceptions=False)
            json_out = "json" in args or name == "288-classify-again"
            text = "\n".join([result.stderr, "" if json_out else result.stdout,
                              "" if name in DATA_FILES else _files_text(tmp, files)])
            found[(variant, name)] = text.replace(str(tmp), "{tmp}").replace(str(REPO),
                                                                               "{repo}")
    return found


#: Steps whose files are datasets to import again (docs/data-format.md: English headers
#: and codes, like JSON): only their messages are read.
DATA_FILES = {"240-leads-export", "241-leads-export-xlsx", "260-export-csv",
              "261-export-xlsx", "271-synth"}

def _params():
    return [pytest.param(variant, name, id=f"{variant}-{name}")
            for variant, name, _args, _files in VARIANTS]


@pytest.mark.parametrize(("variant", "name"), _params())
def test_no_english_left(shown, variant, name):
    text = shown[(variant, name)]
    assert english_words(text) == [], text


def _cli_fragments() -> list[str]:
    """The English text of the command line's own messages, between placeholders, of two
    words or more (``Home region set to``, ``error(s),``): none may be shown under zh."""
    from babel.messages.extract import extract_from_dir

    placeholder = re.compile(r"\{[^{}]*\}")
    found = set()
    for _file, _line, message, *_ in extract_from_dir(
            str(REPO / "chainmap" / "cli"), method_map=[("**.py", "python")],
            keywords={"_": None}):
        for part in placeholder.split(message):
            part = part.strip(" ;:,.()'")
            if len(WORD.findall(part)) >= 2 and english_words(part):
                found.add(part)
    return sorted(found)


CLI_FRAGMENTS = _cli_fragments()
#: The starts of lines the command line itself writes (``Error: ...``).
CLI_LINE_STARTS = ("Error:", "Warning:", "Note:", "Wrote ", "Interrupted.")


def test_the_fragments_are_found():
    assert "Home region set to" in CLI_FRAGMENTS
    assert "likely duplicate pair(s" in CLI_FRAGMENTS


@pytest.mark.parametrize(("variant", "name"), [(v, n) for v, n, _a, _f in VARIANTS],
                         ids=[f"{v}-{n}" for v, n, _a, _f in VARIANTS])
def test_the_command_line_own_words_are_chinese(shown, variant, name):
    """Also in the steps that still show library English: the CLI's own part is Chinese."""
    text = shown[(variant, name)]
    assert not [f for f in CLI_FRAGMENTS if f in text]
    assert not [line for line in text.splitlines() if line.startswith(CLI_LINE_STARTS)]
