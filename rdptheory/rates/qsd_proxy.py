r"""QSD-LTC's operational rate against its additive-channel (noisy-proxy) rate.

QSD-LTC (Lei, Hassani & Saeedi Bidokhti, arXiv:2503.17558, §3.3) sends c = Q_Λ(y − û) with y = αX
and a *discrete* shared dither û, uniform over the Γ^n coset representatives of Λ_f/Λ in V0(Λ)
(Λ = Γ·Λ_f). Its rate is H(c | û). With a continuous dither U ~ Unif(V0(Λ)) the crypto lemma
gives the noisy proxy (Zamir & Feder, IEEE T-IT 38(2), 1992, Thm 1)

    H(Q(y − U) | U) = h(y + U) − log V(Λ),

and §3.3 notes that the proxy is *not* QSD's rate. Why, in one line: with
g(t) = H(Q(y − t)), a Λ-periodic function of the dither value t,

    H(c | û) = Γ^{−n} Σ_{k} g(û_k)       (a lattice rule with the Γ^n points of Λ_f ∩ V0)
    proxy    = V^{−1} ∫_{V0} g(t) dt       (its average over the whole cell),

so the difference is the quadrature error of the Γ^n-point rule on g: exponentially small when
the cell is small against the source (high rate: g is nearly constant) and of order one bit per
dimension when the cell is larger than the source (low rate: g swings from ~0, a cell centred on
the source, to ~1 bit, a cell boundary through it).

* :func:`qsd_proxy_gap_exact_1d`: n = 1, both sides by quadrature over the normal CDF (no Monte
  Carlo), for any D and Γ.
* :func:`qsd_proxy_gap`: any registry lattice, both sides by Monte Carlo: the operational rate
  from the encoder's cells (:func:`rdptheory.operating_points.qsd_operating_point`), the proxy
  from fresh points y + U (:func:`rdptheory.rates.sd_rate_identity`), independent streams.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import integrate, special

from .._parallel import as_seed_sequence
from .._validation import as_real_array, check_integer
from ..lattices import as_lattice

__all__ = ["QsdProxyGap", "qsd_proxy_gap_exact_1d", "qsd_proxy_gap"]

_LN2 = math.log(2.0)
#: cells summed per dither value in the n = 1 quadrature are capped at this (D/σ² >= 1e-6)
_MAX_CELLS_1D = 200_000
#: Γ × cells cap of the n = 1 operational sum (bounded memory and time)
_MAX_WORK_1D = 20_000_000


@dataclass(frozen=True)
class QsdProxyGap:
    """QSD's operational rate H(c | û)/n and the noisy-proxy rate (h(y + U) − log V)/n at the
    same lattice scale and gain, in bits per dimension; ``difference`` = operational − proxy.
    Standard errors are 0 for ``method == 'quadrature'``."""

    lattice: str
    D: float
    ratio: int
    operational: float
    operational_stderr: float
    proxy: float
    proxy_stderr: float
    difference: float
    difference_stderr: float
    method: str
    n_samples: int

    def as_dict(self):
        return asdict(self)


def _check(D, ratio, sigma2):
    sigma2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True, upper=1e150))
    D = float(as_real_array(D, "D", lower=0.0, upper=2.0 * sigma2, lower_open=True,
                            upper_open=True))
    ratio = check_integer(ratio, "ratio", lower=1, upper=1 << 20)
    return D, ratio, sigma2


def _offset_entropy_bits(t, delta, sd):
    """g(t) = H(Q_{ΔZ}(y − t)) in bits for y ~ N(0, sd²), at each dither value t (1-D array):
    cell j holds y ∈ [jΔ + t − Δ/2, jΔ + t + Δ/2)."""
    K = int(math.ceil(12.0 * sd / delta)) + 2
    j = np.arange(-K, K + 1, dtype=np.float64)
    edges = ((j[None, :] - 0.5) * delta + np.asarray(t, dtype=np.float64)[:, None]) / sd
    # mass of [a, b) as a difference of ndtr on the side where it does not cancel
    a, b = edges, edges + delta / sd
    p = np.where(a > 0, special.ndtr(-a) - special.ndtr(-b), special.ndtr(b) - special.ndtr(a))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return terms.sum(axis=1) / _LN2


def qsd_proxy_gap_exact_1d(D, ratio, sigma2=1.0):
    r"""QSD-LTC at n = 1 (Λ = ΔZ): operational rate H(c | û), noisy-proxy rate and their
    difference, by quadrature (no Monte Carlo).

    With the gains and coarse second moment of :func:`rdptheory.gaussian.qsd_ltc_parameters`
    (Δ = √(12 σ²(Λ)), y = αX ~ N(0, α²σ²)) and g(t) = −Σ_j p_j(t) log₂ p_j(t),
    p_j(t) = Φ((jΔ + t + Δ/2)/ασ) − Φ((jΔ + t − Δ/2)/ασ):

    .. math::

        H(c\mid\hat u) = \frac1\Gamma\sum_{k=0}^{\Gamma-1} g(k\Delta/\Gamma),\qquad
        \text{proxy} = \frac1\Delta\int_{-\Delta/2}^{\Delta/2} g(t)\,dt
        = h(y+U) - \log_2\Delta

    (g is Δ-periodic, so the representatives kΔ/Γ may be taken modulo Δ; the last equality is
    Zamir & Feder 1992, Thm 1). The integral is adaptive Gauss–Kronrod (scipy.integrate.quad).

    Parameters
    ----------
    D : float
        Target distortion per dimension, in (0, 2σ²); D/σ² >= 1e-6 (the sum over cells grows
        like σ/Δ).
    ratio : int
        Nesting ratio Γ >= 1 (Γ = 1 is PD-LTC).
    sigma2 : float, optional
        Source variance.

    Returns
    -------
    QsdProxyGap
        ``method = 'quadrature'``, standard errors 0.

    Examples
    --------
    >>> from rdptheory.rates import qsd_proxy_gap_exact_1d
    >>> g = qsd_proxy_gap_exact_1d(1.5, 2)          # low rate: the proxy is off by ~0.28 bit
    >>> round(g.operational, 4), round(g.proxy, 4), round(g.difference, 4)
    (0.5, 0.2236, 0.2764)
    >>> abs(qsd_proxy_gap_exact_1d(0.5, 2).difference) < 1e-5    # high rate: they agree
    True
    """
    from ..gaussian import qsd_ltc_parameters
    D, ratio, sigma2 = _check(D, ratio, sigma2)
    if D < 1e-6 * sigma2:
        raise ValueError(f"D must be in [1e-6·sigma2, 2·sigma2) for the n = 1 quadrature; got {D!r}")
    p = qsd_ltc_parameters(D, ratio, sigma2)
    alpha, m2 = float(p.alpha), float(p.second_moment)
    delta, sd = math.sqrt(12.0 * m2), alpha * math.sqrt(sigma2)
    cells = 2 * int(math.ceil(12.0 * sd / delta)) + 5
    if cells > _MAX_CELLS_1D or cells * ratio > _MAX_WORK_1D:
        raise ValueError(f"ratio × cells = {ratio} × {cells} exceeds {_MAX_WORK_1D}: use a "
                         f"smaller ratio or a larger D (got D = {D!r}, ratio = {ratio})")
    reps = np.arange(ratio, dtype=np.float64) * (delta / ratio)
    operational = float(np.concatenate([_offset_entropy_bits(reps[i:i + 4096], delta, sd)
                                        for i in range(0, ratio, 4096)]).mean())
    half = 0.5 * delta
    proxy, _ = integrate.quad(lambda t: float(_offset_entropy_bits(np.array([t]), delta, sd)[0]),
                              -half, half, limit=400, epsabs=1e-12, epsrel=1e-11,
                              points=[0.0])
    proxy /= delta
    return QsdProxyGap(lattice="Z1", D=D, ratio=ratio, operational=operational,
                       operational_stderr=0.0, proxy=proxy, proxy_stderr=0.0,
                       difference=operational - proxy, difference_stderr=0.0,
                       method="quadrature", n_samples=0)


def qsd_proxy_gap(lattice, D, ratio, sigma2=1.0, *, n_samples=4000, cell_samples=1024,
                  rng=None):
    r"""QSD-LTC's operational rate H(c | û)/n against the noisy proxy (h(y + U) − log V)/n on any
    lattice, both by Monte Carlo, in bits per dimension.

    Operational: :func:`rdptheory.operating_points.qsd_operating_point` (the encoder's cells
    c + û, cell probabilities by the bias-controlled estimator). Proxy: the same coarse lattice
    and gain α, y = αX, U continuous on V0(Λ), by :func:`rdptheory.rates.sd_rate_identity` at
    ``n_samples`` fresh points. The two use independent streams spawned from ``rng``, so
    ``difference_stderr`` is the root sum of squares of the two SEs.

    Parameters
    ----------
    lattice : str or Lattice
    D : float
        Target distortion per dimension, in (0, 2σ²).
    ratio : int
        Nesting ratio Γ >= 1.
    sigma2 : float, optional
    n_samples : int, optional
        Source blocks for the operational rate and fresh points for the proxy (>= 16).
    cell_samples : int, optional
        Cell points per probability (>= 16).
    rng : int, Generator, SeedSequence or None

    Returns
    -------
    QsdProxyGap
        ``method = 'monte-carlo'``.

    Examples
    --------
    >>> from rdptheory.rates import qsd_proxy_gap, qsd_proxy_gap_exact_1d
    >>> g = qsd_proxy_gap("Z1", 1.5, 2, n_samples=8000, rng=0)
    >>> bool(abs(g.difference - qsd_proxy_gap_exact_1d(1.5, 2).difference)
    ...      <= 4 * g.difference_stderr)
    True
    """
    from ..gaussian import qsd_ltc_parameters
    from ..operating_points import qsd_operating_point, scaled_to_second_moment
    from .identity import sd_rate_identity
    L = as_lattice(lattice)
    D, ratio, sigma2 = _check(D, ratio, sigma2)
    n_samples = check_integer(n_samples, "n_samples", lower=16, upper=10**8)
    cell_samples = check_integer(cell_samples, "cell_samples", lower=16, upper=10**7)
    s_op, s_proxy = as_seed_sequence(rng).spawn(2)
    op = qsd_operating_point(L, D, ratio, sigma2, n_samples=n_samples, cell_samples=cell_samples,
                             rng=s_op)
    p = qsd_ltc_parameters(D, ratio, sigma2)
    coarse = scaled_to_second_moment(L, float(p.second_moment))
    pr = sd_rate_identity(coarse, float(p.alpha) ** 2 * sigma2, n_samples, rng=s_proxy)
    return QsdProxyGap(lattice=L.name, D=D, ratio=ratio, operational=op.rate,
                       operational_stderr=op.rate_stderr, proxy=pr.bits, proxy_stderr=pr.stderr,
                       difference=op.rate - pr.bits,
                       difference_stderr=math.hypot(op.rate_stderr, pr.stderr),
                       method="monte-carlo", n_samples=n_samples)
