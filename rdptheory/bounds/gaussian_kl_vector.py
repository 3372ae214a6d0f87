"""R(D,P) of a vector Gaussian source under KL perception: the allocation of the total
distortion and the total KL budget over the components, with a Lagrangian dual bound."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_real_scalar, check_unit, unit_factor
from ..gaussian import component_variances, rate_distortion_vector

__all__ = ["gaussian_rdp_kl_vector", "VectorRdpKl"]

#: components allowed (the SLSQP program has 2 variables per component)
MAX_COMPONENTS = 1000
#: variances below this fraction of the largest are not coded (see gaussian_rdp_kl_vector)
NEGLIGIBLE = 1e-12


@dataclass(frozen=True)
class VectorRdpKl:
    """Result of :func:`gaussian_rdp_kl_vector`.

    ``rate`` is the value of the allocation found (an achievable rate); ``dual_bound`` the
    Lagrangian dual value at the multipliers read from the solution (a lower bound on the
    program's optimum, up to the accuracy of a 1-D minimization per component); ``gap`` their
    difference. Per component: ``distortions``, ``perceptions`` (KL, nats), ``rates`` and the
    output variances ``output_variances``.
    """

    rate: float
    dual_bound: float
    gap: float
    distortions: np.ndarray
    perceptions: np.ndarray
    rates: np.ndarray
    output_variances: np.ndarray
    direction: str
    converged: bool
    unit: str


def _kl(v, direction):
    """KL (nats) between N(0, s) and N(0, u s) as a function of v = log u."""
    if direction == "kl-reverse":                      # D(N(0, us) || N(0, s))
        return 0.5 * (np.expm1(v) - v)
    return 0.5 * (np.expm1(-v) + v)                    # D(N(0, s) || N(0, us))


def _dkl(v, direction):
    if direction == "kl-reverse":
        return 0.5 * np.expm1(v)
    return 0.5 * (-np.expm1(-v))


def _terms(z, s, direction):
    """Per component: rate (nats), distortion, KL and their gradients in (w, v), with
    rho = tanh(w) the correlation and u = exp(v) the output-to-source variance ratio."""
    m = s.size
    w, v = z[:m], z[m:]
    rho = np.tanh(w)
    su = np.exp(0.5 * v)
    rate = np.logaddexp(w, -w) - math.log(2.0)        # log cosh w = -1/2 log(1 - rho^2)
    dist = s * (1.0 + su * su - 2.0 * rho * su)
    kl = _kl(v, direction)
    g_rate = rho
    g_dist_w = -2.0 * s * su * (1.0 - rho * rho)
    g_dist_v = s * (su * su - rho * su)
    return rate, dist, kl, g_rate, g_dist_w, g_dist_v, _dkl(v, direction)


def _multipliers(z, g_r, g_dw, g_dv, g_kv, bounds, slack_d, slack_p):
    """Non-negative multipliers (lam, mu) of the distortion and KL budgets from the stationarity
    conditions at the variables strictly inside their bounds (non-negative least squares); a
    budget with slack gets 0. Any (lam, mu) >= 0 gives a valid dual bound; good ones a tight one."""
    from scipy import optimize

    m = g_r.size
    lo = np.array([b[0] for b in bounds])
    hi = np.array([b[1] for b in bounds])
    free = (z > lo + 1e-9) & (z < hi - 1e-9)
    grad_r = np.concatenate([g_r, np.zeros(m)])
    grad_d = np.concatenate([g_dw, g_dv])
    grad_k = np.concatenate([np.zeros(m), g_kv])
    use_d = slack_d <= 1e-7 * max(1.0, abs(slack_d))
    use_k = np.isfinite(slack_p) and slack_p <= 1e-7
    cols = [grad_d if use_d else np.zeros_like(grad_d), grad_k if use_k else np.zeros_like(grad_k)]
    A = np.stack(cols, axis=1)[free]
    if A.size == 0 or not np.any(A):
        return 0.0, 0.0
    x, _ = optimize.nnls(A, -grad_r[free])
    return float(x[0]), float(x[1])


def _inner_min(s, lam, mu, direction, *, fixed_v=False):
    """min over (rho, u) of R + lam D + mu KL for one component of variance s (nats): rho in
    closed form for each u, u on a log grid then refined by a bounded scalar search (u = 1
    when ``fixed_v``, the P = 0 case)."""
    from scipy import optimize

    def h(v):
        su = np.exp(0.5 * v)
        c = 2.0 * lam * s * su
        # rho / (1 - rho^2) = c  ->  rho = 2c / (1 + sqrt(1 + 4 c^2))
        rho = 2.0 * c / (1.0 + np.sqrt(1.0 + 4.0 * c * c))
        return (-0.5 * np.log1p(-rho * rho) + lam * s * (1.0 + su * su - 2.0 * rho * su)
                + mu * _kl(v, direction))
    if fixed_v:
        return float(h(np.array(0.0)))
    grid = np.linspace(-40.0, 40.0, 8001)
    vals = h(grid)
    k = int(np.argmin(vals))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    res = optimize.minimize_scalar(h, bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-12})
    return float(min(vals[k], res.fun))


def gaussian_rdp_kl_vector(D, P, variances=None, *, covariance=None, direction="kl-reverse",
                           unit="bits"):
    r"""R(D,P) of a Gaussian vector source, total squared error ``D``, total KL perception
    ``P`` (nats), over reconstructions whose components are independent and jointly Gaussian
    with the source's (eigen-)components.

    .. math:: \min \sum_i -\tfrac12\log(1-\rho_i^2)\quad\text{s.t.}\quad
              \sum_i \lambda_i(1 + u_i - 2\rho_i\sqrt{u_i}) \le D,\
              \sum_i \mathrm{KL}_i(u_i) \le P,

    with :math:`\lambda_i` the eigenvalues of the covariance, :math:`u_i` the output-to-source
    variance ratio of component i, :math:`\rho_i` its correlation with the source, and
    :math:`\mathrm{KL}_i(u) = (u - 1 - \log u)/2` for ``'kl-reverse'``
    (:math:`D(P_{\hat X}\|P_X)`) or :math:`(1/u - 1 + \log u)/2` for ``'kl'``
    (:math:`D(P_X\|P_{\hat X})`). Each component is the scalar problem of
    :func:`rdptheory.bounds.closed_forms.gaussian_rdp_kl`; the program allocates D and P.

    What the value means:

    * ``'kl-reverse'``: for a product reference law, :math:`D(Q\|\prod_i P_i) \ge \sum_i
      D(Q_i\|P_i)` and :math:`I(X;\hat X) \ge \sum_i I(X_i;\hat X_i)` (independent source
      components, after the orthogonal change of basis, under which KL is invariant), so the
      vector problem is exactly this allocation of scalar problems, and the value is the
      vector R(D,P) wherever the scalar jointly Gaussian formula is (Serra, Stavrou &
      Kountouris, IEEE JSAIT 2024; Qian et al., arXiv:2406.18008, for the optimality of jointly
      Gaussian reconstructions).
    * ``'kl'``: :math:`D(\prod_i P_i\|Q) \ge \sum_i D(P_i\|Q_i)` fails in general (a
      two-bit example: docs/bounds.md), and already in one dimension the jointly Gaussian value
      is not optimal in this direction (claim
      ``bounds.gaussian_kl.forward_jointly_gaussian_not_optimal``): the allocation is an
      achievable rate (an upper bound).

    Components with variance below 1e-12 of the largest are not coded (output independent of the
    component, with its law: rate 0, KL 0, distortion twice the variance, taken out of D); at
    most 1000 components.

    How it is solved: SLSQP over :math:`(w_i, v_i)` with :math:`\rho_i = \tanh w_i`,
    :math:`u_i = e^{v_i}`, analytic gradients; then the multipliers (λ, μ) of the two budget
    constraints are read from the stationarity conditions and the Lagrangian dual
    :math:`\sum_i \min_{\rho,u}[R_i + \lambda D_i + \mu\,\mathrm{KL}_i] - \lambda D - \mu P`
    (ρ in closed form, u by a grid and a bounded search) is returned as ``dual_bound``; the
    program is convex in the allocation (each scalar information RDP function is jointly
    convex in (D, P)), so the gap closes at the optimum.

    Examples
    --------
    >>> from rdptheory.bounds.gaussian_kl_vector import gaussian_rdp_kl_vector
    >>> from rdptheory.bounds.closed_forms import gaussian_rdp_kl
    >>> r = gaussian_rdp_kl_vector(1.0, 0.02, [1.0, 1.0])
    >>> abs(r.rate - 2 * float(gaussian_rdp_kl(0.5, 0.01, direction="kl-reverse"))) < 1e-7
    True
    >>> bool(r.gap < 1e-7)
    True
    """
    if direction not in ("kl", "kl-reverse"):
        raise ValueError(f"direction must be 'kl' or 'kl-reverse'; got {direction!r}")
    lam_all = component_variances(variances, covariance)
    D = as_real_scalar(D, "D", lower=0.0, lower_open=True)
    P = as_real_scalar(P, "P", lower=0.0, allow_inf=True)
    check_unit(unit)
    f = unit_factor(unit)
    if not (lam_all > 0).any():
        raise ValueError("variances must have at least one positive entry")
    if lam_all.size > MAX_COMPONENTS:
        raise ValueError(f"variances must have at most {MAX_COMPONENTS} components (SLSQP's "
                         f"cost grows fast with their number); got {lam_all.size}")
    # components below 1e-12 of the largest variance are not coded: X̂_i independent of X_i with
    # the same law (rate 0, KL 0), which costs distortion 2·variance, taken out of D
    live = lam_all > NEGLIGIBLE * lam_all.max()
    spent = 2.0 * float(lam_all[~live].sum())
    if spent >= D:
        raise ValueError(f"D must exceed twice the total variance of the negligible components "
                         f"({spent:.3g}); got {D!r}")
    D = D - spent
    s = lam_all[live]
    m = s.size
    Dn, scale = D / s.sum(), s.sum()
    s_n = s / scale                                    # distortion constraint scaled to O(1)
    from scipy import optimize
    from .closed_forms import gaussian_rdp_kl

    # start: D split like reverse water-filling, P split evenly, each from the scalar formula
    theta = rate_distortion_vector(D, s).water_level
    Di0 = np.clip(np.minimum(theta, s), 1e-12 * s, None)
    Pfin = P if np.isfinite(P) else 1e6
    Pi0 = np.full(m, Pfin / m)
    R0 = np.asarray(gaussian_rdp_kl(Di0, Pi0, s, direction=direction, unit="nats"), float)
    rho0 = np.sqrt(-np.expm1(-2.0 * np.clip(R0, 1e-6, 30.0)))
    u0 = np.clip(1.0 - Di0 / s, 1e-3, None)
    z0 = np.concatenate([np.arctanh(np.minimum(rho0, 1 - 1e-12)), np.log(u0)])

    def fun(z):
        t = _terms(z, s_n, direction)
        return float(t[0].sum()), np.concatenate([t[3], np.zeros(m)])

    def c_dist(z):
        _, d, *_ = _terms(z, s_n, direction)
        return Dn - d.sum()

    def j_dist(z):
        _, _, _, _, gw, gv, _ = _terms(z, s_n, direction)
        return -np.concatenate([gw, gv])

    cons = [{"type": "ineq", "fun": c_dist, "jac": j_dist}]
    if np.isfinite(P) and P > 0.0:
        cons.append({"type": "ineq", "fun": lambda z: P - _kl(z[m:], direction).sum(),
                     "jac": lambda z: -np.concatenate([np.zeros(m), _dkl(z[m:], direction)])})
    # P = 0 forces every output variance to the source's (v = 0)
    v_bound = (0.0, 0.0) if P == 0.0 else (-40.0, 40.0)
    if P == 0.0:
        z0[m:] = 0.0
    bounds = [(0.0, 20.0)] * m + [v_bound] * m
    res = optimize.minimize(fun, z0, jac=True, method="SLSQP", bounds=bounds, constraints=cons,
                            options={"ftol": 1e-15, "maxiter": 2000})
    z = res.x
    r, d, kl, g_r, g_dw, g_dv, g_kv = _terms(z, s_n, direction)
    lam_n, mu = _multipliers(z, g_r, g_dw, g_dv, g_kv, bounds, Dn - d.sum(),
                             (P - kl.sum()) if np.isfinite(P) else np.inf)
    fixed_v = np.isfinite(P) and P == 0.0
    dual = sum(_inner_min(si, lam_n, mu, direction, fixed_v=fixed_v) for si in s_n) - lam_n * Dn
    if np.isfinite(P) and not fixed_v:
        dual -= mu * P
    rate = float(r.sum())
    n_out = np.zeros_like(lam_all)
    dist = np.where(live, 0.0, 2.0 * lam_all)
    perc = n_out.copy()
    rates = n_out.copy()
    outv = np.where(live, 0.0, lam_all)             # uncoded components keep their law
    dist[live], perc[live], rates[live], outv[live] = d * scale, kl, r * f, s * np.exp(z[m:])
    feasible = c_dist(z) >= -1e-9 * max(Dn, 1.0) and (not np.isfinite(P) or
                                                       kl.sum() <= P + 1e-9 * max(P, 1.0))
    return VectorRdpKl(rate=rate * f, dual_bound=dual * f, gap=(rate - dual) * f,
                       distortions=dist, perceptions=perc, rates=rates, output_variances=outv,
                       direction=direction, converged=bool(feasible and (rate - dual) < 1e-6),
                       unit=unit)

