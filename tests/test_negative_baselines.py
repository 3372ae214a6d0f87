"""Negative controls for the baseline claims (proofs_checks.baseline_claims): each check is fed
the measurements of a plausible wrong implementation and must FAIL."""
import dataclasses

import numpy as np

from proofs_checks.baseline_claims import (block_gain_check, fidelity_check, pfr_bound_check,
                                           sd_beats_rcc_check)
from rdptheory.baselines.compare import rcc_side_by_side, sd_ltc_side_by_side
from rdptheory.baselines.rcc import _log_ratio, rcc_operating_point


def greedy_select(x, candidates, arrival_times, channel):
    """Wrong: the most likely candidate (argmax r), ignoring the Poisson arrival times."""
    return np.argmax(_log_ratio(candidates, x[:, None, :], channel), axis=1)


def test_greedy_selection_breaks_the_pfr_bound():
    op = rcc_operating_point(1, 0.5, 0.0, n_candidates=10_000, n_samples=600, rng=1,
                             selector=greedy_select)
    assert not pfr_bound_check([op]).passed


def test_greedy_selection_misses_the_target_distortion():
    from rdptheory.baselines.compare import SideBySide
    op = rcc_operating_point(1, 0.5, 0.0, n_candidates=10_000, n_samples=600, rng=1,
                             selector=greedy_select)
    row = SideBySide(method="greedy", dimension=1, target_distortion=0.5, target_perception=0.0,
                     rate=op.rate_zipf, rate_stderr=op.rate_zipf_stderr,
                     distortion=op.distortion, distortion_stderr=op.distortion_stderr,
                     perception=np.nan, perception_stderr=np.nan, seconds_per_block=np.nan,
                     rate_rdp=op.mutual_information)
    assert not fidelity_check([row]).passed


def test_coordinatewise_rcc_has_no_block_gain():
    """Wrong: the '8-dimensional' coder codes each coordinate with its own n = 1 PFR, so its
    per-dimension rate is the scalar one."""
    one = rcc_side_by_side(1, 0.5, 0.0, n_samples=600, seed=11)
    separable = dataclasses.replace(rcc_side_by_side(1, 0.5, 0.0, n_samples=600, seed=12),
                                    dimension=8)
    assert not block_gain_check([(one, separable)]).passed


def test_rcc_rate_reported_as_mutual_information_is_not_beaten():
    """Wrong: RCC's rate reported as I(X; X̂)/n, forgetting the index-coding overhead."""
    sd = sd_ltc_side_by_side("E8", 0.5, 0.0, n_samples=1000, cell_samples=1024, seed=3)
    rcc = rcc_side_by_side(1, 0.5, 0.0, n_samples=300, seed=3)
    ideal = dataclasses.replace(rcc, dimension=8, rate=rcc.rate_rdp, rate_stderr=0.0)
    assert not sd_beats_rcc_check([(ideal, sd)]).passed


# --------------------------------------------------------------------------- ECSQ / ECVQ
def _product_codebook(q1):
    """A 2-D 'ECVQ' that is really two scalar ECVQs side by side (a product codebook)."""
    from rdptheory.baselines.ecvq import ECVQ
    c = q1.codebook[:, 0]
    cb = np.stack(np.meshgrid(c, c, indexing="ij"), axis=-1).reshape(-1, 2)
    lp = (q1.log2p[:, None] + q1.log2p[None, :]).reshape(-1)
    return ECVQ(n=2, lam=q1.lam, codebook=cb, log2p=lp, train_loss=np.nan, iterations=0,
                restart_losses=())


def test_product_codebook_does_not_match_ecvq2():
    """Wrong: 'ECVQ₂' built as the product of two scalar quantizers has the scalar gap."""
    from proofs_checks.baseline_claims import gap_match_check
    from rdptheory.baselines.ecvq import ecvq_evaluate, ecvq_train
    ev2 = ecvq_evaluate(ecvq_train(2, 2.4, n_train=8000, restarts=2, rng=5), n_samples=40_000,
                        rng=6)
    prod = ecvq_evaluate(_product_codebook(ecvq_train(1, 2.4, n_train=8000, restarts=2, rng=5)),
                         n_samples=40_000, rng=6)
    assert not gap_match_check([("product vs ECVQ2", prod, ev2)]).passed


def test_fixed_length_index_does_not_match_ecsq():
    """Wrong: the ECVQ index sent with a fixed-length code (rate log2 K, not its entropy)."""
    from proofs_checks.baseline_claims import _Exact, gap_match_check
    from rdptheory.baselines.ecvq import ecvq_evaluate, ecvq_train
    from rdptheory.ltc.ecsq import ecsq_linear_at_rate
    q = ecvq_train(1, 2.4, n_train=8000, restarts=2, rng=5)
    K = q.codebook.shape[0]
    fixed = dataclasses.replace(q, log2p=np.full(K, -np.log2(K)))
    ev = ecvq_evaluate(fixed, n_samples=50_000, rng=7)
    assert not gap_match_check([("fixed", ev, _Exact(ecsq_linear_at_rate(ev.rate)))]).passed


def test_block_gain_is_detected_by_the_ntc_claim():
    """Wrong: an 'NTC' that learned non-rectangular 2-D cells (here the trained ECVQ₂) must
    fail the no-block-gain check against exact ECSQ."""
    from proofs_checks.baseline_claims import ntc_no_gain_check
    from proofs_checks.registry import CheckContext
    from rdptheory.baselines.ecvq import ecvq_evaluate, ecvq_train
    ev2 = ecvq_evaluate(ecvq_train(2, 2.4, n_train=8000, restarts=2, rng=5), n_samples=40_000,
                        rng=6)
    assert not ntc_no_gain_check(CheckContext(), ("Z2",), (2.4,),
                                 evaluate=lambda lat, n, lam: ev2).passed


# --------------------------------------------------------------------------- Fig. 11
def test_lattices_scaled_with_the_cubic_nsm_break_the_order():
    """Wrong: every lattice scaled to the target second moment with G = 1/12 (the cube's NSM)
    instead of its own: its true second moment is then too small and the NSM order of the
    rates is lost."""
    from proofs_checks.baseline_claims import FIG11_LATTICES, nsm_order_check
    from rdptheory.operating_points import sd_operating_point
    ops = [sd_operating_point(lat, 0.1, 0.0, n_samples=300, cell_samples=2048, rng=1,
                              nsm=1 / 12) for lat in FIG11_LATTICES]
    assert not nsm_order_check(ops).passed


# --------------------------------------------------------------------------- Fig. 7b
def test_dithered_coder_violates_the_deterministic_floor():
    """Wrong: a coder with dither (SD-NTC) passed off as deterministic gets under the
    deterministic perception floor σ²2^(−2R), so the floor check must fail on it."""
    from proofs_checks.baseline_claims import perception_floor_check
    from rdptheory.baselines.deterministic import run_perception_ntc
    ev = run_perception_ntc("sd", "Z1", 0.5, 1000.0, steps=60, batch_size=128,
                            eval_samples=4000, seed=1)
    assert not perception_floor_check([ev]).passed


def test_scalar_quantizer_is_worse_than_ecvq2():
    """Wrong: an 'LTC' whose lattice is silently Z (scalar cells) must fail the one-sided
    no-worse-than-ECVQ check against a 2-D ECVQ."""
    from proofs_checks.baseline_claims import no_worse_check
    from rdptheory.baselines.ecvq import ecvq_evaluate, ecvq_train
    ev2 = ecvq_evaluate(ecvq_train(2, 2.4, n_train=8000, restarts=2, rng=5), n_samples=40_000,
                        rng=6)
    ev1 = ecvq_evaluate(ecvq_train(1, 2.4, n_train=8000, restarts=2, rng=5), n_samples=80_000,
                        rng=6)
    assert not no_worse_check([("scalar vs ECVQ2", ev1, ev2)]).passed
