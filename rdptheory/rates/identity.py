"""The universal-quantization identity as a second route to the SD (subtractive dither) rate.

For X ~ N(0, tau2 I_n), U ~ Unif(V0(Λ)) independent, and c = Q(X − U) (Zamir & Feder, IEEE
T-IT 38(2), 1992, Thm 1; eqs (4)-(6) of Lei, Hassani & Saeedi Bidokhti, arXiv:2503.17558):

    H(c | U) = I(X; X + U) = h(X + U) − log V(Λ).

The left side is what :func:`rdptheory.operating_points.sd_operating_point` estimates from the
encoder's cells c + u. The right side needs only the density f of W = X + U,

    f(w) = E_U p(w − U) = P(X ∈ w + V0) / V      (V0 = −V0),

evaluated at fresh points W (not the encoder's cells), or no density at all: the
Kozachenko–Leonenko nearest-neighbour estimator of h(W) (Kozachenko & Leonenko, Probl. Inf.
Transm. 23 (1987); bias-corrected form of Kraskov, Stögbauer & Grassberger, PRE 69 (2004),
eq. (20)), usable as a third opinion for n <= 8.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import special
from scipy.spatial import cKDTree

from .._parallel import as_seed_sequence
from .._validation import as_real_array, check_integer
from ..dither import sample_voronoi
from ..lattices import as_lattice
from .gaussian_cell import CellRate, cell_rate

__all__ = ["sd_rate_identity", "kozachenko_leonenko_entropy"]

_LN2 = math.log(2.0)


def kozachenko_leonenko_entropy(samples, k=4):
    r"""Kozachenko–Leonenko k-nearest-neighbour estimate of the differential entropy (nats).

    h_hat = ψ(N) − ψ(k) + log c_n + (n/N) Σ_i log ε_i, with ε_i the distance from sample i to
    its k-th nearest neighbour and c_n = π^(n/2)/Γ(n/2 + 1) the volume of the unit ball
    (Kraskov, Stögbauer & Grassberger 2004, eq. (20)). Returns (h_hat, per-sample terms); the
    terms' standard deviation over sqrt(N) is the usual plug-in standard error.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.rates.identity import kozachenko_leonenko_entropy
    >>> x = np.random.default_rng(0).normal(size=(20000, 2))
    >>> h, _ = kozachenko_leonenko_entropy(x)
    >>> bool(abs(h - np.log(2 * np.pi * np.e)) < 0.03)          # h(N(0, I_2)) = log(2πe)
    True
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] <= k or not np.isfinite(x).all():
        raise ValueError(f"samples must be a finite (N > k, n) array; got shape {x.shape}")
    k = check_integer(k, "k", lower=1)
    N, n = x.shape
    d, _ = cKDTree(x).query(x, k=k + 1)
    eps = d[:, -1]
    log_cn = 0.5 * n * math.log(math.pi) - special.gammaln(0.5 * n + 1)
    terms = special.digamma(N) - special.digamma(k) + log_cn + n * np.log(eps)
    return float(terms.mean()), terms


def sd_rate_identity(lattice, tau2, n_points=2048, *, method="mis", rng=None, **rate_options):
    r"""H(c | U)/n in bits per dimension as (h(X + U) − log V)/n, X ~ N(0, tau2 I), U uniform
    on V0(Λ) (Λ at its actual scale), from ``n_points`` fresh points W = X + U.

    method "mis": h(W) = log V − E log P(X ∈ W + V0), the cell probability at the fresh points
    by :func:`rdptheory.rates.cell_rate` (``rate_options`` are passed on; default multiple
    importance sampling), so H(c|U) = −E log P(X ∈ W + V0). method "kl":
    :func:`kozachenko_leonenko_entropy` of the W's (no cell probability at all), for n <= 8; its
    ``bias`` field is (estimate on a quarter of the points − estimate on all)/(4^a − 1) with
    a = 2/n, the N^(−2/n) decay of the estimator's bias for smooth densities (Berrett, Samworth
    & Yuan, Ann. Statist. 47 (2019)); measured on E8 at D = 1 it is 0.011, 0.003 and 0.0009
    bit/dim at N = 8000, 32000, 128000 (docs/rates.md).

    Returns
    -------
    CellRate

    Examples
    --------
    >>> from rdptheory.rates.identity import sd_rate_identity
    >>> from rdptheory.operating_points import sd_rate_quadrature_1d, scaled_to_second_moment
    >>> L = scaled_to_second_moment("Z1", 3.0)                   # SD at D = 1 (eta2 = 3)
    >>> r = sd_rate_identity(L, 1.0, 4000, rng=0)
    >>> bool(abs(r.bits - sd_rate_quadrature_1d(1.0)) < 4 * r.stderr)
    True
    """
    L = as_lattice(lattice)
    tau2 = float(as_real_array(tau2, "tau2", lower=0.0, lower_open=True))
    N = check_integer(n_points, "n_points", lower=16)
    if method not in ("mis", "kl"):
        raise ValueError(f"method must be 'mis' or 'kl'; got {method!r}")
    n = L.dimension
    gx, gu, gr = [np.random.default_rng(s) for s in as_seed_sequence(rng).spawn(3)]
    w = gx.standard_normal((N, n)) * math.sqrt(tau2) + sample_voronoi(L, N, gu)
    if method == "mis":
        rate_options.setdefault("method", "mis")
        rate_options.setdefault("max_decodes", N * rate_options.get("gaussian_samples", 1024))
        return cell_rate(w, L, tau2, rng=gr, **rate_options)
    if n > 8:
        raise ValueError(f"method 'kl' is for dimension n <= 8; got n = {n}")
    h, terms = kozachenko_leonenko_entropy(w)
    hq, _ = kozachenko_leonenko_entropy(w[: N // 4])
    bits = (h - math.log(L.volume)) / (n * _LN2)
    se = float(terms.std(ddof=1) / math.sqrt(N)) / (n * _LN2)
    bias = (hq - h) / (4.0 ** (2.0 / n) - 1.0) / (n * _LN2)
    return CellRate(bits=bits, stderr=se, bias=bias, bias_stderr=float("nan"),
                    bias_exceeds_se=bool(abs(bias) > se), method="kozachenko-leonenko",
                    n_centers=N, uniform_samples=0, gaussian_samples=0)
