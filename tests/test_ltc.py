"""The numpy LTC: gradients, entropy-model normalization, reproducibility, bad input, CLI."""
import json
import math

import numpy as np
import pytest
from scipy.stats import norm

from rdptheory.dither import sample_voronoi
from rdptheory.ltc import (FactorizedMixture, GaussianDensity, LatticeQuantizer, Linear, MLP,
                           evaluate, make_ltc, train)
from rdptheory.ltc.ecsq import ecsq_linear
from rdptheory.ltc.transforms import Blockwise
from rdptheory.ltc.experiments import Experiment, run_experiment, search_lambda


def _fd_check(f, params, grads, rng, n_checks=6, eps=1e-6, rtol=1e-5, atol=1e-7):
    """Compare analytic grads with central finite differences of the scalar f() at a few
    random entries of every parameter array (updated in place and restored)."""
    for key, p in params.items():
        flat = p.reshape(-1)
        idx = rng.choice(flat.size, size=min(n_checks, flat.size), replace=False)
        for i in idx:
            old = flat[i]
            flat[i] = old + eps
            fp = f()
            flat[i] = old - eps
            fm = f()
            flat[i] = old
            num = (fp - fm) / (2 * eps)
            ana = grads[key].reshape(-1)[i]
            assert ana == pytest.approx(num, rel=rtol, abs=atol), (key, i, ana, num)


def _transform_loss(t, x, c):
    y, _ = t.forward(x)
    return float((c * y).sum() + 0.5 * (y ** 2).sum())


@pytest.mark.parametrize("make", [lambda r: Linear(3, 4, rng=r),
                                  lambda r: Linear(3, 2, bias=True, rng=r),
                                  lambda r: MLP((3, 5, 4, 2), rng=r),
                                  lambda r: MLP((2, 6, 2), rng=r, skip=False),
                                  lambda r: Blockwise(MLP((2, 5, 2), rng=r), 3)])
def test_transform_gradients_match_finite_differences(make):
    rng = np.random.default_rng(0)
    t = make(1)
    for p in t.params.values():
        p += 0.3 * rng.normal(size=p.shape)
    x = rng.normal(size=(7, t.n_in))
    y, cache = t.forward(x)
    c = rng.normal(size=y.shape)
    gx, grads = t.backward(cache, c + y)
    _fd_check(lambda: _transform_loss(t, x, c), t.params, grads, rng)
    xs = {"x": x}
    _fd_check(lambda: _transform_loss(t, xs["x"], c), xs, {"x": gx}, rng)


@pytest.mark.parametrize("model", [lambda: GaussianDensity(3, learn_mean=True),
                                   lambda: FactorizedMixture(3, components=2, kind="logistic"),
                                   lambda: FactorizedMixture(3, components=3, kind="gaussian"),
                                   lambda: FactorizedMixture(2, components=2, kind="laplace")])
def test_entropy_model_gradients_match_finite_differences(model):
    rng = np.random.default_rng(1)
    em = model()
    for p in em.params.values():
        p += 0.2 * rng.normal(size=p.shape)
    n = em.n
    lat = {1: "Z1", 2: "A2", 3: "A3"}[n] if n != 3 else "Z3"
    cells = sample_voronoi(lat, 64, rng=2)
    yhat = {"y": rng.normal(size=(5, n)) * 1.5}
    G = rng.normal(size=5)

    def f():
        return float(G @ em.cell_log_probability(yhat["y"], cells, 1.0).logp)

    cp = em.cell_log_probability(yhat["y"], cells, 1.0, grad=True)
    gy, grads = em.cell_backward(cp.cache, G)
    _fd_check(f, em.params, grads, rng, atol=1e-6)
    _fd_check(f, yhat, {"y": gy}, rng, atol=1e-6)
    # the density's own gradient (used by the generic cell path)
    w = {"w": rng.normal(size=(4, n))}
    g2 = rng.normal(size=4)
    ld, cache = em.log_density(w["w"])
    gw, _ = em.density_backward(cache, g2)
    _fd_check(lambda: float(g2 @ em.log_density(w["w"])[0]), w, {"w": gw}, rng)


@pytest.mark.parametrize("make", [lambda: GaussianDensity(4, learn_mean=True),
                                  lambda: FactorizedMixture(4, components=1, kind="laplace"),
                                  lambda: FactorizedMixture(4, components=3, kind="logistic")])
def test_fast_cell_path_equals_generic_path(make):
    """The numba cell kernels agree with the generic path through log_density."""
    rng = np.random.default_rng(3)
    em = make()
    for p in em.params.values():
        p += 0.2 * rng.normal(size=p.shape)
    cells = sample_voronoi("D4*", 128, rng=4)
    y = rng.normal(size=(6, 4))
    fast = em.cell_log_probability(y, cells, 0.5, grad=True)
    from rdptheory.ltc.entropy_models import _Base
    slow = _Base.cell_log_probability(em, y, cells, 0.5, grad=True)
    np.testing.assert_allclose(fast.logp, slow.logp, rtol=1e-12, atol=1e-12)
    G = rng.normal(size=6)
    a, ga = em.cell_backward(fast.cache, G)
    b, gb = _Base.cell_backward(em, slow.cache, G)
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    for k in ga:
        np.testing.assert_allclose(ga[k], gb[k], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("lat", ["Z1", "Z2", "A2"])
def test_cell_pmf_sums_to_one(lat):
    """P(ŷ) over all lattice points of a large window is a normalized pmf (1-D and 2-D)."""
    q = LatticeQuantizer(lat)
    n = q.dimension
    em = GaussianDensity(n, scale=0.8)
    rng = np.random.default_rng(5)
    cells = q.sample_cell(4096, rng)
    G = q.lattice.generator
    r = np.arange(-12, 13)
    Z = np.stack(np.meshgrid(*([r] * n)), -1).reshape(-1, n)
    pts = np.unique(np.round(q.lattice.nearest_point(Z @ G), 9), axis=0)
    total = np.exp(em.cell_log_probability(pts, cells, q.volume).logp).sum()
    assert total == pytest.approx(1.0, abs=5e-3)


def test_cell_probability_matches_exact_1d_gaussian_integral():
    em = GaussianDensity(1, scale=1.3)
    cells = sample_voronoi("Z1", 8192, rng=6)
    c = np.array([[-2.0], [0.0], [0.7], [3.0]])
    lp = em.cell_log_probability(c, cells, 1.0).logp
    exact = np.log(norm.cdf((c[:, 0] + 0.5) / 1.3) - norm.cdf((c[:, 0] - 0.5) / 1.3))
    np.testing.assert_allclose(lp, exact, atol=0.02)
    cp = em.cell_log_probability(c, cells, 1.0)
    assert (cp.bias >= 0).all() and cp.bias.max() < 1e-3


def test_model_gradient_matches_finite_differences():
    """The full loss (noise mode: smooth in the parameters for fixed noise) against FD."""
    rng = np.random.default_rng(7)
    m = make_ltc("A2", 2, transform="mlp", hidden=(4,), rng=0)
    x = rng.normal(size=(16, 2))
    for mode in ("noise",):
        def f():
            return m.loss_and_grads(x, 5.0, mode=mode, cell_samples=64, rng=11)[0].loss
        _, grads = m.loss_and_grads(x, 5.0, mode=mode, cell_samples=64, rng=11)
        for group in ("analysis", "entropy", "synthesis"):
            _fd_check(f, m.params[group], grads[group], rng, n_checks=3, atol=1e-6)


def test_quantizer_modes():
    q = LatticeQuantizer("E8")
    y = np.random.default_rng(0).normal(size=(50, 8))
    hard = q.quantize(y, "hard")
    np.testing.assert_array_equal(hard, q.quantize(y, "ste"))
    np.testing.assert_array_equal(hard, q.lattice.nearest_point(y))
    noisy = q.quantize(y, "noise", rng=1)
    np.testing.assert_array_equal(q.lattice.nearest_point(noisy - y), np.zeros_like(y))
    with pytest.raises(ValueError, match="mode"):
        q.quantize(y, "round")
    with pytest.raises(ValueError, match="hard"):
        q.backward(y, "hard")


def test_training_is_reproducible_and_improves():
    def run(seed):
        m = make_ltc("A2", 2, rng=seed)
        r = train(m, "gaussian", 8.0, steps=40, batch_size=64, cell_samples=256, rng=seed)
        return m, r
    m1, r1 = run(3)
    m2, r2 = run(3)
    m3, _ = run(4)
    np.testing.assert_array_equal(r1.loss, r2.loss)
    np.testing.assert_array_equal(m1.analysis.params["W"], m2.analysis.params["W"])
    assert not np.array_equal(m1.analysis.params["W"], m3.analysis.params["W"])
    e1 = evaluate(m1, n_samples=2000, cell_samples=512, rng=0)
    e2 = evaluate(m2, n_samples=2000, cell_samples=512, rng=0)
    assert e1 == e2


def test_trained_ntc_matches_exact_ecsq():
    """A short training of NTC n=1; its MC evaluation agrees with exact quadrature."""
    r = run_experiment(Experiment("Z1", 1, 8.0, steps=150, eval_samples=40_000,
                                  eval_cell_samples=2048), seed=1)
    ev, m = r.evaluation, r.model
    a = float(m.analysis.params["W"][0, 0])
    s = float(m.synthesis.params["W"][0, 0])
    p = ecsq_linear(abs(a), s=s * np.sign(a))
    assert abs(ev.distortion - p.distortion) < 4 * ev.distortion_stderr
    assert ev.rate >= p.rate - 4 * ev.rate_stderr          # cross-entropy >= entropy
    assert abs(ev.empirical_entropy - p.rate) < 0.02       # plug-in entropy of the indices
    assert ev.entropy_check_valid
    assert 0.2 < ev.gap_bits < 0.31
    assert ev.gap_db == pytest.approx(20 * math.log10(2) * ev.gap_bits)


@pytest.mark.parametrize("call, match", [
    (lambda: make_ltc("E8", 4), "dimension 8, but n = 4"),
    (lambda: make_ltc("nosuch", 2), "nosuch"),
    (lambda: make_ltc("A2", 2, transform="cnn"), "transform"),
    (lambda: make_ltc("A2", 2, entropy="flow"), "entropy"),
    (lambda: train(make_ltc("Z1", 1), lam=0.0), "lam must be in"),
    (lambda: train(make_ltc("Z1", 1), lam=float("nan")), "lam must be"),
    (lambda: train(make_ltc("Z1", 1), lam=-1.0), "lam must be in"),
    (lambda: train(make_ltc("Z1", 1), "cauchy"), "source must be one of"),
    (lambda: train(make_ltc("Z1", 1), mode="soft"), "mode must be one of"),
    (lambda: train(make_ltc("Z1", 1), steps=0), "steps must be an integer >= 1"),
    (lambda: make_ltc("Z2", 2).loss_and_grads(np.zeros((3, 3)), 1.0), r"x must have shape \(B, 2\)"),
    (lambda: make_ltc("Z2", 2).loss_and_grads(np.full((3, 2), np.nan), 1.0), "x must be finite"),
    (lambda: Linear(2, 2).forward(np.zeros((2, 3))), r"shape \(B, 2\)"),
    (lambda: GaussianDensity(2, scale=0.0), "scale must be in"),
    (lambda: FactorizedMixture(2, kind="cauchy"), "kind must be one of"),
    (lambda: GaussianDensity(2).cell_log_probability(np.zeros((3, 3)), np.zeros((4, 2)), 1.0),
     r"yhat must have shape"),
    (lambda: evaluate(make_ltc("Z1", 1), n_samples=1), "n_samples must be an integer >= 2"),
    (lambda: search_lambda(Experiment("Z1", 1, 1.0), -1.0), "target_rate must be in"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_cli_train_json(capsys):
    from rdptheory.cli import main
    assert main(["ltc", "train", "--lattice", "A2", "--n", "2", "--lam", "8", "--steps", "60",
                 "--eval-samples", "4000", "--seed", "1", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"rate", "distortion", "gap_bits", "reference_rate", "lam"} <= set(out)
    assert out["rate"] > 0 and out["distortion"] > 0
    assert out["gap_bits"] == pytest.approx(out["rate"] - out["reference_rate"], abs=1e-12)


def test_cli_target_rate(capsys):
    from rdptheory.cli import main
    assert main(["ltc", "train", "--lattice", "Z1", "--n", "1", "--target-rate", "1.5",
                 "--steps", "150", "--eval-samples", "20000", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert abs(out["rate"] - 1.5) < 0.06


@pytest.mark.parametrize("argv, match", [
    (["ltc", "train", "--lattice", "E8", "--n", "4", "--lam", "8"], "n = 4"),
    (["ltc", "train", "--lattice", "E8", "--n", "8", "--lam", "-2"], "lam"),
    (["ltc", "train", "--lattice", "XX", "--n", "8", "--lam", "2"], "XX"),
    (["ltc", "train", "--lattice", "E8", "--n", "8"], "--lam or --target-rate"),
    (["ltc", "train", "--lattice", "E8", "--n", "8", "--lam", "2", "--target-rate", "1"],
     "not both"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "2", "--steps", "0"], "steps"),
])
def test_cli_bad_input_exits_2(argv, match, capsys):
    from rdptheory.cli import main
    assert main(argv) == 2
    assert match in capsys.readouterr().err


# ----------------------------------------------------------------------------- dithered LTC
def test_sliced_w2_loss_gradient_matches_finite_differences():
    from rdptheory.ltc.dithered import sliced_w2_loss
    rng = np.random.default_rng(8)
    xh = {"x": rng.normal(size=(30, 3))}
    ref = rng.normal(size=(30, 3)) * 1.3
    th = rng.normal(size=(5, 3))
    th /= np.linalg.norm(th, axis=1, keepdims=True)
    _, g = sliced_w2_loss(xh["x"], ref, th)
    _fd_check(lambda: sliced_w2_loss(xh["x"], ref, th)[0], xh, {"x": g}, rng, n_checks=10)


@pytest.mark.parametrize("scheme, ratio", [("sd", 1), ("pd", 1), ("qsd", 2)])
def test_dithered_training_reproducible(scheme, ratio):
    from rdptheory.ltc.dithered import DitheredLTC, evaluate_dithered, train_dithered
    out = []
    for _ in range(2):
        m = DitheredLTC(scheme, "A2", ratio=ratio, rng=0)
        h, _ = train_dithered(m, 4.0, 50.0, steps=15, batch_size=64, cell_samples=256, rng=1)
        out.append((h, evaluate_dithered(m, n_samples=500, cell_samples=256, rng=2)))
    np.testing.assert_array_equal(out[0][0], out[1][0])
    assert out[0][1] == out[1][1]
    assert out[0][1].rate > 0 and out[0][1].distortion > 0


def test_qsd_ratio_one_is_pd():
    from rdptheory.ltc.dithered import DitheredLTC, evaluate_dithered
    a = evaluate_dithered(DitheredLTC("pd", "E8", rng=0), n_samples=400, cell_samples=256, rng=3)
    b = evaluate_dithered(DitheredLTC("qsd", "E8", ratio=1, rng=0), n_samples=400,
                          cell_samples=256, rng=3)
    assert (a.rate, a.distortion, a.perception) == (b.rate, b.distortion, b.perception)


@pytest.mark.parametrize("call, match", [
    (lambda: __import__("rdptheory.ltc.dithered", fromlist=["x"]).DitheredLTC("xd", "E8"),
     "scheme must be one of"),
    (lambda: __import__("rdptheory.ltc.dithered", fromlist=["x"]).DitheredLTC("sd", "E8",
                                                                              ratio=2),
     "ratio applies"),
    (lambda: __import__("rdptheory.ltc.dithered", fromlist=["x"]).DitheredLTC("qsd", "E8",
                                                                              ratio=0),
     "ratio must be an integer >= 1"),
])
def test_dithered_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_cli_train_text(capsys):
    from rdptheory.cli import main
    assert main(["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "4", "--steps", "30",
                 "--eval-samples", "2000", "--source", "laplace", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "Shannon lower bound" in out and "dB" in out


def test_rate_gap_split_adds_up_and_validates():
    from rdptheory.ltc import make_ltc
    from rdptheory.ltc.evaluate import evaluate, rate_gap_split
    m = make_ltc("A2", 2, gain=2.0, init_noise=0.0, rng=0)
    s = rate_gap_split(m, n_samples=3000, cell_samples=128, reference_cell_samples=2048, rng=4)
    assert math.isclose(s.estimator + s.entropy_model + s.quantizer, s.gap, abs_tol=1e-12)
    # same blocks and cell points as evaluate() with the same seed's first two streams
    ev = evaluate(m, n_samples=3000, cell_samples=128, rng=4)
    assert math.isclose(ev.rate, s.rate, rel_tol=1e-12) and ev.distortion == s.distortion
    assert s.plugin_valid and abs(s.estimator) <= 4 * s.estimator_stderr + 2e-3
    assert s == rate_gap_split(m, n_samples=3000, cell_samples=128, reference_cell_samples=2048,
                               rng=4)
    with pytest.raises(ValueError, match="reference_cell_samples"):
        rate_gap_split(m, cell_samples=128, reference_cell_samples=128)
    with pytest.raises(ValueError, match="n_samples"):
        rate_gap_split(m, n_samples=1.5)


def test_banana_source_density_and_entropy_are_exact():
    # the density integrates to 1 on a grid (independent of the sampler), the sampler's mean of
    # −log2 p(x) matches the closed-form h within 4 SE, and the moments are the stated ones
    from rdptheory.ltc.sources import get_source
    s = get_source("banana")
    g = np.linspace(-8, 8, 641)
    pts = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    mass = np.sum(2.0 ** (-2 * s.information_bits(pts))) * (g[1] - g[0]) ** 2
    assert abs(mass - 1.0) < 1e-3
    x = s.sample(200_000, 2, rng=0)
    info = s.information_bits(x)
    assert abs(info.mean() - s.entropy_bits) <= 4 * info.std(ddof=1) / math.sqrt(info.size)
    v = x.var(axis=0).mean()
    assert abs(v - 1.0) <= 4 * 0.01 and np.all(np.abs(x.mean(axis=0)) < 0.02)
    assert np.array_equal(x, s.sample(200_000, 2, rng=0))
    with pytest.raises(ValueError, match="even"):
        s.sample(3, 3)
