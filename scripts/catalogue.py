"""Keep the message catalogue (chainmap/locale/zh/LC_MESSAGES/chainmap.po) in step.

    python scripts/catalogue.py            # extract, update the .po, compile the .mo
    python scripts/catalogue.py --check    # exit 1 if a message lacks Chinese or the
                                           # .mo is not the compiled .po (the test runs it)

Messages are found in the source as ``_("...")``, ``N_("...")`` and
``pgettext("context", "...")``. Labels (column headers, stages, sheet names ...) are
entries with a message context in LABEL_KINDS; they are kept even though no call names
them literally. The command line's help texts (each command's help and short help, each
option's help, click's own words such as ``Options:``) are entries with the message
context ``help``, found by walking the command tree (chainmap.cli.helptext.help_texts);
a help text keeps its option names (``--chain``) in the translation. A message no longer
in the source (or the command tree) is dropped. New messages get an empty translation,
which --check reports: write the Chinese into the .po and rerun.
Needs Babel (pip install -e .[test]).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "chainmap"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "chainmap.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "pgettext": ((1, "c"), 2), "translate": None}
#: Message contexts of labels: kept whatever the source says.
LABEL_KINDS = ("column", "sheet", "stage", "status", "tier", "severity", "value", "measure",
               "table", "kind", "word", "entity", "action", "evidence", "field",
               "check")
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}!:]*)(?:[!:][^{}]*)?\}(?!\})")
PARAMETER = re.compile(r"(?<![\w-])([a-z_]+)=")
#: An option name in a help text (``--weak-threshold``, ``-o``).
OPTION = re.compile(r"(?<![\w-])(--?[a-z][a-z0-9-]*)")
#: The message context of the command line's help texts.
HELP = "help"


def help_entries() -> dict[tuple[str, str | None], list[tuple[str, int]]]:
    """The help texts of the command line (this tree's), as catalogue keys."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from chainmap.cli import main as cli
    from chainmap.cli.helptext import help_texts

    return {(msgid, HELP): [(where, 0) for where in places]
            for msgid, places in help_texts(cli).items()}


def extracted() -> dict[tuple[str, str | None], list[tuple[str, int]]]:
    found: dict[tuple[str, str | None], list[tuple[str, int]]] = help_entries()
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=(), strip_comment_tags=True):
        if isinstance(message, (tuple, list)):
            message = message[0]
        if not message:
            continue
        found.setdefault((message, context), []).append((f"chainmap/{filename}", lineno))
    return found


def read() -> Catalog:
    if not PO.exists():
        return Catalog(locale="zh_Hans_CN", domain="chainmap", project="chainmap")
    with PO.open("rb") as fp:
        return read_po(fp, locale="zh_Hans_CN", domain="chainmap")


def problems(catalog: Catalog, wanted: dict) -> list[str]:
    out = []
    for message in catalog:
        if not message.id:
            continue
        where = f"{PO.relative_to(ROOT)}: msgid {message.id!r}" + (
            f" (msgctxt {message.context!r})" if message.context else "")
        if not message.string:
            out.append(f"{where}: no Chinese translation")
            continue
        if message.fuzzy:
            out.append(f"{where}: translation marked fuzzy")
        if message.context in (None, HELP):
            ids = sorted(set(PLACEHOLDER.findall(message.id)))
            strs = sorted(set(PLACEHOLDER.findall(message.string)))
            if ids != strs:
                out.append(f"{where}: placeholders {ids} but the translation has {strs}")
            for name in set(PARAMETER.findall(message.id)) - set(
                    PARAMETER.findall(message.string)):
                out.append(f"{where}: the translation lost the parameter '{name}='")
        if message.context == HELP:
            for name in sorted(set(OPTION.findall(message.id)) - set(
                    OPTION.findall(message.string))):
                out.append(f"{where}: the translation lost the option '{name}'")
            if message.id.count("\\b") != message.string.count("\\b"):
                out.append(f"{where}: the translation does not keep the \\b paragraphs")
    for (msgid, context) in wanted:
        if catalog.get(msgid, context) is None:
            out.append(f"{PO.relative_to(ROOT)}: msgid {msgid!r}"
                       + (f" (msgctxt {context!r})" if context else "")
                       + " is not in the catalogue")
    return out


def stale(catalog: Catalog, wanted: dict) -> list[str]:
    """Entries of ``catalog`` no longer in the source or the command tree (labels stay)."""
    return [f"{PO.relative_to(ROOT)}: msgid {m.id!r}"
            + (f" (msgctxt {m.context!r})" if m.context else "")
            + " is no longer in the source (run python scripts/catalogue.py)"
            for m in catalog
            if m.id and m.context not in LABEL_KINDS and (m.id, m.context) not in wanted]


def updated(old: Catalog, wanted: dict) -> Catalog:
    new = Catalog(locale="zh_Hans_CN", domain="chainmap", project="chainmap",
                  version="0.1", charset="utf-8", fuzzy=False)
    new.copyright_holder = "chainmap developers"
    new.msgid_bugs_address = "https://github.com/chainmap/chainmap/issues"
    new.last_translator = "chainmap developers"
    new.language_team = "chainmap developers"
    new.revision_date = old.revision_date
    new.creation_date = old.creation_date
    keys = set(wanted)
    keys |= {(m.id, m.context) for m in old if m.id and m.context in LABEL_KINDS}
    for msgid, context in sorted(keys, key=lambda k: (k[1] or "", k[0])):
        before = old.get(msgid, context)
        new.add(msgid, before.string if before is not None else "",
                locations=[], context=context,
                flags=(before.flags - {"python-format"}) if before is not None else ())
    return new


def compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def mo_entries(data: bytes) -> dict:
    """The messages of a compiled catalogue, without its header (which names Babel's
    version, so that a newer Babel is not a stale catalogue)."""
    import gettext

    catalogue = gettext.GNUTranslations(io.BytesIO(data))
    return {k: v for k, v in catalogue._catalog.items() if k != ""}  # type: ignore[attr-defined]


def po_text(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, omit_header=False, sort_output=False,
             include_lineno=False, include_previous=False)
    return buf.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="report, change nothing; exit 1 on a problem")
    args = parser.parse_args()
    wanted = extracted()
    old = read()
    new = updated(old, wanted)
    if args.check:
        found = problems(old, wanted) + stale(old, wanted)
        if not MO.exists() or mo_entries(MO.read_bytes()) != mo_entries(compiled(old)):
            found.append(f"{MO.relative_to(ROOT)} is not the compiled .po "
                         "(run python scripts/catalogue.py)")
        for line in found:
            print(line)
        print(f"{len(new) } messages; {len(found)} problem(s)", file=sys.stderr)
        return 1 if found else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(po_text(new))
    with PO.open("rb") as fp:  # compile what was written, as --check will
        MO.write_bytes(compiled(read_po(fp, locale="zh_Hans_CN", domain="chainmap")))
    missing = [m.id for m in new if m.id and not m.string]
    print(f"{PO.relative_to(ROOT)}: {len(new)} messages, {len(missing)} without Chinese")
    for msgid in missing:
        print(f"  needs Chinese: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
