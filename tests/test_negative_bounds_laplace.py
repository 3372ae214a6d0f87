"""Negative controls for the Laplace SD-LTC claim: plausible wrong rate estimators must FAIL."""
import dataclasses
import math

from proofs_checks import CheckContext, get_claim, run_claim
import proofs_checks.bounds_laplace_claims as mod

_REAL_BRACKET = mod.laplace_bracket
NAME = "bounds.laplace.sd_ltc_above_bracket"


def _fails(monkeypatch, wrong_rate):
    real = mod.laplace_sd_operating_point

    def wrong(*a, **k):
        op = real(*a, **k)
        return dataclasses.replace(op, rate=wrong_rate(op))
    monkeypatch.setattr(mod, "laplace_sd_operating_point", wrong)
    out = run_claim(get_claim(NAME), CheckContext())
    assert out.result is not None and not out.passed, (out.result.details if out.result
                                                        else out.error)


def _small(monkeypatch):
    # E8 at P = 0 only, fewer samples, a coarse grid: the controls test the check
    monkeypatch.setattr(mod, "N_SAMPLES", {"Z1": 2000, "E8": 2000})
    monkeypatch.setattr(mod, "CELL_SAMPLES", 512)
    monkeypatch.setattr(mod, "CELLS", 80)
    monkeypatch.setattr(mod, "LATTICES", ("E8",))
    monkeypatch.setattr(mod, "P_TARGETS", (0.0,))
    monkeypatch.setattr(mod, "laplace_bracket", _coarse_bracket)


def _coarse_bracket(D, P, n=80):
    return _REAL_BRACKET(D, P, n)


def test_catches_log_volume_per_block(monkeypatch):
    # h(X+U)/n - log V instead of (h(X+U) - log V)/n: the log-volume is not divided by n
    _small(monkeypatch)
    _fails(monkeypatch, lambda op: op.rate - (1 - 1 / op.dimension) * math.log2(
        _volume(op)))


def test_catches_rate_in_nats(monkeypatch):
    # the entropy left in nats while the bracket is in bits
    _small(monkeypatch)
    _fails(monkeypatch, lambda op: op.rate * math.log(2))


def _volume(op):
    from rdptheory.lattices import as_lattice
    from rdptheory.operating_points import scaled_to_second_moment
    return scaled_to_second_moment(as_lattice(op.lattice), op.parameters["eta2"]).volume


def test_small_setting_passes_with_the_right_rate(monkeypatch):
    # the same reduced setting passes with the correct estimator (so the controls are meaningful)
    _small(monkeypatch)
    out = run_claim(get_claim(NAME), CheckContext())
    assert out.passed, out.result.details if out.result else out.error
