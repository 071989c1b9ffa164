"""The import's fast paths (issue 13) give what the careful path gave.

Cells are stripped, USCCs cleaned and thousands separators dropped only where a cell
needs it; CSV bytes go to the parser as they are unless line ends must be normalised.
"""

from __future__ import annotations

import chainmap
from tests.conftest import TINY, USCC_A, USCC_B, write_files


def _firms(folder):
    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, folder)
    return ws.table("companies").set_index("id")


def test_messy_cells_are_cleaned_as_before(tmp_path):
    messy = dict(TINY)
    hyphenated = f"{USCC_B[:6]}-{USCC_B[6:]}".lower()
    messy["companies.csv"] = f"""\
        id,name,uscc,province,city,district,in_park,employees,revenue
        aux , 奥克斯空调（马鞍山）有限公司 ,{USCC_A},安徽省,马鞍山市,当涂县,1,"3,000","500,000.5"
        haoyue,安徽皓月电气有限公司,,安徽省,马鞍山市,当涂县,是,120,"4，200"
        shcomp,上海某压缩机有限公司, {hyphenated} ,上海市,上海市,浦东新区,0,800,","
        """
    firms = _firms(write_files(tmp_path / "messy", messy))
    assert firms.loc["aux", "name"] == "奥克斯空调（马鞍山）有限公司"
    assert firms.loc["aux", "employees"] == 3000
    assert firms.loc["aux", "revenue"] == 500000.5
    assert firms.loc["haoyue", "revenue"] == 4200
    assert firms.loc["shcomp", "uscc"] == USCC_B
    assert firms.loc["shcomp", "revenue"] != firms.loc["shcomp", "revenue"]  # blank: NaN


def test_crlf_bom_and_plain_files_read_alike(tmp_path):
    plain = _firms(write_files(tmp_path / "plain", TINY))
    crlf = tmp_path / "crlf"
    write_files(crlf, TINY)
    for f in crlf.iterdir():
        data = f.read_bytes().replace(b"\n", b"\r\n")
        f.write_bytes(b"\xef\xbb\xbf" + data if f.name == "companies.csv" else data)
    assert _firms(crlf).equals(plain)
