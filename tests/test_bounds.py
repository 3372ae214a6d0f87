"""The certified R(D,P) solver (rdptheory.bounds): brackets, closed forms, sources, validation."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rdptheory.bounds import (closed_forms as cf, rate_distortion_ba, rdp_bracket, sources,
                              w2_squared_1d)
from proofs_checks.bounds_claims import shape_violation


def test_w2_1d_matches_sorted_samples():
    rng = np.random.default_rng(1)
    a, b = np.sort(rng.normal(size=50)), np.sort(rng.normal(1.0, 2.0, size=50))
    p = np.full(50, 1 / 50)
    assert math.isclose(w2_squared_1d(a, p, b, p), float(np.mean((a - b) ** 2)), rel_tol=1e-12)


@pytest.mark.parametrize("kind", ["w2", "tv", "kl", "kl-reverse", "none"])
def test_bracket_is_ordered_and_primal_feasible(kind):
    src = sources.discrete([-1.0, 0.0, 0.5, 2.0], [0.2, 0.4, 0.3, 0.1])
    b = rdp_bracket(src, 0.3, 0.02, perception=kind, eps_schedule=(1e-3, 1e-4, 1e-5))
    assert b.lower <= b.upper < math.inf
    assert b.width < 1e-5
    assert b.D_primal <= 0.3 * (1 + 1e-12)
    if kind != "none":
        assert b.P_primal <= 0.02 * (1 + 1e-9)


def test_bernoulli_tv_within_1e6_of_closed_form():
    b = rdp_bracket(sources.bernoulli(0.3), 0.15, 0.05, perception="tv", distortion="hamming")
    ref = float(cf.bernoulli_rdp_tv(0.15, 0.05, 0.3))
    assert b.lower - 1e-9 <= ref <= b.upper + 1e-9 and b.width < 1e-6


def test_bernoulli_rd_ba_matches_closed_form():
    lo, up = rate_distortion_ba(sources.bernoulli(0.3), 0.1, distortion="hamming")
    ref = float(cf.bernoulli_rate_distortion(0.1, 0.3))
    assert lo - 1e-9 <= ref <= up + 1e-9


def test_bernoulli_tv_regimes():
    p = 0.3
    # loose perception: R(D); P = 0 with D past 2p(1-p): zero rate
    assert math.isclose(float(cf.bernoulli_rdp_tv(0.1, 1.0, p)),
                        float(cf.bernoulli_rate_distortion(0.1, p)), rel_tol=1e-12)
    assert float(cf.bernoulli_rdp_tv(2 * p * (1 - p), 0.0, p)) == 0.0
    # symmetric in p <-> 1-p
    assert math.isclose(float(cf.bernoulli_rdp_tv(0.15, 0.05, 0.3)),
                        float(cf.bernoulli_rdp_tv(0.15, 0.05, 0.7)), rel_tol=1e-12)


def test_gaussian_kl_closed_form_limits():
    from rdptheory import gaussian as g
    for kind in ("kl", "kl-reverse"):
        assert math.isclose(float(cf.gaussian_rdp_kl(0.5, 0.0, direction=kind)),
                            float(g.rdp(0.5, 0.0)), rel_tol=1e-9)
        assert math.isclose(float(cf.gaussian_rdp_kl(0.5, 50.0, direction=kind)), 0.5,
                            rel_tol=1e-12)
    # KL ball endpoints are on the level set
    from rdptheory.bounds.closed_forms import _kl_ratio_interval
    lo, hi = _kl_ratio_interval(np.float64(0.3), "kl-reverse")
    for u in (lo, hi):
        assert math.isclose(0.5 * (u - 1 - math.log(u)), 0.3, rel_tol=1e-10)


def test_gaussian_kl_solver_small_grid():
    """Coarse grid (120 cells): the closed form lies within 5e-3 bit of the certified bracket."""
    s = sources.gaussian(1.0, n=120, span=7.0)
    b = rdp_bracket(s, 0.5, 0.02, perception="kl-reverse")
    ref = float(cf.gaussian_rdp_kl(0.5, 0.02, direction="kl-reverse"))
    assert b.width < 1e-5
    assert b.lower - 5e-3 <= ref <= b.upper + 5e-3


@pytest.mark.slow
def test_shannon_lower_bound_below_laplace_solver():
    s = sources.laplace(1.0, n=120, span=12.0)
    b = rdp_bracket(s, 0.3, perception="none", eps_schedule=(1e-3, 1e-4, 1e-5))
    slb = float(cf.shannon_lower_bound(0.3, float(cf.laplace_entropy(1.0))))
    assert slb <= b.upper + 1e-3    # the grid's discretization error is ~1e-3 bit at 120 cells


def test_sources_moments():
    for s, var in [(sources.gaussian(2.0, n=500), 2.0), (sources.laplace(2.0, n=800), 2.0),
                   (sources.uniform(2.0, n=300), 2.0),
                   (sources.gaussian_mixture((0.3, 0.7), (-1, 1), (0.5, 0.2), n=600),
                    0.3 * 1.5 + 0.7 * 1.2 - 0.4 ** 2)]:
        assert math.isclose(float(s.probs.sum()), 1.0, rel_tol=1e-12)
        assert math.isclose(s.variance + s.cell_variance, var, rel_tol=1e-6)


@pytest.mark.parametrize("bad,match", [
    (dict(D=float("nan")), "D must be"), (dict(D=-1.0), "D must be"),
    (dict(P=-0.1), "P must be"), (dict(perception="js"), "perception must be"),
    (dict(distortion="abs"), "distortion must be"), (dict(unit="dB"), "unit must be"),
])
def test_bad_input(bad, match):
    kw = dict(D=0.3, P=0.1, perception="w2", distortion="mse", unit="bits")
    kw.update(bad)
    src = sources.discrete([0.0, 1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match=match):
        rdp_bracket(src, kw.pop("D"), kw.pop("P"), **kw)


def test_bad_sources():
    with pytest.raises(ValueError, match="probs must sum to 1"):
        sources.discrete([0, 1], [0.5, 0.6])
    with pytest.raises(ValueError, match="sigma2"):
        sources.gaussian(float("inf"))
    with pytest.raises(ValueError, match="n must be"):
        sources.laplace(1.0, n=1)
    with pytest.raises(ValueError, match="source must be a DiscreteSource"):
        rdp_bracket(np.array([0.0, 1.0]), 0.3)


# Monotonicity and convexity: hypothesis picks (D1 < D2 < D3) and P from a fixed grid of the
# solver's own certified brackets (Bernoulli/TV: cheap), no bracket may prove a violation.
_DS = (0.03, 0.1, 0.16, 0.22, 0.3)


def _bern_grid(P):
    src = sources.bernoulli(0.3)
    bs = [rdp_bracket(src, D, P, perception="tv", distortion="hamming",
                      eps_schedule=(1e-3, 1e-4, 1e-5)) for D in _DS]
    return [b.lower for b in bs], [b.upper for b in bs]


_CACHE = {}


@settings(max_examples=10, deadline=None)
@given(P=st.sampled_from([0.0, 0.05]),
       idx=st.lists(st.integers(0, len(_DS) - 1), min_size=3, max_size=3, unique=True))
def test_bernoulli_brackets_monotone_convex(P, idx):
    if P not in _CACHE:
        _CACHE[P] = _bern_grid(P)
    lo, up = _CACHE[P]
    i = sorted(idx)
    v = shape_violation([_DS[k] for k in i], [lo[k] for k in i], [up[k] for k in i])
    assert v <= 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gaussian", "laplace", "uniform", "mixture"])
def test_shape_claim_sources(name):
    from proofs_checks.bounds_claims import shape_grid
    Ds, lo, up = shape_grid(name)
    assert shape_violation(Ds, lo, up) <= 1e-9


def test_cli_numerical_bernoulli_json(capsys):
    import json
    from rdptheory.cli import main
    assert main(["bounds", "--source", "bernoulli", "--p", "0.3", "--D", "0.15", "--P", "0.05",
                 "--perception", "tv", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ref = float(cf.bernoulli_rdp_tv(0.15, 0.05, 0.3))
    assert out["R(D,P) lower"] - 1e-9 <= ref <= out["R(D,P) upper"] + 1e-9
    assert out["scope"] == "exact" and out["seconds"] > 0


@pytest.mark.parametrize("argv,match", [
    (["bounds", "--source", "discrete", "--D", "0.1"], "--points and --probs"),
    (["bounds", "--source", "laplace", "--R", "1"], "takes --D"),
    (["bounds", "--source", "gaussian", "--D", "0.5", "--n", "1"], "n must be"),
])
def test_cli_numerical_errors(argv, match, capsys):
    from rdptheory.cli import main
    assert main(argv) == 2
    assert match in capsys.readouterr().err
