"""SD-LTC on a Laplace source: the exact Z1 formulas against independent computations."""
import math

import numpy as np
import pytest
from scipy import integrate

from rdptheory.dither import sample_voronoi
from rdptheory.lattices import as_lattice
from rdptheory.operating_points import scaled_to_second_moment
from rdptheory.operating_points_laplace import (_laplace_rate_mc, laplace_sd_operating_point,
                                                laplace_sd_perception_1d, laplace_uniform_entropy)


@pytest.mark.parametrize("b,delta", [(0.7, 2.0), (1.0, 0.3), (0.2, 5.0)])
def test_entropy_against_direct_quadrature(b, delta):
    # -∫ f log f with f = (F(w+Δ/2) - F(w-Δ/2))/Δ from the Laplace CDF, integrated over a wide range
    F = lambda x: 0.5 * math.exp(x / b) if x < 0 else 1 - 0.5 * math.exp(-x / b)  # noqa: E731
    f = lambda w: (F(w + delta / 2) - F(w - delta / 2)) / delta                   # noqa: E731
    g = lambda w: -f(w) * math.log(f(w)) if f(w) > 0 else 0.0                    # noqa: E731
    lim = delta / 2 + 60 * b
    ref = sum(integrate.quad(g, a, c, limit=400, epsabs=1e-13)[0]
              for a, c in ((-lim, -delta / 2), (-delta / 2, delta / 2), (delta / 2, lim)))
    assert abs(laplace_uniform_entropy(b, delta) - ref) < 1e-8


def test_z1_exact_rate_matches_monte_carlo_path():
    op = laplace_sd_operating_point("Z1", 0.5, 0.0, n_samples=1000, rng=3)
    Ls = scaled_to_second_moment(as_lattice("Z1"), op.parameters["eta2"])
    rng = np.random.default_rng(5)
    b = op.parameters["laplace_b"]
    y = rng.laplace(scale=b, size=(20000, 1)) + sample_voronoi(Ls, 20000, rng)
    r = _laplace_rate_mc(y, sample_voronoi(Ls, 1024, rng), Ls.volume, b, 1, None)
    assert abs(r.bits - op.rate) <= 4 * r.stderr


def test_perception_against_sample_estimate():
    b, delta, beta = 1 / math.sqrt(2), 2.0, 0.75
    exact = laplace_sd_perception_1d(b, delta, beta)
    rng = np.random.default_rng(0)
    N = 400_000
    x = np.sort(rng.laplace(scale=b, size=N))
    xh = np.sort(beta * (rng.laplace(scale=b, size=N) + rng.uniform(-1, 1, N)))
    est = np.mean((x - xh) ** 2)       # biased high by O(log N / N) only
    assert exact <= est + 1e-3 and est - exact < 5e-3


def test_reproducible_and_bad_input():
    a = laplace_sd_operating_point("E8", 0.5, 0.05, n_samples=200, cell_samples=64, rng=7)
    b = laplace_sd_operating_point("E8", 0.5, 0.05, n_samples=200, cell_samples=64, rng=7)
    assert a.rate == b.rate and a.theory["perception"] == b.theory["perception"]
    with pytest.raises(ValueError, match="variance"):
        laplace_sd_operating_point("Z1", 0.5, 0.0, variance=-1.0)
    with pytest.raises(ValueError, match="delta"):
        laplace_uniform_entropy(1.0, float("nan"))
    with pytest.raises(ValueError, match="n_samples"):
        laplace_sd_operating_point("Z1", 0.5, 0.0, n_samples=1)
