"""Named LTC experiments (train + evaluate) with a small in-process cache.

The claims (``proofs_checks.ltc_training_claims``), the figures (``rdptheory.plots.ltc``) and
the CLI describe a run by an :class:`Experiment` (everything that fixes the result except the
seed); :func:`run_experiment` trains and evaluates it once per (experiment, seed) and process,
so a claim and a figure that need the same model share one training.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from .._parallel import as_seed_sequence
from .._validation import as_real_array
from ..lattices import as_lattice
from .evaluate import Evaluation, evaluate
from .model import make_ltc
from .sources import get_source
from .train import train

__all__ = ["Experiment", "ExperimentResult", "run_experiment", "initial_gain", "preset",
           "region_preset", "region_results", "MODELS",
           "search_lambda", "lambda_for_rate", "clear_cache"]

_LN2 = math.log(2.0)


@dataclass(frozen=True)
class Experiment:
    """Everything that fixes an LTC run except the seed.

    ``lattice`` and ``n`` (NTC: ``'Z<n>'``), ``source``, λ (``lam``), transforms
    (``'linear'`` or ``'mlp'`` with ``hidden``), entropy model (``'gaussian'`` or
    ``'mixture'`` with ``components``/``kind``), training (``steps``, ``batch_size``,
    ``learning_rate``, ``mode``, ``cell_samples``) and evaluation (``eval_samples`` blocks,
    ``eval_cell_samples``).
    """

    lattice: str
    n: int
    lam: float
    source: str = "gaussian"
    transform: str = "linear"
    hidden: tuple = (16, 16)
    entropy: str = "gaussian"
    components: int = 1
    kind: str = "laplace"
    steps: int = 400
    batch_size: int = 256
    learning_rate: float = 3e-3
    mode: str = "mixed"
    cell_samples: int = 2048
    eval_samples: int = 20_000
    eval_cell_samples: int = 4096
    init_noise: float = 0.1


@dataclass(frozen=True)
class ExperimentResult:
    """A trained and evaluated experiment: the ``evaluation``, the ``model``, training
    histories (``train_rate``, ``train_distortion``), wall times in seconds and the seed."""

    experiment: Experiment
    seed: int
    evaluation: Evaluation
    model: object
    train_rate: np.ndarray
    train_distortion: np.ndarray
    train_time: float
    eval_time: float


_CACHE: dict = {}


def clear_cache():
    """Forget every cached run."""
    _CACHE.clear()


def initial_gain(lattice, lam, source="gaussian"):
    """Analysis gain a with which a unit-volume lattice quantizer of a·x has, at high rate,
    distortion D = G(Λ)/a² equal to the optimum D = 1/(2 ln2 λ) of the Gaussian R(D) slope."""
    G = as_lattice(lattice).nsm_reference
    G = 1.0 / 12.0 if G is None else G.value
    D0 = 1.0 / (2.0 * _LN2 * lam)
    return math.sqrt(G / (D0 * get_source(source).sigma2))


def lambda_for_rate(rate, lattice="Z1"):
    """λ at which the high-rate approximation R ≈ ½log₂(2 ln2 λ) + ½log₂(2πeG) gives ``rate``
    (a starting point for :func:`search_lambda`)."""
    G = as_lattice(lattice).nsm_reference
    G = 1.0 / 12.0 if G is None else G.value
    gap = 0.5 * math.log2(2 * math.pi * math.e * G)
    return 2.0 ** (2.0 * (rate - gap)) / (2.0 * _LN2)


def run_experiment(exp, seed=0, *, progress=None, use_cache=True):
    """Train and evaluate ``exp`` with ``seed`` (cached per process).

    Examples
    --------
    >>> from rdptheory.ltc.experiments import Experiment, run_experiment
    >>> r = run_experiment(Experiment("Z1", 1, 8.0, steps=30, eval_samples=2000), seed=0)
    >>> r.evaluation.n, r.evaluation.lattice
    (1, 'Z1')
    """
    key = (exp, int(seed))
    if use_cache and key in _CACHE:
        return _CACHE[key]
    init_ss, train_ss, eval_ss = as_seed_sequence(seed).spawn(3)
    model = make_ltc(exp.lattice, exp.n, transform=exp.transform, hidden=exp.hidden,
                     entropy=exp.entropy, components=exp.components, kind=exp.kind,
                     gain=initial_gain(exp.lattice, exp.lam, exp.source),
                     init_noise=exp.init_noise, rng=init_ss)
    tr = train(model, exp.source, exp.lam, steps=exp.steps, batch_size=exp.batch_size,
               learning_rate=exp.learning_rate, mode=exp.mode, cell_samples=exp.cell_samples,
               rng=train_ss, progress=progress)
    t0 = time.perf_counter()
    ev = evaluate(model, exp.source, n_samples=exp.eval_samples,
                  cell_samples=exp.eval_cell_samples, rng=eval_ss)
    res = ExperimentResult(exp, int(seed), ev, model, tr.rate, tr.distortion, tr.wall_time,
                           time.perf_counter() - t0)
    if use_cache:
        _CACHE[key] = res
    return res


def search_lambda(exp, target_rate, seed=0, *, tolerance=0.03, max_iter=4, progress=None):
    r"""Find λ so that the evaluated rate lands within ``tolerance`` of ``target_rate``.

    Secant-like steps on log λ with the high-rate slope dR/d ln λ = 1/(2 ln 2), starting from
    :func:`lambda_for_rate`; each iteration trains from scratch with the same seed. Returns
    the :class:`ExperimentResult` closest to the target.
    """
    target_rate = float(as_real_array(target_rate, "target_rate", lower=0.0, lower_open=True))
    lam = lambda_for_rate(target_rate, exp.lattice)
    best = None
    for it in range(max_iter):
        res = run_experiment(replace(exp, lam=lam), seed, progress=progress)
        err = res.evaluation.rate - target_rate
        if best is None or abs(err) < abs(best.evaluation.rate - target_rate):
            best = res
        if abs(err) <= tolerance:
            break
        lam = lam * math.exp(-2.0 * _LN2 * err)
    return best


#: The models of the Gaussian study (label, lattice, n): NTC is LTC with Zⁿ.
MODELS = (("NTC n=1", "Z1", 1), ("NTC n=2", "Z2", 2), ("NTC n=8", "Z8", 8),
          ("LTC A2", "A2", 2), ("LTC D4*", "D4*", 4), ("LTC E8", "E8", 8),
          ("LTC Λ16", "BW16", 16), ("LTC Λ24", "Leech", 24))

#: λ giving rates near 2 and near 1 bit per sample on N(0, 1).
LAMBDA_R2, LAMBDA_R1 = 8.0, 2.4


def preset(lattice, n, lam, *, source="gaussian", full=False, **overrides):
    """The :class:`Experiment` the claims and figures use for (lattice, n, λ): held-out blocks
    and cell samples scaled with n (about 1e5 scalar samples; 2048 cell samples for n <= 2,
    4096 up to n = 8, 8192 beyond, as in Lei, Hassani & Saeedi Bidokhti, ICLR 2025), more
    steps with ``full``."""
    eval_samples = {1: 100_000, 2: 50_000}.get(n, max(6_000, 160_000 // n))
    eval_cells = 2048 if n <= 2 else (4096 if n <= 8 else 8192)
    steps = (1500 if full else 400) if n <= 8 else (1500 if full else 600)
    kw = dict(source=source, steps=steps, eval_samples=eval_samples,
              eval_cell_samples=eval_cells, cell_samples=2048 if n <= 8 else 4096)
    if full:
        kw["eval_samples"] *= 2
    kw.update(overrides)
    return Experiment(lattice, n, lam, **kw)


def region_preset(lattice, *, full=False):
    """The 2-D experiment of the quantization-regions claim and figure: N(0, I₂) at R ≈ 2 with
    MLP transforms (hidden (16, 16), softplus, linear skip), NTC = 'Z2' or LTC = 'A2'."""
    return preset(lattice, 2, LAMBDA_R2, transform="mlp", hidden=(16, 16), full=full)


_SHAPES: dict = {}


def region_results(*, full=False, seed=0):
    """{'Z2': (ExperimentResult, CellShape), 'A2': ...}: the trained 2-D models of
    :func:`region_preset` and the measured cell at the origin (cached per process)."""
    from .regions import central_cell_shape
    key = (bool(full), int(seed))
    if key not in _SHAPES:
        out = {}
        for lat in ("Z2", "A2"):
            r = run_experiment(region_preset(lat, full=full), seed)
            out[lat] = (r, central_cell_shape(r.model, mc_points=800_000 if full else 200_000,
                                              rng=seed))
        _SHAPES[key] = out
    return _SHAPES[key]
