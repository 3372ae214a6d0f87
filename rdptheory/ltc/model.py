"""Lattice transform coding: analysis transform, lattice quantizer, entropy model, synthesis.

    y = g_a(x),  ŷ = Q_Λ(y),  x̂ = g_s(ŷ),  rate = −log₂ P(ŷ) / n,  D = ‖x − x̂‖² / n,
    loss = rate + λ·D   (bits and squared error per scalar sample).

NTC is the case Λ = Zⁿ. Source: Lei, Hassani & Saeedi Bidokhti, "Approaching Rate-Distortion
Limits in Neural Compression with Lattice Transform Coding", ICLR 2025 (arXiv 2403.07320).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._parallel import as_generator
from .._validation import as_real_array, check_integer
from .entropy_models import FactorizedMixture, GaussianDensity
from .quantizer import LatticeQuantizer
from .transforms import MLP, Linear

__all__ = ["LTC", "LossTerms", "make_ltc", "TRAIN_MODES"]

_LN2 = math.log(2.0)

#: How the quantizer is applied in training: for the rate term and for the distortion term.
TRAIN_MODES = {"ste": ("ste", "ste"), "noise": ("noise", "noise"), "mixed": ("noise", "ste")}


@dataclass(frozen=True)
class LossTerms:
    """One mini-batch: ``loss`` = ``rate`` + λ·``distortion`` (bits and MSE per scalar)."""

    loss: float
    rate: float
    distortion: float


class LTC:
    r"""A lattice transform coder (NTC when the lattice is Zⁿ).

    Parameters
    ----------
    analysis, synthesis : transform
        Objects with ``params``, ``forward`` and ``backward`` (:mod:`rdptheory.ltc.transforms`).
    quantizer : LatticeQuantizer
    entropy_model : GaussianDensity or FactorizedMixture

    Notes
    -----
    :meth:`loss_and_grads` returns the mini-batch loss rate + λ·D and its gradient with
    respect to every parameter, by reverse mode through g_s, the quantizer (straight-through
    or additive noise, see :data:`TRAIN_MODES`), the Monte Carlo cell probability and g_a.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc import make_ltc
    >>> m = make_ltc("E8", 8, rng=0)
    >>> terms, grads = m.loss_and_grads(np.random.default_rng(1).normal(size=(64, 8)), 8.0,
    ...                                 rng=2)
    >>> sorted(grads), terms.rate > 0
    (['analysis', 'entropy', 'synthesis'], True)
    """

    def __init__(self, analysis, quantizer, entropy_model, synthesis):
        n = quantizer.dimension
        if analysis.n_out != n or synthesis.n_in != n or entropy_model.n != n:
            raise ValueError(f"the latent dimension must equal the lattice dimension {n}: "
                             f"analysis outputs {analysis.n_out}, synthesis takes "
                             f"{synthesis.n_in}, entropy model has {entropy_model.n}")
        if synthesis.n_out != analysis.n_in:
            raise ValueError(f"synthesis must output the source dimension {analysis.n_in}; "
                             f"got {synthesis.n_out}")
        self.analysis, self.quantizer = analysis, quantizer
        self.entropy_model, self.synthesis = entropy_model, synthesis
        self.n = analysis.n_in

    @property
    def params(self):
        """Nested dict of parameter arrays (the optimizer updates them in place)."""
        return {"analysis": self.analysis.params, "entropy": self.entropy_model.params,
                "synthesis": self.synthesis.params}

    @property
    def lattice(self):
        return self.quantizer.lattice

    def _check_x(self, x):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.n:
            raise ValueError(f"x must have shape (B, {self.n}); got {x.shape}")
        if not np.isfinite(x).all():
            raise ValueError("x must be finite")
        return x

    def loss_and_grads(self, x, lam, *, mode="ste", cell_samples=2048, rng=None):
        """Mini-batch loss and its gradients (see Notes of the class).

        Parameters
        ----------
        x : array_like (B, n)
        lam : float
            λ > 0.
        mode : {'ste', 'noise', 'mixed'}
            Quantizer proxy for (rate, distortion): both straight-through, both additive
            noise, or noise for the rate and straight-through for the distortion.
        cell_samples : int
            M >= 1 uniform cell samples for the cell probability (>= 2048 recommended).
        rng : int, Generator or None
            Cell samples and additive noise.

        Returns
        -------
        LossTerms, dict
        """
        x = self._check_x(x)
        lam = float(as_real_array(lam, "lam", lower=0.0, lower_open=True))
        if mode not in TRAIN_MODES:
            raise ValueError(f"mode must be one of {tuple(TRAIN_MODES)}; got {mode!r}")
        M = check_integer(cell_samples, "cell_samples", lower=1)
        g = as_generator(rng)
        rate_mode, dist_mode = TRAIN_MODES[mode]
        B = x.shape[0]
        y, ca = self.analysis.forward(x)
        yq = {m: self.quantizer.quantize(y, m, g) for m in {rate_mode, dist_mode}}
        cells = self.quantizer.sample_cell(M, g)
        cp = self.entropy_model.cell_log_probability(yq[rate_mode], cells, self.quantizer.volume,
                                                     grad=True)
        xh, cs = self.synthesis.forward(yq[dist_mode])
        err = xh - x
        rate = float(-cp.logp.mean() / (self.n * _LN2))
        dist = float((err * err).sum() / (B * self.n))
        # reverse mode
        g_logp = np.full(B, -1.0 / (B * self.n * _LN2))
        gy_rate, g_ent = self.entropy_model.cell_backward(cp.cache, g_logp)
        g_xh = (2.0 * lam / (B * self.n)) * err
        gy_dist, g_syn = self.synthesis.backward(cs, g_xh)
        gy = (self.quantizer.backward(gy_rate, rate_mode)
              + self.quantizer.backward(gy_dist, dist_mode))
        _, g_ana = self.analysis.backward(ca, gy)
        terms = LossTerms(loss=rate + lam * dist, rate=rate, distortion=dist)
        return terms, {"analysis": g_ana, "entropy": g_ent, "synthesis": g_syn}

    def encode(self, x):
        """ŷ = Q_Λ(g_a(x)) (hard quantization), shape (B, n)."""
        y, _ = self.analysis.forward(self._check_x(x))
        return self.quantizer.quantize(y, "hard")

    def decode(self, yhat):
        """x̂ = g_s(ŷ)."""
        return self.synthesis.forward(yhat)[0]

    def __repr__(self):
        return (f"LTC(n={self.n}, lattice={self.quantizer.lattice.name!r}, "
                f"analysis={self.analysis!r}, entropy={self.entropy_model!r})")


def make_ltc(lattice, n, *, transform="linear", hidden=(32, 32), entropy="gaussian",
             components=3, kind="logistic", gain=1.0, init_noise=0.1, rng=None):
    r"""Build an LTC for blocks of length ``n`` (NTC with ``lattice='Z<n>'``).

    Parameters
    ----------
    lattice : str or Lattice
        Latent quantizer (scaled to unit cell volume); its dimension must equal ``n``.
    n : int
        Source block length.
    transform : {'linear', 'mlp'}
        Bias-free linear maps (optimal for i.i.d. Gaussian blocks) or MLPs with softplus and a
        linear skip connection (sizes ``(n, *hidden, n)``).
    hidden : tuple of int
        MLP hidden widths.
    entropy : {'gaussian', 'mixture'}
        :class:`GaussianDensity` or :class:`FactorizedMixture` (``components``, ``kind``).
    gain : float
        Initial analysis map ``gain``·(I + ``init_noise``·Z/√n) (Z standard normal), synthesis
        1/``gain``·I, latent scale ``gain``: a perturbed isotropic start that training must
        straighten out.
    rng : int, Generator or None
        Initialization.

    Examples
    --------
    >>> from rdptheory.ltc import make_ltc
    >>> make_ltc("A2", 2, transform="mlp", hidden=(8,), rng=0)
    LTC(n=2, lattice='A2', analysis=MLP((2, 8, 2), skip=True), entropy=GaussianDensity(2))
    """
    q = LatticeQuantizer(lattice)
    n = check_integer(n, "n", lower=1)
    if q.dimension != n:
        raise ValueError(f"lattice {q.lattice.name} has dimension {q.dimension}, but n = {n}; "
                         f"the lattice dimension must equal the block length n")
    if transform not in ("linear", "mlp"):
        raise ValueError(f"transform must be 'linear' or 'mlp'; got {transform!r}")
    if entropy not in ("gaussian", "mixture"):
        raise ValueError(f"entropy must be 'gaussian' or 'mixture'; got {entropy!r}")
    gain = float(as_real_array(gain, "gain", lower=0.0, lower_open=True))
    init_noise = float(as_real_array(init_noise, "init_noise"))
    g = as_generator(rng)
    A = gain * (np.eye(n) + init_noise * g.normal(size=(n, n)) / math.sqrt(n))
    if transform == "linear":
        ana = Linear(n, n, weight=A)
        syn = Linear(n, n, weight=np.eye(n) / gain)
    else:
        sizes = (n, *hidden, n)
        ana = MLP(sizes, rng=g)
        ana.params["S"] = A
        syn = MLP(sizes, rng=g, skip_gain=1.0 / gain)
    if entropy == "gaussian":
        em = GaussianDensity(n, scale=gain)
    else:
        em = FactorizedMixture(n, components=components, kind=kind, scale=gain)
    return LTC(ana, q, em, syn)
