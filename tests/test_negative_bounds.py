"""Negative controls: each bounds claim fails when fed a plausible wrong implementation."""
import pytest

from proofs_checks import CheckContext, get_claim, run_claim
import proofs_checks.bounds_claims as mod


def _fails(monkeypatch, name, attr, fn, obj=mod):
    monkeypatch.setattr(obj, attr, fn)
    out = run_claim(get_claim(name), CheckContext())
    assert out.result is not None and not out.passed, (out.result.details if out.result
                                                        else out.error)


class _CF:
    """closed_forms with one function replaced."""

    def __init__(self, **repl):
        self.__dict__.update({k: getattr(mod.cf, k) for k in dir(mod.cf) if not k.startswith("__")})
        self.__dict__.update(repl)


def test_bracket_claim_catches_perception_ignored(monkeypatch):
    # R(D) in place of R(D,P): plausible if the TV constraint were forgotten
    wrong = _CF(bernoulli_rdp_tv=lambda D, P, p: mod.cf.bernoulli_rate_distortion(D, p))
    _fails(monkeypatch, "bounds.bernoulli_tv.bracket_vs_closed_form", "cf", wrong)


def test_brute_force_claim_catches_swapped_distortion_split(monkeypatch):
    # a = (D+P)/2, b = (D-P)/2 swapped: the joint law then has the wrong output marginal
    import numpy as np
    from scipy.special import xlogy

    def swapped(D, P, p):
        H = lambda *q: -sum(xlogy(x, x) for x in q) / np.log(2)   # noqa: E731
        Pc = min(P, p)
        if D <= Pc / (1 - 2 * (p - Pc)):
            return mod.cf.bernoulli_rate_distortion(D, p)
        if D >= 2 * p * (1 - p) - (1 - 2 * p) * Pc:
            return 0.0
        a, b = (D + Pc) / 2, (D - Pc) / 2
        return H(p, 1 - p) + H(p - Pc, 1 - p + Pc) - H(a, b, p - b, 1 - p - a)
    _fails(monkeypatch, "bounds.bernoulli_tv.closed_form_vs_brute_force", "cf",
           _CF(bernoulli_rdp_tv=swapped))


def test_bracket_claim_catches_an_uncertified_iterate(monkeypatch):
    # a "solver" returning an iterate as a zero-width bracket that is off by 1e-3 bit
    real = mod.rdp_bracket

    def iterate_only(*a, **k):
        b = real(*a, **k)
        from dataclasses import replace
        return replace(b, lower=b.upper + 1e-3, upper=b.upper + 1e-3)
    _fails(monkeypatch, "bounds.bernoulli_tv.bracket_vs_closed_form", "rdp_bracket", iterate_only)


@pytest.mark.slow
def test_ba_claim_catches_a_wrong_blahut_lower_bound(monkeypatch):
    # BA whose lower bound forgets the max over y (a plausible slip): brackets stop overlapping
    real = mod.rate_distortion_ba

    def shifted(src, D, **k):
        lo, up = real(src, D, **k)
        return lo + 1e-4, up + 1e-4
    _fails(monkeypatch, "bounds.rate_distortion.vs_blahut_arimoto", "rate_distortion_ba", shifted)


@pytest.mark.slow
def test_gaussian_claim_catches_rd_in_place_of_rdp(monkeypatch):
    import types
    from rdptheory import gaussian as g
    fake = types.SimpleNamespace(rdp=lambda D, P: g.rate_distortion(D),
                                 rate_distortion=g.rate_distortion)
    _fails(monkeypatch, "bounds.gaussian_w2.bracket_vs_closed_form", "g", fake)


def test_shape_check_catches_a_concave_curve():
    # brackets of a curve that rises, then is concave: the checker must flag it
    Ds = [0.1, 0.2, 0.3]
    assert mod.shape_violation(Ds, [1.0, 1.2, 0.5], [1.0, 1.2, 0.5]) > 0.1   # not monotone
    assert mod.shape_violation(Ds, [1.0, 0.9, 0.1], [1.0, 0.9, 0.1]) > 0.1   # not convex
    assert mod.shape_violation(Ds, [1.0, 0.5, 0.2], [1.0, 0.5, 0.2]) == 0.0
