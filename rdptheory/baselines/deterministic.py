"""Deterministic NTC with a perception penalty: the coder of Fig. 7b of Lei, Hassani & Saeedi
Bidokhti (NeurIPS 2025, arXiv:2503.17558) that has no dither at all, x̂ = S(Q_Λ(Ax)).

It is :class:`rdptheory.ltc.dithered.DitheredLTC` with the private dither switched off (scale
s = 0, not trained), trained on the same loss rate + λ·D + μ·SW₂² by
:func:`rdptheory.ltc.dithered.train_dithered` (straight-through quantizer) and evaluated by
:func:`rdptheory.ltc.dithered.evaluate_dithered`.

Why it cannot reach low perception at low rate (n = 1): x̂ = f(X) with f non-decreasing (a
quantizer followed by a positive gain) pushes N(0, σ²) forward monotonically, and the monotone
coupling is the optimal one in one dimension, so W₂²(P_X, P_X̂) = E(X − f(X))² = D ≥ D(R) =
σ²2^(−2R) (Shannon's distortion-rate bound), whatever the perception weight μ.
"""
from __future__ import annotations

import functools

import numpy as np

from ..ltc.dithered import DitheredLTC, evaluate_dithered, train_dithered

__all__ = ["DeterministicNTC", "NoisyProxyPD", "run_perception_ntc"]


class DeterministicNTC(DitheredLTC):
    """x̂ = S(Q_Λ(Ax)): a :class:`DitheredLTC` ('pd' layout) whose private dither scale is 0
    and excluded from the trained parameters.

    Examples
    --------
    >>> from rdptheory.baselines.deterministic import DeterministicNTC
    >>> m = DeterministicNTC("Z1", rng=0)
    >>> m.s, sorted(m.params)
    (0.0, ['analysis', 'entropy', 'synthesis'])
    """

    def __init__(self, lattice, *, gain=1.0, init_noise=0.1, rng=None):
        super().__init__("pd", lattice, gain=gain, init_noise=init_noise, rng=rng)
        self.private = {"log_s": np.array([-np.inf])}

    @property
    def params(self):
        return {"analysis": self.analysis.params, "entropy": self.entropy_model.params,
                "synthesis": self.synthesis.params}

    def __repr__(self):
        return f"DeterministicNTC({self.lattice.name!r})"


#: Coders :func:`run_perception_ntc` trains.
KINDS = ("deterministic", "sd", "pd", "pd-noise")


@functools.lru_cache(maxsize=64)
def run_perception_ntc(kind, lattice, lam, mu, *, steps=400, batch_size=512,
                       eval_samples=10_000, seed=0):
    """Train and evaluate a perception-penalized NTC once per process and arguments.

    ``kind`` is 'deterministic' (:class:`DeterministicNTC`), 'sd' (shared-dither SD-NTC),
    'pd' (private-dither PD-NTC trained with the straight-through estimator, both
    :class:`~rdptheory.ltc.dithered.DitheredLTC`) or 'pd-noise' (:class:`NoisyProxyPD`).
    Returns a
    :class:`~rdptheory.ltc.dithered.DitheredEvaluation`.
    """
    from .._parallel import as_seed_sequence
    from ..ltc.experiments import initial_gain
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")
    init_ss, train_ss, eval_ss = as_seed_sequence(seed).spawn(3)
    gain = initial_gain(lattice, lam)
    if kind == "deterministic":
        m = DeterministicNTC(lattice, gain=gain, rng=init_ss)
    elif kind == "pd-noise":
        m = NoisyProxyPD(lattice, gain=gain, rng=init_ss)
    else:
        m = DitheredLTC(kind, lattice, gain=gain, rng=init_ss)
    train_dithered(m, lam, mu, steps=steps, batch_size=batch_size, rng=train_ss)
    return evaluate_dithered(m, n_samples=eval_samples, rng=eval_ss)


class NoisyProxyPD(DitheredLTC):
    """PD-NTC ('pd' scheme) trained with the additive-noise proxy instead of the
    straight-through estimator: in training ŷ = Q_Λ(y) is replaced by y + e, e ~ Unif(V0(Λ))
    (Ballé et al. 2017); at evaluation it is the same hard-quantizing PD-NTC. Fig. 12 of Lei,
    Hassani & Saeedi Bidokhti (NeurIPS 2025) compares the two training proxies.

    Examples
    --------
    >>> from rdptheory.baselines.deterministic import NoisyProxyPD
    >>> NoisyProxyPD("Z1", rng=0).scheme
    'pd'
    """

    def __init__(self, lattice, *, gain=1.0, init_noise=0.1, rng=None):
        super().__init__("pd", lattice, gain=gain, init_noise=init_noise, rng=rng)

    def code(self, x, rng=None, *, train=False):
        if not train:
            return super().code(x, rng)
        from .._parallel import as_generator
        from ..dither import sample_voronoi
        g = as_generator(rng)
        y, _ = self.analysis.forward(x)
        center = y + sample_voronoi(self.lattice, y.shape[0], g)
        up = self._private_dither(y.shape[0], g)
        return center, center + self.s * up, up

    def __repr__(self):
        return f"NoisyProxyPD({self.lattice.name!r})"
