"""measure_perception is a composition of the bound estimators: every bound it reports equals
the component called directly with the same directions and σ² (consistency of two code paths;
written against mutation-testing survivors of rdptheory/perception/measurement.py)."""
import json
import math

import numpy as np
import pytest

from rdptheory.lattices import get
from rdptheory.perception import measure_perception
from rdptheory.perception.measurement import (frame_sliced_lower_bound, gelbrich_lower_bound,
                                              kl_from_log_density, lattice_directions)

SIGMA2 = 2.5


def _sample(n, N=3000, seed=0):
    return math.sqrt(SIGMA2 * 1.2) * np.random.default_rng(seed).standard_normal((N, n))


def _pair(b):
    return (b.value, b.stderr)


def test_random_direction_bounds_are_the_components():
    x = _sample(4)
    m = measure_perception(x, SIGMA2, n_projections=32, rng=5)
    th = np.random.default_rng(5).standard_normal((32, 4))
    assert m.bounds["gelbrich"] == pytest.approx(_pair(gelbrich_lower_bound(x, SIGMA2)), rel=1e-12)
    sliced = frame_sliced_lower_bound(x, th, SIGMA2, name="sliced_random")
    assert m.bounds["sliced_random"] == pytest.approx(_pair(sliced), rel=1e-12)
    assert (m.estimate, m.estimate_stderr) == pytest.approx(_pair(sliced), rel=1e-12)
    assert m.method == "sliced W2² (32 random directions), bias-corrected"
    assert m.lower == max(v for v, _ in m.bounds.values() if np.isfinite(v))
    assert m.upper == math.inf and m.upper_bound == "none" and math.isnan(m.kl)
    assert (m.n_samples, m.dim) == (3000, 4)


@pytest.mark.parametrize("name, which", [("D4", "relevant vectors"), ("Leech", "minimal vectors")])
def test_lattice_direction_bounds_are_the_components(name, which):
    L = get(name)
    x = _sample(L.dimension, N=2000)
    m = measure_perception(x, SIGMA2, lattice=L, n_projections=8, max_lattice_directions=40,
                           rng=6)
    g = np.random.default_rng(6)
    g.standard_normal((8, L.dimension))
    prim, dual = lattice_directions(L, 40, g)
    b_prim = frame_sliced_lower_bound(x, prim, SIGMA2, name="sliced_lattice")
    b_dual = frame_sliced_lower_bound(x, dual, SIGMA2, name="sliced_dual")
    assert m.bounds["sliced_lattice"] == pytest.approx(_pair(b_prim), rel=1e-12)
    assert m.bounds["sliced_dual"] == pytest.approx(_pair(b_dual), rel=1e-12)
    best = max((b_prim, b_dual), key=lambda b: b.value)
    assert m.estimate == pytest.approx(best.value, rel=1e-12)
    star = "" if best.name == "sliced_lattice" else "*"
    assert m.method == f"frame-sliced W2² on the {which} of Λ{star}, bias-corrected"


def test_extra_directions_kl_rows_bias_and_coupling():
    from scipy import stats
    n, N = 3, 4000
    x = _sample(n, N=N, seed=2)
    V = np.random.default_rng(3).standard_normal((5, n))
    rows = np.arange(0, N, 2)
    lp = stats.multivariate_normal(np.zeros(n), SIGMA2 * 1.2 * np.eye(n)).logpdf(x[rows])
    bias = np.full(rows.size, 0.002)
    cost = np.full(N, 0.3) + 0.01 * np.random.default_rng(4).random(N)
    m = measure_perception(x, SIGMA2, directions={"learned": V}, log_density=lp,
                           log_density_bias=bias, log_density_rows=rows, coupling_cost=cost, rng=1)
    extra = frame_sliced_lower_bound(x, V, SIGMA2, name="learned")
    assert m.bounds["learned"] == pytest.approx(_pair(extra), rel=1e-12)
    assert m.estimate == pytest.approx(extra.value, rel=1e-12)
    assert m.method == "frame-sliced W2² on the learned directions, bias-corrected"
    kl = kl_from_log_density(x[rows], lp, SIGMA2, log_density_bias=bias)
    assert (m.kl, m.kl_stderr) == pytest.approx(_pair(kl), rel=1e-12)
    assert m.bounds["talagrand"] == pytest.approx((2 * SIGMA2 * kl.value, 2 * SIGMA2 * kl.stderr),
                                                  rel=1e-12)
    assert m.bounds["coupling"] == pytest.approx((cost.mean(), cost.std(ddof=1) / math.sqrt(N)),
                                                 rel=1e-12)
    assert m.upper == min(m.bounds["talagrand"][0], m.bounds["coupling"][0])
    d = json.loads(json.dumps(m.as_dict()))
    assert d["bounds"]["learned"] == list(m.bounds["learned"]) and d["warnings"] == []
    assert d["method"] == m.method and d["dim"] == n


def test_measure_perception_input_errors():
    x = _sample(2, N=10)
    for kwargs, match in [(dict(sigma2=0.0), r"^sigma2 must be in \(0"),
                          (dict(n_projections=0), "^n_projections must"),
                          (dict(lattice="D4"), "^lattice dimension 4 != sample dimension 2$"),
                          (dict(coupling_cost=np.full(9, 0.1)), "^coupling_cost must be 10 finite"),
                          (dict(coupling_cost=np.full(10, -0.1)), "^coupling_cost must be 10")]:
        with pytest.raises(ValueError, match=match):
            measure_perception(x, **kwargs)
