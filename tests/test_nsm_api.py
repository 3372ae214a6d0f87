"""The NSM result object and the bounds at the level of single values (written against
mutation-testing survivors of rdptheory/nsm.py; references by mpmath and scipy.stats)."""
import json
import math

import mpmath
import pytest
from scipy import stats

from rdptheory.nsm import NsmInterrupted, nsm_estimate, sphere_bound, zador_bound


@pytest.mark.parametrize("n", [1, 2, 3, 8, 16, 24, 100])
def test_sphere_and_zador_bounds_match_mpmath(n):
    with mpmath.workdps(30):
        g = mpmath.gamma(mpmath.mpf(n) / 2 + 1) ** (mpmath.mpf(2) / n)
        sphere = g / ((n + 2) * mpmath.pi)
        zador = g * mpmath.gamma(1 + mpmath.mpf(2) / n) / (n * mpmath.pi)
    assert sphere_bound(n) == pytest.approx(float(sphere), rel=1e-13)
    assert zador_bound(n) == pytest.approx(float(zador), rel=1e-13)
    assert sphere_bound(n) < zador_bound(n)


@pytest.mark.parametrize("bound", [sphere_bound, zador_bound])
@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_bounds_refuse_bad_dimensions_naming_n(bound, bad):
    with pytest.raises(ValueError, match="^n must"):
        bound(bad)


@pytest.fixture(scope="module")
def estimate():
    return nsm_estimate("Z2", 4096, rng=3)


@pytest.mark.parametrize("level", [0.5, 0.9, 0.99])
def test_interval_is_estimate_plus_minus_the_quantile(estimate, level):
    r = estimate
    if r.degrees_of_freedom > 1e6:
        z = stats.norm.ppf(0.5 + level / 2)
    else:
        z = stats.t.ppf(0.5 + level / 2, r.degrees_of_freedom)
    lo, hi = r.interval(level)
    assert lo == pytest.approx(r.estimate - z * r.stderr, rel=1e-12)
    assert hi == pytest.approx(r.estimate + z * r.stderr, rel=1e-12)
    assert tuple(r.ci95) == pytest.approx(r.interval(0.95), rel=1e-12)
    assert r.interval() == r.interval(0.95)                     # the default level


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.1])
def test_interval_refuses_levels_outside_the_open_unit_interval(estimate, level):
    with pytest.raises(ValueError, match=r"^level must be in \(0, 1\); got"):
        estimate.interval(level)


def test_as_dict_keys_and_values(estimate):
    r = estimate
    d = json.loads(json.dumps(r.as_dict()))
    assert set(d) == {"lattice", "dimension", "method", "estimate", "stderr", "ci", "ci_level",
                      "degrees_of_freedom", "n_samples", "jackknife_stderr", "replicates",
                      "fourth_moment", "fourth_moment_stderr", "whiteness", "autocorrelation",
                      "autocorrelation_stderr", "wall_time", "complete", "seed_entropy"}
    assert d["lattice"] == r.lattice and d["dimension"] == 2 and d["method"] == r.method
    assert d["ci_level"] == 0.95 and d["ci"] == list(r.ci95)
    assert d["estimate"] == r.estimate and d["stderr"] == r.stderr
    assert d["n_samples"] == r.n_samples == 4096 and d["complete"] is True
    assert d["degrees_of_freedom"] == r.degrees_of_freedom and d["replicates"] == r.replicates
    assert d["fourth_moment"] == r.fourth_moment
    assert d["fourth_moment_stderr"] == r.fourth_moment_stderr
    assert d["whiteness"] == r.whiteness and d["wall_time"] == r.wall_time
    assert d["autocorrelation"] == r.autocorrelation.tolist()
    assert d["autocorrelation_stderr"] == r.autocorrelation_stderr.tolist()
    assert d["seed_entropy"] == str(r.seed_entropy)
    assert (d["jackknife_stderr"] is None and math.isnan(r.jackknife_stderr)
            or d["jackknife_stderr"] == r.jackknife_stderr)


def test_interrupted_carries_its_message_and_partial():
    exc = NsmInterrupted(partial=None)
    assert str(exc) == "interrupted" and exc.partial is None and isinstance(exc, KeyboardInterrupt)


def test_scheduler_reaches_the_chunk_runner(monkeypatch):
    """The answer does not depend on the backend (by design), so a dropped ``scheduler`` would
    pass every equality test: check that the Dask path is the one taken, with the chunks run
    in order through a recording stand-in for the Dask runner."""
    from rdptheory import _parallel
    seen = []

    def fake_dask(fn, specs, scheduler, on_result, start, intr):
        seen.append(scheduler)
        for i in range(start, len(specs)):
            res = fn(specs[i])
            if on_result:
                on_result(i)
            yield i, res
    monkeypatch.setattr(_parallel, "_run_dask", fake_dask)
    a = nsm_estimate("D4", 100_000, rng=5, scheduler="dask")
    assert seen == ["dask"]
    b = nsm_estimate("D4", 100_000, rng=5)
    assert (a.estimate, a.stderr) == (b.estimate, b.stderr) and seen == ["dask"]
