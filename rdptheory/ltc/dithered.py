"""Dithered LTC trained with a perception penalty: SD (shared dither), PD (private dither) and
QSD (quantized shared dither, nesting ratio Γ) on i.i.d. blocks (Lei, Hassani & Saeedi Bidokhti,
NeurIPS 2025).

Linear analysis y = A x and synthesis x̂ = S(·), a Gaussian latent density integrated over the
coarse lattice's cells, loss rate + λ·D + μ·SW₂², with SW₂² the per-dimension sliced squared
Wasserstein-2 distance between the mini-batch of reconstructions and a fresh source batch:

* SD-LTC: c = Q_Λ(y − u), x̂ = S(c + u), u ~ Unif(V0(Λ)) shared. By the crypto lemma
  c + u = y + e with e uniform on the cell and independent of y, so training uses y + e exactly
  and the rate is H(c | u) = E −log₂ P(c + u + V0) (the noisy proxy *is* the rate).
* PD-LTC: ŷ = Q_Λ(y) (straight-through in training), x̂ = S(ŷ + s·u), u ~ Unif(V0(Λ)) private
  to the decoder, s = exp(log_s) learned; rate H(ŷ).
* QSD-LTC: Λ = Γ·Λ_f; û uniform over the Γⁿ coset representatives of Λ_f/Λ (shared),
  u_f ~ Unif(V0(Λ_f)) private; c = Q_Λ(y − û), x̂ = S(c + û + s·u_f); rate H(c | û) =
  E −log₂ P(c + û + V0(Λ)) (not the noisy proxy). Γ = 1 is PD-LTC.

Source: Lei, Hassani & Saeedi Bidokhti, "Optimal Neural Compressors for the
Rate-Distortion-Perception Tradeoff" (NeurIPS 2025, arXiv 2503.17558).
"""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import numpy as np

from .._parallel import as_generator, as_seed_sequence
from .._validation import as_real_array, check_integer
from ..dither import sample_voronoi
from ..lattices import as_lattice
from .entropy_models import GaussianDensity
from .sources import get_source
from .train import Adam
from .transforms import Linear

__all__ = ["DitheredLTC", "DitheredEvaluation", "train_dithered", "evaluate_dithered",
           "sliced_w2_loss", "DitheredExperiment", "DITHERED_SCHEMES", "run_dithered",
           "normalized_distortion_db"]

_LN2 = math.log(2.0)
SCHEMES = ("sd", "pd", "qsd")


def sliced_w2_loss(xh, ref, directions):
    """Sliced W₂² (per dimension) between two equal-size samples and its gradient w.r.t. ``xh``.

    SW = mean_k mean_r (sort(xh θ_k)_r − sort(ref θ_k)_r)² over unit directions θ_k (rows of
    ``directions``); the gradient moves each projected point toward its sorted partner.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.dithered import sliced_w2_loss
    >>> x = np.random.default_rng(0).normal(size=(500, 2))
    >>> th = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> v, g = sliced_w2_loss(2 * x, x, th)      # sort(2x) − sort(x) = sort(x) per axis
    >>> bool(np.isclose(v, (x ** 2).mean())), g.shape
    (True, (500, 2))
    """
    B = xh.shape[0]
    a = xh @ directions.T                  # (B, K)
    b = np.sort(ref @ directions.T, axis=0)
    order = np.argsort(a, axis=0)
    diff = np.take_along_axis(a, order, axis=0) - b
    K = directions.shape[0]
    val = float((diff * diff).mean())
    ga = np.empty_like(a)
    np.put_along_axis(ga, order, 2.0 * diff / (B * K), axis=0)
    return val, ga @ directions


class DitheredLTC:
    r"""A dithered lattice transform coder with linear transforms (see the module notes).

    Parameters
    ----------
    scheme : {'sd', 'pd', 'qsd'}
    lattice : str or Lattice
        The coarse quantizer Λ (scaled to unit cell volume); dimension = n.
    ratio : int
        Γ for 'qsd' (>= 1; 1 is PD).
    gain : float
        Initial analysis gain (A = gain·(I + 0.1·Z/√n)), synthesis 1/gain.
    s : float, optional
        Initial private-dither scale (PD, QSD; default 1), then learned as exp(log_s). A fixed
        broken scale is obtained by not training ``private`` (e.g. s = 0.75 for holes).
    rng : int, Generator or None

    Examples
    --------
    >>> from rdptheory.ltc.dithered import DitheredLTC
    >>> DitheredLTC("qsd", "E8", ratio=3, rng=0)
    DitheredLTC('qsd', 'E8', ratio=3)
    """

    def __init__(self, scheme, lattice, *, ratio=1, gain=1.0, init_noise=0.1, s=None, rng=None):
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES}; got {scheme!r}")
        self.scheme = scheme
        self.ratio = check_integer(ratio, "ratio", lower=1)
        if scheme != "qsd" and self.ratio != 1:
            raise ValueError("ratio applies to scheme 'qsd' only")
        L = as_lattice(lattice).with_volume(1.0)
        self.lattice = L
        n = self.n = L.dimension
        self.nested = None
        if scheme == "qsd" and self.ratio > 1:
            from ..nested import nested
            self.nested = nested(L.scaled(1.0 / self.ratio), self.ratio)
        gain = float(as_real_array(gain, "gain", lower=0.0, lower_open=True))
        g = as_generator(rng)
        A = gain * (np.eye(n) + init_noise * g.normal(size=(n, n)) / math.sqrt(n))
        self.analysis = Linear(n, n, weight=A)
        self.synthesis = Linear(n, n, weight=np.eye(n) / gain)
        self.entropy_model = GaussianDensity(n, scale=gain)
        s0 = 1.0 if s is None else float(as_real_array(s, "s", lower=0.0, lower_open=True))
        self.private = {"log_s": np.array([math.log(s0)])}   # learned from s0 (default 1)

    @property
    def params(self):
        p = {"analysis": self.analysis.params, "entropy": self.entropy_model.params,
             "synthesis": self.synthesis.params}
        if self.scheme != "sd":
            p["private"] = self.private
        return p

    @property
    def s(self):
        return float(np.exp(self.private["log_s"][0]))

    def _private_dither(self, size, g):
        if self.nested is not None:
            return sample_voronoi(self.nested.fine, size, g)
        return sample_voronoi(self.lattice, size, g)

    def code(self, x, rng=None, *, train=False):
        """(rate centers, decoder input before synthesis, private dither) for source blocks
        ``x``: the rate of each block is −log₂ P(center + V0(Λ)). In training the quantizer is
        straight-through (SD uses the exact y + e of the crypto lemma)."""
        g = as_generator(rng)
        y, _ = self.analysis.forward(x)
        B = y.shape[0]
        if self.scheme == "sd":
            u = sample_voronoi(self.lattice, B, g)
            if train:
                center = y + u                              # = Q(y − u) + u in distribution
            else:
                center = self.lattice.nearest_point(y - u) + u
            return center, center, None
        shared = (self.nested.sample_representatives(B, g) if self.nested is not None
                  else np.zeros_like(y))
        c = self.lattice.nearest_point(y - shared)
        center = c + shared
        up = self._private_dither(B, g)
        return center, center + self.s * up, up

    def __repr__(self):
        r = f", ratio={self.ratio}" if self.scheme == "qsd" else ""
        return f"DitheredLTC({self.scheme!r}, {self.lattice.name!r}{r})"


def _loss_and_grads(m, x, ref, lam, mu, M, K, g):
    B, n = x.shape
    center, dec_in, up = m.code(x, g, train=True)
    cells = sample_voronoi(m.lattice, M, g)
    cp = m.entropy_model.cell_log_probability(center, cells, 1.0, grad=True)
    xh, cs = m.synthesis.forward(dec_in)
    err = xh - x
    rate = float(-cp.logp.mean() / (n * _LN2))
    dist = float((err * err).sum() / (B * n))
    th = g.normal(size=(K, n))
    th /= np.linalg.norm(th, axis=1, keepdims=True)
    perc, g_perc = sliced_w2_loss(xh, ref, th)
    g_xh = (2.0 * lam / (B * n)) * err + mu * g_perc
    g_dec, g_syn = m.synthesis.backward(cs, g_xh)
    gy_rate, g_ent = m.entropy_model.cell_backward(cp.cache, np.full(B, -1.0 / (B * n * _LN2)))
    grads = {"analysis": m.analysis.backward(x, gy_rate + g_dec)[1], "entropy": g_ent,
             "synthesis": g_syn}
    if m.scheme != "sd":
        grads["private"] = {"log_s": np.array([float((g_dec * up).sum()) * m.s])}
    return rate + lam * dist + mu * perc, rate, dist, perc, grads


def train_dithered(model, lam, mu=20.0, *, source="gaussian", steps=600, batch_size=512,
                   learning_rate=3e-3, cell_samples=2048, projections=64, rng=None,
                   progress=None):
    r"""Train a :class:`DitheredLTC` on rate + λ·D + μ·SW₂² (Adam, cosine decay to a tenth).

    ``mu`` weighs the perception penalty (large μ: P ≈ 0). Returns the per-step histories
    (loss, rate, distortion, perception) as a (4, steps) array and the wall time.

    Examples
    --------
    >>> from rdptheory.ltc.dithered import DitheredLTC, train_dithered
    >>> hist, t = train_dithered(DitheredLTC("pd", "Z1", rng=0), 4.0, steps=5, batch_size=64,
    ...                          rng=0)
    >>> hist.shape
    (4, 5)
    """
    src = get_source(source)
    lam = float(as_real_array(lam, "lam", lower=0.0, lower_open=True))
    mu = float(as_real_array(mu, "mu"))
    steps = check_integer(steps, "steps", lower=1)
    B = check_integer(batch_size, "batch_size", lower=2)
    M = check_integer(cell_samples, "cell_samples", lower=1)
    K = check_integer(projections, "projections", lower=1)
    g = np.random.default_rng(as_seed_sequence(rng))
    opt = Adam(model.params, learning_rate)
    lr0, lr1 = learning_rate, learning_rate / 10
    hist = np.empty((4, steps))
    t0 = time.perf_counter()
    for s in range(steps):
        x = src.sample(B, model.n, g)
        ref = src.sample(B, model.n, g)
        loss, rate, dist, perc, grads = _loss_and_grads(model, x, ref, lam, mu, M, K, g)
        opt.step(grads, lr1 + 0.5 * (lr0 - lr1) * (1 + math.cos(math.pi * s / steps)))
        hist[:, s] = loss, rate, dist, perc
        if progress is not None:
            progress(s + 1, steps, hist[:, s])
    return hist, time.perf_counter() - t0


@dataclass(frozen=True)
class DitheredEvaluation:
    """Held-out rate (bits/sample, cross-entropy of the cell pmf), distortion, perception
    (sliced W₂² per dimension, 256 directions, with its total SE), the learned private-dither
    scale ``s`` and the closed-form limits at the achieved distortion: R(D, 0) (unlimited
    common randomness), R(D/2, ∞) (none) and, for QSD, R(D, R_c = log₂Γ)."""

    scheme: str
    lattice: str
    ratio: int
    rate: float
    rate_stderr: float
    distortion: float
    distortion_stderr: float
    perception: float
    perception_stderr: float
    s: float
    rate_perfect_realism: float
    rate_no_common_randomness: float
    rate_limited_common_randomness: float
    perception_measurement: dict = None

    def as_dict(self):
        return asdict(self)


def evaluate_dithered(model, *, source="gaussian", n_samples=20_000, cell_samples=4096,
                      rng=None):
    """Hard-quantized held-out evaluation of a :class:`DitheredLTC` (Gaussian source)."""
    from .. import gaussian as gauss
    from ..perception import measure_perception, sliced_w2
    src = get_source(source)
    N = check_integer(n_samples, "n_samples", lower=2)
    gx, gc, gd, gp = [np.random.default_rng(s) for s in as_seed_sequence(rng).spawn(4)]
    x = src.sample(N, model.n, gx)
    center, dec_in, _ = model.code(x, gc)
    xh = model.synthesis.forward(dec_in)[0]
    d = ((xh - x) ** 2).mean(axis=1)
    cells = sample_voronoi(model.lattice, check_integer(cell_samples, "cell_samples", lower=1),
                           gd)
    cp = model.entropy_model.cell_log_probability(center, cells, 1.0)
    r = -(cp.logp + cp.bias) / (model.n * _LN2) - src.information_bits(x) + src.entropy_bits
    sw = sliced_w2(x, xh, 256, rng=gp)
    meas = measure_perception(xh, _target_variance(src), coupling_cost=d,
                              directions=_decoder_directions(model), rng=gp)
    D = float(d.mean())
    rc = math.log2(model.ratio) if model.scheme == "qsd" else (math.inf if model.scheme == "sd"
                                                               else 0.0)
    return DitheredEvaluation(
        scheme=model.scheme, lattice=model.lattice.name, ratio=model.ratio,
        rate=float(r.mean()), rate_stderr=float(r.std(ddof=1) / math.sqrt(N)), distortion=D,
        distortion_stderr=float(d.std(ddof=1) / math.sqrt(N)), perception=sw.estimate,
        perception_stderr=sw.stderr_total, s=model.s if model.scheme != "sd" else 0.0,
        rate_perfect_realism=float(gauss.rdp_perfect_realism(D)),
        rate_no_common_randomness=float(gauss.rate_no_common_randomness(D)),
        rate_limited_common_randomness=float(gauss.rate_limited_common_randomness(D, rc)),
        perception_measurement={**meas.as_dict(), "s": model.s if model.scheme != "sd" else None})


def _target_variance(src):
    """Per-coordinate variance of the Gaussian target of the perception measurement."""
    return float(src.sigma2)


def _decoder_directions(model):
    """Directions in the output space where the lattice shows: for x̂ = z Wᵀ, z carrying the
    lattice structure, ⟨z, w⟩ = ⟨x̂, w W⁻¹⟩, so the rows w W⁻¹ for w a relevant vector of Λ or
    Λ* (minimal vectors for n > 12); None if W is not square and invertible."""
    from ..perception.measurement import lattice_directions
    W = model.synthesis.params["W"]
    if W.shape[0] != W.shape[1] or not np.isfinite(W).all() or abs(np.linalg.det(W)) < 1e-12:
        return None
    prim, dual = lattice_directions(model.lattice, 128, rng=0)
    Winv = np.linalg.inv(W)
    return {"sliced_lattice": prim @ Winv, "sliced_dual": dual @ Winv}


@dataclass(frozen=True)
class DitheredExperiment:
    """Everything that fixes a dithered-LTC run except the seed (see :func:`run_dithered`)."""

    scheme: str
    lattice: str
    ratio: int = 1
    lam: float = 4.0
    mu: float = 400.0
    steps: int = 400
    batch_size: int = 512
    eval_samples: int = 10_000
    eval_cell_samples: int = 4096


#: The schemes of the P ≈ 0 study: (label, scheme, ratio).
DITHERED_SCHEMES = (("SD", "sd", 1), ("QSD Γ=3", "qsd", 3), ("QSD Γ=2", "qsd", 2),
                    ("PD", "pd", 1))

_DCACHE: dict = {}


def run_dithered(exp, seed=0, *, progress=None):
    """Train and evaluate a :class:`DitheredExperiment` (cached per process); returns
    ``(DitheredEvaluation, model, train_time_s)``."""
    from .experiments import initial_gain
    key = (exp, int(seed))
    if key not in _DCACHE:
        init_ss, train_ss, eval_ss = as_seed_sequence(seed).spawn(3)
        m = DitheredLTC(exp.scheme, exp.lattice, ratio=exp.ratio,
                        gain=initial_gain(exp.lattice, exp.lam), rng=init_ss)
        _, t = train_dithered(m, exp.lam, exp.mu, steps=exp.steps, batch_size=exp.batch_size,
                              rng=train_ss, progress=progress)
        ev = evaluate_dithered(m, n_samples=exp.eval_samples,
                               cell_samples=exp.eval_cell_samples, rng=eval_ss)
        _DCACHE[key] = (ev, m, t)
    return _DCACHE[key]


def normalized_distortion_db(ev, rate0):
    """10·log₁₀ D moved to the common rate ``rate0`` along the high-rate slope
    (−6.02 dB per bit): 10·log₁₀ D + 20·log₁₀2·(R − rate0), with its standard error. It
    compares points whose rates differ slightly (lower is better)."""
    db = 20.0 * math.log10(2.0)
    v = 10.0 * math.log10(ev.distortion) + db * (ev.rate - rate0)
    se = math.hypot(10.0 / math.log(10.0) * ev.distortion_stderr / ev.distortion,
                    db * ev.rate_stderr)
    return v, se
