"""Negative controls: each vector-KL claim fails when fed a plausible wrong implementation."""
import numpy as np

import rdptheory.bounds.gaussian_kl_vector as kv
from proofs_checks import CheckContext, get_claim, run_claim


def _fails(name):
    out = run_claim(get_claim(name), CheckContext())
    assert out.result is not None and not out.passed, (out.result.details if out.result
                                                        else out.error)


def test_equal_variances_catches_swapped_kl_direction(monkeypatch):
    real = kv._kl
    monkeypatch.setattr(kv, "_kl", lambda v, d: real(v, "kl" if d == "kl-reverse" else
                                                     "kl-reverse"))
    monkeypatch.setattr(kv, "_dkl", lambda v, d: (0.5 * -np.expm1(-v)) if d == "kl-reverse"
                        else 0.5 * np.expm1(v))
    _fails("bounds.gaussian_kl_vector.equal_variances")


def test_limits_catch_a_rate_left_in_nats(monkeypatch):
    monkeypatch.setattr(kv, "unit_factor", lambda unit: 1.0)
    _fails("bounds.gaussian_kl_vector.limits")


def test_brute_force_catches_a_missing_factor_two_in_the_distortion(monkeypatch):
    real = kv._terms

    def terms(z, s, direction):
        r, d, kl, gr, gdw, gdv, gk = real(z, s, direction)
        m = s.size
        rho, su = np.tanh(z[:m]), np.exp(0.5 * z[m:])
        return r, d + s * rho * su, kl, gr, gdw / 2, s * (su * su - 0.5 * rho * su), gk
    monkeypatch.setattr(kv, "_terms", terms)        # D_i = s(1 + u − ρ√u): cross term halved
    _fails("bounds.gaussian_kl_vector.brute_force_and_dual_gap")


def test_dual_gap_catches_a_dual_without_the_kl_term(monkeypatch):
    real = kv._inner_min
    monkeypatch.setattr(kv, "_inner_min", lambda s, lam, mu, d, **k: real(s, lam, 0.0, d, **k))
    _fails("bounds.gaussian_kl_vector.brute_force_and_dual_gap")
