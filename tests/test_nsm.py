"""The Monte Carlo NSM engine: reproducibility, parallel backends, statistics, bad input.

Accuracy against the literature, error-bar coverage and invariances are registered claims
(nsm.*), run by tests/test_claims.py.
"""
import json
import math

import numpy as np
import pytest

from rdptheory.cli import main
from rdptheory.lattices import get
from rdptheory.nsm import NsmInterrupted, nsm_estimate, sphere_bound, zador_bound
from rdptheory.stats import Moments


def _same(a, b):
    assert a.estimate == b.estimate and a.stderr == b.stderr and a.n_samples == b.n_samples
    np.testing.assert_array_equal(a.autocorrelation, b.autocorrelation)
    assert a.fourth_moment == b.fourth_moment


def test_same_seed_same_result_whatever_the_workers():
    a = nsm_estimate("D4", 300_000, rng=7, workers=1)
    b = nsm_estimate("D4", 300_000, rng=7, workers=2)
    _same(a, b)
    c = nsm_estimate("D4", 300_000, rng=8, workers=1)
    assert c.estimate != a.estimate


def test_rqmc_same_result_whatever_the_workers():
    a = nsm_estimate("E8", 1 << 18, rng=3, method="rqmc", workers=1)
    b = nsm_estimate("E8", 1 << 18, rng=3, method="rqmc", workers=2)
    _same(a, b)
    assert a.replicates == 16 and a.n_samples == 1 << 18


def test_generator_rng_is_reproducible():
    a = nsm_estimate("A2", 50_000, rng=np.random.default_rng(11))
    b = nsm_estimate("A2", 50_000, rng=np.random.default_rng(11))
    _same(a, b)


def test_result_fields_consistent():
    r = nsm_estimate("E8", 200_000, rng=1)
    assert np.trace(r.autocorrelation) / 8 == pytest.approx(r.estimate, rel=1e-12)
    lo, hi = r.ci95
    # MC: Student-t with N - 1 = 199999 degrees of freedom (scipy.stats.t, independent of
    # the code under test), practically the normal 1.959964
    from scipy.stats import t as student
    q = student.ppf(0.975, 199_999)
    assert lo < r.estimate < hi and hi - lo == pytest.approx(2 * q * r.stderr, rel=1e-9)
    rq = nsm_estimate("D4", 4096, rng=1, method="rqmc")
    assert rq.degrees_of_freedom == 15
    assert rq.ci95[1] - rq.ci95[0] == pytest.approx(2 * student.ppf(0.975, 15) * rq.stderr,
                                                     rel=1e-9)
    assert r.interval(0.999)[1] > hi
    d = json.loads(json.dumps(r.as_dict()))
    assert {"estimate", "stderr", "ci", "n_samples", "wall_time"} <= set(d)


def test_moments_merge_matches_direct():
    x = np.random.default_rng(0).normal(size=(1001, 3)) * [1, 10, 1e-3] + [5, -2, 1e3]
    parts = np.array_split(x, 7)
    m = Moments.from_samples(parts[0])
    for p in parts[1:]:
        m = m.merge(Moments.from_samples(p))
    np.testing.assert_allclose(m.mean, x.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(m.variance, x.var(axis=0, ddof=1), rtol=1e-9)
    assert Moments.from_samples(np.empty((0, 3))).merge(m).count == 1001


def test_interrupt_returns_partial_estimate():
    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) == 3:
            raise KeyboardInterrupt

    with pytest.raises(NsmInterrupted) as exc:
        nsm_estimate("E8", 10 * 65536, rng=1, workers=1, progress=progress)
    partial = exc.value.partial
    assert partial is not None and not partial.complete
    assert 0 < partial.n_samples < 10 * 65536 and partial.n_samples % 65536 == 0
    full = nsm_estimate("E8", partial.n_samples, rng=1, workers=1)
    assert partial.estimate == full.estimate  # the same first chunks


def test_bounds_against_reference():
    # SPLAG ch. 2; Zador 1982: G*_8 = 0.0704536, G*_24 = 0.0647498; both bounds -> 1/(2 pi e)
    assert sphere_bound(8) == pytest.approx(0.0704536, abs=5e-8)
    assert sphere_bound(24) == pytest.approx(0.0647498, abs=5e-8)
    assert sphere_bound(1) == pytest.approx(1 / 12, rel=1e-14)  # the ball is an interval
    for n in (2, 8, 24, 100):
        assert sphere_bound(n) < zador_bound(n)
    assert abs(sphere_bound(100_000) - 1 / (2 * math.pi * math.e)) < 1e-4
    assert abs(zador_bound(100_000) - 1 / (2 * math.pi * math.e)) < 1e-4


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_samples=0), "n_samples must be"), (dict(n_samples=1.5), "n_samples must be"),
    (dict(n_samples="many"), "n_samples must be"), (dict(workers=0), "workers must be"),
    (dict(method="mcmc"), "method must be"), (dict(replicates=1), "replicates must be"),
    (dict(method="rqmc", n_samples=10), "n_samples must be >="),
    (dict(rng=-3), "rng must be"), (dict(rng="seed"), "rng must be"),
])
def test_bad_input(kwargs, match):
    args = dict(lattice="E8", n_samples=1000)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        nsm_estimate(**args)
    with pytest.raises(ValueError, match="unknown lattice"):
        nsm_estimate("E9", 1000)


def test_dask_local_cluster_gives_the_same_answer():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        a = nsm_estimate("D4", 400_000, rng=5, scheduler=client)
        b = nsm_estimate("D4", 400_000, rng=5, workers=1)
        _same(a, b)


def test_cli_nsm_json_and_errors(capsys):
    assert main(["nsm", "D4", "--samples", "1e5", "--seed", "2", "--json", "--no-progress",
                 "--workers", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    r = nsm_estimate("D4", 100_000, rng=2)
    assert out["estimate"] == r.estimate and out["n_samples"] == 100_000
    assert out["reference"]["value"] == get("D4").nsm_reference.value
    for argv, msg in ((["nsm", "E8", "--samples", "0"], "--samples"),
                      (["nsm", "E9"], "unknown lattice"),
                      (["nsm", "E8", "--workers", "0"], "workers must be"),
                      (["nsm"], "name a lattice")):
        assert main(argv) == 2
        assert msg in capsys.readouterr().err
    assert main(["nsm", "--list"]) == 0
    assert "Leech" in capsys.readouterr().out
