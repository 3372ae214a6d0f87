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
    op = rcc_operating_point(1, 0.5, 0.0, n_candidates=10_000, n_samples=600, rng=1,
                             keep_samples=True, selector=greedy_select)
    row = dataclasses.replace(rcc_side_by_side(1, 0.5, 0.0, n_samples=600, seed=1),
                              distortion=op.distortion, distortion_stderr=op.distortion_stderr)
    assert not fidelity_check([row]).passed


def test_coordinatewise_rcc_has_no_block_gain():
    """Wrong: the '8-dimensional' coder codes each coordinate with its own n = 1 PFR, so its
    per-dimension rate is the scalar one."""
    one = rcc_side_by_side(1, 0.5, 0.0, n_samples=1000, seed=11)
    separable = dataclasses.replace(rcc_side_by_side(1, 0.5, 0.0, n_samples=1000, seed=12),
                                    dimension=8)
    assert not block_gain_check([(one, separable)]).passed


def test_rcc_rate_reported_as_mutual_information_is_not_beaten():
    """Wrong: RCC's rate reported as I(X; X̂)/n, forgetting the index-coding overhead."""
    sd = sd_ltc_side_by_side("E8", 0.5, 0.0, n_samples=1000, cell_samples=1024, seed=3)
    rcc = rcc_side_by_side(1, 0.5, 0.0, n_samples=300, seed=3)
    ideal = dataclasses.replace(rcc, dimension=8, rate=rcc.rate_rdp, rate_stderr=0.0)
    assert not sd_beats_rcc_check([(ideal, sd)]).passed
