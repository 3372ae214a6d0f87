"""The command line: output, JSON, exit codes."""
import json

import pytest

from rdptheory import gaussian as g
from rdptheory.cli import main


def test_bounds_json(capsys):
    assert main(["bounds", "--D", "0.5", "--P", "0.05", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["R(D,P)"] == pytest.approx(float(g.rdp(0.5, 0.05)), rel=1e-15)
    assert out["R(D/2,inf)"] == pytest.approx(1.0)
    assert out["sd_ltc"]["beta"] == pytest.approx(float(g.sd_ltc_parameters(0.5, 0.05).beta))
    assert out["regime"] == "perception-active"


def test_bounds_rate_and_common_randomness(capsys):
    assert main(["bounds", "--R", "1", "--Rc", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["D(R,Rc) (Gaussian U, achievable)"] == pytest.approx(
        float(g.distortion_limited_common_randomness(1.0, 1.0)))
    assert main(["bounds", "--R", "1", "--Rc", "inf"]) == 0
    assert "D(R,Rc)" in capsys.readouterr().out


def test_bounds_zero_rate_text(capsys):
    assert main(["bounds", "--D", "3"]) == 0
    out = capsys.readouterr().out
    assert "zero-rate" in out and "not applicable" in out


@pytest.mark.parametrize("argv, match", [
    (["bounds", "--D", "-1"], "D must be in"),
    (["bounds", "--D", "nan"], "D must be"),
    (["bounds", "--D", "0.5", "--P", "-0.1"], "P must be in"),
    (["bounds", "--D", "0.5", "--Rc", "1"], "--Rc goes with --R"),
    (["bounds", "--R", "1", "--sigma2", "0"], "sigma2 must be in"),
    (["verify", "--only", "no.such.claim*"], "no claim matches"),
])
def test_errors_exit_2(argv, match, capsys):
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_usage_error_exit_2():
    with pytest.raises(SystemExit) as exc:
        main(["bounds"])
    assert exc.value.code == 2


def test_verify_writes_report(tmp_path, capsys):
    code = main(["verify", "--only", "gaussian.sd_ltc.*", "--out", str(tmp_path), "--no-progress"])
    assert code == 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["counts"]["PASS"] == len(report["claims"]) >= 2
    assert all(c["id"].startswith("gaussian.sd_ltc.") for c in report["claims"])
    assert "| claim |" in (tmp_path / "report.md").read_text()
    assert "passed, 0 failed" in capsys.readouterr().out


def test_verify_exits_1_on_failure(tmp_path, monkeypatch, capsys):
    from proofs_checks import registry
    from proofs_checks.registry import Claim, ClaimResult

    failing = Claim("zz.deliberately_false", "1 equals 2", "none",
                    lambda ctx: ClaimResult(1.0, 2.0, 0.0, "abs", "1 is not 2"))
    monkeypatch.setitem(registry._REGISTRY, failing.id, failing)
    code = main(["verify", "--only", "zz.*", "--out", str(tmp_path), "--no-progress"])
    assert code == 1
    out = capsys.readouterr().out
    assert "FAIL zz.deliberately_false" in out and "1 is not 2" in out
    assert json.loads((tmp_path / "report.json").read_text())["all_passed"] is False


def test_verify_list(capsys):
    assert main(["verify", "--list"]) == 0
    assert "gaussian.rdp.vs_mpmath" in capsys.readouterr().out


def test_simulate_json(capsys):
    assert main(["simulate", "--scheme", "sd", "--lattice", "D4", "--D", "0.25", "--P", "0.02",
                 "--samples", "3000", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("rate", "distortion"):
        assert {"value", "stderr"} <= set(out[key])
    p = out["perception"]
    assert {"estimate", "estimate_stderr", "lower", "lower_stderr", "upper", "upper_stderr",
            "kl", "kl_stderr", "method"} <= set(p)
    assert abs(out["distortion"]["value"] - 0.25) < 4 * out["distortion"]["stderr"]
    lo, hi = p["theorem_4_3_bounds"]                 # the measured interval meets Thm 4.3's
    assert p["lower"] - 4 * p["lower_stderr"] <= hi
    assert lo <= p["upper"] + 4 * p["upper_stderr"]


def test_simulate_separates_a_broken_private_dither(capsys):
    """PD on E8 with s = 0.75 (holes) against the theorem's s = 1.155: > 4 combined SE."""
    res = []
    for extra in ([], ["--s", "0.75"]):
        assert main(["simulate", "--scheme", "pd", "--lattice", "E8", "--D", "0.5", "--samples",
                     "3000", "--cell-samples", "1024", "--json", "--no-progress"] + extra) == 0
        p = json.loads(capsys.readouterr().out)["perception"]
        res.append((p["estimate"], p["estimate_stderr"]))
    (g, gse), (b, bse) = res
    assert b - g > 4 * (gse ** 2 + bse ** 2) ** 0.5


@pytest.mark.parametrize("argv, match", [
    (["simulate", "--scheme", "qsd", "--D", "0.5", "--ratio", "2.5"], "--ratio must be"),
    (["simulate", "--scheme", "qsd", "--D", "0.5"], "--ratio must be"),
    (["simulate", "--scheme", "pd", "--D", "0.5", "--P", "0.1"], "--P applies"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--ratio", "2"], "--ratio applies"),
    (["simulate", "--scheme", "sd", "--D", "3"], "zero-rate"),
    (["simulate", "--scheme", "pd", "--D", "-1"], "D must be"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--lattice", "E9"], "unknown lattice"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--samples", "1.5"], "--samples must be"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--s", "0.75"], "--s applies"),
    (["simulate", "--scheme", "pd", "--D", "0.5", "--dither", "cube"], "--dither applies"),
    (["simulate", "--scheme", "pd", "--D", "0.5", "--s", "-1"], "s must be"),
])
def test_simulate_errors(argv, match, capsys):
    assert main(argv + ["--no-progress"]) == 2
    assert match in capsys.readouterr().err
