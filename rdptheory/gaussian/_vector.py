"""Vector Gaussian sources: reverse water-filling R(D) and the RDP convex program."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_real_array, as_real_scalar, real_float_array, unit_factor, check_unit
from . import _kernels as K

__all__ = ["rate_distortion_vector", "rdp_vector", "rdp_vector_perfect_realism",
           "VectorRateDistortion", "VectorRdp", "component_variances"]


def component_variances(variances=None, covariance=None):
    """Return the component variances (eigenvalues of the covariance), validated.

    Exactly one of ``variances`` (1-D, >= 0) or ``covariance`` (square, symmetric, PSD) must be
    given.
    """
    if (variances is None) == (covariance is None):
        raise ValueError("give exactly one of variances= or covariance=")
    if variances is not None:
        lam = as_real_array(variances, "variances", lower=0.0)
        if lam.ndim != 1 or lam.size == 0:
            raise ValueError(f"variances must be a non-empty 1-D array; got shape {lam.shape}")
        return lam
    C = real_float_array(covariance, "covariance")
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] == 0:
        raise ValueError(f"covariance must be a square 2-D array; got shape {C.shape}")
    if not np.isfinite(C).all():
        raise ValueError("covariance must have finite entries")
    if not np.allclose(C, C.T, rtol=1e-10, atol=1e-12 * np.abs(C).max()):
        raise ValueError("covariance must be symmetric")
    lam = np.linalg.eigvalsh(0.5 * (C + C.T))
    tol = 1e-12 * max(np.abs(lam).max(), 1e-300) * C.shape[0]
    if lam.min() < -tol:
        raise ValueError(f"covariance must be positive semi-definite; smallest eigenvalue "
                         f"{lam.min():.3g}")
    return np.clip(lam, 0.0, None)


@dataclass(frozen=True)
class VectorRateDistortion:
    """Result of :func:`rate_distortion_vector`."""

    rate: float
    water_level: float
    distortions: np.ndarray
    rates: np.ndarray
    unit: str


@dataclass(frozen=True)
class VectorRdp:
    """Result of :func:`rdp_vector`: total rate and the per-component allocation."""

    rate: float
    distortions: np.ndarray
    perceptions: np.ndarray
    rates: np.ndarray
    converged: bool
    method: str
    unit: str


def _water_level(lam, D):
    lam_sorted = np.sort(lam)
    m = lam_sorted.size
    if D >= lam_sorted.sum():
        return float(lam_sorted[-1])
    drained = 0.0
    for k in range(m):
        theta = (D - drained) / (m - k)
        if theta <= lam_sorted[k]:
            return float(theta)
        drained += lam_sorted[k]
    return float(lam_sorted[-1])  # pragma: no cover


def rate_distortion_vector(D, variances=None, *, covariance=None, unit="bits"):
    r"""R(D) of a vector Gaussian source under total squared error, by reverse water-filling.

    :math:`D_i = \min(\theta, \lambda_i)` with :math:`\sum_i D_i = D` and
    :math:`R(D) = \sum_i \tfrac12\log^+(\lambda_i/D_i)` over the eigenvalues :math:`\lambda_i` of
    the covariance (Cover & Thomas, Thm 10.3.3). ``D`` is the *total* distortion (sum over
    components), a scalar ``>= 0``.

    Examples
    --------
    >>> from rdptheory.gaussian import rate_distortion_vector
    >>> r = rate_distortion_vector(1.0, [1.0, 0.25])
    >>> r.water_level, r.distortions.tolist(), round(r.rate, 6)
    (0.75, [0.75, 0.25], 0.207519)
    """
    lam = component_variances(variances, covariance)
    D = as_real_scalar(D, "D", lower=0.0)
    check_unit(unit)
    theta = _water_level(lam, D)
    Di = np.minimum(theta, lam)
    with np.errstate(divide="ignore"):
        Ri = np.where(lam > Di, K.rate_distortion_nats_ufunc(Di, np.where(lam > 0, lam, 1.0)),
                      0.0) * unit_factor(unit)
    return VectorRateDistortion(rate=float(Ri.sum()), water_level=theta, distortions=Di,
                                rates=Ri, unit=unit)


def _rdp_and_gradient(Di, pi, lam):
    """Sum of scalar R(D_i, p_i^2) in nats and its gradient in (D_i, p_i)."""
    Pi = pi * pi
    R = K.rdp_nats(Di, Pi, lam)
    regime = K.rdp_regime(Di, Pi, lam)
    sigma = np.sqrt(lam)
    sh = K.rdp_std(Di, Pi, lam)
    theta = K.rdp_cov(Di, Pi, lam)
    gD = np.zeros_like(Di)
    gp = np.zeros_like(Di)
    inactive = regime == K.INACTIVE
    gD[inactive] = -0.5 / Di[inactive]
    act = regime == K.ACTIVE
    if act.any():
        s, h, t = sigma[act], sh[act], theta[act]
        rho = t / (s * h)
        dRdrho = rho * np.exp(2.0 * R[act])  # rho / (1 - rho^2), 1 - rho^2 = exp(-2R)
        gD[act] = -dRdrho / (2.0 * s * h)
        gp[act] = -dRdrho * (h * h - t) / (s * h * h)
    return R.sum(), gD, gp


def _kkt_holds(Di, pi, lam, P, rtol=1e-6):
    """Stationarity certificate for SLSQP's precision-limited exit (status 8): at the optimum
    every component has the same marginal rate per unit distortion (-dR/dD_i = mu) and, where
    0 < P_i < lambda_i, per unit perception (-dR/dP_i = nu)."""
    p = pi if P > 0.0 else np.zeros_like(Di)
    _, gD, gp = _rdp_and_gradient(Di, p, lam)
    mu = -gD
    ok = np.ptp(mu) <= rtol * np.abs(mu).max()
    interior = (p > 0) & (p < np.sqrt(lam) * (1 - 1e-9))
    if P > 0.0 and interior.sum() > 1:
        nu = -gp[interior] / (2.0 * p[interior])
        ok &= np.ptp(nu) <= rtol * np.abs(nu).max()
    return bool(ok)


def rdp_vector(D, P, variances=None, *, covariance=None, unit="bits"):
    r"""RDP function of a vector Gaussian source: total squared error ``D``, total
    squared-W2 perception ``P``.

    .. math:: R(D,P) = \min \sum_i R_i(D_i, P_i)\quad\text{s.t.}\quad
              \sum_i D_i \le D,\ \sum_i P_i \le P,\ D_i, P_i \ge 0,

    with :math:`R_i` the scalar :func:`rdp` at variance :math:`\lambda_i` (the eigenvalues of
    the covariance).

    Notes
    -----
    *What is known.* Jointly Gaussian reconstructions sharing the source's eigenbasis are
    optimal for this problem (Qian et al., arXiv:2406.18008, 2024; Serra, Stavrou & Kountouris,
    ISIT 2024), so the decomposition into per-component (D_i, P_i) is exact, and the
    program is convex because each :math:`R_i` is jointly convex in :math:`(D_i, P_i)`. When the
    perception constraint binds every component gets a strictly positive rate; at
    ``P >= sum(lambda)`` (or ``P = inf``) the program is reverse water-filling, which is used
    directly. At ``P = 0`` Serra et al. give the analytical solution implemented in
    :func:`rdp_vector_perfect_realism`, an independent check of this solver.

    *How it is solved.* SLSQP over :math:`(\log D_i, p_i)` with :math:`P_i = p_i^2` (the slope
    of :math:`R_i` is unbounded as :math:`D_i \to 0` and infinite in :math:`P_i` at 0, but not in
    these variables) and analytic gradients.
    ``converged`` is SLSQP's success flag, or, when SLSQP stops on a precision-limited line
    search, a check of the KKT stationarity conditions (equal marginal rates across
    components to 1e-6).

    Examples
    --------
    >>> from rdptheory.gaussian import rdp_vector, rdp
    >>> r = rdp_vector(1.0, 0.1, [1.0, 1.0])
    >>> round(r.rate, 6) == round(2 * float(rdp(0.5, 0.05)), 6)   # symmetric split
    True
    """
    lam = component_variances(variances, covariance)
    D = as_real_scalar(D, "D", lower=0.0)
    P = as_real_scalar(P, "P", lower=0.0, allow_inf=True)
    check_unit(unit)
    f = unit_factor(unit)
    if P >= lam.sum():
        wf = rate_distortion_vector(D, lam, unit=unit)
        return VectorRdp(rate=wf.rate, distortions=wf.distortions,
                         perceptions=np.where(lam > 0, lam, 0.0), rates=wf.rates,
                         converged=True, method="water-filling", unit=unit)
    live = lam > 0
    lam_l = lam[live]
    m = lam_l.size
    total = lam_l.sum()
    if D == 0.0:
        return VectorRdp(rate=math.inf, distortions=np.zeros_like(lam),
                         perceptions=np.zeros_like(lam), rates=np.where(live, np.inf, 0.0),
                         converged=True, method="trivial", unit=unit)
    # variables: u_i = log D_i (the rate's slope blows up as D_i -> 0, not in log D_i) and
    # p_i = sqrt(P_i) (its slope in P_i is infinite at 0, not in p_i); constraints normalized
    u0 = np.log(np.minimum(D * lam_l / total, 2.0 * lam_l * (1 - 1e-9)))
    p0 = np.sqrt(np.minimum(P * lam_l / total, lam_l))
    u_bounds = list(zip(np.full(m, -700.0), np.log(2.0 * lam_l)))
    cons = [{"type": "ineq", "fun": lambda z: 1.0 - np.exp(z[:m]).sum() / D,
             "jac": lambda z: np.concatenate([-np.exp(z[:m]) / D, np.zeros(z.size - m)])}]
    if P == 0.0:
        def fun(z):
            Di = np.exp(z)
            val, gD, _ = _rdp_and_gradient(Di, np.zeros(m), lam_l)
            return val, gD * Di
        z0, bounds = u0, u_bounds
    else:
        def fun(z):
            Di = np.exp(z[:m])
            val, gD, gp = _rdp_and_gradient(Di, z[m:], lam_l)
            return val, np.concatenate([gD * Di, gp])
        cons.append({"type": "ineq", "fun": lambda z: 1.0 - (z[m:] ** 2).sum() / P,
                     "jac": lambda z: np.concatenate([np.zeros(m), -2.0 * z[m:] / P])})
        z0 = np.concatenate([u0, p0])
        bounds = u_bounds + list(zip(np.zeros(m), np.sqrt(lam_l)))
    from scipy import optimize  # imported here: the closed forms above start without scipy

    res = optimize.minimize(fun, z0, jac=True, method="SLSQP", bounds=bounds, constraints=cons,
                            options={"ftol": 1e-13, "maxiter": 1000})
    Di = np.exp(res.x[:m])
    Pi = res.x[m:] ** 2 if P > 0.0 else np.zeros(m)
    converged = bool(res.success) or (res.status == 8 and _kkt_holds(Di, res.x[m:], lam_l, P))
    Ri = K.rdp_nats(Di, Pi, lam_l) * f
    dist = np.zeros_like(lam)
    perc = np.zeros_like(lam)
    rates = np.zeros_like(lam)
    dist[live], perc[live], rates[live] = Di, Pi, Ri
    return VectorRdp(rate=float(Ri.sum()), distortions=dist, perceptions=perc, rates=rates,
                     converged=converged, method="SLSQP", unit=unit)


def rdp_vector_perfect_realism(D, variances=None, *, covariance=None, unit="bits"):
    r"""Analytical solution of the vector RDP program at P = 0 (Serra, Stavrou & Kountouris).

    With a multiplier :math:`\mu > 0`,
    :math:`D_i(\mu) = 2\lambda_i - (\sqrt{1 + 16\mu^2\lambda_i^2} - 1)/(2\mu)`, and :math:`\mu`
    is found by bisection (in log scale) so that :math:`\sum_i D_i = D`. Each
    :math:`D_i` is decreasing in :math:`\mu` from :math:`2\lambda_i` to 0. The difference is
    evaluated in the cancellation-free form
    :math:`D_i = 2\lambda_i b\,(1 + b/(h+1))/(h+b)`, :math:`b = 1/(4\mu\lambda_i)`,
    :math:`h = \sqrt{1+b^2}`, in the log domain, so every ``D`` down to the smallest subnormal
    gives a finite rate; ``converged`` reports that the bisection met the constraint to 1e-12
    (relative).

    Examples
    --------
    >>> from rdptheory.gaussian import rdp_vector_perfect_realism, rdp_perfect_realism
    >>> r = rdp_vector_perfect_realism(1.0, [1.0, 1.0])
    >>> bool(abs(r.rate - 2 * float(rdp_perfect_realism(0.5))) < 1e-12)
    True
    """
    lam = component_variances(variances, covariance)
    D = as_real_scalar(D, "D", lower=0.0)
    check_unit(unit)
    live = lam > 0
    lam_l = lam[live]
    if 0.0 < D < 2.0 * lam_l.sum():
        Di, Ri, converged = _perfect_realism_split(D, lam_l)
    else:  # zero rate (D >= 2 sum lam) or infinite rate (D = 0)
        Di = 2.0 * lam_l if D > 0.0 else np.zeros_like(lam_l)
        Ri, converged = K.rdp_nats(Di, np.zeros_like(Di), lam_l), True
    Ri = Ri * unit_factor(unit)
    dist_all = np.zeros_like(lam)
    rates = np.zeros_like(lam)
    dist_all[live], rates[live] = Di, Ri
    return VectorRdp(rate=float(Ri.sum()), distortions=dist_all, perceptions=np.zeros_like(lam),
                     rates=rates, converged=converged, method="Serra et al. closed form",
                     unit=unit)


def _split_terms(t, lam, log_lam):
    """At the multiplier mu = exp(-t), with b_i = 1/(4 mu lam_i) and h_i = hypot(1, b_i):
    log D_i and log(1 - d_i), d_i = D_i/(2 lam_i).

    Serra et al.'s D_i = 2 lam_i - (sqrt(1 + 16 mu^2 lam_i^2) - 1)/(2 mu) is rewritten without
    cancellation as D_i = 2 lam_i b_i (1 + b_i/(h_i + 1))/(h_i + b_i), and its complement as
    1 - d_i = 1/(h_i + b_i); both are formed in the log domain (no overflow or underflow for
    t in [-800, 800])."""
    log_b = t - math.log(4.0) - log_lam
    b = np.exp(np.minimum(log_b, 700.0))
    h = np.hypot(1.0, b)
    log_hb = np.where(log_b > 700.0, log_b + math.log(2.0), np.log(h + b))
    log_D = math.log(2.0) + log_lam + log_b + np.log1p(b / (h + 1.0)) - log_hb
    return log_D, -log_hb


def _logsumexp(v):
    top = v.max()
    return top + math.log(np.exp(v - top).sum())


def _perfect_realism_split(D, lam):
    """Solve sum_i D_i(mu) = D by bisection on t = log(1/mu), in the log domain; return
    (D_i, R_i in nats, converged). Valid for every D in (0, 2 sum lam), subnormal included.

    Below D = sum lam the equation is solved as written (log sum D_i = log D); above, as the
    equivalent sum_i 2 lam_i (1 - d_i) = 2 sum lam - D (the gap, exact in float), which keeps
    full relative precision of the small rates near D = 2 sum lam."""
    log_lam = np.log(lam)
    m = lam.size
    gap = math.fsum([*(2.0 * lam).tolist(), -D])  # correctly rounded: it sets the small rates
    use_gap = D > math.fsum(lam.tolist())
    target = math.log(gap) if use_gap else math.log(D)

    def excess(t):  # increasing in t
        log_D, log_e = _split_terms(t, lam, log_lam)
        if use_gap:
            return target - _logsumexp(math.log(2.0) + log_lam + log_e)
        return _logsumexp(log_D) - target

    # D_i <= 1/(2 mu) = e^t/2, so the root lies above t = log(2D/m)
    lo = math.log(2.0) + math.log(D) - math.log(m)
    hi = lo + 1.0
    while excess(hi) < 0.0 and hi < 800.0:
        hi += 2.0 * (hi - lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if excess(mid) > 0.0:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 4e-16 * max(1.0, abs(mid)):
            break
    t = 0.5 * (lo + hi)
    log_D, log_e = _split_terms(t, lam, log_lam)
    Di = np.exp(log_D)
    # R_i = -1/2 log(d (2 - d)) = -1/2 log1p(-(1 - d)^2): from log d where d < 1/2 (high
    # rate), from 1 - d = 1/(h + b) elsewhere (low rate); neither form cancels there
    log_d = log_D - math.log(2.0) - log_lam
    d = np.exp(log_d)
    e = np.exp(log_e)
    with np.errstate(divide="ignore", invalid="ignore"):  # the branch np.where discards
        Ri = np.where(d < 0.5, -0.5 * (log_d + np.log(2.0 - d)), -0.5 * np.log1p(-e * e))
    converged = abs(excess(t)) <= 1e-12
    return Di, Ri, bool(converged)
