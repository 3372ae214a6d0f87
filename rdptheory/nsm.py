"""Monte Carlo and randomized quasi-Monte Carlo estimation of lattice normalized second moments.

    G(Λ) = E‖x − Q_Λ(x)‖² / (n V^{2/n}),   x uniform modulo Λ (x = zB, z ~ U[0,1)^n)

(Conway & Sloane 1984; Agrell & Eriksson 1998).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from ._linalg import rows_times_matrix
from ._nsm_state import CHUNK_SIZE  # noqa: F401  (re-exported: the unit of work)
from ._nsm_state import BATCHES_PER_CHUNK, ChunkResult, ChunkSpec, NsmState, Plan
from ._parallel import as_seed_sequence, resolve_workers, run_chunks
from ._validation import check_integer
from .lattices import Lattice, as_lattice
from .stats import Moments, normal_quantile

__all__ = ["nsm_estimate", "NsmEstimate", "NsmInterrupted", "sphere_bound", "zador_bound"]

#: Largest sample count accepted (chunk indices stay machine integers: 2^62 chunks).
MAX_SAMPLES = CHUNK_SIZE << 62


def sphere_bound(n):
    """Lower bound on G for any n-dimensional quantizer (the ball):
    G*_n = Γ(n/2+1)^(2/n) / ((n+2)π) (SPLAG ch. 2; Zador 1982).

    >>> round(sphere_bound(8), 7), round(sphere_bound(24), 7)
    (0.0704536, 0.0647498)
    """
    n = check_integer(n, "n", lower=1)
    return math.exp(2.0 / n * math.lgamma(n / 2 + 1)) / ((n + 2) * math.pi)


def zador_bound(n):
    """Zador's upper bound on the optimal G_n: Γ(n/2+1)^(2/n) Γ(1+2/n) / (nπ)."""
    n = check_integer(n, "n", lower=1)
    return math.exp(2.0 / n * math.lgamma(n / 2 + 1)) * math.gamma(1 + 2.0 / n) / (n * math.pi)


@dataclass(frozen=True)
class NsmEstimate:
    """Result of :func:`nsm_estimate`.

    Attributes
    ----------
    estimate, stderr : float
        Ĝ and its standard error (MC: i.i.d. samples; RQMC: across randomized replicates).
    ci95 : (float, float)
        95% confidence interval; :meth:`interval` gives other levels. MC: normal quantiles;
        RQMC: Student-t quantiles with ``replicates - 1`` degrees of freedom (the standard
        error comes from that many independent replicates; with 16 replicates the normal
        interval would cover only about 93%).
    degrees_of_freedom : float
        Of the standard error: ``replicates - 1`` for RQMC, ``n_samples - 1`` for MC.
    n_samples : int
    autocorrelation : ndarray (n, n)
        Normalized error autocorrelation R = E[e eᵀ] / V^{2/n}; trace = n G; R = G·I for a
        locally optimal lattice (Zamir & Feder 1996).
    autocorrelation_stderr : ndarray (n, n)
    whiteness : float
        max over i <= j of ``|R_ij − Ĝ δ_ij| / SE_ij`` (a max z-score; compare with a
        Bonferroni normal quantile for n(n+1)/2 tests).
    fourth_moment, fourth_moment_stderr : float
        E‖e‖⁴ / V^{4/n}.
    jackknife_stderr : float
        MC: batch-jackknife standard error (the older method; should agree within ~10%);
        RQMC: NaN.
    replicates : int
        RQMC randomizations (MC: number of jackknife batches).
    complete : bool
        False for the partial estimate of an interrupted run.
    """

    lattice: str
    dimension: int
    method: str
    estimate: float
    stderr: float
    ci95: tuple
    n_samples: int
    autocorrelation: np.ndarray = field(repr=False)
    autocorrelation_stderr: np.ndarray = field(repr=False)
    whiteness: float
    fourth_moment: float
    fourth_moment_stderr: float
    jackknife_stderr: float
    replicates: int
    wall_time: float
    seed_entropy: int = field(repr=False)
    complete: bool = True
    degrees_of_freedom: float = math.inf

    def interval(self, level=0.95):
        """Two-sided confidence interval at ``level`` (Student-t with
        ``degrees_of_freedom``; normal when that is large)."""
        if not 0 < level < 1:
            raise ValueError(f"level must be in (0, 1); got {level}")
        z = _quantile(0.5 + level / 2, self.degrees_of_freedom)
        return (self.estimate - z * self.stderr, self.estimate + z * self.stderr)

    def as_dict(self):
        return {
            "lattice": self.lattice, "dimension": self.dimension, "method": self.method,
            "estimate": self.estimate, "stderr": self.stderr, "ci": list(self.ci95),
            "ci_level": 0.95, "degrees_of_freedom": self.degrees_of_freedom,
            "n_samples": self.n_samples,
            "jackknife_stderr": self.jackknife_stderr, "replicates": self.replicates,
            "fourth_moment": self.fourth_moment,
            "fourth_moment_stderr": self.fourth_moment_stderr, "whiteness": self.whiteness,
            "autocorrelation": self.autocorrelation.tolist(),
            "autocorrelation_stderr": self.autocorrelation_stderr.tolist(),
            "wall_time": self.wall_time, "complete": self.complete,
            "seed_entropy": str(self.seed_entropy),
        }


def _quantile(p, dof):
    """Student-t quantile (normal for dof > 1e6 or inf)."""
    if not math.isfinite(dof) or dof > 1e6:
        return normal_quantile(p)
    from scipy.special import stdtrit
    return float(stdtrit(dof, p))


class NsmInterrupted(KeyboardInterrupt):
    """Raised by :func:`nsm_estimate` on Ctrl-C; ``.partial`` is the estimate so far (or None)."""

    def __init__(self, partial):
        super().__init__("interrupted")
        self.partial = partial


def _uniform(spec):
    n = spec.lattice.dimension
    if spec.method == "mc":
        return np.random.default_rng(spec.seed).random((spec.count, n))
    from scipy.stats import qmc
    sob = qmc.Sobol(n, scramble=True, seed=np.random.default_rng(spec.seed))
    if spec.start:
        sob.fast_forward(spec.start)
    return sob.random(spec.count)


@njit(cache=True)
def _error_statistics(e, inv_scale):
    """Per-sample ||e||^2 and the sums of e_i e_j and (e_i e_j)^2 (scaled by 1/V^(2/n))."""
    m, n = e.shape
    e2 = np.empty(m)
    s1 = np.zeros((n, n))
    s2 = np.zeros((n, n))
    for k in range(m):
        t = 0.0
        for i in range(n):
            t += e[k, i] * e[k, i]
            for j in range(i, n):
                p = e[k, i] * e[k, j] * inv_scale
                s1[i, j] += p
                s2[i, j] += p * p
        e2[k] = t
    for i in range(n):
        for j in range(i):
            s1[i, j] = s1[j, i]
            s2[i, j] = s2[j, i]
    return e2, s1, s2


def _nsm_chunk(spec: ChunkSpec) -> ChunkResult:
    L = spec.lattice
    n = L.dimension
    u = _uniform(spec)
    x = rows_times_matrix(u, L.generator)
    e = np.ascontiguousarray(x - L._nearest_unchecked(x))
    scale = math.exp(2.0 * L.log_volume / n)  # log-volume: no overflow for large n or scale
    e2, s1, s2 = _error_statistics(e, 1.0 / scale)
    g = e2 / (n * scale)
    m = spec.count
    # element-wise moments of e e^T / V^(2/n) from raw sums (their means are O(G), their
    # variances O(G^2): no catastrophic cancellation at chunk size 2^16)
    mean_outer = s1 / m
    m2_outer = np.maximum(s2 - m * mean_outer ** 2, 0.0)
    k = BATCHES_PER_CHUNK if m >= BATCHES_PER_CHUNK else 1
    parts = np.array_split(g, k)
    return ChunkResult(
        g=Moments.from_samples(g),
        fourth=Moments.from_samples(e2 * e2 / (scale * scale)),
        outer=Moments(m, mean_outer, m2_outer),
        batch_sums=np.array([p.sum() for p in parts]),
        batch_counts=np.array([p.size for p in parts], dtype=np.int64),
        replicate=spec.replicate,
    )


def _finish(state, seq, wall, complete):
    """An NsmEstimate from the running state (complete or partial)."""
    L, method = state.plan.lattice, state.plan.method
    n = L.dimension
    g, fourth, outer = state.g, state.fourth, state.outer
    N = g.count
    if method == "mc" or state.replicates_done < 2:
        # MC; or a partial RQMC run with < 2 complete replicates: the points done are
        # uniform on the cell, and the i.i.d. standard error is conservative for RQMC
        est, se = float(g.mean), float(g.stderr)
        sums, counts = state.sums, state.counts
        B = sums.size
        if method == "mc" and B > 1:
            loo = (sums.sum() - sums) / (N - counts)
            jack = float(np.sqrt((B - 1) / B * np.sum((loo - loo.mean()) ** 2)))
        else:
            jack = float("nan")
        R_se = outer.stderr
        q_se = float(fourth.stderr)
        reps = B if method == "mc" else state.replicates_done
        dof = float(N - 1)
    else:
        gm, qm, om = state.rep_g, state.rep_q, state.rep_o
        est, se = float(gm.mean), float(gm.stderr)
        jack = float("nan")
        R_se = om.stderr
        q_se = float(qm.stderr)
        reps = gm.count
        dof = float(reps - 1)
    R = np.asarray(outer.mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        # floor the SE at rounding level: RQMC integrates some lattices (Z^n) exactly
        z = np.abs(R - est * np.eye(n)) / np.sqrt(R_se ** 2 + (1e-12 * est) ** 2)
    iu = np.triu_indices(n)
    whiteness = float(np.nanmax(z[iu])) if np.isfinite(z[iu]).any() else float("nan")
    zq = _quantile(0.975, dof)
    return NsmEstimate(
        lattice=L.name, dimension=n, method=method, estimate=est, stderr=se,
        ci95=(est - zq * se, est + zq * se), n_samples=int(N), autocorrelation=R,
        autocorrelation_stderr=np.asarray(R_se), whiteness=whiteness,
        fourth_moment=float(fourth.mean), fourth_moment_stderr=q_se, jackknife_stderr=jack,
        replicates=int(reps), wall_time=wall,
        seed_entropy=seq.entropy, complete=complete, degrees_of_freedom=dof)


def nsm_estimate(lattice, n_samples, rng=None, *, method="mc", replicates=16, workers=1,
                 scheduler=None, progress=None, checkpoint=None, resume=None,
                 checkpoint_every=60.0):
    r"""Estimate the normalized second moment G of a lattice by (randomized quasi-)Monte Carlo.

    Parameters
    ----------
    lattice : Lattice or str
        A :class:`~rdptheory.lattices.Lattice` or a registry name (``"E8"``).
    n_samples : int
        Number of samples (>= 2, at most 2**78). RQMC rounds the per-replicate count down to a power of two.
    rng : int, numpy.random.Generator, SeedSequence or None
        The seed. The result depends on the seed, ``n_samples``, ``method`` and
        ``replicates`` only — not on ``workers`` or ``scheduler``.
    method : {'mc', 'rqmc'}
        Plain Monte Carlo, or scrambled Sobol points (scipy.stats.qmc) with ``replicates``
        independent scramblings giving the error bar.
    replicates : int
        RQMC randomizations (>= 16 recommended; >= 2 required).
    workers : int or None
        Local processes (None: all cores; 1: in this process).
    scheduler : None, 'dask', a scheduler address or a ``distributed.Client``
        Run the chunks on a Dask cluster instead of local processes (optional extra
        ``rdptheory[dask]``).
    progress : callable, optional
        ``progress(samples_done, samples_total)`` after each chunk (the CLI's progress bar).
    checkpoint : path, optional
        Write the running state (a small ``.npz``, atomically) here every
        ``checkpoint_every`` seconds, on Ctrl-C and at the end.
    resume : path, optional
        Continue from a checkpoint of the same run (same lattice, ``n_samples``, seed,
        ``method``, ``replicates``; ValueError otherwise). The result is bit-identical to
        the uninterrupted run's (only ``wall_time`` differs). Checkpoints go on to the same
        file unless ``checkpoint`` names another.
    checkpoint_every : float
        Seconds between checkpoints (default 60).

    Returns
    -------
    NsmEstimate

    Raises
    ------
    NsmInterrupted
        On Ctrl-C, carrying the partial estimate (``.partial``) from the chunks finished so far
        (RQMC with fewer than two complete replicates: the mean of the points done with the
        i.i.d. standard error, conservative for RQMC). With ``workers=1`` the interrupt is
        taken between chunks (at most one chunk later), never inside compiled code.

    Notes
    -----
    x = zB with z uniform in [0,1)^n is uniform modulo Λ; e = x − Q(x) is uniform on the
    Voronoi cell, g = ‖e‖²/(n V^{2/n}) and Ĝ = mean g, unbiased when Q is exact. Sample
    statistics are merged chunk by chunk with Chan et al.'s pairwise formulas
    (:class:`rdptheory.stats.Moments`), always in chunk order. The MC standard error is
    sqrt(var(g)/N); the batch jackknife over 16 sub-batches per chunk is reported as a
    cross-check (Conway & Sloane 1984; Agrell & Eriksson 1998). The RQMC error bar is the
    standard error of the ``replicates`` independent scrambled-Sobol estimates. Chunks are
    planned lazily (chunk i's seed is the i-th SeedSequence child), so memory does not grow
    with ``n_samples`` or ``replicates``.

    Examples
    --------
    >>> from rdptheory.nsm import nsm_estimate
    >>> r = nsm_estimate("E8", 200_000, rng=1)
    >>> abs(r.estimate - 929 / 12960) < 4 * r.stderr    # exact value: Conway & Sloane 1982
    True
    """
    L = as_lattice(lattice)
    if isinstance(n_samples, float) and n_samples.is_integer() and abs(n_samples) < 2.0 ** 80:
        n_samples = int(n_samples)
    n_samples = check_integer(n_samples, "n_samples", lower=2, upper=MAX_SAMPLES)
    if method not in ("mc", "rqmc"):
        raise ValueError(f"method must be 'mc' or 'rqmc'; got {method!r}")
    replicates = check_integer(replicates, "replicates", lower=2, upper=MAX_SAMPLES // 2)
    if method == "rqmc" and n_samples < 2 * replicates:
        raise ValueError(f"n_samples must be >= 2*replicates = {2 * replicates} for RQMC; "
                         f"got {n_samples}")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable progress(done, total) or None; got "
                         f"{type(progress).__name__}")
    checkpoint_every = float(checkpoint_every)
    if not checkpoint_every > 0:
        raise ValueError(f"checkpoint_every must be > 0 seconds; got {checkpoint_every}")
    if scheduler is None:
        resolve_workers(workers)
    seq = as_seed_sequence(rng)
    t0 = time.perf_counter()
    plan = Plan(L, n_samples, method, seq, replicates)
    state = NsmState(plan)
    if resume is not None:
        state.load(resume)
        if checkpoint is None:
            checkpoint = resume
    done = [state.samples_done]
    if progress is not None and done[0]:
        progress(done[0], plan.total)
    last_save = [time.perf_counter()]

    def tick(i):
        done[0] += plan[i].count
        if progress is not None:
            progress(done[0], plan.total)

    def elapsed():
        return state.elapsed + time.perf_counter() - t0

    def save():
        if checkpoint is not None:
            el, state.elapsed = state.elapsed, elapsed()
            state.save(checkpoint)
            state.elapsed = el
            last_save[0] = time.perf_counter()

    try:
        for _, res in run_chunks(_nsm_chunk, plan, workers=workers, scheduler=scheduler,
                                 on_result=tick, start=state.next_chunk):
            state.add(res)
            if checkpoint is not None and time.perf_counter() - last_save[0] >= checkpoint_every:
                save()
    except KeyboardInterrupt:
        save()
        partial = None
        if state.samples_done >= 2:
            partial = _finish(state, seq, elapsed(), complete=False)
        raise NsmInterrupted(partial) from None
    save()
    return _finish(state, seq, elapsed(), complete=True)
