r"""Perception measures between two distributions on the same finite support, and the
conjugates the dual bound needs.

For a convex perception function :math:`\Phi(q)` of the reconstruction law :math:`q` (the source
law :math:`p` fixed) and a multiplier :math:`\mu \ge 0`, the solver needs

.. math:: h_\mu(\psi) = \sup_{q \in \Delta} \big[\langle \psi, q\rangle - \mu\,\Phi(q)\big],

together with its gradient in :math:`\psi` (a maximizing :math:`q`) and in :math:`\mu`
(:math:`-\Phi(q)`). ``conjugate(..., eps=0)`` returns the exact value; ``eps > 0`` returns a
smooth *upper* bound (soft maxima), so a dual value computed with it is still a valid lower bound.
"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp, expit

__all__ = ["PERCEPTIONS", "perception_value", "conjugate", "w2_squared_1d", "total_variation",
           "kl_divergence"]

PERCEPTIONS = ("none", "w2", "tv", "kl", "kl-reverse")


def w2_squared_1d(x, p, y, q):
    r"""Squared 2-Wasserstein distance between two finite laws on the real line (exact).

    Uses the quantile (monotone) coupling, optimal in one dimension:
    :math:`W_2^2 = \int_0^1 (F_p^{-1}(t) - F_q^{-1}(t))^2\,dt`, summed exactly over the
    breakpoints of both cumulative distribution functions. ``x`` and ``y`` must be sorted.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.bounds import w2_squared_1d
    >>> x = np.array([0.0, 1.0])
    >>> float(w2_squared_1d(x, np.array([0.5, 0.5]), x, np.array([1.0, 0.0])))
    0.5
    """
    cp = np.cumsum(p)
    cq = np.cumsum(q)
    cp[-1] = cq[-1] = 1.0
    t = np.union1d(cp, cq)
    t = np.concatenate(([0.0], t[t <= 1.0]))
    w = np.diff(t)
    mid = 0.5 * (t[:-1] + t[1:])
    i = np.minimum(np.searchsorted(cp, mid), len(x) - 1)
    j = np.minimum(np.searchsorted(cq, mid), len(y) - 1)
    return float(np.dot(w, (x[i] - y[j]) ** 2))


def total_variation(p, q):
    """Total variation distance ``0.5 * sum |p - q|``."""
    return float(0.5 * np.abs(np.asarray(p) - np.asarray(q)).sum())


def kl_divergence(p, q):
    """:math:`D(p\\|q) = \\sum p \\log(p/q)` in nats (``inf`` if q = 0 where p > 0)."""
    p, q = np.asarray(p), np.asarray(q)
    m = p > 0
    if np.any(q[m] <= 0):
        return np.inf
    return float(np.dot(p[m], np.log(p[m] / q[m])))


def perception_value(kind, points, p, q):
    r"""Exact :math:`\Phi(q)` for reconstruction law ``q`` on ``points`` (source law ``p``).

    ``'w2'``: :math:`W_2^2(p, q)`; ``'tv'``: total variation; ``'kl'``: :math:`D(p\|q)`;
    ``'kl-reverse'``: :math:`D(q\|p)`; ``'none'``: 0.
    """
    if kind == "none":
        return 0.0
    if kind == "w2":
        return w2_squared_1d(points, p, points, q)
    if kind == "tv":
        return total_variation(p, q)
    if kind == "kl":
        return kl_divergence(p, q)
    if kind == "kl-reverse":
        return kl_divergence(q, p)
    raise ValueError(f"perception must be one of {PERCEPTIONS}; got {kind!r}")


def _soft_max(v, eps):
    if eps == 0:
        j = int(np.argmax(v))
        g = np.zeros_like(v)
        g[j] = 1.0
        return float(v[j]), g
    z = v / eps
    lse = logsumexp(z)
    return float(eps * lse), np.exp(z - lse)


def _conj_w2(psi, mu, p, cost, eps):
    # h = sum_k p_k max_j (psi_j - mu c_kj)   (c-transform)
    M = psi[None, :] - mu * cost
    if eps == 0:
        jm = np.argmax(M, axis=1)
        val = float(np.dot(p, M[np.arange(len(p)), jm]))
        q = np.bincount(jm, weights=p, minlength=len(psi))
        dmu = -float(np.dot(p, cost[np.arange(len(p)), jm]))
        return val, q, dmu
    Z = M / eps
    lse = logsumexp(Z, axis=1)
    S = np.exp(Z - lse[:, None]) * p[:, None]
    return float(eps * np.dot(p, lse)), S.sum(axis=0), -float(np.sum(S * cost))


def _conj_tv(psi, mu, p, eps):
    # h = sum_j p_j max(psi_j, M - mu), M = max psi
    Mx, sig = _soft_max(psi, eps)
    t = Mx - mu
    if eps == 0:
        tau = (psi >= t).astype(float)
        m = np.maximum(psi, t)
    else:
        m = eps * np.logaddexp(psi / eps, t / eps)
        tau = expit((psi - t) / eps)
    rest = float(np.dot(p, 1.0 - tau))
    return float(np.dot(p, m)), p * tau + rest * sig, -rest


def _conj_kl_reverse(psi, mu, p):
    # h = mu log sum_j p_j exp(psi_j / mu)   (conjugate of mu D(q||p))
    pos = p > 0
    z = psi[pos] / mu + np.log(p[pos])
    lse = logsumexp(z)
    q = np.zeros_like(psi)
    q[pos] = np.exp(z - lse)
    kl = float(np.dot(q[pos], psi[pos] / mu - lse))
    return float(mu * lse), q, -kl


def _conj_kl(psi, mu, p):
    # h = min_{nu > max psi} nu - mu + mu sum p_j log(mu / (nu - psi_j)); any nu gives an upper
    # bound (weak duality), the minimizing nu the exact value.
    M = float(np.max(psi))
    lo = M + mu * float(np.max(p)) * (1 - 1e-12)
    hi = M + mu * (1 + 1e-12)

    def g(nu):  # sum q - 1, decreasing and convex in nu
        return float(np.sum(mu * p / (nu - psi))) - 1.0

    nu = lo
    for _ in range(100):
        gv = g(nu)
        if abs(gv) < 1e-14:
            break
        dg = -float(np.sum(mu * p / (nu - psi) ** 2))
        step = nu - gv / dg
        if not (lo <= step <= hi):
            step = 0.5 * (lo + hi)
        if gv > 0:
            lo = nu
        else:
            hi = nu
        nu = min(max(step, lo), hi) if step != nu else step
        if hi - lo < 1e-16 * max(1.0, abs(nu)):
            break
    d = nu - psi
    q = mu * p / d
    val = nu - mu + mu * float(np.dot(p, np.log(mu / d)))
    pos = p > 0
    qs = q / q.sum()
    return val, qs, -float(np.dot(p[pos], np.log(p[pos] / qs[pos])))


def conjugate(kind, psi, mu, p, cost=None, eps=0.0):
    r"""Value and gradients of :math:`h_\mu(\psi)` (see module docstring).

    Returns ``(h, q, dh_dmu)``. With ``eps > 0`` the soft-max version, an upper bound on the exact
    value, is returned for ``'none'``, ``'w2'`` and ``'tv'`` (the KL conjugates are smooth).
    """
    if kind == "none" or (mu <= 0.0 and kind in ("kl", "kl-reverse")):
        v, g = _soft_max(psi, eps)
        return v, g, 0.0
    if kind == "w2":
        return _conj_w2(psi, mu, p, cost, eps)
    if kind == "tv":
        return _conj_tv(psi, mu, p, eps)
    if kind == "kl-reverse":
        return _conj_kl_reverse(psi, mu, p)
    if kind == "kl":
        return _conj_kl(psi, mu, p)
    raise ValueError(f"perception must be one of {PERCEPTIONS}; got {kind!r}")
