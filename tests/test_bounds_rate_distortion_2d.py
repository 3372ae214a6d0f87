"""rdptheory.bounds.rate_distortion_2d against the closed-form R(D) of 2-D Gaussians (reverse
water-filling): the lifted upper bound is achievable (never below R(D)) and tight to the grid's
resolution; the Shannon lower bound is exact for the isotropic Gaussian."""
import math

import numpy as np
import pytest

from rdptheory.bounds.rate_distortion_2d import rate_distortion_2d
from rdptheory.gaussian import rate_distortion_vector


def _gauss(var):
    var = np.asarray(var, float)
    return lambda z: (-0.5 * (z * z / var).sum(axis=1) - np.log(2 * np.pi)
                      - 0.5 * np.log(var).sum())


# slack: the cost of the lift's two cell variances at 32 × 32 cells (measured 0.067, 0.109, 0.172)
@pytest.mark.parametrize("var, D, slack", [((1.0, 1.0), 0.25, 0.07), ((1.0, 0.25), 0.1, 0.12),
                                           ((1.0, 0.04), 0.05, 0.18)])
def test_upper_bound_is_above_and_near_the_closed_form(var, D, slack):
    h = 0.5 * sum(0.5 * math.log2(2 * math.pi * math.e * v) for v in var)
    box = tuple((-6 * math.sqrt(v), 6 * math.sqrt(v)) for v in var)
    r = rate_distortion_2d(_gauss(var), box, D, n=32, entropy_bits=h)
    exact = rate_distortion_vector(2 * D, list(var)).rate / 2        # bits per coordinate
    assert r.lower <= exact + 1e-12
    assert exact <= r.upper <= exact + slack
    assert r.outside_mass < 1e-8 and r.cells <= 32 * 32


def test_forgetting_the_cell_variances_would_fall_below_r_of_d(monkeypatch):
    """Negative control: a lift that reports the grid distortion alone (cell variances 0) claims
    rates below the true R(D) on a coarse grid, so the 'above' assertion can fail."""
    import rdptheory.bounds.rate_distortion_2d as mod
    real = mod._grid

    def no_variance(*a):
        pts, p, var, out = real(*a)
        return pts, p, np.zeros_like(var), out
    monkeypatch.setattr(mod, "_grid", no_variance)
    r = mod.rate_distortion_2d(_gauss((1.0, 1.0)), ((-6, 6), (-6, 6)), 0.25, n=12)
    assert r.upper < 1.0


def test_isotropic_shannon_lower_bound_is_exact():
    r = rate_distortion_2d(_gauss((1.0, 1.0)), ((-7, 7), (-7, 7)), 0.25, n=8,
                           entropy_bits=0.5 * math.log2(2 * math.pi * math.e))
    assert r.lower == pytest.approx(1.0, abs=1e-12)


def test_finer_grids_tighten_the_upper_bound():
    ups = [rate_distortion_2d(_gauss((1.0, 1.0)), ((-7, 7), (-7, 7)), 0.25, n=n).upper
           for n in (16, 24, 32)]
    assert ups[0] > ups[1] > ups[2] >= 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="D"):
        rate_distortion_2d(_gauss((1, 1)), ((-7, 7), (-7, 7)), 0.0)
    with pytest.raises(ValueError, match="n"):
        rate_distortion_2d(_gauss((1, 1)), ((-7, 7), (-7, 7)), 0.2, n=1)
    with pytest.raises(ValueError, match="cells"):
        rate_distortion_2d(_gauss((1, 1)), ((-7, 7), (-7, 7)), 0.2, n=100)


@pytest.mark.parametrize("kwargs, match", [
    (dict(box=((np.nan, 1), (0, 1))), "box"), (dict(box=((1, -1), (0, 1))), "box"),
    (dict(box=((-1e400, 1), (0, 1))), "box"), (dict(box=((0, 1),)), "box"),
    (dict(n=512, sub=16), "n \\* sub"), (dict(iters=10 ** 12), "iters"),
    (dict(slopes=[np.nan]), "slopes"), (dict(slopes=[-1.0]), "slopes"),
    (dict(log_density=3.0), "log_density"), (dict(D=np.nan), "D"), (dict(D=-1.0), "D"),
])
def test_more_bad_input(kwargs, match):
    k = dict(log_density=_gauss((1, 1)), box=((-6, 6), (-6, 6)), D=0.25, n=8)
    k.update(kwargs)
    with pytest.raises(ValueError, match=match):
        rate_distortion_2d(k.pop("log_density"), k.pop("box"), k.pop("D"), **k)


def test_huge_distortion_ends_at_rate_zero():
    r = rate_distortion_2d(_gauss((1, 1)), ((-6, 6), (-6, 6)), 1e300, n=8)
    assert r.upper == pytest.approx(0.0, abs=1e-9)
