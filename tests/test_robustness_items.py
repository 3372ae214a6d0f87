"""Issue 14's reproducers, one test per numbered item (names test_itemNN_*), each of which
failed before the fix. Items 3, 4, 9 and 16 (nsm chunk planning, Ctrl-C, --samples 1,
--workers) belong to the nsm/_parallel rework and are not here."""
import datetime
import json
import math
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest

from rdptheory import gaussian as g
from rdptheory import schemes
from rdptheory.cli import main
from rdptheory.lattices import from_generator, get
from proofs_checks import mp_gaussian as ref

ROOT = Path(__file__).resolve().parents[1]
TOO_FAR = "more than 2**50 cells"


def _run_python(code, timeout):
    """Run ``code`` in a fresh interpreter (a crash or hang fails the test, not the run)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the decoder did not return within {timeout} s")


# ------------------------------------------------------------------ 1, 2: decoders
def test_item01_k12_huge_input_no_segfault():
    r = _run_python("""
        import numpy as np
        from rdptheory.lattices import get
        x = np.random.default_rng(0).standard_normal(12) * 1e200
        try:
            get('K12').nearest_point(x)
            print('returned')
        except ValueError as e:
            print('ValueError', e)
        """, timeout=120)
    assert r.returncode == 0, f"interpreter died (signal {-r.returncode}): {r.stderr[-500:]}"
    assert "ValueError" in r.stdout and TOO_FAR in r.stdout


def test_item02_fast_decoders_bounded_time_at_huge_input():
    r = _run_python("""
        import time
        from rdptheory.lattices import get
        cases = [('A2', [1e30, 0.0]), ('A2', [1e26, 0.0]), ('E7', [1e40] + [0.0] * 6)]
        cases += [(n, [1e40] + [0.0] * (get(n).dimension - 1))
                  for n in ('E6', 'E6*', 'E7*', 'A11^3', 'A5', 'K12')]
        for name, x in cases:
            t = time.perf_counter()
            try:
                get(name).nearest_point(x)
                print(name, 'returned')
            except ValueError as e:
                print(name, 'ValueError', e, round(time.perf_counter() - t, 2))
        """, timeout=150)
    assert r.returncode == 0, r.stderr[-500:]
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 9
    for line in lines:
        assert "ValueError" in line and TOO_FAR in line, line
        assert float(line.split()[-1]) < 5.0, line


def test_item02_same_rule_as_generic_decoder():
    E8 = get("E8")
    with pytest.raises(ValueError, match=r"more than 2\*\*50 cells") as fast:
        E8.nearest_point([1e20] * 8)
    with pytest.raises(ValueError, match=r"more than 2\*\*50 cells") as generic:
        E8.nearest_point_generic([1e20] * 8)
    assert str(fast.value) == str(generic.value)
    # just inside the range the fast decoder is still exact (distance equal to the generic's)
    x = np.random.default_rng(1).standard_normal((4, 8)) * 1e12
    d_fast = np.linalg.norm(x - E8.nearest_point(x), axis=1)
    d_gen = np.linalg.norm(x - E8.nearest_point_generic(x), axis=1)
    assert np.all(d_fast <= d_gen + 1e12 * 8 * 2.3e-16)


# ------------------------------------------------------------------ 5: Gaussian extremes
def _close(value, reference, rtol=1e-12):
    return abs(mp.mpf(float(value)) - reference) <= rtol * abs(reference)


def test_item05_huge_variance_finite():
    s2 = 1e308
    v = g.rdp(0.5, 0.05, s2, unit="nats")
    assert math.isfinite(float(v))
    assert _close(v, ref.rdp(0.5, 0.05, s2))
    assert g.rdp(0.5, 0.05, 1e308) == g.rdp(0.5 * 2.0 ** -1000, 0.05 * 2.0 ** -1000,
                                           1e308 * 2.0 ** -1000)


@pytest.mark.parametrize("D, P, s2", [(3.0551648422763136e-221, 1.4569131913574231e-185, 0.5),
                                      (3.664147093237924e-74, 3.5140953157972935e-74, 0.5),
                                      (1.1120496410568914e-283, 8.21677167660486e-285, 0.5),
                                      (1e-64, 1e-66, 1.5), (1e-70, 1e-90, 2.0)])
def test_item05_tiny_D_P_non_square_variance(D, P, s2):
    v = g.rdp(D, P, s2, unit="nats")
    assert math.isfinite(float(v))
    assert _close(v, ref.rdp(D, P, s2, dps=800))


def test_item05_subnormal_distortion():
    v = g.rate_distortion(5e-324, unit="nats")
    assert math.isfinite(float(v))
    assert _close(v, ref.rate_distortion(5e-324, 1.0))


def test_item05_bounds_cli_huge_variance(capsys):
    assert main(["bounds", "--sigma2", "1e308", "--D", "0.5", "--P", "0.05", "--json"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out and "nan" not in out and "Infinity" not in out


# ------------------------------------------------------------------ 6: log-volume
def test_item06_log_volume_no_overflow():
    assert get("Z1100").scaled(2.0).log_volume == pytest.approx(1100 * math.log(2.0), rel=1e-12)
    L = get("E8").scaled(1e40)
    assert L.log_volume == pytest.approx(8 * math.log(1e40), rel=1e-12)
    with pytest.raises(ValueError, match="log_volume"):
        L.volume  # noqa: B018 - was inf, then G = 0.0 silently
    assert "exp(" in repr(L)
    with pytest.raises(ValueError, match="singular values"):
        from_generator(np.eye(2) * 1e200)


def test_item06_nsm_of_huge_volume_not_silently_zero():
    from rdptheory.nsm import nsm_estimate
    try:
        est = nsm_estimate(get("E8").scaled(1e40), 2000, rng=0)
    except ValueError:
        return  # refused: not a silent 0.0
    assert abs(est.estimate - 929 / 12960) < 4 * est.stderr  # now computed from the log-volume


# ------------------------------------------------------------------ 7: vector P = 0
def test_item07_vector_perfect_realism_tiny_distortion():
    from proofs_checks.robustness_claims import _serra_mp
    for D in (1e-308, 1e-100, 1e-15, 1e-14):
        r = g.rdp_vector_perfect_realism(D, [1.0, 0.5], unit="nats")
        assert r.converged and np.all(r.distortions >= 0)
        assert r.distortions.sum() == pytest.approx(D, rel=1e-10)
        assert _close(r.rate, _serra_mp(D, (1.0, 0.5)), rtol=1e-10)
    # no longer a constant 47.09 bits below 1e-14
    assert g.rdp_vector_perfect_realism(1e-20, [1.0, 0.5]).rate > 60


# ------------------------------------------------------------------ 8: ltc train ranges
@pytest.mark.parametrize("flags", [["--lam", "1e-300"], ["--lam", "1e40"],
                                   ["--target-rate", "100"], ["--target-rate", "1e-6"]])
def test_item08_ltc_train_refuses_unvalidated_range(flags, capsys):
    assert main(["ltc", "train", "--lattice", "Z1", "--n", "1", "--no-progress", *flags]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "must be in" in err[0]


def test_item08_divergence_detected():
    from types import SimpleNamespace
    from rdptheory.cli.ltc import divergence
    ok = SimpleNamespace(rate=2.0, distortion=0.07, rate_stderr=0.01, distortion_stderr=1e-3)
    assert divergence(ok) == ""
    assert "non-finite" in divergence(SimpleNamespace(**{**vars(ok), "rate": math.nan}))
    assert "variance" in divergence(SimpleNamespace(**{**vars(ok), "distortion": 7.8e14}))
    assert "exceeds" in divergence(SimpleNamespace(**{**vars(ok), "rate": 5.6e289}))


# ------------------------------------------------------------------ 10: not-a-real-number
GAUSSIAN_CALLS = [
    lambda v: g.rate_distortion(v), lambda v: g.rate_distortion(0.5, v),
    lambda v: g.distortion_rate(v), lambda v: g.rdp(v, 0.1), lambda v: g.rdp(0.5, v),
    lambda v: g.rdp(0.5, 0.1, v), lambda v: g.rdp_reconstruction(v, 0.1),
    lambda v: g.distortion_rate_perception(v, 0.1), lambda v: g.rdp_perfect_realism(v),
    lambda v: g.rate_no_common_randomness(v), lambda v: g.common_randomness_gap(v),
    lambda v: g.distortion_rate_perfect_realism(v),
    lambda v: g.distortion_limited_common_randomness(1.0, v),
    lambda v: g.rate_limited_common_randomness(v, 1.0), lambda v: g.sd_ltc_parameters(v, 0.0),
    lambda v: g.pd_ltc_parameters(v), lambda v: g.qsd_ltc_parameters(0.5, v),
    lambda v: g.rate_distortion_vector(v, [1.0, 0.5]), lambda v: g.rdp_vector(v, 0.1, [1.0]),
    lambda v: g.rdp_vector_perfect_realism(v, [1.0, 0.5]),
    lambda v: g.rate_distortion_vector(0.5, [v, 0.5]),
]
NOT_REAL = [0.5 + 0.5j, np.complex128(0.5), np.array([0.5 + 0j]), np.datetime64("2020-01-01"),
            np.timedelta64(1, "s"), np.ma.array([0.5], mask=[True]), "0.5", True,
            np.bool_(True), None, [0.5, "x"], datetime.date(2020, 1, 1)]


@pytest.mark.parametrize("k", range(len(GAUSSIAN_CALLS)))
def test_item10_gaussian_refuses_non_real(k):
    for v in NOT_REAL:
        with pytest.raises(ValueError):
            GAUSSIAN_CALLS[k](v)


def test_item10_lattice_and_schemes_refuse_complex():
    E8 = get("E8")
    with pytest.raises(ValueError):
        from_generator(np.eye(2) * (1 + 1j))
    with pytest.raises(ValueError):
        schemes.sd_encode(np.ones(8) * (0.3 + 1j), E8, np.zeros(8))
    with pytest.raises(ValueError):
        schemes.sd_decode(np.ones(8) * 1j, np.zeros(8))


def test_item10_checker_rejects_complex_output():
    from rdptheory.testing import QuantizerCheckError, check_nearest_point_quantizer
    E8 = get("E8")
    with pytest.raises(QuantizerCheckError, match="not a real array"):
        check_nearest_point_quantizer(lambda x: E8.nearest_point(x) + 0j, E8, max_examples=5)


# ------------------------------------------------------------------ 11: ValueError, not others
@pytest.mark.parametrize("k", range(len(GAUSSIAN_CALLS)))
def test_item11_gaussian_huge_int_is_value_error(k):
    with pytest.raises(ValueError):
        GAUSSIAN_CALLS[k](10 ** 400)


def test_item11_vector_functions_array_D_P():
    for call in (lambda: g.rdp_vector([0.5, 1.0], 0.1, [1.0, 0.5]),
                 lambda: g.rdp_vector(0.5, [0.1, 0.2], [1.0, 0.5]),
                 lambda: g.rate_distortion_vector([0.5, 1.0], [1.0, 0.5]),
                 lambda: g.rdp_vector_perfect_realism([0.5, 1.0], [1.0, 0.5])):
        with pytest.raises(ValueError, match="single number"):
            call()


@pytest.mark.parametrize("bad", [None, 2 + 0j, [2.0], "2", 10 ** 400, math.nan, -1.0])
def test_item11_scaled_with_volume_value_error(bad):
    E8 = get("E8")
    with pytest.raises(ValueError):
        E8.scaled(bad)
    with pytest.raises(ValueError):
        E8.with_volume(bad)


def test_item11_schemes_names_and_scale():
    rng = np.random.default_rng(0)
    y, u = rng.standard_normal((5, 8)), rng.uniform(-0.5, 0.5, (5, 8))
    assert np.array_equal(schemes.sd_encode(y, "E8", u), schemes.sd_encode(y, get("E8"), u))
    assert schemes.pd_encode(y, "E8").shape == (5, 8)
    with pytest.raises(ValueError, match="s must be a single number"):
        schemes.pd_decode(y, u, s=[1, 2])


def test_item11_coefficients_int64_overflow():
    with pytest.raises(ValueError, match="2\\*\\*53"):
        get("Z8").coefficients(np.full(8, 2e19))


# ------------------------------------------------------------------ 12: NaN and messages
def test_item12_scheme_decoders_refuse_nan_inf():
    z = np.zeros((2, 8))
    for bad in (np.nan, np.inf):
        w = z.copy()
        w[1, 3] = bad
        with pytest.raises(ValueError, match="codeword"):
            schemes.sd_decode(w, z)
        with pytest.raises(ValueError, match="private_dither"):
            schemes.pd_decode(z, w, 1.0)


def test_item12_messages_name_the_parameter(capsys):
    from rdptheory.ltc import make_ltc, train
    from rdptheory.nested import nested
    with pytest.raises(ValueError, match="source"):
        train(make_ltc("Z1", 1, rng=0), np.full((10, 1), np.nan), 8.0, steps=1)
    with pytest.raises(ValueError, match="ratio must be an integer <="):
        nested("E8", 2 ** 64)
    with pytest.raises(ValueError, match="unknown lattice"):
        get("A\u0663")
    assert main(["simulate", "--scheme", "sd", "--D", "0", "--no-progress"]) == 2
    assert "--D must be" in capsys.readouterr().err
    assert main(["simulate", "--scheme", "qsd", "--D", "0.5", "--ratio", "1e18",
                 "--no-progress"]) == 2
    assert "ratio must be" in capsys.readouterr().err


# ------------------------------------------------------------------ 13: checker contract
def test_item13_checker_refuses_loose_tolerance():
    from rdptheory.testing import check_nearest_point_quantizer
    with pytest.raises(ValueError, match="rtol"):
        check_nearest_point_quantizer(lambda x: x * 0, get("E8"), rtol=1e308)
    with pytest.raises(ValueError, match="atol"):
        check_nearest_point_quantizer(lambda x: x * 0, get("E8"), atol=0.5)


def test_item13_checker_writes_nothing_in_cwd(tmp_path):
    # a fresh interpreter started in tmp_path (inside pytest hypothesis's storage is already
    # fixed to the rootdir, which would hide the defect)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    code = ("from rdptheory.lattices import get\n"
            "from rdptheory.testing import check_nearest_point_quantizer\n"
            "D4 = get('D4')\n"
            "check_nearest_point_quantizer(D4.nearest_point, D4, max_examples=3)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ 14, 15: output files
def test_item14_verify_out_checked_before_the_run(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    t = time.perf_counter()
    rc = main(["verify", "--out", str(blocker / "sub"), "--no-progress"])
    assert rc == 2 and time.perf_counter() - t < 20
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--out" in err[0]
    assert main(["figures", "--out", str(blocker), "--no-progress"]) == 2


def test_item14_report_written_all_or_nothing(tmp_path, monkeypatch):
    from proofs_checks import report
    from proofs_checks.report import VerificationRun, write_report
    vr = VerificationRun(outcomes=(), skipped=(), mode="quick", seed=0, wall_time=0.0)
    write_report(vr, tmp_path)
    before = (tmp_path / "report.json").read_text()

    def boom(*a, **k):
        raise RuntimeError("crash while rendering")
    monkeypatch.setattr(report, "render_html", boom)
    with pytest.raises(RuntimeError):
        write_report(VerificationRun(outcomes=(), skipped=(), mode="full", seed=1,
                                     wall_time=1.0), tmp_path)
    assert (tmp_path / "report.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.json",
                                                           "report.md"]


def test_item15_refuses_symlinked_report(tmp_path, capsys):
    victim = tmp_path / "victim.md"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").symlink_to(victim)
    assert main(["verify", "--out", str(out), "--only", "gaussian.rdp.full_range*",
                 "--no-figures", "--no-progress"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text() == "keep me"


def test_item15_figure_files_refuse_symlinks(tmp_path):
    from rdptheory.plots._registry import write_csv
    from types import SimpleNamespace
    victim = tmp_path / "victim.csv"
    victim.write_text("keep me")
    (tmp_path / "fig.csv").symlink_to(victim)
    with pytest.raises(ValueError, match="symbolic link"):
        write_csv(SimpleNamespace(columns=["a"], rows=[[1.0]]), tmp_path / "fig.csv")
    assert victim.read_text() == "keep me"


# ------------------------------------------------------------------ 17: sizes
@pytest.mark.parametrize("argv", [
    ["simulate", "--scheme", "sd", "--D", "0.5", "--samples", "1e12"],
    ["simulate", "--scheme", "sd", "--D", "0.5", "--cell-samples", str(10 ** 12)],
    ["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--eval-samples",
     str(10 ** 12)],
    ["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--batch-size", str(10 ** 9)],
    ["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--steps", str(10 ** 9)],
])
def test_item17_sizes_refused_with_memory_needed(argv, capsys):
    assert main([*argv, "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ("memory" in err[0] or "--steps" in err[0])
