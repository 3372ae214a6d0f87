"""Unit tests of rdptheory.baselines.ecvq and the exact ECSQ rate sweep."""
import math

import numpy as np
import pytest

from rdptheory.baselines.ecvq import ecvq_assign, ecvq_evaluate, ecvq_lloyd, ecvq_train
from rdptheory.ltc.ecsq import ecsq_linear, ecsq_linear_at_rate


def test_assign_is_the_brute_force_minimum():
    rng = np.random.default_rng(0)
    x, cb = rng.normal(size=(300, 3)), rng.normal(size=(17, 3))
    lp = np.log2(rng.dirichlet(np.ones(17)))
    j, cost = ecvq_assign(x, cb, lp, 3.0)
    brute = 3.0 * ((x[:, None, :] - cb[None]) ** 2).sum(-1) - lp[None, :]
    assert np.array_equal(j, brute.argmin(1))
    assert np.allclose(cost, brute.min(1), rtol=1e-12, atol=1e-12)


def test_lloyd_never_increases_the_training_loss():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3000, 2))
    init = x[:40]
    losses = [ecvq_lloyd(x, init, 4.0, max_iter=k, tol=-1.0)[2] for k in (1, 2, 4, 8, 16)]
    assert all(b <= a + 1e-12 for a, b in zip(losses, losses[1:]))


def test_reproducible():
    a = ecvq_train(2, 2.4, n_train=2000, restarts=2, rng=3)
    b = ecvq_train(2, 2.4, n_train=2000, restarts=2, rng=3)
    assert np.array_equal(a.codebook, b.codebook) and a.restart_losses == b.restart_losses


def test_evaluation_rate_is_the_code_length():
    """Without the control variate's fluctuation: a 1-codeword quantizer has rate 0, D = 1."""
    q = ecvq_train(1, 0.01, n_train=500, restarts=1, codebook_size=1, rng=0)
    ev = ecvq_evaluate(q, n_samples=20_000, rng=1)
    assert ev.codewords == 1
    assert abs(ev.rate) <= 4 * ev.rate_stderr
    assert abs(ev.distortion - 1.0) <= 4 * ev.distortion_stderr


@pytest.mark.parametrize("R", [0.3, 1.0, 2.5])
def test_ecsq_at_rate_inverts_the_rate(R):
    p = ecsq_linear_at_rate(R)
    assert math.isclose(p.rate, R, abs_tol=1e-10)
    assert ecsq_linear(p.a).distortion == pytest.approx(p.distortion, rel=1e-12)


@pytest.mark.parametrize("kw,name", [({"n": 0}, "n"), ({"lam": -1.0}, "lam"),
                                     ({"lam": float("nan")}, "lam"),
                                     ({"n_train": 10}, "n_train"), ({"restarts": 0}, "restarts")])
def test_bad_input(kw, name):
    args = {"n": 1, "lam": 2.0, "n_train": 200, "restarts": 1}
    args.update(kw)
    with pytest.raises(ValueError, match=name):
        ecvq_train(args.pop("n"), args.pop("lam"), **args)
    if name == "n":
        with pytest.raises(ValueError, match="rate"):
            ecsq_linear_at_rate(100.0)
