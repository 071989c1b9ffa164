"""Economic-complexity measures over a region x product matrix, in numpy.

The definitions are those of the Harvard Growth Lab's ``ecomplexity`` package (0.5.3),
written here with numpy alone so that a province of firms costs milliseconds; the test
suite compares every measure with the package on synthetic data. ``X[r, p]`` is what
region ``r`` has of product ``p`` (firms, or their revenue):

- :func:`rca`: revealed comparative advantage, ``RCA[r, p] = (X[r, p] / X[r, :].sum())
  / (X[:, p].sum() / X.sum())``, and the presence matrix ``M = RCA >= 1``;
- :func:`proximity`: ``phi[p, q] = sum_r M[r, p] M[r, q] / max(k_p, k_q)`` with the
  ubiquity ``k_p = sum_r M[r, p]`` (0 where the max is 0; the diagonal is 1 for a
  product some region has);
- :func:`density`: relatedness density ``omega[p] = sum_q m[q] phi[p, q] /
  sum_q phi[p, q]`` of one region's presence row ``m``;
- :func:`complexity`: the economic and product complexity indices (ECI, PCI) from the
  eigenvector of the second largest eigenvalue of ``M~pp``, signed so that ECI grows
  with diversity and normalised by the mean and standard deviation of ECI, as the
  package does;
- :func:`outlook_gain`: complexity outlook gain (COG) of one region;
- :func:`log_supermodular_share`: the share of region and product pairs meeting the
  log-supermodularity condition, the package's check that ECI and PCI rank anything.

Regions with nothing and products nobody has drop out of the complexity calculation,
as in the package: a product nobody has gets ``NaN`` complexity, density 0 and COG 0.

Examples
--------
>>> import numpy as np
>>> X = np.array([[3, 1, 0], [1, 1, 0], [0, 2, 4]])
>>> r, M = rca(X)
>>> r.tolist()
[[2.25, 0.75, 0.0], [1.5, 1.5, 0.0], [0.0, 1.0, 2.0]]
>>> M.astype(int).tolist()
[[1, 0, 0], [1, 1, 0], [0, 1, 1]]
>>> phi = proximity(M)
>>> phi.round(2).tolist()
[[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]]
>>> density(M[0], phi).round(2).tolist()
[0.67, 0.25, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

__all__ = ["Complexity", "complexity", "density", "groups", "log_supermodular_share",
           "outlook_gain", "proximity", "rca"]

#: Relative tolerance of the presence test ``RCA >= 1`` for values that are not whole
#: numbers (revenue): a share equal to the average up to rounding counts as present.
#: Whole numbers (firm counts) are compared exactly.
RCA_TOLERANCE = 1e-12


@contextmanager
def single_threaded() -> Iterator[None]:
    """Run the linear algebra inside on one thread (``threadpoolctl``).

    The matrices here are small (products x products): a BLAS spreading them over
    threads on a busy machine spends far longer waiting for its threads (an
    eigendecomposition of 300 x 300 took 0.5-2.5 s instead of 0.03 s).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency; without it, the default
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def rca(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Revealed comparative advantage of each region in each product, and presence.

    Parameters
    ----------
    X
        Region x product matrix of non-negative amounts (firm counts or revenue).

    Returns
    -------
    tuple of ndarray
        ``RCA`` (floats; 0 in a row or column that is all zero) and ``M``, the boolean
        matrix ``RCA >= 1``. ``RCA`` is computed as ``X[r,p] X.sum() / (X[r].sum()
        X[:,p].sum())``, one division: for whole numbers it is exactly 1 when the
        shares are equal, so ``M`` does not depend on rounding.

    Examples
    --------
    >>> r, M = rca(np.array([[1, 0], [1, 1]]))
    >>> r.round(3).tolist(), M.tolist()
    ([[1.5, 0.0], [0.75, 1.5]], [[True, False], [False, True]])
    """
    X = np.asarray(X, dtype=np.float64)
    rows = X.sum(axis=1)
    cols = X.sum(axis=0)
    total = rows.sum()
    num = X * total
    den = rows[:, None] * cols[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    whole = bool(np.all(X == np.round(X))) and total < 2**26
    if whole:
        present = (num >= den) & (den > 0)
    else:
        present = (num >= den * (1 - RCA_TOLERANCE)) & (den > 0)
    return out, present


def proximity(M: np.ndarray) -> np.ndarray:
    """Product proximity: ``phi[p, q] = sum_r M[r,p] M[r,q] / max(k_p, k_q)``.

    Parameters
    ----------
    M
        Boolean (or 0/1) region x product presence matrix.

    Returns
    -------
    ndarray
        Symmetric product x product matrix in [0, 1]; 0 where both products are in no
        region; the diagonal is 1 for a product some region has.
    """
    m = np.asarray(M, dtype=np.float64)
    shared = m.T @ m
    k = np.diag(shared).copy()
    most = np.maximum(k[:, None], k[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(most > 0, shared / np.where(most > 0, most, 1.0), 0.0)


def density(m: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Relatedness density of one region: ``sum_q m[q] phi[p,q] / sum_q phi[p,q]``.

    Parameters
    ----------
    m
        The region's presence row (boolean or 0/1, one per product).
    phi
        The proximity matrix of :func:`proximity`.

    Returns
    -------
    ndarray
        One value in [0, 1] per product: the share of the product's relatedness that
        lies in products the region has; 0 for a product nobody has.
    """
    phi = np.asarray(phi, dtype=np.float64)
    num = phi @ np.asarray(m, dtype=np.float64)
    den = phi.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


@dataclass(frozen=True)
class Complexity:
    """ECI and PCI of a presence matrix (see :func:`complexity`).

    Attributes
    ----------
    eci
        Economic complexity of each region, normalised (mean 0, standard deviation 1
        over the regions ranked); ``NaN`` for a region not ranked.
    pci
        Product complexity, normalised by the mean and standard deviation of ECI (as
        the package does); ``NaN`` for a product not ranked.
    pci_raw
        The signed eigenvector before normalisation (what COG weighs by); 0 for a
        product not ranked.
    eci_std
        The standard deviation of the raw ECI (COG is divided by it).
    eci_raw
        The raw ECI (the mean raw PCI of each region's products); 0 for a region not
        ranked.
    determined
        Whether the data determine one ranking: at least two regions and products in
        the group ranked, and a second largest eigenvalue that is not tied with the
        third (else every value is ``NaN``: any eigenvector of the tie would do, and
        which one a linear-algebra library returns is chance).
    outside
        Products some region has that lie outside the group ranked (they share no
        region, even through others, with it), so have no complexity.
    """

    eci: np.ndarray
    pci: np.ndarray
    pci_raw: np.ndarray
    eci_std: float
    eci_raw: np.ndarray
    determined: bool
    outside: int


def groups(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The connected groups of regions and products (linked by ``M``).

    Parameters
    ----------
    M
        Boolean region x product presence matrix.

    Returns
    -------
    tuple of ndarray
        A group number for each region and each product (the smallest product column
        in the group); -1 for a region with nothing or a product nobody has.
    """
    r, p = np.nonzero(np.asarray(M, dtype=bool))
    n_regions, n_products = np.shape(M)
    prod = np.where(np.asarray(M, dtype=bool).any(axis=0), np.arange(n_products), -1)
    big = n_products + 1
    while True:  # labels spread product -> region -> product until nothing changes
        reg = np.full(n_regions, big)
        np.minimum.at(reg, r, prod[p])
        again = prod.copy()
        np.minimum.at(again, p, reg[r])
        if np.array_equal(again, prod):
            break
        prod = again
    reg = np.where(reg == big, -1, reg)
    return reg, prod


def complexity(M: np.ndarray) -> Complexity:
    """Economic and product complexity (ECI, PCI) of the presence matrix ``M``.

    ``M~pp[p, q] = sum_r M[r,p] M[r,q] / (k_p d_r)`` (``d_r`` the diversity of region
    ``r``); PCI is its eigenvector of the second largest eigenvalue, found from the
    symmetric form ``D^-1/2 M' R^-1 M D^-1/2`` (the same eigenvectors, computed
    faster and more stably); ECI is the mean PCI of each region's products; the sign
    makes ECI correlate positively with diversity. As in the package, PCI is then
    normalised by the mean and standard deviation of ECI.

    When regions and products fall into separate groups (:func:`groups`; a few firms
    of a product made nowhere else, say), the eigenvalue 1 repeats and the package's
    answer would be any mix of the groups; here the ranking is that of the group with
    the most products, and the others are left out (:attr:`Complexity.outside`). On
    data in one group this is the package's result.

    Parameters
    ----------
    M
        Boolean region x product presence matrix.

    Returns
    -------
    Complexity
        ``NaN`` throughout when the ranking is not determined.
    """
    m = np.asarray(M, dtype=np.float64)
    n_regions, n_products = m.shape
    region_group, product_group = groups(M)
    nan_r, nan_p = np.full(n_regions, np.nan), np.full(n_products, np.nan)
    zero_r, zero_p = np.zeros(n_regions), np.zeros(n_products)
    found = product_group[product_group >= 0]
    if not len(found):
        return Complexity(nan_r, nan_p, zero_p, float("nan"), zero_r, False, 0)
    labels, sizes = np.unique(found, return_counts=True)
    regions_in = np.array([(region_group == g).sum() for g in labels])
    best = labels[np.lexsort((labels, -regions_in, -sizes))[0]]
    rows, cols = region_group == best, product_group == best
    outside = int(len(found) - cols.sum())
    if rows.sum() < 2 or cols.sum() < 2:
        return Complexity(nan_r, nan_p, zero_p, float("nan"), zero_r, False, outside)
    mv = m[rows][:, cols]
    d, k = mv.sum(axis=1), mv.sum(axis=0)
    a = mv / np.sqrt(d)[:, None] / np.sqrt(k)[None, :]
    values, vectors = np.linalg.eigh(a.T @ a)
    # the largest eigenvalue is 1 (one group); a tie at the second means no one
    # eigenvector: the data do not determine the ranking
    tol = 1e-9 * max(1.0, float(values[-1]))
    if len(values) >= 3 and values[-2] - values[-3] <= tol:
        return Complexity(nan_r, nan_p, zero_p, float("nan"), zero_r, False, outside)
    kp = vectors[:, -2] / np.sqrt(k)
    kc = (mv / d[:, None]) @ kp
    std = float(kc.std())
    if not std > 1e-12 * max(1.0, float(np.abs(kc).max())) or d.std() == 0:
        return Complexity(nan_r, nan_p, zero_p, float("nan"), zero_r, False, outside)
    sign = -1.0 if np.corrcoef(d, kc)[0, 1] < 0 else 1.0
    kp, kc = sign * kp, sign * kc
    mean = kc.mean()
    eci, pci, pci_raw, eci_raw = nan_r.copy(), nan_p.copy(), zero_p.copy(), zero_r.copy()
    eci[rows] = (kc - mean) / std
    pci[cols] = (kp - mean) / std
    pci_raw[cols] = kp
    eci_raw[rows] = kc
    return Complexity(eci, pci, pci_raw, std, eci_raw, True, outside)


def outlook_gain(m: np.ndarray, phi: np.ndarray, result: Complexity) -> np.ndarray:
    """Complexity outlook gain of one region: what each product it lacks would open.

    ``COG[p] = (1 - m[p]) sum_q (1 - m[q]) phi[q,p] PCI[q] / sum_j phi[q,j]``, divided by
    the standard deviation of ECI (the package's normalisation), with the raw PCI: the
    complexity of the products the region lacks, weighted by how much closer ``p``
    would bring them.

    Parameters
    ----------
    m
        The region's presence row.
    phi
        The proximity matrix.
    result
        :func:`complexity` of the same presence matrix.

    Returns
    -------
    ndarray
        One value per product; 0 for a product the region has or nobody has.
    """
    lacks = 1.0 - np.asarray(m, dtype=np.float64)
    phi = np.asarray(phi, dtype=np.float64)
    total = phi.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(total > 0, lacks * result.pci_raw / np.where(total > 0, total, 1), 0)
    if not result.eci_std or not np.isfinite(result.eci_std):
        return np.zeros(len(lacks))
    return lacks * (weight @ phi) / result.eci_std


def log_supermodular_share(matrix: np.ndarray, eci: np.ndarray, pci: np.ndarray,
                           pairs: int = 100_000, seed: int = 0) -> float:
    """Share of pairs of regions and products that meet log-supermodularity.

    For regions ``i'`` more complex than ``i`` (ECI) and products ``j'`` more complex
    than ``j`` (PCI), the condition is ``X[i',j'] / X[i',j] > X[i,j'] / X[i,j]``: more
    complex places are relatively better at more complex products. It is tested as
    the package tests it, ``X[i,j] / X[i,j'] > X[i',j] / X[i',j']`` with a ratio whose
    denominator is 0 counted as 0 (so a pair with a zero fails). The package warns when under 80 %
    of the pairs meet it. Every pair is checked when there are at most ``pairs`` of
    them, else ``pairs`` pairs drawn with a fixed ``seed`` (the same answer each run).

    The package (0.5.3) reads ``X[i, j']`` from a reshaped, not transposed, matrix;
    this function follows the condition as its documentation states it.

    Parameters
    ----------
    matrix
        Region x product values (RCA), for the regions and products with a complexity.
    eci, pci
        Their complexities.
    pairs
        How many pairs to check at most.
    seed
        Seed of the sample.

    Returns
    -------
    float
        The share in [0, 1]; ``NaN`` when there is no pair.
    """
    x = np.asarray(matrix, dtype=np.float64)[np.argsort(-eci, kind="stable")][
        :, np.argsort(-pci, kind="stable")]
    n, k = x.shape
    n_pairs = (n * (n - 1) // 2) * (k * (k - 1) // 2)
    if n_pairs == 0:
        return float("nan")
    if n_pairs <= pairs:
        hi_r, lo_r = np.triu_indices(n, 1)  # hi: the more complex (earlier) position
        hi_p, lo_p = np.triu_indices(k, 1)
        a = np.repeat(hi_r, len(hi_p))
        c = np.repeat(lo_r, len(hi_p))
        b = np.tile(hi_p, len(hi_r))
        d = np.tile(lo_p, len(hi_r))
    else:
        rng = np.random.default_rng(seed)
        r1, r2 = rng.integers(0, n, pairs), rng.integers(0, n - 1, pairs)
        r2 = r2 + (r2 >= r1)
        p1, p2 = rng.integers(0, k, pairs), rng.integers(0, k - 1, pairs)
        p2 = p2 + (p2 >= p1)
        a, c = np.minimum(r1, r2), np.maximum(r1, r2)
        b, d = np.minimum(p1, p2), np.maximum(p1, p2)

    def ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = top / bottom
        return np.where(np.isfinite(out), out, 0.0)

    # a, b: the more complex region and product; c, d: the less complex ones. As in the
    # package: X[i,j] / X[i,j'] > X[i',j] / X[i',j'] (the condition with both ratios
    # turned over, which differs from it only where a value is 0)
    return float(np.mean(ratio(x[c, d], x[c, b]) > ratio(x[a, d], x[a, b])))
