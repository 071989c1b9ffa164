"""The plain pandas script a user might write instead of ``chainmap gaps``.

``python peer_pandas.py DATASET CHAIN`` reads the CSVs and prints what
:mod:`peer_duckdb` prints (per product of CHAIN: local producers, local demand, number
of candidates, the top three). Home 当涂县, targets 苏浙沪, by region names.
"""

from __future__ import annotations

import sys

import pandas as pd

HOME = ("安徽省", "马鞍山市", "当涂县")
TARGETS = ("上海市", "江苏省", "浙江省")


def main(folder: str, chain: str) -> None:
    read = lambda name, **kw: pd.read_csv(f"{folder}/{name}.csv", dtype=str, **kw)  # noqa: E731
    products = read("products")
    companies = read("companies", usecols=["id", "province", "city", "district", "revenue"])
    caps, inputs, supplies = read("capabilities"), read("inputs"), read("supplies")
    cp = sorted(products.loc[products["chains"].fillna("").str.split(";").map(
        lambda cs: chain in cs), "id"])
    home = (companies["province"] == HOME[0]) & (companies["city"] == HOME[1]) \
        & (companies["district"] == HOME[2])
    local = set(companies.loc[home, "id"])
    lc = caps[caps["company"].isin(local)]
    producers = lc[lc["product"].isin(cp)].groupby("product")["company"].nunique()
    edges = inputs[inputs["upstream"].isin(cp)]
    demand = edges.merge(lc, left_on="downstream", right_on="product") \
        .groupby("upstream")["company"].nunique()
    suppliers = set(supplies.loc[supplies["customer"].isin(local), "supplier"])
    firms = companies[companies["province"].isin(TARGETS) & ~home]
    cand = caps[caps["product"].isin(cp)].merge(firms, left_on="company", right_on="id")
    cand["sl"] = cand["company"].isin(suppliers)
    cand["rev"] = pd.to_numeric(cand["revenue"]).fillna(float("-inf"))
    cand = cand.sort_values(["product", "sl", "rev", "company"],
                            ascending=[True, False, False, True], kind="mergesort")
    groups = cand.groupby("product")["company"]
    n, top = groups.size(), groups.agg(lambda s: ",".join(s.iloc[:3]))
    for product in cp:
        print(product, int(producers.get(product, 0)), int(demand.get(product, 0)),
              int(n.get(product, 0)), top.get(product, ""), sep="\t")


if __name__ == "__main__":
    main(*sys.argv[1:])
