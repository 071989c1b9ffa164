"""chainmap export: CSV with BOM or xlsx, and a lossless round trip."""

from __future__ import annotations

import pytest

import chainmap
from chainmap.errors import ArgumentError
from chainmap.i18n import use_language
from tests.test_cli_import import snapshot

#: What ``chainmap export FOLDER`` writes (the workspace keeps leads: leads.csv too).
DATASET = ["chains.csv", "products.csv", "inputs.csv", "companies.csv", "capabilities.csv",
           "supplies.csv", "leads.csv"]


def _contents(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("target", ["out", "out.xlsx"])
def test_round_trip_is_identical(run, db, tmp_path, target):
    assert run("import", chainmap.sample_path()).exit_code == 0
    out = tmp_path / target
    result = run("export", out)
    assert result.exit_code == 0, result.output
    second = tmp_path / "second.db"
    with chainmap.open(second) as ws:
        chainmap.import_dataset(ws, out)
    assert snapshot(second) == snapshot(db)
    keep = ["id", "company_id", "product_id", "stage", "owner", "investment", "source",
            "note", "lost_reason"]
    leads = [chainmap.open(p).table("leads")[keep].sort_values("id").reset_index(drop=True)
             for p in (db, second)]
    assert len(leads[0]) == 12
    assert leads[1].equals(leads[0])


def test_csv_has_bom_and_chinese_headers_survive(run, db, tmp_path, tiny):
    run("import", tiny)
    run("export", tmp_path / "out")
    raw = (tmp_path / "out" / "companies.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "id,name,uscc,province,city,district,in_park,employees,revenue,status,status_raw,"
        "address,main_products,scope,industry,registered_capital,founded,source,as_of")
    assert "奥克斯空调（马鞍山）有限公司" in text


def test_export_into_a_file_is_refused(run, db, tmp_path, tiny):
    run("import", tiny)
    (tmp_path / "file").write_text("x")
    r = run("export", tmp_path / "file")
    assert r.exit_code == 1
    assert r.stderr == f"Error: {tmp_path / 'file'} is a file; give a folder, or a path " \
                       "ending in .xlsx\n"


def test_exported_files_get_the_usual_mode(run, db, tmp_path, tiny):
    import os

    run("import", tiny)
    run("export", tmp_path / "out")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out" / "companies.csv").stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_old_leads_file_does_not_come_back(run, db, tmp_path, tiny):
    out = tmp_path / "out"
    chainmap.sample(out)                       # leaves a leads.csv with 12 leads
    run("import", tiny)                        # a workspace without leads
    assert run("export", out, "--force").exit_code == 0
    assert (out / "leads.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "id,company,company_name,product,stage,owner,investment,source,date,note,reason"]


def test_export_over_a_dataset_is_refused_unless_forced(run, db, tmp_path, tiny):
    """An export into a folder that already holds the files it writes (an earlier
    export, the zone's own dataset) replaced them without a word (session 11): it is
    refused, naming them, and nothing changes; --force overwrites them."""
    out = tmp_path / "out"
    chainmap.sample(out)  # the sample's seven files, 12 leads among them
    (out / "说明.txt").write_text("keep me", encoding="utf-8")
    before = _contents(out)
    assert run("import", tiny).exit_code == 0
    refused = run("export", out)
    assert refused.exit_code == 1
    assert refused.stderr == (f"Error: {out} already holds {', '.join(DATASET)}; give "
                              "another folder, or --force to overwrite what is there\n")
    assert _contents(out) == before
    zh = run("export", out, "--lang", "zh")
    assert zh.exit_code == 1 and zh.stderr == (
        f"错误：{out} 中已有 {'、'.join(DATASET)}；请另指定一个文件夹，或用 --force 覆盖这些文件\n")
    forced = run("export", out, "--force")
    assert forced.exit_code == 0, forced.output
    after = _contents(out)
    assert after["说明.txt"] == b"keep me" and after["leads.csv"] != before["leads.csv"]
    assert after["companies.csv"] != before["companies.csv"]


def test_one_file_of_the_dataset_is_enough_to_refuse(run, db, tmp_path, tiny):
    out = tmp_path / "out"
    out.mkdir()
    (out / "leads.csv").write_text("id\nL0001\n", encoding="utf-8")
    run("import", tiny)
    refused = run("export", out)
    assert refused.exit_code == 1 and f"{out} already holds leads.csv;" in refused.stderr
    assert sorted(p.name for p in out.iterdir()) == ["leads.csv"]  # nothing else written


def test_an_empty_folder_or_other_files_are_no_reason_to_refuse(run, db, tmp_path, tiny):
    run("import", tiny)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("export", empty).exit_code == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "chains.xlsx").write_bytes(b"x")  # not what a CSV export writes
    (other / "notes.csv").write_text("x", encoding="utf-8")
    assert run("export", other).exit_code == 0
    assert sorted(p.name for p in other.iterdir()) == sorted(
        [*DATASET, "chains.xlsx", "notes.csv"])


def test_an_existing_workbook_is_refused_unless_forced(run, db, tmp_path, tiny):
    run("import", tiny)
    book = tmp_path / "dangtu.xlsx"
    book.write_bytes(b"an older workbook")
    refused = run("export", book)
    assert refused.exit_code == 1
    assert refused.stderr == (f"Error: {book} exists; give another file, or --force to "
                              "overwrite it\n")
    assert book.read_bytes() == b"an older workbook"
    assert run("export", book, "--force").exit_code == 0
    assert book.read_bytes().startswith(b"PK")  # the workbook (a zip)


def test_the_library_refuses_with_force(sample_ws, tmp_path):
    folder = tmp_path / "out"
    assert [p.name for p in chainmap.export_dataset(sample_ws, folder)] == DATASET
    with pytest.raises(ArgumentError) as err:
        chainmap.export_dataset(sample_ws, folder)
    assert err.value.parameter == "force" and "--" not in str(err.value)
    assert str(err.value) == (f"{folder} already holds {', '.join(DATASET)}; give another "
                              "folder, or force=True to overwrite what is there")
    with use_language("zh"), pytest.raises(ValueError) as zh:
        chainmap.export_dataset(sample_ws, tmp_path / "out")
    assert str(zh.value).startswith(f"{folder} 中已有 chains.csv、products.csv、")
    assert len(chainmap.export_dataset(sample_ws, folder, force=True)) == len(DATASET)
