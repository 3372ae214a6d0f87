r"""Log-densities of the outputs of dithered lattice schemes, from their exact structure.

They give the KL divergence to the Gaussian target, hence Talagrand's upper bound on W2², as a
sample mean (:func:`rdptheory.perception.measurement.kl_from_log_density`).

**Shared dither (SD).** With u ~ Unif(V0(Λ)) shared, x̂ = β(Q(x − u) + u) = β(x − E) where
E = (x − u) mod V0 is uniform on V0 and independent of x (crypto lemma; Zamir & Feder 1992,
1996). Hence x̂/β has density :math:`p(z) = P(X \in z + V_0)/V`, and

.. math:: h(X + U) = H(Q(X+U)\mid U)\,\ln 2 + \ln V

(Zamir & Feder 1992, Thm 1; eqs (4)-(6) of Lei, Hassani & Saeedi Bidokhti, arXiv:2503.17558):
the output entropy is the rate estimator's H(c | u) plus log V, and the per-sample log-density
is the same cell probability :func:`rdptheory.cell_probability.log_cell_probability` that the
rate uses, evaluated at the dithered reconstruction.

**Lattice mixtures (PD, QSD).** PD: x̂ = ŷ + s·u with ŷ = Q_Λ(αx), u ~ Unif(V0(Λ)) private,
so x̂ has the mixture density

.. math:: p(w) = \frac{1}{s^n V}\sum_{f\in\Lambda:\ (w-f)/s\in V_0} P(\alpha X\in f+V_0),

one term for s <= 1 (disjoint scaled cells; holes between them when s < 1) and about
:math:`s^n` overlapping terms for s > 1 (found by enumerating lattice vectors up to
:math:`(1+s)R`, R the covering radius). QSD (nested Λ = Γ Λ_f): the point
F = c + û ∈ Λ_f has :math:`P(F=f) = \Gamma^{-n} P(\alpha X\in f + V_0(\Lambda))` (û is the
unique representative of f's coset), and x̂/β = F + s·u_f, u_f ~ Unif(V0(Λ_f)): the same
mixture on the fine lattice.
"""
from __future__ import annotations

import math
import re

import numpy as np

from .._validation import as_real_array
from ..cell_probability import log_cell_probability

__all__ = ["sd_output_log_density", "sd_output_log_density_mis", "lattice_mixture_log_density", "gaussian_cell_log_weight",
           "COVERING_RATIO"]

#: Squared covering radius over minimal squared norm, R²/d_min² (Conway & Sloane, *Sphere
#: Packings, Lattices and Groups*, 3rd ed., ch. 4: Z^n R = √n/2; A2 R = 1/√3 at d_min = 1;
#: D4 and E8 R = 1 at d_min² = 2).
COVERING_RATIO = {"Z1": 0.25, "A2": 1.0 / 3.0, "D4": 0.5, "E8": 0.5}


def _points(x, n, name):
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != n or not np.isfinite(a).all():
        raise ValueError(f"{name} must be a finite array of shape (N, {n}); got {np.shape(x)}")
    return a


def sd_output_log_density(x_hat, lattice, cell_samples, sigma2=1.0, *, beta=1.0):
    r"""Log-density of SD-LTC's output x̂ = β(Q(x − u) + u), x ~ N(0, σ² I), at the rows of
    ``x_hat``: :math:`\log P(X \in \hat x/\beta + V_0) - \log V - n\log\beta`.

    Parameters
    ----------
    x_hat : array_like, shape (N, n)
    lattice : Lattice
        The (scaled) lattice of the quantizer.
    cell_samples : array_like, shape (M, n)
        Uniform points of V0(Λ) for the cell-probability estimator.
    sigma2 : float
        Source variance.
    beta : float
        Decoder gain (> 0).

    Returns
    -------
    log_density, bias : ndarray (N,), ndarray (N,)
        The estimate and its estimated (downward) Jensen bias.

    Examples
    --------
    n = 1, Δ = 1, β = 1: the density of X + U is [Φ(w + ½) − Φ(w − ½)].

    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> from rdptheory.dither import sample_voronoi
    >>> from rdptheory.lattices import get
    >>> from rdptheory.perception.output_law import sd_output_log_density
    >>> lp, _ = sd_output_log_density([[0.3]], get("Z1"), sample_voronoi("Z1", 4096, rng=0))
    >>> bool(abs(lp[0] - np.log(norm.cdf(0.8) - norm.cdf(-0.2))) < 5e-3)
    True
    """
    n = lattice.dimension
    w = _points(x_hat, n, "x_hat")
    b = float(as_real_array(beta, "beta", lower=0.0, lower_open=True))
    lp, bias = log_cell_probability(w / b, cell_samples, lattice.volume, sigma2, return_bias=True)
    return lp - math.log(lattice.volume) - n * math.log(b), bias


def sd_output_log_density_mis(x_hat, lattice, sigma2=1.0, *, beta=1.0, uniform_samples=1024,
                              gaussian_samples=256, rng=None):
    r"""Log-density of SD-LTC's output (as :func:`sd_output_log_density`) by the bias-controlled
    multiple-importance-sampling cell probability of :func:`rdptheory.rates.log_cell_probability_mis`
    (the same estimator as the rates; the uniform-cell log-mean-exp is biased in 16-24
    dimensions at low rate).

    Returns
    -------
    log_density, bias : ndarray (N,), ndarray (N,)
        The estimate and its estimated downward (Jensen) bias, (full − quarter)/3 from the
        estimate on a quarter of the points (per sample; noisy, unbiased in the mean).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> from rdptheory.lattices import get
    >>> from rdptheory.perception.output_law import sd_output_log_density_mis
    >>> lp, _ = sd_output_log_density_mis([[0.3]], get("Z1"), rng=0)   # Monte Carlo: ~1e-2
    >>> bool(abs(lp[0] - np.log(norm.cdf(0.8) - norm.cdf(-0.2))) < 0.02)
    True
    """
    from ..rates import log_cell_probability_mis
    n = lattice.dimension
    w = _points(x_hat, n, "x_hat")
    b = float(as_real_array(beta, "beta", lower=0.0, lower_open=True))
    lp, lq = log_cell_probability_mis(w / b, lattice, sigma2, uniform_samples=uniform_samples,
                                      gaussian_samples=gaussian_samples, rng=rng,
                                      return_quarter=True)
    return lp - math.log(lattice.volume) - n * math.log(b), (lp - lq) / 3.0


def _at_origin(lattice, x):
    """Rows of ``x`` whose nearest lattice point is the origin (i.e. x ∈ V0), to rounding."""
    tol = 1e-9 * lattice.volume ** (1.0 / lattice.dimension)
    return np.all(np.abs(lattice.nearest_point(x)) <= tol, axis=1)


def _covering_radius2(lattice, covering_radius2):
    if covering_radius2 is not None:
        return float(as_real_array(covering_radius2, "covering_radius2", lower=0.0,
                                   lower_open=True))
    base = re.sub(r"^.*\*", "", lattice.name).split("[")[0]
    if re.fullmatch(r"Z\d+", base):
        return int(base[1:]) / 4.0 * lattice.minimum_norm()          # Z^n: R = √n/2
    if base not in COVERING_RATIO:
        raise ValueError(f"no covering radius known for lattice {lattice.name!r}: pass "
                         f"covering_radius2 (known: {sorted(COVERING_RATIO)})")
    return COVERING_RATIO[base] * lattice.minimum_norm()


def lattice_mixture_log_density(x_hat, lattice, s, log_weight, *, beta=1.0,
                                covering_radius2=None, chunk=2048, max_candidates=20_000):
    r"""Log-density of x̂ = β(F + s·U), F a random point of Λ with log-probabilities
    ``log_weight``, U ~ Unif(V0(Λ)) independent (the output of PD-LTC and QSD-LTC).

    .. math:: \log p(w) = \log\sum_{f\in\Lambda:\,(w/\beta - f)/s\in V_0} \pi_f
              - \log V - n\log(s\beta).

    Parameters
    ----------
    x_hat : array_like, shape (N, n)
    lattice : Lattice
        Λ, scaled as in the scheme (for QSD the fine lattice).
    s : float
        Dither scale (> 0).
    log_weight : callable
        ``log_weight(points) -> (log_pi, bias)`` for an (k, n) array of lattice points: natural
        log-probabilities and their estimated downward bias (zeros if exact).
    beta : float
        Output gain (> 0).
    covering_radius2 : float, optional
        R² of ``lattice`` (needed for s > 1; looked up in :data:`COVERING_RATIO` otherwise,
        Z^n: R = √n/2).
    max_candidates : int
        ValueError if the ball of radius (1 + s)R holds more lattice points than this (by
        volume), i.e. when the enumeration would be too slow.

    Returns
    -------
    log_density, bias : ndarray (N,), ndarray (N,)
        ``-inf`` where w lies in none of the scaled cells (a hole, s < 1).

    Notes
    -----
    For s > 1 the candidates f = Q(w/β) + v with ‖v‖ <= (1 + s)R are enumerated
    (:meth:`Lattice.short_vectors`) and kept when ‖w/β − f‖ <= sR and Q((w/β − f)/s) = 0; the
    cost grows like ((1+s)R)^n/V per sample, practical for n <= 8.

    Examples
    --------
    n = 1, Δ = 1, s = 2, F = 0 or 1 with probability ½ each: p(0.4) = (½ + ½)/2 = ½.

    >>> import numpy as np
    >>> from rdptheory.lattices import get
    >>> from rdptheory.perception.output_law import lattice_mixture_log_density
    >>> def lw(f):
    ...     lp = np.where(np.isin(f[:, 0], [0.0, 1.0]), np.log(0.5), -np.inf)
    ...     return lp, np.zeros(len(f))
    >>> lp, _ = lattice_mixture_log_density([[0.4], [-0.8]], get("Z1"), 2.0, lw)
    >>> np.exp(lp).round(6).tolist()
    [0.5, 0.25]
    """
    n = lattice.dimension
    w = _points(x_hat, n, "x_hat")
    s = float(as_real_array(s, "s", lower=0.0, lower_open=True))
    b = float(as_real_array(beta, "beta", lower=0.0, lower_open=True))
    z = w / b
    q = lattice.nearest_point(z)
    const = -math.log(lattice.volume) - n * math.log(s * b)
    N = z.shape[0]
    if s <= 1.0:
        inside = _at_origin(lattice, (z - q) / s)
        uniq, inv = np.unique(np.round(q, 9), axis=0, return_inverse=True)
        lpu, biasu = log_weight(uniq)
        lp, bias = lpu[inv.ravel()], biasu[inv.ravel()]
        lp = np.where(inside, lp, -np.inf)
        return lp + const, np.where(inside, bias, 0.0)
    R2 = _covering_radius2(lattice, covering_radius2)
    expected = math.pi ** (n / 2) / math.gamma(n / 2 + 1) * ((1 + s) ** 2 * R2) ** (n / 2) \
        / lattice.volume
    if expected > max_candidates:
        raise ValueError(f"about {expected:.3g} candidate lattice points per sample (> "
                         f"max_candidates = {max_candidates}): the mixture is too wide for "
                         "enumeration (s > 1 with a large covering radius or dimension)")
    v = lattice.short_vectors((1.0 + s) ** 2 * R2 * (1 + 1e-9))
    v = np.vstack([np.zeros((1, n)), v])
    out = np.full(N, -np.inf)
    out_bias = np.zeros(N)
    lim = s * s * R2 * (1 + 1e-9)
    vv = np.einsum("ij,ij->i", v, v)
    for a in range(0, N, chunk):
        e = z[a:a + chunk] - q[a:a + chunk]                 # (k, n), in V0
        k = e.shape[0]
        d2 = np.einsum("ij,ij->i", e, e)[:, None] + vv[None, :] - 2.0 * (e @ v.T)
        ii, jj = np.nonzero(d2 <= lim)                      # ‖z − f‖ <= sR, f = q + v
        ok = _at_origin(lattice, (e[ii] - v[jj]) / s)
        ii, jj = ii[ok], jj[ok]
        f = q[a + ii] + v[jj]
        uniq, inv = np.unique(np.round(f, 9), axis=0, return_inverse=True)
        lpu, biasu = log_weight(uniq)
        lp, bias = lpu[inv.ravel()], biasu[inv.ravel()]
        mx = np.full(k, -np.inf)
        np.maximum.at(mx, ii, lp)
        safe = np.where(np.isfinite(mx), mx, 0.0)
        term = np.exp(lp - safe[ii])
        tot = np.bincount(ii, weights=term, minlength=k)
        wb = np.bincount(ii, weights=term * bias, minlength=k)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[a:a + k] = np.where(tot > 0, safe + np.log(tot), -np.inf)
            out_bias[a:a + k] = np.where(tot > 0, wb / tot, 0.0)
    return out + const, out_bias


def gaussian_cell_log_weight(cell_samples, volume, tau2, log_scale=0.0):
    """``log_weight`` for :func:`lattice_mixture_log_density`: f -> log P(Y ∈ f + V0) + log_scale
    for Y ~ N(0, tau2 I), by :func:`rdptheory.cell_probability.log_cell_probability`."""
    def log_weight(points):
        lp, bias = log_cell_probability(points, cell_samples, volume, tau2, return_bias=True)
        return lp + log_scale, bias
    return log_weight
