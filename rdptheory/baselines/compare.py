"""RCC and SD-LTC side by side on i.i.d. N(0, 1) blocks: (rate, distortion, perception, time per
block) at the same target (D, P), with the perception of both measured the same way (sliced W2²
between the source and reconstruction samples, :func:`rdptheory.perception.sliced_w2`, same
number of samples, so the empirical-measure bias is the same for both).

Results are cached per process (claims and figures that ask for the same point share it).
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from ..dither import sample_voronoi
from ..lattices import as_lattice
from ..operating_points import scaled_to_second_moment, sd_operating_point
from ..perception import sliced_w2
from ..schemes import linear, sd_decode, sd_encode
from .. import gaussian as gauss
from .rcc import rcc_operating_point

__all__ = ["SideBySide", "rcc_side_by_side", "sd_ltc_side_by_side", "sd_ltc_seconds_per_block",
           "sd_ltc_point"]


@dataclass(frozen=True)
class SideBySide:
    """One row of the side-by-side table: per-dimension ``rate`` (bits), ``distortion`` (MSE),
    ``perception`` (sliced W2²), each with its standard error, and the coder's wall time per
    source block (encode + decode, excluding rate estimation)."""

    method: str
    dimension: int
    target_distortion: float
    target_perception: float
    rate: float
    rate_stderr: float
    distortion: float
    distortion_stderr: float
    perception: float
    perception_stderr: float
    seconds_per_block: float
    rate_rdp: float
    extra: tuple = ()

    def as_dict(self):
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "extra"}
        d.update(dict(self.extra))
        return d


def _perception(x, xh, seed):
    r = sliced_w2(x, xh, 256, rng=seed)
    return float(r.estimate), float(r.stderr_total)


@functools.lru_cache(maxsize=64)
def rcc_side_by_side(n, D, P, *, n_samples, n_candidates=10_000, seed=0):
    """PFR reverse channel coding (:func:`rdptheory.baselines.rcc.rcc_operating_point`) at
    (D, P); rate = Zipf code length per dimension."""
    op = rcc_operating_point(n, D, P, n_candidates=n_candidates, n_samples=n_samples, rng=seed,
                             keep_samples=True)
    p, p_se = _perception(op.samples["x"], op.samples["x_hat"], seed + 1)
    return SideBySide(
        method=f"RCC (PFR, N={n_candidates})", dimension=n, target_distortion=D,
        target_perception=P, rate=op.rate_zipf, rate_stderr=op.rate_zipf_stderr,
        distortion=op.distortion, distortion_stderr=op.distortion_stderr, perception=p,
        perception_stderr=p_se, seconds_per_block=op.seconds_per_block,
        rate_rdp=op.mutual_information,
        extra=(("entropy_plugin", op.entropy_plugin),
               ("entropy_miller_madow", op.entropy_miller_madow),
               ("log2_index", op.log_index), ("log2_index_stderr", op.log_index_stderr),
               ("warning", op.warning)))


def sd_ltc_seconds_per_block(lattice, D, P, *, n_blocks=2000, seed=0):
    """Wall time per block of SD-LTC's coder: dither draw, c = Q(x − u), x̂ = β(c + u)."""
    L = as_lattice(lattice)
    prm = gauss.sd_ltc_parameters(D, P)
    Ls = scaled_to_second_moment(L, float(prm.eta2))
    g = np.random.default_rng(seed)
    x = g.normal(size=(n_blocks, L.dimension))
    t0 = time.perf_counter()
    u = sample_voronoi(Ls, n_blocks, g)
    sd_decode(sd_encode(x, Ls, u), u, linear(float(prm.beta)))
    return (time.perf_counter() - t0) / n_blocks


@functools.lru_cache(maxsize=64)
def sd_ltc_side_by_side(lattice, D, P, *, n_samples, cell_samples=2048, seed=0):
    """SD-LTC (:func:`rdptheory.operating_points.sd_operating_point`) at (D, P)."""
    op = sd_operating_point(lattice, D, P, n_samples=n_samples, cell_samples=cell_samples,
                            rng=seed, keep_samples=True)
    p, p_se = _perception(op.samples["x"], op.samples["x_hat"], seed + 1)
    return SideBySide(
        method=f"SD-LTC {op.lattice}", dimension=op.dimension, target_distortion=D,
        target_perception=P, rate=op.rate, rate_stderr=op.rate_stderr,
        distortion=op.distortion, distortion_stderr=op.distortion_stderr, perception=p,
        perception_stderr=p_se,
        seconds_per_block=sd_ltc_seconds_per_block(lattice, D, P, seed=seed),
        rate_rdp=float(gauss.rdp(D, P)),
        extra=(("rate_upper", op.theory["rate_upper"]),))


@functools.lru_cache(maxsize=64)
def sd_ltc_point(lattice, D, P, *, n_samples, cell_samples, seed=0):
    """:func:`rdptheory.operating_points.sd_operating_point` cached per process (the Fig. 11
    claim and figure share it)."""
    return sd_operating_point(lattice, D, P, n_samples=n_samples, cell_samples=cell_samples,
                              rng=seed)
