"""The shipped reference chains (chainmap/data/chains/<chain-id>/) are well-formed v2 datasets.

Read with pandas and csv only, so these checks hold whatever the importer does with the files.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "chainmap" / "data"
CHAINS = DATA / "chains"
SAMPLE = DATA / "sample"
TEMPLATES = sorted(p for p in CHAINS.iterdir() if p.is_dir()) if CHAINS.is_dir() else []
FILES = ("chains.csv", "products.csv", "inputs.csv", "TEMPLATE.md")
PRODUCT_COLUMNS = ["id", "name", "name_en", "chains", "tier", "keywords", "exclude", "industries"]
TIERS = {"upstream", "midstream", "downstream"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE = re.compile(r"^\d{2,4}$")  # a GB/T 4754 division, group or small class
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words too generic to show that a firm makes one product: they match most registry texts.
GENERIC = {"设备", "材料", "销售", "制造", "生产", "加工", "产品", "零部件", "配件", "系统",
           "服务", "技术服务", "技术开发", "软件", "电池", "机械", "电子", "原料", "化工", "贸易"}


def split(cell: str, seps: str = ";") -> list[str]:
    return [part.strip() for part in re.split(f"[{seps}]", cell) if part.strip()]


def read(path: Path) -> pd.DataFrame:
    path.read_bytes().decode("utf-8-sig")  # UTF-8 (a BOM is allowed by the contract)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def products(folder: Path) -> pd.DataFrame:
    return read(folder / "products.csv")


def inputs(folder: Path) -> pd.DataFrame:
    return read(folder / "inputs.csv")


def test_templates_ship_the_sample_chains():
    names = {p.name for p in TEMPLATES}
    assert {"smart-appliances", "biomedicine", "smart-logistics"} <= names


@pytest.fixture(params=TEMPLATES, ids=lambda p: p.name)
def folder(request) -> Path:
    return request.param


def test_files_are_utf8_and_parse(folder):
    for name in FILES:
        assert (folder / name).is_file(), f"{folder.name}: {name} missing"
    for name in FILES[:3]:
        frame = read(folder / name)
        assert len(frame) > 0, f"{folder.name}/{name} is empty"
        assert all(c == c.strip() for c in frame.columns), f"{folder.name}/{name}: header spaces"
    (folder / "TEMPLATE.md").read_text(encoding="utf-8")


def test_one_chain_named_after_the_folder(folder):
    chains = read(folder / "chains.csv")
    assert list(chains.columns) == ["id", "name", "name_en"]
    assert len(chains) == 1
    row = chains.iloc[0]
    assert row["id"] == folder.name
    assert row["name"] and row["name_en"]


def test_products_shape(folder):
    p = products(folder)
    assert list(p.columns) == PRODUCT_COLUMNS
    assert len(p) >= 25, f"{folder.name}: {len(p)} products"
    assert p["id"].is_unique, p["id"][p["id"].duplicated()].tolist()
    assert p["name"].is_unique, p["name"][p["name"].duplicated()].tolist()
    bad = [i for i in p["id"] if not SLUG.match(i)]
    assert not bad, f"ids must be lowercase ASCII slugs: {bad}"
    assert (p["name"] != "").all() and (p["name_en"] != "").all()
    assert set(p["tier"]) == TIERS, f"{folder.name}: tiers {sorted(set(p['tier']))}"


def test_products_belong_to_the_chain(folder):
    others = {t.name for t in TEMPLATES}
    for row in products(folder).itertuples():
        chains = split(row.chains, ";|")
        assert folder.name in chains, f"{row.id}: chains {row.chains}"
        # a product shared with another template names only template chains
        assert set(chains) <= others, f"{row.id}: unknown chain in {row.chains}"


def test_keywords(folder):
    p = products(folder)
    owner: dict[str, str] = {}
    for row in p.itertuples():
        words = split(row.keywords)
        assert len(words) >= 2, f"{row.id}: needs at least 2 keywords"
        assert len(set(words)) == len(words), f"{row.id}: repeated keyword"
        for word in words:
            assert len(word) >= 2, f"{row.id}: keyword {word!r} too short"
            assert word not in GENERIC, f"{row.id}: keyword {word!r} too generic"
            assert word not in owner, f"keyword {word!r} in both {owner[word]} and {row.id}"
            owner[word] = row.id


def test_excludes_contain_a_keyword(folder):
    # the contract: phrases that contain a keyword but mean something else
    for row in products(folder).itertuples():
        words = split(row.keywords) + [row.name]
        for phrase in split(row.exclude):
            assert any(w in phrase for w in words), f"{row.id}: exclude {phrase!r}"


def test_industries_are_codes_or_names(folder):
    for row in products(folder).itertuples():
        for item in split(row.industries):
            assert CODE.match(item) or CJK.search(item), f"{row.id}: industry {item!r}"


def test_inputs(folder):
    ids = set(products(folder)["id"])
    e = inputs(folder)
    assert list(e.columns) == ["upstream", "downstream"]
    unknown = (set(e["upstream"]) | set(e["downstream"])) - ids
    assert not unknown, f"{folder.name}: edges to unknown products {sorted(unknown)}"
    assert not (e["upstream"] == e["downstream"]).any(), "self-loop"
    assert not e.duplicated().any(), e[e.duplicated()].values.tolist()
    isolated = ids - set(e["upstream"]) - set(e["downstream"])
    assert not isolated, f"{folder.name}: products with no edge {sorted(isolated)}"


def test_template_header(folder):
    text = (folder / "TEMPLATE.md").read_text(encoding="utf-8")
    assert "参考" in text and "reference" in text.lower()
    assert "GB/T 4754" in text
    assert "经营范围登记规范表述目录" in text


def test_ids_unique_across_templates_unless_the_same_product():
    seen: dict[str, tuple[str, dict]] = {}
    for folder in TEMPLATES:
        for row in products(folder).to_dict("records"):
            if row["id"] in seen:
                first, other = seen[row["id"]]
                assert row == other, f"{row['id']} differs in {first} and {folder.name}"
                assert first in split(row["chains"], ";|"), f"{row['id']} shared, not listed"
            else:
                seen[row["id"]] = (folder.name, row)


def _sample(name: str) -> list[dict]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("chain", ["smart-appliances", "biomedicine", "smart-logistics"])
def test_sample_chains_agree_with_the_sample(chain):
    template = products(CHAINS / chain).set_index("id")
    sample = [r for r in _sample("products.csv") if chain in split(r["chains"], ";|")]
    assert sample
    for r in sample:
        assert r["id"] in template.index, f"{chain}: sample product {r['id']} missing"
        t = template.loc[r["id"]]
        for col in ("name", "name_en", "tier", "chains"):
            assert t[col] == r[col], f"{r['id']}.{col}: {t[col]!r} != sample {r[col]!r}"
    ids = set(template.index)
    edges = set(map(tuple, inputs(CHAINS / chain).values.tolist()))
    for r in _sample("inputs.csv"):
        if r["upstream"] in ids and r["downstream"] in ids:
            assert (r["upstream"], r["downstream"]) in edges, f"{chain}: sample edge {r}"
