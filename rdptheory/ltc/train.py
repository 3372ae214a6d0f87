"""Training an LTC: Adam on fresh mini-batches of the source, one seed for everything.

The seed (``rng``) is split with ``numpy.random.SeedSequence.spawn`` into independent streams
for the data, the cell samples / additive noise; the same seed gives bit-identical parameters.
The library never prints: pass ``progress(step, total, terms)`` to follow training (the CLI
turns it into a tqdm bar).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from .._parallel import as_seed_sequence
from .._validation import as_real_array, check_integer
from .model import TRAIN_MODES
from .sources import get_source

__all__ = ["Adam", "train", "TrainResult"]


class Adam:
    """Adam (Kingma & Ba 2015) on a nested dict of arrays, updated in place.

    m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.train import Adam
    >>> p = {"a": {"w": np.array([1.0])}}
    >>> opt = Adam(p, learning_rate=0.1)
    >>> opt.step({"a": {"w": np.array([2.0])}})
    >>> p["a"]["w"].round(6).tolist()
    [0.9]
    """

    def __init__(self, params, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.params = params
        self.lr = float(as_real_array(learning_rate, "learning_rate", lower=0.0,
                                      lower_open=True))
        self.b1, self.b2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = {g: {k: np.zeros_like(v) for k, v in d.items()} for g, d in params.items()}
        self.v = {g: {k: np.zeros_like(v) for k, v in d.items()} for g, d in params.items()}

    def step(self, grads, learning_rate=None):
        lr = self.lr if learning_rate is None else learning_rate
        self.t += 1
        c1, c2 = 1.0 - self.b1 ** self.t, 1.0 - self.b2 ** self.t
        for g, d in self.params.items():
            for k, p in d.items():
                gr = grads[g][k]
                m, v = self.m[g][k], self.v[g][k]
                m *= self.b1
                m += (1.0 - self.b1) * gr
                v *= self.b2
                v += (1.0 - self.b2) * gr * gr
                p -= lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


@dataclass(frozen=True)
class TrainResult:
    """What :func:`train` did: the trained ``model`` (the same object, updated in place), the
    per-step ``loss``, ``rate`` (bits/sample) and ``distortion`` histories, λ, the mode, the
    number of steps and the wall time in seconds."""

    model: object
    lam: float
    mode: str
    steps: int
    loss: np.ndarray
    rate: np.ndarray
    distortion: np.ndarray
    wall_time: float


def train(model, source="gaussian", lam=8.0, *, steps=1000, batch_size=256, learning_rate=3e-3,
          final_learning_rate=None, mode="mixed", cell_samples=2048, rng=None, progress=None):
    r"""Train ``model`` (an :class:`~rdptheory.ltc.LTC`) to minimize rate + λ·D.

    Parameters
    ----------
    model : LTC
        Updated in place.
    source : str or Source
        'gaussian' or 'laplace' (unit variance) or a :class:`~rdptheory.ltc.sources.Source`.
    lam : float
        λ > 0 (bits per unit of per-sample MSE). At an optimum dR/dD = −λ; for the Gaussian
        R(D) that is D = 1/(2 ln2 λ).
    steps, batch_size : int
        Adam steps and source blocks per step (fresh samples every step).
    learning_rate, final_learning_rate : float
        Cosine decay from the first to the second (default a tenth of the first).
    mode : {'mixed', 'ste', 'noise'}
        Quantizer proxy (see :data:`rdptheory.ltc.model.TRAIN_MODES`).
    cell_samples : int
        Uniform cell samples per step for the cell probabilities (>= 2048 per Lei, Hassani &
        Saeedi Bidokhti, ICLR 2025;
        fresh every step).
    rng : int, Generator, SeedSequence or None
        One seed fixes the data and all training noise.
    progress : callable, optional
        ``progress(step, steps, terms)`` after every step.

    Returns
    -------
    TrainResult

    Examples
    --------
    >>> from rdptheory.ltc import make_ltc, train
    >>> m = make_ltc("Z1", 1, rng=0)
    >>> r = train(m, "gaussian", 8.0, steps=20, batch_size=64, rng=1)
    >>> r.loss.shape, bool(r.rate[-1] > 0)
    ((20,), True)
    """
    src = get_source(source)
    lam = float(as_real_array(lam, "lam", lower=0.0, lower_open=True))
    steps = check_integer(steps, "steps", lower=1)
    batch_size = check_integer(batch_size, "batch_size", lower=1)
    cell_samples = check_integer(cell_samples, "cell_samples", lower=1)
    if mode not in TRAIN_MODES:
        raise ValueError(f"mode must be one of {tuple(TRAIN_MODES)}; got {mode!r}")
    lr0 = float(as_real_array(learning_rate, "learning_rate", lower=0.0, lower_open=True))
    lr1 = lr0 / 10 if final_learning_rate is None else float(
        as_real_array(final_learning_rate, "final_learning_rate", lower=0.0, lower_open=True))
    data_ss, noise_ss = as_seed_sequence(rng).spawn(2)
    data_rng, noise_rng = np.random.default_rng(data_ss), np.random.default_rng(noise_ss)
    opt = Adam(model.params, lr0)
    hist = np.empty((3, steps))
    t0 = time.perf_counter()
    for s in range(steps):
        x = src.sample(batch_size, model.n, data_rng)
        terms, grads = model.loss_and_grads(x, lam, mode=mode, cell_samples=cell_samples,
                                            rng=noise_rng)
        lr = lr1 + 0.5 * (lr0 - lr1) * (1.0 + math.cos(math.pi * s / steps))
        opt.step(grads, lr)
        hist[:, s] = terms.loss, terms.rate, terms.distortion
        if progress is not None:
            progress(s + 1, steps, terms)
    return TrainResult(model=model, lam=lam, mode=mode, steps=steps, loss=hist[0],
                       rate=hist[1], distortion=hist[2], wall_time=time.perf_counter() - t0)
