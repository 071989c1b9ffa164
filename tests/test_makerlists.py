"""The products' ranked maker lists (chainmap.makerlists), against plain pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd

import chainmap
from chainmap.analysis.gaps import gap_codes
from chainmap.makerlists import (
    EMPTY,
    ITEM,
    TOKEN,
    MakerList,
    maker_lists,
    place_char,
    region_places,
    region_token,
    token,
)
from chainmap.regions import REGION_COLUMN, resolve

PLACE_COLUMNS = ("province_code", "city_code", "region_code")


def expected_lists(ws: chainmap.Workspace) -> dict[str, tuple[list, list, list]]:
    """Each product's makers, places and customers' places, by plain pandas."""
    firms = ws.table("companies")
    active = firms[firms["status"].fillna("active") == "active"].set_index("id")
    caps = ws.table("capabilities")
    caps = caps[(caps["status"].fillna("confirmed") == "confirmed")
                & caps["company_id"].isin(active.index)]

    def place(firm: str) -> str:
        return TOKEN + "".join(token(c, active.at[firm, c])[1:] for c in PLACE_COLUMNS
                               if pd.notna(active.at[firm, c]))

    supplies = ws.table("supplies")
    supplies = supplies[supplies["supplier_id"].isin(active.index)
                        & supplies["customer_id"].isin(active.index)]
    served: dict[str, set] = {}
    for s, c in zip(supplies["supplier_id"], supplies["customer_id"], strict=True):
        served.setdefault(s, set()).add(place(c))
    out = {}
    for product, rows in caps.groupby("product_id"):
        makers = active.loc[rows["company_id"].unique()].reset_index()
        makers = makers.assign(none=makers["revenue"].isna(), minus=-makers["revenue"])
        ranked = makers.sort_values(["none", "minus", "id"])["id"].tolist()
        out[product] = (ranked, [place(f) for f in ranked],
                        [sorted(served.get(f, ())) for f in ranked])
    return out


def test_lists_equal_plain_pandas_on_synthetic_data(tmp_path):
    from chainmap.synth import synth

    synth(tmp_path / "synth", firms=2000, products=60, seed=3)
    ws = chainmap.open(tmp_path / "synth.db")
    chainmap.import_dataset(ws, tmp_path / "synth")
    got = maker_lists(gap_codes(ws))
    want = expected_lists(ws)
    assert set(want) <= set(got)
    assert {p for p, lst in got.items() if lst != EMPTY} == set(want)
    place = {place_char(i): text for i, text in enumerate(got.places)}
    assert len(place) == len(set(got.places))  # one character per place
    for product, (ids, places, customers) in want.items():
        lst = got[product]
        assert lst.ids.split(ITEM) == ids, product
        assert [place[c] for c in lst.places] == places, product
        # a firm's customers' places, each once (their order is the table's)
        found = [sorted(place[c] for c in text) for text in lst.customers.split(ITEM)]
        assert all(len(set(f)) == len(f) for f in found)
        assert found == customers, product


def test_a_place_table_keeps_its_characters_and_grows_at_the_end(tmp_path):
    from chainmap.synth import synth

    synth(tmp_path / "synth", firms=500, products=20, seed=5)
    ws = chainmap.open(tmp_path / "synth.db")
    chainmap.import_dataset(ws, tmp_path / "synth")
    first = maker_lists(gap_codes(ws))
    assert maker_lists(gap_codes(ws), first.places) == first  # the same texts again
    # a table from another database: its places keep their characters, new ones follow
    older = (TOKEN + "P99" + TOKEN, first.places[-1])
    grown = maker_lists(gap_codes(ws), older)
    assert grown.places[:2] == older and set(grown.places) == {*first.places, older[0]}
    assert len(grown.places) == len(first.places) + 1
    decoded = {product: [grown.places[ord(c) - ord(place_char(0))] for c in lst.places]
               for product, lst in grown.items()}
    assert decoded == {product: [first.places[ord(c) - ord(place_char(0))] for c in lst.places]
                       for product, lst in first.items()}


def test_closed_firms_and_unconfirmed_links_make_nothing(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(chainmap.sample_path(), data)
    firms = pd.read_csv(data / "companies.csv", dtype=str)
    firms["status"] = np.where(firms["id"] == "aux", "closed", "active")
    firms.to_csv(data / "companies.csv", index=False)
    caps = pd.read_csv(data / "capabilities.csv", dtype=str)
    maker = caps.loc[caps["company"] != "aux", "company"].iloc[0]
    caps["status"] = np.where(caps["company"] == maker, "suggested", "confirmed")
    caps.to_csv(data / "capabilities.csv", index=False)
    ws = chainmap.open(tmp_path / "ws.db")
    chainmap.import_dataset(ws, data)
    lists = maker_lists(gap_codes(ws))
    everyone = {f for lst in lists.values() for f in lst.ids.split(ITEM) if f}
    assert "aux" not in everyone and maker not in everyone
    assert everyone  # the others still make things
    ws.close()


def test_a_region_token_finds_exactly_the_firms_inside_it(sample_ws):
    firms = sample_ws.table("companies").set_index("id")
    lists = maker_lists(gap_codes(sample_ws))
    for name in ("安徽省", "马鞍山市", "当涂县", "江苏省"):
        region = resolve(name)
        column = REGION_COLUMN[region.level]
        assert all(region_token(region) in lists.places[ord(c) - ord(place_char(0))]
                   for c in region_places(lists.places, region))
        for lst in lists.values():
            if lst == EMPTY:
                continue
            inside = [f for f, place in zip(lst.ids.split(ITEM), lst.places, strict=True)
                      if place in region_places(lists.places, region)]
            assert inside == [f for f in lst.ids.split(ITEM)
                              if firms.at[f, column] == region.code], name


def test_too_many_places_give_no_lists(sample_ws, monkeypatch):
    import chainmap.makerlists as makerlists

    lists = maker_lists(gap_codes(sample_ws))
    monkeypatch.setattr(makerlists, "MAX_PLACES", len(lists.places) - 1)
    assert maker_lists(gap_codes(sample_ws)) is None


def test_the_digest_changes_with_any_text():
    base = MakerList("a" + ITEM + "b", "x" + ITEM + "y", ITEM)
    assert base.digest == MakerList(*base).digest
    assert len({base.digest, MakerList("a", "x", "").digest,
                MakerList("a" + ITEM + "b", "x" + ITEM + "y", "").digest,
                EMPTY.digest}) == 4


def test_an_id_holding_the_separator_gives_no_lists(sample_ws):
    import copy

    codes = copy.copy(gap_codes(sample_ws))  # the workspace's own stay as they are
    assert maker_lists(codes) is not None
    ids = np.asarray(codes.firm_ids).astype(object)
    ids[0] = "x" + ITEM + "y"  # an import refuses it; a list would split it in two
    codes.firm_ids = ids
    assert maker_lists(codes) is None


def test_the_report_from_the_lists_equals_the_codes_count(tmp_path):
    """gaps_from_lists (what a Neo4j report classes) against the SQLite reports' count."""
    from chainmap.analysis.gaps import _count
    from chainmap.makerlists import gaps_from_lists
    from chainmap.synth import synth

    synth(tmp_path / "synth", firms=3000, products=80, seed=11)
    ws = chainmap.open(tmp_path / "synth.db")
    chainmap.import_dataset(ws, tmp_path / "synth")
    codes = gap_codes(ws)
    lists = maker_lists(codes)
    inputs = ws.table("inputs")
    chains = ws.table("product_chains")
    checked = 0
    for chain in sorted(set(chains["chain_id"])):
        members = set(chains.loc[chains["chain_id"] == chain, "product_id"])
        uses = inputs.loc[inputs["upstream"].isin(members), ["upstream", "downstream"]]
        products = [[p, *lists.get(p, EMPTY)] for p in sorted(members)]
        outputs = [[q, lists.get(q, EMPTY).ids, lists.get(q, EMPTY).places]
                   for q in set(uses["downstream"])]
        for home, targets in (("当涂县", ("上海市", "江苏省", "浙江省")), ("安徽省", ("江苏省",)),
                              ("上海市", ("江苏省", "杭州市"))):
            region, wanted = resolve(home), [resolve(t) for t in targets]
            got = {row[0]: row[1:] for row in gaps_from_lists(
                products, outputs, uses.itertuples(index=False, name=None),
                home=region_places(lists.places, region),
                targets=region_places(lists.places, *wanted))}
            counts = _count(codes, inputs, members, region, wanted)
            for product in members:
                local, demand, candidates = got[product]
                assert sorted(local) == sorted(counts["local_firms"].get(product, [])), product
                assert demand == counts["local_demand"].get(product, 0), product
                assert candidates == list(counts["candidates"].get(product, [])), product
                checked += bool(candidates) + bool(local) + bool(demand)
    assert checked > 50  # the synthetic chains have makers at home, demand and candidates
    ws.close()
