"""Issue 14, item 2: identifiers are clean or refused (and request dates guarded).

Ids are trimmed; control (C0, C1: tab and newline included), zero-width and bidi
characters in an id are refused (``bad-id``), NUL in any cell too (``bad-text``); a
USCC another firm holds is ``duplicate-uscc`` unless merged by USCC. Nothing is
written on a refusal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import chainmap
from chainmap.cli import main
from chainmap.errors import CODES, ArgumentError, DatasetError
from tests.conftest import TINY, USCC_A, make_uscc, write_files

USCC_C = make_uscc("91340500MA2TTT001")

#: Hostile characters an id may not hold, one of each family.
HOSTILE = {
    "tab": "\t", "newline": "\n", "cr": "\r", "c1": "\x85", "del": "\x7f",
    "zwsp": "\u200b", "zwj": "\u200d", "word-joiner": "\u2060", "bom": "\ufeff",
    "rlo": "\u202e", "rli": "\u2067",
}


def _companies(rows: list[str]) -> str:
    head = "id,name,uscc,province,city,district\n"
    return head + "".join(r + "\n" for r in rows)


def _dataset(folder: Path, companies: str, **more: str) -> Path:
    """TINY with ``companies.csv`` (written as given, not dedented) and ``more`` files."""
    files = {k: v for k, v in TINY.items() if k != "companies.csv"}
    files.update({"capabilities.csv": "company,product\naux,ac-unit\n",
                  "supplies.csv": "supplier,customer,product\n"})
    write_files(folder, files)
    (folder / "companies.csv").write_text(companies, encoding="utf-8")
    for name, text in more.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


BASE = [f"aux,奥克斯空调（马鞍山）有限公司,{USCC_A},安徽省,马鞍山市,当涂县"]


@pytest.fixture
def ws(tmp_path: Path):
    w = chainmap.open(tmp_path / "ws.db")
    yield w
    w.close()


def _problems(ws, folder: Path, **kw) -> list:
    before = ws.counts()
    with pytest.raises(DatasetError) as info:
        chainmap.import_dataset(ws, folder, **kw)
    assert ws.counts() == before  # nothing written
    return info.value.problems


def test_new_codes_are_published():
    assert {"bad-id", "bad-text", "duplicate-uscc"} <= set(CODES)


def test_ids_are_trimmed(ws, tmp_path):
    folder = _dataset(tmp_path / "d", _companies(
        [*BASE, "  haoyue \u3000,皓月,,安徽省,马鞍山市,当涂县"]),
        **{"capabilities.csv": "company,product\naux,ac-unit\n haoyue ,capacitor\n"})
    chainmap.import_dataset(ws, folder)
    assert set(ws._table("companies")["id"]) == {"aux", "haoyue"}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_character_in_an_id_is_refused(ws, tmp_path, kind):
    char = HOSTILE[kind]
    bad = f"hao{char}yue"
    cell = f'"{bad}"'
    folder = _dataset(tmp_path / "d", _companies([*BASE, f"{cell},皓月,,安徽省,马鞍山市,当涂县"]))
    problems = _problems(ws, folder)
    assert [p.code for p in problems] == ["bad-id"]
    p = problems[0]
    assert (p.source, p.column) == ("companies.csv", "id")
    assert p.value in (bad, bad.replace("\r", "\n"))  # CSV reads a quoted CR as a newline
    assert p.line == 3
    text = str(p)
    # the line is readable: the character is shown escaped
    assert char not in text and "\n" not in text
    assert "hao\\" in text


@pytest.mark.parametrize("table,header,row", [
    ("products.csv", "id,name,chains,tier", "comp\u200bressor,压缩机,ac,midstream"),
    ("capabilities.csv", "company,product", "aux,ac\u202e-unit"),
    ("supplies.csv", "supplier,customer,product", "a\tux,aux,"),
    ("inputs.csv", "upstream,downstream", "compressor,ac-unit\ufeff"),
])
def test_every_id_column_is_checked(ws, tmp_path, table, header, row):
    folder = _dataset(tmp_path / "d", _companies(BASE), **{table: f"{header}\n{row}\n"})
    problems = _problems(ws, folder)
    assert "bad-id" in {p.code for p in problems}


def test_nul_in_a_name_is_refused_after_the_first_4k(ws, tmp_path):
    filler = [f"f{i},企业{i},,安徽省,马鞍山市,当涂县" for i in range(200)]
    nul = "nul,皓\x00月,,安徽省,马鞍山市,当涂县"
    folder = _dataset(tmp_path / "d", _companies([*BASE, *filler, nul]))
    assert (folder / "companies.csv").read_bytes().index(b"\x00") > 4096
    problems = _problems(ws, folder)
    assert [(p.code, p.column, p.line) for p in problems] == [("bad-text", "name", 203)]
    assert "\\x00" in str(problems[0]) and "\x00" not in str(problems[0])


def test_names_keep_what_people_type(ws, tmp_path):
    name = "皓月\u202e电气\t(\u200b)"
    row = f'haoyue,"{name}",,安徽省,马鞍山市,当涂县'
    folder = _dataset(tmp_path / "d", _companies([*BASE, row]))
    chainmap.import_dataset(ws, folder)
    names = dict(zip(ws._table("companies")["id"], ws._table("companies")["name"]))
    assert names["haoyue"] == name


def test_uscc_twice_in_one_file_names_both_ids(ws, tmp_path):
    folder = _dataset(tmp_path / "d", _companies(
        [*BASE, f"aux2,奥克斯二,{USCC_A},安徽省,马鞍山市,当涂县"]))
    problems = _problems(ws, folder)
    assert [p.code for p in problems] == ["duplicate-uscc"]
    assert "aux2" in problems[0].message and "aux" in problems[0].message
    assert "line 2" in problems[0].message
    # merging by USCC does not decide which of two rows is the firm
    problems = _problems(ws, folder, merge_by_uscc=True)
    assert [p.code for p in problems] == ["duplicate-uscc"]


def test_uscc_held_in_the_workspace_names_both_ids(ws, tmp_path):
    chainmap.import_dataset(ws, _dataset(tmp_path / "a", _companies(BASE)))
    folder = _dataset(tmp_path / "b", _companies(
        [f"aux-new,奥克斯空调,{USCC_A},安徽省,马鞍山市,当涂县"]),
        **{"capabilities.csv": "company,product\naux-new,compressor\n"})
    problems = _problems(ws, folder)
    assert [p.code for p in problems] == ["duplicate-uscc"]
    msg = problems[0].message
    assert "aux-new" in msg and "'aux'" not in msg and " aux" in msg
    assert problems[0].value == USCC_A


def test_restating_the_same_firm_is_no_clash(ws, tmp_path):
    chainmap.import_dataset(ws, _dataset(tmp_path / "a", _companies(BASE)))
    chainmap.import_dataset(ws, _dataset(tmp_path / "b", _companies(BASE)))
    # the USCC moves: the stored holder is given again with another USCC
    moved = _dataset(tmp_path / "c", _companies(
        [f"aux,奥克斯,{USCC_C},安徽省,马鞍山市,当涂县",
         f"aux-new,奥克斯新,{USCC_A},安徽省,马鞍山市,当涂县"]))
    chainmap.import_dataset(ws, moved)
    usccs = dict(zip(ws._table("companies")["id"], ws._table("companies")["uscc"]))
    assert usccs == {"aux": USCC_C, "aux-new": USCC_A}


def test_merge_by_uscc_reads_the_row_as_the_stored_firm(ws, tmp_path):
    chainmap.import_dataset(ws, _dataset(tmp_path / "a", _companies(BASE)))
    folder = _dataset(tmp_path / "b", _companies(
        [f"aux-new,奥克斯空调（新名）,{USCC_A},安徽省,马鞍山市,当涂县",
         "haoyue,皓月,,安徽省,马鞍山市,当涂县"]),
        **{"capabilities.csv": "company,product\naux-new,compressor\n",
           "supplies.csv": "supplier,customer,product\nhaoyue,aux-new,capacitor\n",
           "leads.csv": "company,product,stage,source,date\naux-new,capacitor,lead,gap,"
                        "2026-01-05\n"})
    result = chainmap.import_dataset(ws, folder, merge_by_uscc=True)
    companies = ws._table("companies")
    assert set(companies["id"]) == {"aux", "haoyue"}
    assert companies.set_index("id").loc["aux", "name"] == "奥克斯空调（新名）"
    caps = ws._table("capabilities")
    assert set(zip(caps["company_id"], caps["product_id"])) >= {("aux", "compressor")}
    assert "aux-new" not in set(caps["company_id"])
    sup = ws._table("supplies")
    assert list(zip(sup["supplier_id"], sup["customer_id"])) == [("haoyue", "aux")]
    leads = ws._table("leads")
    assert list(leads["company_id"]) == ["aux"]
    assert result.added["companies"] == 1


def test_cli_merge_by_uscc(tmp_path):
    db = tmp_path / "ws.db"
    runner = CliRunner()
    first = _dataset(tmp_path / "a", _companies(BASE))
    second = _dataset(tmp_path / "b", _companies(
        [f"aux-new,奥克斯空调,{USCC_A},安徽省,马鞍山市,当涂县"]))
    assert runner.invoke(main, ["--db", str(db), "import", str(first)]).exit_code == 0
    r = runner.invoke(main, ["--db", str(db), "import", str(second)])
    assert r.exit_code == 1 and "Error:" in r.output
    assert "aux-new" in r.output and "--merge-by-uscc" in r.output
    r = runner.invoke(main, ["--db", str(db), "import", str(second), "--lang", "zh"])
    assert r.exit_code == 1 and "aux-new" in r.output
    assert "统一社会信用代码" in r.output
    r = runner.invoke(main, ["--db", str(db), "import", str(second), "--merge-by-uscc"])
    assert r.exit_code == 0, r.output


def test_cli_bad_id_line_in_english_and_chinese(tmp_path):
    db = tmp_path / "ws.db"
    row = '"hao\u202eyue",皓月,,安徽省,马鞍山市,当涂县'
    folder = _dataset(tmp_path / "d", _companies([*BASE, row]))
    runner = CliRunner()
    r = runner.invoke(main, ["--db", str(db), "import", str(folder)])
    assert r.exit_code == 1
    assert "companies.csv:3" in r.output and "hao\\u202eyue" in r.output
    assert "\u202e" not in r.output
    assert "zero-width or bidi" in r.output
    r = runner.invoke(main, ["--db", str(db), "import", str(folder), "--lang", "zh"])
    assert r.exit_code == 1 and "hao\\u202eyue" in r.output and "控制字符" in r.output
    assert not db.exists() or chainmap.open(db).counts()["companies"] == 0


def test_firm_list_refuses_bad_ids_and_nul(ws, tmp_path):
    chainmap.import_dataset(ws, _dataset(tmp_path / "a", _companies(BASE)))
    before = ws.counts()
    path = tmp_path / "firms.csv"
    path.write_text("id,企业名称,省份,城市,区县,备注\n"
                    f'"a\u200bb",甲公司,安徽省,马鞍山市,当涂县,{"x" * 4200}\n'
                    "c,乙\x00公司,安徽省,马鞍山市,当涂县,\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        chainmap.import_firms(ws, path)
    assert {p.code for p in info.value.problems} == {"bad-id", "bad-text"}
    assert ws.counts() == before


def test_lead_file_refuses_nul(ws, tmp_path):
    chainmap.import_dataset(ws, _dataset(tmp_path / "a", _companies(BASE)))
    path = tmp_path / "leads.csv"
    path.write_text("company,product,stage,source,date,note\n"
                    f"aux,compressor,lead,gap,2026-01-05,{'x' * 4200}\n"
                    "aux,ac-unit,lead,gap,2026-01-05,a\x00b\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        chainmap.import_leads(ws, path)
    assert [(p.code, p.line) for p in info.value.problems] == [("bad-text", 3)]
    assert len(ws._table("leads")) == 0


def test_request_progress_and_close_before_the_request(ws, tmp_path):
    chainmap.import_dataset(ws, _dataset(tmp_path / "a", _companies(BASE)))
    chainmap.assign_service(ws, "aux", officer="王磊")
    rid = chainmap.add_request(ws, "aux", "用工荒", kind="用工", date="2026-07-01")
    for call in (chainmap.record_progress, chainmap.close_request):
        with pytest.raises(ArgumentError) as info:
            call(ws, rid, "note", date="2026-06-30")
        assert "2026-06-30" in str(info.value) and "2026-07-01" in str(info.value)


def test_sample_still_imports(ws):
    # the sample has no hostile ids and no shared USCC: nothing refused
    result = chainmap.import_dataset(ws, chainmap.sample_path())
    assert result.added["companies"] == ws.counts()["companies"] > 0
