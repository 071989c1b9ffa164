"""Which link to attract next: relatedness, complexity and local demand in one ranking.

The gap report (:func:`chainmap.gaps`) says what is missing; this says which missing or
weak link the zone can realistically win, and what each would be worth, by joining two
views of the same data:

- **Relatedness** (economic complexity, as in the Atlas of Economic Complexity and
  Metroverse), over every district of the workspace: ``rca`` and ``present`` (does
  the home already make the product more than its fair share), ``density`` (how much
  of what goes with the product the home already makes), ``pci`` (how complex the
  product is) and ``cog`` (how far it would open the way to further complex
  products). The measures are those of the Growth Lab's ``ecomplexity`` package
  (:mod:`.complexity`).
- **The bill of materials** of the chain: ``upstream_local`` and ``downstream_local``
  (how many of the product's direct inputs and direct uses the home makes), and from
  the gap report ``status``, ``local_demand`` and ``n_candidates``.

``score`` weighs them by a strategy (:data:`STRATEGIES`): ``near`` favours what is
within reach (density, local demand), ``bets`` what is worth most (complexity, COG),
``balanced`` sits between, after the Atlas's strategic approaches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ArgumentError, warn
from ..i18n import N_, _, language
from ..regions import Region
from ..snapshot import reads_snapshot
from .common import status_of, target_regions
from .complexity import (
    complexity,
    density,
    log_supermodular_share,
    outlook_gain,
    proximity,
    rca,
    single_threaded,
)
from .matrix import CapabilityMatrix, _distinct, capability_matrix

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["OPPORTUNITY_COLUMNS", "STRATEGIES", "ThinDataWarning", "WEIGHTS", "opportunities"]

#: Columns of the frame :func:`opportunities` returns (the JSON keys, in this order).
OPPORTUNITY_COLUMNS = [
    "product",           # product id
    "name",              # Chinese name
    "name_en",           # English name (may be empty)
    "tier",              # upstream / midstream / downstream (may be empty)
    "status",            # the gap report's: missing / weak / covered
    "rca",               # revealed comparative advantage of the home in the product
    "present",           # rca >= 1: the home already has the product as a strength
    "density",           # relatedness density of the home for the product, 0..1
    "pci",               # product complexity index (NaN when no region makes it)
    "cog",               # complexity outlook gain of the home for the product
    "upstream_local",    # how many of the product's direct inputs the home makes
    "downstream_local",  # how many of the products it is a direct input of the home makes
    "local_demand",      # the gap report's: local firms making a product that uses it
    "n_candidates",      # the gap report's: firms in the target regions that make it
    "score",             # the strategy's weighted sum of standardised terms
    "explanation",       # the row in words
]

#: How :func:`opportunities` may count what a region makes: ``firms`` (active firms
#: with a confirmed link) or ``revenue`` (their revenue, 万元).
WEIGHTS = ("firms", "revenue")

#: The terms of the score, each standardised (mean 0, standard deviation 1; 0 for all
#: when they are all equal) over the chain's products the home does not have yet
#: (``present`` false; over all of them when it has them all): ``density``;
#: ``demand`` = log(1 + local_demand); ``bom`` = upstream_local + downstream_local;
#: ``candidates`` = log(1 + n_candidates); ``pci``; ``cog``. A product nobody makes
#: has no PCI and counts as average (0) there.
TERMS = ("density", "demand", "bom", "candidates", "pci", "cog")

#: The weight of each term of the score, per strategy (each sums to 1). ``near``: win
#: what is within reach (related capabilities and buyers are here); ``bets``: go for
#: complex products that open the most further ones; ``balanced`` between.
STRATEGIES: dict[str, dict[str, float]] = {
    "near": {"density": 0.35, "demand": 0.30, "bom": 0.15, "candidates": 0.10, "pci": 0.00,
             "cog": 0.10},
    "balanced": {"density": 0.25, "demand": 0.20, "bom": 0.10, "candidates": 0.10,
                 "pci": 0.15, "cog": 0.20},
    "bets": {"density": 0.10, "demand": 0.10, "bom": 0.05, "candidates": 0.10, "pci": 0.30,
             "cog": 0.35},
}

#: Decimals kept of the measures and the score.
DIGITS = 10
#: Fewer regions with firms than this and complexity says little: a warning.
MIN_REGIONS = 10
#: The package's threshold: under this share of pairs meeting log-supermodularity, ECI
#: and PCI may not rank anything (a warning).
MIN_SUPERMODULAR = 0.8

#: Why a product ranks high (``+``) or low (``-``), by the term that weighs most.
_REASONS = {
    ("density", "+"): N_("ranks high mainly because related products are already made here"),
    ("density", "-"): N_("ranks low mainly because few related products are made here"),
    ("demand", "+"): N_("ranks high mainly because local firms use it"),
    ("demand", "-"): N_("ranks low mainly because few local firms use it"),
    ("bom", "+"): N_("ranks high mainly because its inputs and uses are made here"),
    ("bom", "-"): N_("ranks low mainly because few of its inputs and uses are made here"),
    ("candidates", "+"): N_("ranks high mainly because many firms in the target regions "
                            "make it"),
    ("candidates", "-"): N_("ranks low mainly because few firms in the target regions make "
                            "it"),
    ("pci", "+"): N_("ranks high mainly because it is a complex product"),
    ("pci", "-"): N_("ranks low mainly because it is a simple product"),
    ("cog", "+"): N_("ranks high mainly because it opens the way to further complex "
                     "products"),
    ("cog", "-"): N_("ranks low mainly because it opens little further"),
}


class ThinDataWarning(UserWarning):
    """The data are too thin for complexity measures to mean much.

    Few regions, a home with no firms, a complexity ranking the data do not determine,
    or the log-supermodularity check failing. :func:`opportunities` also lists the
    warnings in the frame's ``attrs["warnings"]``.
    """


@reads_snapshot
def opportunities(workspace: Workspace, chain: str, home: str | Region | None = None, *,
                  strategy: str = "balanced", weight: str = "firms",
                  targets: str | list | None = None, weak_threshold: int = 2) -> pd.DataFrame:
    """Rank the products of ``chain`` by how worth attracting they are to ``home``.

    Relatedness and complexity are computed over every district of the workspace and
    every product (not only the chain's): ``X[r, p]`` is the number of active firms of
    region ``r`` with a confirmed link to ``p`` (their revenue with
    ``weight="revenue"``). A home above district level counts as one region in place
    of its districts; a firm whose record names no district counts in its city's (or
    province's) own region. Then, with ``M = RCA >= 1``:

    - ``rca[p] = (X[h,p] / sum_q X[h,q]) / (sum_s X[s,p] / sum X)`` of the home ``h``;
    - ``density[p] = sum_q M[h,q] phi[p,q] / sum_q phi[p,q]``, with the proximity
      ``phi[p,q] = sum_r M[r,p] M[r,q] / max(k_p, k_q)``, ``k_p = sum_r M[r,p]``;
    - ``pci`` and ``cog`` as the ``ecomplexity`` package defines them
      (:mod:`chainmap.analysis.complexity`).

    ``score`` is ``sum_t w[t] z[t]`` over the :data:`TERMS` (standardised over the
    chain's products) with the weights ``w`` of ``strategy`` (:data:`STRATEGIES`).

    Parameters
    ----------
    workspace
        An open :class:`chainmap.Workspace`.
    chain
        Chain id or name (``smart-appliances`` or ``智能家电``).
    home
        The home zone (path or unambiguous name); defaults to the configured home.
    strategy
        ``balanced`` (default), ``near`` or ``bets``.
    weight
        ``firms`` (default) or ``revenue``: what ``X`` counts.
    targets
        Where candidates may be (``n_candidates``), as in :func:`chainmap.gaps`.
    weak_threshold
        As in :func:`chainmap.gaps` (``status``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OPPORTUNITY_COLUMNS`, one row per product of the chain: first
        the products the home does not have yet (``present`` false) by score, highest
        first, then those it has, by score; ties by product id. ``attrs["warnings"]``
        lists the :class:`ThinDataWarning` texts, which are also issued as warnings.

    Raises
    ------
    ArgumentError
        An unknown strategy or weight, or ``weak_threshold`` below 1.
    NotFoundError
        An unknown chain.

    Examples
    --------
    >>> import warnings, chainmap
    >>> ws = chainmap.open(":memory:")
    >>> _ = chainmap.import_dataset(ws, chainmap.sample_path())
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the sample has few regions: a warning
    ...     found = chainmap.opportunities(ws, "智能家电", home="当涂县", strategy="near")
    >>> found["name"].head(3).tolist(), found["present"].head(3).tolist()
    (['控制器（主控板）', '工程塑料（ABS）', '压缩机'], [False, False, False])
    >>> row = found.set_index("product").loc["controller"]
    >>> row["status"], float(row["density"]), int(row["local_demand"])
    ('missing', 0.3645833333, 4)
    """
    if strategy not in STRATEGIES:
        raise ArgumentError(_("unknown strategy '{strategy}'; use one of {choices}").format(
            strategy=strategy, choices=", ".join(STRATEGIES)), parameter="strategy")
    if weight not in WEIGHTS:
        raise ArgumentError(_("unknown weight '{weight}'; use one of {choices}").format(
            weight=weight, choices=", ".join(WEIGHTS)), parameter="weight")
    if int(weak_threshold) < 1:
        raise ArgumentError(_("weak_threshold= must be at least 1, not {value}").format(
            value=weak_threshold), parameter="weak_threshold")
    chain_id = workspace.chain_id(chain)
    home_region = workspace.resolve_home(home)
    target_list = target_regions(targets)
    matrix = capability_matrix(workspace)
    links = workspace._table("product_chains")
    chain_ids = sorted(links.loc[links["chain_id"] == chain_id, "product_id"].astype(str)
                       .unique())
    columns = pd.Index(matrix.products).get_indexer(chain_ids)
    found, notes = _measures(workspace, matrix, home_region, target_list, weight)
    frame = _frame(workspace, chain_ids, columns, found, int(weak_threshold))
    frame, parts = _score(frame, STRATEGIES[strategy])
    frame["explanation"] = _explain(frame, parts, target_list)
    frame["_order"] = frame["present"].astype(int)
    frame = frame.sort_values(["_order", "score", "product"], ascending=[True, False, True],
                              kind="mergesort")
    frame = frame[OPPORTUNITY_COLUMNS].reset_index(drop=True)
    frame.attrs["warnings"] = notes
    for note in notes:
        warn(note, ThinDataWarning)
    return frame


def _measures(workspace: Workspace, matrix: CapabilityMatrix, home: Region,
              targets: list[Region], weight: str) -> tuple[dict[str, np.ndarray], list[str]]:
    """Every per-product measure over all products of the workspace, and the warnings."""
    P = len(matrix.products)
    home_groups = matrix.inside(home)
    eligible = matrix.inside_any(targets) & ~home_groups
    local = matrix.firms[home_groups].sum(axis=0).astype(np.int64)
    candidates = matrix.firms[eligible].sum(axis=0).astype(np.int64)

    inputs = workspace._table("inputs")
    index = pd.Index(matrix.products)
    up = index.get_indexer(inputs["upstream"].astype(str))
    down = index.get_indexer(inputs["downstream"].astype(str))
    keep = (up >= 0) & (down >= 0)
    up, down = up[keep], down[keep]
    made = local > 0
    upstream_local = np.bincount(down, weights=made[up], minlength=P).astype(np.int64)
    downstream_local = np.bincount(up, weights=made[down], minlength=P).astype(np.int64)
    n_inputs = np.bincount(down, minlength=P)
    n_uses = np.bincount(up, minlength=P)
    demand = _local_demand(matrix, home_groups, up, down)

    X, labels, row = matrix.regions(weight, home_groups)
    alive = X.sum(axis=1) > 0
    if row is not None and not alive[row]:
        row = None
    if row is not None:
        row = int(np.count_nonzero(alive[:row]))  # its place among the regions kept
    X = X[alive]
    with single_threaded():
        ratio, M = rca(X)
        phi = proximity(M)
        result = complexity(M)
    m = M[row] if row is not None else np.zeros(P, dtype=bool)
    made = M.any(axis=0)
    found = {
        "local": local, "candidates": candidates, "demand": demand,
        "upstream_local": upstream_local, "downstream_local": downstream_local,
        "n_inputs": n_inputs, "n_uses": n_uses,
        "rca": ratio[row] if row is not None else np.zeros(P),
        "present": m, "density": density(m, phi), "pci": result.pci,
        "cog": outlook_gain(m, phi, result) if result.determined else np.full(P, np.nan),
        "made": made,
        "determined": np.full(P, result.determined),
    }
    notes = []
    if len(X) < MIN_REGIONS:
        notes.append(_("only {n} region(s) of the workspace have firms making its products: "
                       "complexity (pci, cog) and density say little about so few places")
                     .format(n=len(X)))
    if row is None:
        key = N_("no active firm in {home} has a confirmed link to any product: rca and "
                 "density are 0") if weight == "firms" else \
            N_("no active firm in {home} with revenue on record has a confirmed link to any "
               "product: rca and density are 0 (count firms instead of revenue)")
        notes.append(_(key).format(home=home.path))
    if not result.determined and made.sum() >= 2:
        notes.append(_("these data do not determine one complexity ranking (too few regions "
                       "and products, or tied values): pci and cog are left empty"))
    elif result.determined:
        if result.outside:
            notes.append(_("{n} product(s) share no region with the others, not even through "
                           "other products: they have no pci, and complexity ranks the rest")
                         .format(n=result.outside))
        rows, cols = np.isfinite(result.eci), np.isfinite(result.pci)
        share = log_supermodular_share(ratio[rows][:, cols], result.eci[rows],
                                       result.pci[cols])
        if np.isfinite(share) and share < MIN_SUPERMODULAR:
            notes.append(_("only {share} of region and product pairs meet the "
                           "log-supermodularity condition (ecomplexity asks for 80%): pci "
                           "and cog may not rank complexity").format(share=f"{share:.0%}"))
    return found, notes


def _local_demand(matrix: CapabilityMatrix, home_groups: np.ndarray, up: np.ndarray,
                  down: np.ndarray) -> np.ndarray:
    """Distinct local firms making a product that each product is a direct input of.

    The gap report's ``local_demand``, for every product at once.
    """
    P = len(matrix.products)
    firm, made = matrix.links_of(home_groups)
    if not len(firm) or not len(up):
        return np.zeros(P, dtype=np.int64)
    order = np.argsort(down, kind="stable")
    ups = up[order]
    ptr = np.zeros(P + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(down, minlength=P))
    degree = ptr[made + 1] - ptr[made]
    total = int(degree.sum())
    if not total:
        return np.zeros(P, dtype=np.int64)
    starts = np.repeat(ptr[made], degree)
    offsets = np.arange(total) - np.repeat(np.cumsum(degree) - degree, degree)
    pairs = _distinct(np.repeat(firm, degree) * P + ups[starts + offsets])
    return np.bincount(pairs % P, minlength=P).astype(np.int64)


def _frame(workspace: Workspace, chain_ids: list[str], columns: np.ndarray,
           found: dict[str, np.ndarray], weak_threshold: int) -> pd.DataFrame:
    """One row per product of the chain with the measures (unscored)."""
    products = workspace._table("products").set_index("id")
    info = products.reindex(chain_ids)
    frame = pd.DataFrame({
        "product": chain_ids,
        "name": info["name"].to_numpy(),
        "name_en": info["name_en"].fillna("").to_numpy(),
        "tier": info["tier"].fillna("").to_numpy(),
    })
    for name in ("rca", "present", "density", "pci", "cog", "upstream_local",
                 "downstream_local", "n_inputs", "n_uses", "made", "determined"):
        frame[name] = found[name][columns]
    for name in ("rca", "density", "pci", "cog"):
        # 10 decimals: the last bits of sums and eigenvectors differ between linear
        # algebra libraries, and are no signal
        frame[name] = frame[name].astype(float).round(DIGITS) + 0.0
    frame["present"] = frame["present"].astype(bool)
    for name in ("upstream_local", "downstream_local", "n_inputs", "n_uses"):
        frame[name] = frame[name].astype(int)
    frame["local_producers"] = found["local"][columns].astype(int)
    frame["local_demand"] = found["demand"][columns].astype(int)
    frame["n_candidates"] = found["candidates"][columns].astype(int)
    frame["status"] = status_of(frame["local_producers"], weak_threshold).to_numpy()
    return frame


def _standard(values: pd.Series, basis: np.ndarray) -> pd.Series:
    """``values`` less the mean of ``values[basis]``, over their population sd.

    NaN becomes 0 (the mean), and every value is 0 when those of the basis are equal.
    """
    numbers = values.astype(float)
    base = numbers[basis].dropna()
    sd = float(base.std(ddof=0)) if len(base) else float("nan")
    if not np.isfinite(sd) or sd <= 1e-12 * max(1.0, float(base.abs().max())):
        return pd.Series(0.0, index=values.index)
    return ((numbers - base.mean()) / sd).fillna(0.0)


def _terms(frame: pd.DataFrame) -> pd.DataFrame:
    """The standardised terms of the score (:data:`TERMS`), one column each.

    Mean and standard deviation are those of the products not yet present (all, when
    every product is): the choice is among them, and a product the home has scores
    high density by itself (the diagonal of the proximity).
    """
    basis = ~frame["present"].to_numpy(dtype=bool)
    if not basis.any():
        basis[:] = True
    raw = {
        "density": frame["density"],
        "demand": np.log1p(frame["local_demand"].astype(float)),
        "bom": (frame["upstream_local"] + frame["downstream_local"]).astype(float),
        "candidates": np.log1p(frame["n_candidates"].astype(float)),
        "pci": frame["pci"],
        "cog": frame["cog"],
    }
    return pd.DataFrame({term: _standard(pd.Series(raw[term], index=frame.index), basis)
                         for term in TERMS})


def _score(frame: pd.DataFrame, weights: dict[str, float]
           ) -> tuple[pd.DataFrame, np.ndarray]:
    """``frame`` with its ``score``, and each term's part of it (rows x :data:`TERMS`)."""
    parts = (_terms(frame) * pd.Series(weights))[list(TERMS)].to_numpy()
    frame = frame.copy()
    frame["score"] = parts.sum(axis=1).round(DIGITS) + 0.0
    return frame, parts


def _number(value: float, digits: int = 2) -> str:
    return "-" if not np.isfinite(value) else f"{value:.{digits}f}"


def _explain(frame: pd.DataFrame, parts: np.ndarray, targets: list[Region]) -> list[str]:
    """The row in words, in the current language: why it ranks where it does, then facts."""
    sep = "；" if language() == "zh" else "; "
    where = "、".join(r.name for r in targets) if language() == "zh" else \
        ", ".join(r.name for r in targets)
    absent = ~frame["present"].to_numpy(dtype=bool)
    order = frame["density"].where(absent).rank(method="min", ascending=False)
    n = int(absent.sum())
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        mine = parts[i]
        clauses = []
        if np.any(mine != 0):
            at = int(np.argmax(mine)) if row["score"] >= 0 else int(np.argmin(mine))
            clauses.append(_(_REASONS[(TERMS[at], "+" if row["score"] >= 0 else "-")]))
        if row["present"]:
            clauses.append(_("already a local strength: RCA {rca} is at least 1").format(
                rca=_number(row["rca"])))
        elif row["rca"] > 0:
            clauses.append(_("made here, but below its average share: RCA {rca}").format(
                rca=_number(row["rca"])))
        else:
            clauses.append(_("not made here yet (RCA 0)"))
        if row["present"]:
            clauses.append(_("relatedness density {density}").format(
                density=_number(row["density"])))
        else:
            clauses.append(_("relatedness density {density}, no. {rank} of the {n} products "
                             "of the chain not yet a strength here").format(
                density=_number(row["density"]), rank=int(order.iloc[i]), n=n))
        if row["n_inputs"]:
            clauses.append(_("inputs made here: {up} of {inputs}").format(
                up=row["upstream_local"], inputs=row["n_inputs"]))
        if row["n_uses"]:
            clauses.append(_("uses made here: {down} of {uses}").format(
                down=row["downstream_local"], uses=row["n_uses"]))
        clauses.append(_("{demand} local firm(s) use it; {candidates} candidate(s) in "
                         "{where}").format(demand=row["local_demand"],
                                           candidates=row["n_candidates"], where=where))
        if np.isfinite(row["pci"]):
            clauses.append(_("complexity {pci}, outlook gain {cog}").format(
                pci=_number(row["pci"]), cog=_number(row["cog"])))
        elif not row["made"]:
            clauses.append(_("no region makes it: no complexity"))
        elif row["determined"]:
            clauses.append(_("outside the main group of related products: no complexity"))
        else:
            clauses.append(_("complexity not determined by these data"))
        out.append(sep.join(clauses))
    return out
