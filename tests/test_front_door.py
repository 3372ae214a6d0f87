"""What a new user meets first: the command line's help, messages and JSON, the report's
start time, the licence and the output folders the README's commands leave behind."""
import argparse
import json
import math
import shutil
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rdptheory.cli import build_parser, main
from rdptheory.cli._format import jsonable
from rdptheory.cli.nsm import deviation_beyond_rounding

ROOT = Path(__file__).resolve().parents[1]


def _strict_loads(text):
    """json.loads that refuses NaN/Infinity (not JSON numbers)."""
    def bad(name):
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(text, parse_constant=bad)


def _subparsers(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield name, sub
                for inner, subsub in _subparsers(sub):
                    yield f"{name} {inner}", subsub


def test_every_option_has_help_text():
    missing = []
    for name, sub in _subparsers(build_parser()):
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            if not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert not missing, f"options without help text: {missing}"


def test_simulate_help_names_the_qsd_recipe():
    sub = dict(_subparsers(build_parser()))["simulate"]
    text = " ".join(sub.format_help().split())
    assert "qsd_ltc_parameters" in text and "Γ-dependent" in text


def test_simulate_rejects_bad_input_before_any_output(capsys):
    assert main(["simulate", "--scheme", "sd", "--D", "5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rdptheory simulate: error:") and "%|" not in err
    assert main(["simulate", "--scheme", "qsd", "--D", "0.5", "--ratio", "2",
                 "--lattice", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rdptheory simulate: error: unknown lattice")


def test_json_has_no_nonfinite_numbers(capsys):
    assert jsonable({"a": float("nan"), "b": [float("inf"), -math.inf, 1.5]}) == \
        {"a": None, "b": [None, None, 1.5]}
    assert main(["bounds", "--D", "0", "--json"]) == 0
    out = _strict_loads(capsys.readouterr().out)
    assert out["R(D)"] is None            # R(0) = inf: null means "not a finite number"


def test_claim_json_uses_null_for_nonfinite():
    from proofs_checks.registry import _json_number
    assert _json_number(float("inf")) is None and _json_number(float("nan")) is None
    assert _json_number(2.5) == 2.5


def test_report_started_is_the_start(tmp_path, monkeypatch, capsys):
    import proofs_checks
    real = proofs_checks.run_claim

    def slow(c, ctx):
        time.sleep(2.2)
        return real(c, ctx)

    monkeypatch.setattr(proofs_checks, "run_claim", slow)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    assert main(["verify", "--only", "gaussian.sd_ltc.reference_examples", "--out",
                 str(tmp_path), "--no-figures", "--no-progress"]) in (0, 1)
    started = datetime.fromisoformat(_strict_loads((tmp_path / "report.json").read_text())
                                     ["started"])
    assert (started - before).total_seconds() <= 1.0


def test_nsm_deviation_counts_from_the_rounding_interval():
    from rdptheory.lattices import get
    ref = get("Leech").nsm_reference          # SPLAG: 0.0658, three digits
    assert ref.uncertainty == pytest.approx(5e-5)
    # the package's measured G(Leech) = 0.0657525 ± 1.9e-6: inside [0.06575, 0.06585]
    assert deviation_beyond_rounding(0.0657525, 1.9e-6, ref) == 0.0
    assert deviation_beyond_rounding(0.06570, 1e-5, ref) == pytest.approx(-5.0)
    exact = get("E8").nsm_reference
    assert deviation_beyond_rounding(exact.value + 2e-6, 1e-6, exact) == pytest.approx(2.0)


def test_nsm_rqmc_states_the_sample_count(capsys):
    sub = dict(_subparsers(build_parser()))["nsm"]
    assert "8,388,608" in " ".join(sub.format_help().split())
    assert main(["nsm", "Z2", "--samples", "1e4", "--method", "rqmc", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "8,192  (10,000 requested; RQMC uses a power of two per replicate)" in out


def test_best_known_lattices_are_listed(capsys):
    from rdptheory.lattices import list_lattices
    from rdptheory.lattices._best_known import BEST_KNOWN
    assert set(BEST_KNOWN) <= set(list_lattices(best_known=True))
    assert not set(BEST_KNOWN) & set(list_lattices())
    assert main(["nsm", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert all(name in err for name in BEST_KNOWN)


def test_one_figure_is_singular(tmp_path, capsys):
    assert main(["figures", "--only", "rate_gap", "--out", str(tmp_path), "--no-progress"]) == 0
    assert "1 figure written" in capsys.readouterr().out


def test_licence_is_the_one_declared():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    cfg = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "license = MIT" in cfg
    assert "license_files = LICENSE" in cfg


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="needs a git checkout")
@pytest.mark.parametrize("path", ["rdptheory-report/report.html", "rdptheory-figures/x.png",
                                  "my-report/report.md", "figures/out/x.png", "figs/x.png"])
def test_readme_outputs_are_ignored(path):
    """The README's commands write these folders (defaults or examples): git must ignore them."""
    r = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", path])
    assert r.returncode == 0, f"{path} would show up as untracked output"


def test_help_imports_neither_numba_nor_scipy():
    """`rdptheory --help` must start fast (benchmarks/cli_startup.py times it): building the
    parser may not import the heavy dependencies."""
    import sys
    code = ("import sys, contextlib, io\nfrom rdptheory.cli import build_parser\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    for argv in (['--help'], ['nsm', '--help'], ['bounds', '--help']):\n"
            "        try:\n            build_parser().parse_args(argv)\n"
            "        except SystemExit:\n            pass\n"
            "print(sorted(m for m in ('numba', 'scipy', 'matplotlib', 'numpy', 'sympy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.strip()
    assert out == "[]", f"--help imported {out}"


def test_verify_progress_is_weighted_by_expected_time(tmp_path):
    from rdptheory.cli._progress import DEFAULT_SECONDS, expected_seconds, previous_times
    steps = [("claim", "a", "quick"), ("claim", "b", "full"), ("figure", "f", "quick")]
    assert expected_seconds(steps, {}) == [DEFAULT_SECONDS[("claim", "quick")],
                                           DEFAULT_SECONDS[("claim", "full")],
                                           DEFAULT_SECONDS[("figure", "quick")]]
    (tmp_path / "report.json").write_text(json.dumps(
        {"mode": "full", "claims": [{"id": "b", "wall_time_s": 396.0}],
         "figures": [{"name": "f", "wall_time_s": 0.0}]}))
    known = previous_times(tmp_path, "full")
    assert expected_seconds(steps, known) == [1.0, 396.0, 0.05]
    assert previous_times(tmp_path, "quick") == {}          # another mode: not comparable
    assert previous_times(tmp_path / "none", "full") == {}


def test_verify_refuses_a_foreign_proofs_checks(monkeypatch, capsys):
    """The claims registry's top-level name is generic: a module of that name from another
    distribution is refused with a message, never run (negative control: ours passes)."""
    import sys
    import types

    from rdptheory.cli import main
    from rdptheory.cli.verify import claims_package

    assert claims_package().DISTRIBUTION == "rdptheory"
    foreign = types.ModuleType("proofs_checks")
    foreign.__file__ = "/elsewhere/proofs_checks/__init__.py"
    monkeypatch.setitem(sys.modules, "proofs_checks", foreign)
    assert main(["verify", "--list"]) == 2
    err = capsys.readouterr().err
    assert "/elsewhere/proofs_checks" in err and "not rdptheory's claims registry" in err
