"""chainmap export: CSV with BOM or xlsx, and a lossless round trip."""

from __future__ import annotations

import pytest

import chainmap
from tests.test_cli_import import snapshot


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
    run("export", out)
    assert (out / "leads.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "id,company,company_name,product,stage,owner,investment,source,date,note,reason"]
