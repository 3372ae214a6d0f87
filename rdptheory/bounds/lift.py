r"""From a coupling of the discretized source back to a scheme for the continuous source.

The solver (:func:`rdptheory.bounds.rdp_bracket`) works on a grid: cell i of the continuous
source carries its probability :math:`p_i` and sits at its conditional mean :math:`x_i`. Its
upper bracket is the exact mutual information of a coupling :math:`\pi_{ij}` of the *grid*. That
coupling is turned into a channel for the *continuous* source without losing exactness:

* the encoder maps X to its cell i (a deterministic function of X);
* the channel draws j with probability :math:`\pi_{ij}/p_i`;
* the decoder outputs X̂ drawn from the law of X conditioned on cell j (a truncated normal for
  the Gaussian grid), independently of everything else.

Then, exactly:

* :math:`I(X;\hat X) = I(i;j)` (X determines i and X̂ determines j, the cells being disjoint);
* the output density is :math:`q_j\,f_X(x)/p_j` on cell j (:math:`q = \pi^\top 1`), so every
  f-divergence between :math:`P_X` and :math:`P_{\hat X}` equals the discrete one — in
  particular both KL directions and total variation;
* :math:`E(X-\hat X)^2 = \sum_{ij}\pi_{ij}(x_i-x_j)^2 + \sum_i p_i v_i + \sum_j q_j v_j`, with
  :math:`v_i` the conditional variance of cell i (cross terms vanish: the cell means are the grid
  points, and X, X̂ are conditionally independent given (i, j)).

So the lifted scheme is a *certified achievable point* (rate, distortion, perception) of the
continuous source's information RDP function, with no discretization error left (W2² is not an
f-divergence and is not lifted here).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import unit_factor
from ._perception import perception_value
from ._solver import RdpBracket, _mutual_information
from .sources import DiscreteSource

__all__ = ["LiftedScheme", "lift_coupling"]

#: perception measures whose value the lift preserves exactly (f-divergences)
LIFTABLE = ("kl", "kl-reverse", "tv", "none")


@dataclass(frozen=True)
class LiftedScheme:
    """An achievable point of the continuous source: ``rate`` (I(X; X̂), in ``unit``),
    ``distortion`` (E(X − X̂)²) and ``perception`` (the divergence named ``measure``), each exact
    for the lifted channel; ``grid_distortion`` is the coupling's distortion on the grid."""

    rate: float
    distortion: float
    perception: float
    measure: str
    grid_distortion: float
    unit: str


def lift_coupling(source, bracket):
    """Lift the coupling behind ``bracket.upper`` to the continuous source (module docstring).

    Parameters
    ----------
    source : DiscreteSource
        The grid the bracket was computed on; it must carry ``cell_variances``
        (:func:`rdptheory.bounds.sources.gaussian` does).
    bracket : RdpBracket
        From :func:`rdptheory.bounds.rdp_bracket` on ``source`` with squared error and
        ``perception`` in ``'kl'``, ``'kl-reverse'``, ``'tv'`` or ``'none'``.

    Returns
    -------
    LiftedScheme

    Examples
    --------
    >>> from rdptheory.bounds import rdp_bracket, sources
    >>> from rdptheory.bounds.lift import lift_coupling
    >>> src = sources.gaussian(n=200)
    >>> b = rdp_bracket(src, 0.5, 0.01, perception="kl-reverse")
    >>> s = lift_coupling(src, b)
    >>> bool(abs(s.rate - b.upper) < 1e-12 and s.perception <= 0.01 * (1 + 1e-9))
    True
    >>> round(s.distortion - s.grid_distortion, 5)      # two cell variances, about 2 h²/12
    0.00135
    """
    if not isinstance(source, DiscreteSource):
        raise ValueError(f"source must be a DiscreteSource; got {type(source).__name__}")
    if not isinstance(bracket, RdpBracket) or bracket.coupling is None:
        raise ValueError("bracket must be an RdpBracket carrying its coupling (rdp_bracket)")
    if source.cell_variances is None:
        raise ValueError("source must carry cell_variances (e.g. sources.gaussian); "
                         f"{source.name} does not")
    if bracket.perception not in LIFTABLE or bracket.distortion != "mse":
        raise ValueError(f"only squared error with perception in {LIFTABLE} is lifted exactly; "
                         f"got distortion {bracket.distortion!r}, perception "
                         f"{bracket.perception!r}")
    pi = np.asarray(bracket.coupling, dtype=float)
    n = len(source)
    if pi.shape != (n, n) or bracket.n != n:
        raise ValueError(f"the bracket was computed on a support of {bracket.n} points, the "
                         f"source has {n}")
    p, x, v = source.probs, source.points, source.cell_variances
    if not np.allclose(pi.sum(axis=1), p, rtol=1e-9, atol=1e-300):
        raise ValueError("the coupling's first marginal is not the source's law")
    q = pi.sum(axis=0)
    grid_d = float(np.sum(pi * (x[:, None] - x[None, :]) ** 2))
    dist = grid_d + float(p @ v) + float(q @ v)
    perc = perception_value(bracket.perception, x, p, q)
    rate = _mutual_information(pi) * unit_factor(bracket.unit)
    return LiftedScheme(float(rate), dist, float(perc), bracket.perception, grid_d, bracket.unit)
