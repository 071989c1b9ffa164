"""The shipped reference chains (``chainmap/data/chains/<id>/``), and adding one.

Each template is a dataset folder without firms (``chains.csv``, ``products.csv`` with
keywords, exclude phrases and GB/T 4754 industries, ``inputs.csv``) and a
``TEMPLATE.md`` saying that it is a reference for editing, with its sources.
:func:`add_chain` imports one into a workspace without overwriting what the zone has
already: a product already there keeps its fields (blank ones are filled from the
template) and its chains (the template's chain is added to them), so two templates
sharing a product (``refrigeration-unit`` is in 智能家电 and 智慧物流) both keep it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import NotFoundError
from ..i18n import _, join
from ..store.base import push_first_error
from ..workspace import ImportResult

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["TEMPLATE_COLUMNS", "add_chain", "templates"]

#: Columns of :func:`templates`.
TEMPLATE_COLUMNS = ["id", "name", "name_en", "products", "tiers", "source"]

#: Product fields a product already in the workspace takes from a template only when blank.
_FILLED = ("name_en", "tier", "keywords", "exclude", "industries")
_TIERS = ("upstream", "midstream", "downstream")


def _root() -> Path:
    return Path(str(resources.files("chainmap") / "data" / "chains"))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _sources(text: str) -> str:
    """The titles (《...》) listed under the template's Sources heading."""
    m = re.search(r"^##\s*(?:Sources|依据)[^\n]*\n(.*?)(?=^##\s|\Z)", text, re.M | re.S)
    titles = re.findall(r"《[^》]+》", m.group(1) if m else "")
    return "、".join(dict.fromkeys(titles))


def templates() -> pd.DataFrame:
    """The shipped reference chains.

    Returns
    -------
    pandas.DataFrame
        One row per template, columns :data:`TEMPLATE_COLUMNS`: its chain ``id``,
        ``name`` and ``name_en``, the number of ``products``, the ``tiers`` (products
        upstream/midstream/downstream) and the ``source`` documents named in its
        ``TEMPLATE.md``.

    Examples
    --------
    >>> import chainmap
    >>> found = chainmap.templates()
    >>> row = found.set_index("id").loc["smart-appliances"]
    >>> row["name"], int(row["products"]), row["tiers"]
    ('智能家电', 32, '11/17/4')
    """
    rows = []
    for folder in sorted(p for p in _root().iterdir() if p.is_dir()):
        chain = _read(folder / "chains.csv").iloc[0]
        products = _read(folder / "products.csv")
        tiers = products["tier"].str.strip().str.lower()
        md = folder / "TEMPLATE.md"
        rows.append({"id": chain["id"], "name": chain["name"],
                     "name_en": chain.get("name_en") or None, "products": len(products),
                     "tiers": "/".join(str(int((tiers == t).sum())) for t in _TIERS),
                     "source": _sources(md.read_text("utf-8")) if md.is_file() else ""})
    return pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)


def _template_folder(name: str) -> Path:
    key = str(name).strip()
    found = templates()
    for column in ("id", "name", "name_en"):
        hit = found[found[column].fillna("").str.lower() == key.lower()]
        if len(hit):
            return _root() / str(hit["id"].iloc[0])
    # written another way: 工业机器人产业链, 工业 机器人 (one template only)
    from ..names import chain_key

    typed = chain_key(key)
    fits = found[[typed in {chain_key(str(v)) for v in row if isinstance(v, str)}
                  for row in found[["id", "name", "name_en"]].itertuples(index=False)]]
    if len(fits) == 1 and typed:
        import warnings

        from ..errors import NearMatchWarning

        warnings.warn(NearMatchWarning(key, str(fits["name"].iloc[0]), str(fits["id"].iloc[0]),
                                       "chain"), stacklevel=3)
        return _root() / str(fits["id"].iloc[0])
    pair = _("{id} ({name})")
    listed = join(pair.format(id=i, name=n) for i, n in zip(found["id"], found["name"]))
    raise NotFoundError(_("no chain template '{name}'; templates: {templates}").format(
        name=name, templates=listed))


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | s.astype(str).str.strip().eq("")


def add_chain(workspace: Workspace, template: str) -> ImportResult:
    """Add a shipped reference chain (its chain, products and input edges) to the workspace.

    ``template`` is its id (``industrial-robots``), Chinese name (工业机器人) or English
    name. New products are added as the template gives them. A product the workspace
    has already keeps its own fields (a blank ``name_en``, ``tier``, ``keywords``,
    ``exclude`` or ``industries`` is filled from the template) and its chains, to
    which the template's chain is added. Input edges are added. Adding a template
    again changes nothing (nothing is written). One audit-log entry records it.

    Parameters
    ----------
    workspace
        The workspace (SQLite).
    template
        A template's id, Chinese or English name (:func:`templates`).

    Returns
    -------
    ImportResult
        Rows of the template and how many the workspace gained (``products`` counts
        new products; ``inputs`` new edges).

    Raises
    ------
    NotFoundError
        No such template (the message lists them).

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> print(chainmap.add_chain(ws, "工业机器人"))
    imported industrial-robots: 1 chain (1 new), 30 products (30 new), 73 inputs (73 new)
    >>> print(chainmap.add_chain(ws, "industrial-robots"))
    imported industrial-robots: 1 chain (0 new), 30 products (0 new), 73 inputs (0 new)
    """
    from ..crm.common import current_user, record
    from ..io.read import read_dataset
    from ..io.validate import validate

    if not workspace.store.writable:
        raise push_first_error("push-chains", workspace.location)
    folder = _template_folder(template)
    with tempfile.TemporaryDirectory() as tmp:  # a template has no firms: an empty sheet
        for f in ("chains.csv", "products.csv", "inputs.csv"):
            shutil.copy(folder / f, Path(tmp) / f)
        (Path(tmp) / "companies.csv").write_text("id,name,province\n", encoding="utf-8")
        tables, _ignored = read_dataset(tmp)
    tables.pop("leads", None)
    chains = workspace._table("chains")
    dataset = validate(tables, known=workspace.store.known_ids,
                       known_chains=dict(zip(chains["name"], chains["id"], strict=False)))
    stored = workspace._table("products").set_index("id")
    products = dataset.products.copy()
    old = products["id"].isin(stored.index).to_numpy()
    filled = 0
    if old.any():
        mine = stored.reindex(products.loc[old, "id"])
        for c in (*_FILLED, "name", "extra"):
            theirs = products.loc[old, c].to_numpy(dtype=object)
            have = mine[c].to_numpy(dtype=object)
            use_theirs = _blank(mine[c]).to_numpy() & ~_blank(products.loc[old, c]).to_numpy() \
                if c in _FILLED else pd.Series(False, index=mine.index).to_numpy()
            filled += int(use_theirs.sum())
            products.loc[old, c] = [t if u else h for t, h, u in zip(theirs, have, use_theirs)]
    # the chains of products already in the workspace are kept: the template's is added
    links = workspace._table("product_chains")
    kept = links[links["product_id"].isin(set(products.loc[old, "id"])).to_numpy()]
    product_chains = pd.concat([kept, dataset.product_chains],
                               ignore_index=True).drop_duplicates()
    # what would change: new chains, products, memberships, edges, filled fields
    known_chains = set(chains["id"])
    new_links = len(product_chains) - len(kept)
    if len(links):
        have = pd.MultiIndex.from_frame(links[["product_id", "chain_id"]].astype(str))
        new_links = int((~pd.MultiIndex.from_frame(
            product_chains[["product_id", "chain_id"]].astype(str)).isin(have)).sum())
    edges = workspace._table("inputs")
    new_edges = len(dataset.inputs)
    if len(edges):
        have = pd.MultiIndex.from_frame(edges[["upstream", "downstream"]].astype(str))
        new_edges = int((~pd.MultiIndex.from_frame(
            dataset.inputs[["upstream", "downstream"]].astype(str)).isin(have)).sum())
    new_chains = int((~dataset.chains["id"].isin(known_chains)).sum())
    rows = {"chains": len(dataset.chains), "products": len(products),
            "inputs": len(dataset.inputs)}
    source = folder.name
    if not (new_chains or (~old).any() or new_links or new_edges or filled):
        return ImportResult(source, rows, dict.fromkeys(rows, 0))
    # a chain already there keeps its names
    dataset = replace(
        dataset, products=products, product_chains=product_chains,
        chains=dataset.chains[~dataset.chains["id"].isin(known_chains).to_numpy()],
        updates={"chains": (), "products": ("name", *_FILLED), "companies": (),
                 "capabilities": ()})

    def audit() -> None:
        record(workspace.store, current_user(None), "chain", source, "add-chain",
               _("template {source}: {chains} chain(s), {products} product(s), {edges} input "
                 "edge(s) added; {filled} blank field(s) filled").format(
                   source=source, chains=new_chains, products=int((~old).sum()),
                   edges=new_edges, filled=filled))

    added = workspace.store.write_dataset(dataset, then=audit)
    return ImportResult(source, rows, {t: added.get(t, 0) for t in rows})
