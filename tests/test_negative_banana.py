"""Negative controls for the block-LTC-on-banana claim: its check fails when the "block" coder is
really the one-shot A2 coder, and when the gain is within the noise; it passes on the numbers
measured on this machine (λ = 8, 2000 steps, seeds 0/1/2)."""
from rdptheory.ltc.evaluate import Evaluation

from proofs_checks.banana_claims import block_gain_check


def _ev(lattice, n, rate, rate_se, D, gap, gap_se):
    return Evaluation(source="banana", n=n, lattice=lattice, rate=rate, rate_stderr=rate_se,
                      rate_jensen_bias=0.0, empirical_entropy=rate, distinct_cells=100,
                      entropy_check_valid=True, distortion=D, distortion_stderr=5e-4,
                      reference_name="Shannon lower bound", reference_rate=rate - gap,
                      gap_bits=gap, gap_stderr=gap_se, gap_db=6.02 * gap, n_samples=20000,
                      cell_samples=4096)


Z2 = _ev("Z2", 2, 1.4501, 0.0040, 0.07292, 0.4901, 0.0045)
A2 = _ev("A2", 2, 1.4206, 0.0044, 0.06994, 0.4304, 0.0047)
E8 = _ev("E8", 8, 1.3239, 0.0023, 0.07391, 0.3734, 0.0022)


def test_measured_numbers_pass():
    r = block_gain_check([("NTC Z2", Z2), ("LTC A2", A2)], ("block E8", E8))
    assert r.passed and r.value > 10


def test_fails_when_the_block_coder_is_the_one_shot_a2():
    r = block_gain_check([("NTC Z2", Z2), ("LTC A2", A2)], ("block (really A2)", A2))
    assert not r.passed


def test_fails_for_a_gain_within_four_standard_errors():
    close = _ev("E8", 8, 1.41, 0.0023, 0.0700, 0.4304 - 3 * 0.0052, 0.0022)
    assert not block_gain_check([("NTC Z2", Z2), ("LTC A2", A2)], ("block E8", close)).passed


def test_the_best_one_shot_is_the_reference():
    # against the worse one-shot coder alone the same E8 numbers would pass by more
    worse_only = block_gain_check([("NTC Z2", Z2)], ("block E8", E8)).value
    both = block_gain_check([("NTC Z2", Z2), ("LTC A2", A2)], ("block E8", E8)).value
    assert worse_only > both


# measured at the verify seed (rdptheory verify --full --only baselines.banana)
A2_VERIFY = _ev("A2", 2, 1.4548, 0.0045, 0.06948, 0.4599, 0.0046)
Z2_VERIFY = _ev("Z2", 2, 1.7802, 0.0048, 0.06416, 0.7277, 0.0065)
LEECH = _ev("Leech", 24, 1.3313, 0.0015, 0.07074, 0.3493, 0.0012)


def test_leech_claim_passes_on_its_measurement_and_fails_on_plausible_wrong_coders():
    """The Leech claim's check: its measured numbers pass (23.3 SE); a "block" coder that is
    really the one-shot A2, or a Leech coder whose gain is within 4 SE, fails."""
    one_shot = [("NTC Z2", Z2_VERIFY), ("LTC A2", A2_VERIFY)]
    r = block_gain_check(one_shot, ("block Leech", LEECH))
    assert r.passed and round(r.value, 1) == 23.3
    assert not block_gain_check(one_shot, ("block (really A2)", A2_VERIFY)).passed
    near = _ev("Leech", 24, 1.44, 0.0015, 0.0700, 0.4599 - 3 * 0.0048, 0.0012)
    assert not block_gain_check(one_shot, ("block Leech", near)).passed
