"""The products nearest to one product in the product space of the workspace.

Two products are close (proximity near 1) when the regions strong in one are strong in
the other: they need the same skills, suppliers or land, whether or not one is an input
of the other. ``related`` lists the nearest, and says which of them the bill of
materials links directly (a direct input, or a direct use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ArgumentError
from ..i18n import _, language
from ..snapshot import reads_snapshot
from .complexity import proximity, rca, single_threaded
from .matrix import capability_matrix
from .opportunities import WEIGHTS

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["RELATED_COLUMNS", "related"]

#: Columns of the frame :func:`related` returns (the JSON keys, in this order).
RELATED_COLUMNS = [
    "product",         # product id
    "name",            # Chinese name
    "name_en",         # English name (may be empty)
    "tier",            # upstream / midstream / downstream (may be empty)
    "proximity",       # phi: regions strong in both / the larger number strong in either
    "shared_regions",  # regions with RCA >= 1 in both products
    "regions",         # regions with RCA >= 1 in this product
    "is_input",        # it is a direct input of the product asked about
    "is_use",          # the product asked about is a direct input of it
    "explanation",     # the row in words
]


@reads_snapshot
def related(workspace: Workspace, product: str, top: int = 10, *,
            weight: str = "firms") -> pd.DataFrame:
    """The ``top`` products nearest to ``product`` by proximity.

    Over the districts of every firm in the workspace (:mod:`chainmap.analysis.matrix`),
    ``M[r, q] = RCA[r, q] >= 1`` and ``phi[p, q] = sum_r M[r,p] M[r,q] / max(k_p, k_q)``
    with ``k_q = sum_r M[r, q]``, as :func:`chainmap.opportunities` uses them.

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    product
        Product id, Chinese or English name.
    top
        How many products to list (at least 1).
    weight
        ``firms`` (default) or ``revenue``: what a region has of a product.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RELATED_COLUMNS`: the products with a proximity above 0, highest
        first (then more shared regions, then id), at most ``top``; empty when no
        region has ``product`` as a strength.

    Raises
    ------
    NotFoundError
        An unknown product.
    ArgumentError
        ``top`` below 1, or an unknown weight.

    Examples
    --------
    >>> import chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> near = chainmap.related(ws, "压缩机", top=3)
    >>> near[["name", "proximity", "shared_regions"]].values.tolist()
    [['空调整机', 0.4, 2], ['生化试剂', 0.2, 1], ['细胞培养基', 0.2, 1]]
    """
    if int(top) < 1:
        raise ArgumentError(_("top= must be at least 1, not {value}").format(value=top),
                            parameter="top")
    if weight not in WEIGHTS:
        raise ArgumentError(_("unknown weight '{weight}'; use one of {choices}").format(
            weight=weight, choices=", ".join(WEIGHTS)), parameter="weight")
    pid = workspace.product_id(product)
    matrix = capability_matrix(workspace)
    ids = pd.Index(matrix.products)
    at = ids.get_loc(pid) if pid in ids else None
    X, _labels, _row = matrix.regions(weight)
    X = X[X.sum(axis=1) > 0]
    with single_threaded():
        _ratio, M = rca(X)
        phi = proximity(M)
    if at is None:
        return pd.DataFrame(columns=RELATED_COLUMNS)
    shared = (M & M[:, [at]]).sum(axis=0)
    k = M.sum(axis=0)
    closeness = phi[at].copy()
    closeness[at] = 0.0
    ranked = np.lexsort((ids.to_numpy(dtype=str), -shared, -closeness))
    order = [int(i) for i in ranked if closeness[i] > 0][: int(top)]
    picked = [str(ids[i]) for i in order]
    products = workspace._table("products").set_index("id").reindex(picked)
    inputs = workspace._table("inputs")
    feeds = set(inputs.loc[inputs["downstream"] == pid, "upstream"].astype(str))
    uses = set(inputs.loc[inputs["upstream"] == pid, "downstream"].astype(str))
    name = workspace._table("products").set_index("id")["name"].get(pid, pid)
    frame = pd.DataFrame({
        "product": picked,
        "name": products["name"].to_numpy(),
        "name_en": products["name_en"].fillna("").to_numpy(),
        "tier": products["tier"].fillna("").to_numpy(),
        "proximity": [float(closeness[i]) for i in order],
        "shared_regions": [int(shared[i]) for i in order],
        "regions": [int(k[i]) for i in order],
        "is_input": [q in feeds for q in picked],
        "is_use": [q in uses for q in picked],
    })
    frame["explanation"] = [
        _explain(row, str(name), int(k[at])) for row in frame.itertuples(index=False)]
    return frame[RELATED_COLUMNS]


def _explain(row: Any, name: str, mine: int) -> str:
    """A related product in words, in the current language."""
    clauses = [_("{shared} region(s) are strong in both (RCA at least 1): {mine} in {name}, "
                 "{theirs} in this one").format(shared=row.shared_regions, mine=mine,
                                                name=name, theirs=row.regions)]
    if row.is_input:
        clauses.append(_("a direct input of {name}").format(name=name))
    if row.is_use:
        clauses.append(_("{name} is a direct input of it").format(name=name))
    return ("；" if language() == "zh" else "; ").join(clauses)
