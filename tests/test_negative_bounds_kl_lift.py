"""Negative controls: the KL-lift claims fail with the closed form of the other direction."""
import types

import proofs_checks.bounds_kl_lift_claims as mod
from proofs_checks import CheckContext, get_claim, run_claim


def _swapped():
    real = mod.cf.gaussian_rdp_kl
    other = {"kl": "kl-reverse", "kl-reverse": "kl"}
    return types.SimpleNamespace(
        gaussian_rdp_kl=lambda D, P, direction="kl", **k: real(D, P, direction=other[direction],
                                                               **k))


def _fails(monkeypatch, name):
    monkeypatch.setattr(mod, "cf", _swapped())
    out = run_claim(get_claim(name), CheckContext())
    assert out.result is not None and not out.passed, (out.result.details if out.result
                                                        else out.error)


def test_forward_claim_fails_against_the_reverse_formula(monkeypatch):
    _fails(monkeypatch, "bounds.gaussian_kl.forward_jointly_gaussian_not_optimal")


def test_reverse_claim_fails_against_the_forward_formula(monkeypatch):
    _fails(monkeypatch, "bounds.gaussian_kl_reverse.lifted_scheme_not_below_closed_form")
