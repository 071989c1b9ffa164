"""The import's fast paths (issue 13) give what the careful path gave.

Cells are stripped, USCCs cleaned and thousands separators dropped only where a cell
needs it; CSV bytes go to the parser as they are unless line ends must be normalised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


# every character str.strip takes off (str.isspace), except the line breaks a cell read by
# the C parser never holds
SPACES = [c for c in map(chr, range(0x110000)) if c.isspace() and c not in "\n\r"]


def test_untrimmed_finds_every_space_str_strip_takes_off():
    from chainmap.io.read import _untrimmed

    for space in SPACES:
        for cell in (f"{space}x", f"x{space}", f'"{space}x"', f'"x{space}"', space):
            for text in (f"id,name\n{cell},b\n", f"id,name\na,{cell}\n", f"id,name\na,{cell}"):
                assert _untrimmed(text.encode("utf-8")), (hex(ord(space)), text)
    # inner spaces and CJK text need no trimming: the file keeps its cells as read
    assert not _untrimmed("id,name,name_en\np1,高纯铜管,high purity tube\n".encode())
    assert not _untrimmed("id,name\nf1,奥克斯（马鞍山）、“皓月”有限公司\n".encode())


def test_cells_with_spaces_of_every_kind_are_stripped(tmp_path):
    plain = _firms(write_files(tmp_path / "plain", TINY))
    for i, space in enumerate(("\u3000", "\xa0", "\t", " ", "\u2003")):
        folder = write_files(tmp_path / f"spaced{i}", TINY)
        path = folder / "companies.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        cells = [[f"{space}{c}" if j % 2 else f"{c}{space}" for j, c in enumerate(line.split(","))]
                 for line in lines[1:]]
        path.write_text("\n".join([lines[0], *(",".join(c) for c in cells)]) + "\n",
                        encoding="utf-8")
        firms = _firms(folder)
        if space != "\t":
            assert firms.equals(plain), repr(space)
            continue
        # free text keeps a tab (names are kept as typed, issue 14); everything else loses it
        assert firms.index.equals(plain.index)
        assert (firms["name"] != plain["name"]).all()
        assert firms["name"].str.strip().equals(plain["name"])
        rest = [c for c in plain.columns if c not in ("name", "address")]
        assert firms[rest].equals(plain[rest])


def test_a_bad_cell_is_named_when_the_column_search_finds_one(tmp_path):
    from chainmap.errors import DatasetError

    folder = write_files(tmp_path / "bad", TINY)
    path = folder / "companies.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[2].split(",")
    first[0] = first[0] + "\u200b"
    first[1] = first[1] + "\u200b"  # in a name: allowed
    lines[2] = ",".join(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        _firms(folder)
    except DatasetError as exc:
        found = {(p.code, p.line, p.column) for p in exc.problems}
    else:
        raise AssertionError("the dataset was imported")
    assert ("bad-id", 3, "id") in found
    assert {f for f in found if f[0] == "bad-id"} == {("bad-id", 3, "id")}


def test_every_character_refused_in_an_id_is_unprintable():
    # the column check skips the regex search for a printable column
    from chainmap.text import BAD_ID

    refused = [c for c in map(chr, range(0x110000)) if BAD_ID.match(c)]
    assert refused and not any(c.isprintable() for c in refused)


def test_links_sorted_or_not_keep_the_last_of_each_pair_as_drop_duplicates_does():
    from chainmap.io.validate import _last_of_each

    rng = np.random.default_rng(7)
    firms = np.array([f"f{i:03d}" for i in rng.integers(0, 40, 3_000)], dtype=object)
    products = np.array([f"p{i:02d}" for i in rng.integers(0, 30, 3_000)], dtype=object)
    messy = pd.DataFrame({"company_id": firms, "product_id": products,
                          "status": rng.choice(["confirmed", "rejected"], 3_000)})
    unique = messy.drop_duplicates(["company_id", "product_id"])
    ordered = unique.sort_values(["company_id", "product_id"])
    with_gap = ordered.astype(object)
    with_gap.iloc[5, 1] = None  # a missing value: no ordering, the careful way
    for frame in (messy, ordered, ordered.iloc[::-1], unique, with_gap, ordered.iloc[:1],
                  ordered.iloc[:0]):
        expected = frame.drop_duplicates(["company_id", "product_id"], keep="last")
        got = _last_of_each(frame, "company_id", "product_id")
        pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))
    assert len(_last_of_each(messy, "company_id", "product_id")) < len(messy)


def test_default_statuses_are_one_string_not_one_per_row(tmp_path):
    """A file without status columns reads every link as ``confirmed`` and every firm as
    ``active``: one string each, not a new one per row (at 3M links the copies were
    170 MB of the import's peak memory), and a given status is kept."""
    from chainmap.io import read_dataset, validate

    files = dict(TINY)
    files["capabilities.csv"] = """\
        company,product,status
        aux,ac-unit,
        haoyue,capacitor,suggested
        shcomp,compressor,
        """
    tables, _warnings = read_dataset(write_files(tmp_path / "d", files))
    dataset = validate(tables)
    links = dataset.capabilities.set_index("company_id")["status"]
    assert links.to_dict() == {"aux": "confirmed", "haoyue": "suggested", "shcomp": "confirmed"}
    assert links["aux"] is links["shcomp"]
    firms = dataset.companies["status"].tolist()
    assert firms == ["active"] * 3 and firms[0] is firms[1] is firms[2]
