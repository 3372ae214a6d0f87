"""Fuzz: a table of bad command-line flags. Each one must end with exit code 2, a single
``rdptheory CMD: error: ...`` line on stderr (argparse's own errors add its usage lines), no
traceback, and no file written."""
import os

import pytest

from rdptheory.cli import main

#: (argv, text expected in the error line). ``{tmp}`` is a fresh empty folder.
BAD_FLAGS = [
    # bounds
    (["bounds", "--D=-1"], "D must be in"),
    (["bounds", "--D", "nan"], "D must be"),
    (["bounds", "--D", "inf"], "D must be"),
    (["bounds", "--D", "0.5", "--P=-1e-300"], "P must be in"),
    (["bounds", "--D", "0.5", "--sigma2", "0"], "sigma2 must be in"),
    (["bounds", "--D", "0.5", "--sigma2=-1e308"], "sigma2 must be in"),
    (["bounds", "--R=-1"], "R must be in"),
    (["bounds", "--R", "nan"], "R must be"),
    # simulate
    (["simulate", "--scheme", "sd", "--D", "0"], "--D must be"),
    (["simulate", "--scheme", "sd", "--D=-1"], "--D must be"),
    (["simulate", "--scheme", "sd", "--D", "nan"], "--D must be"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--samples", "1e12"], "memory"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--samples", "0.5"], "--samples must be"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--samples", "nan"], "--samples must be"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--cell-samples", str(10 ** 12)], "memory"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--cell-samples", "1"], "--cell-samples"),
    (["simulate", "--scheme", "qsd", "--D", "0.5", "--ratio", "1e18"], "ratio must be"),
    (["simulate", "--scheme", "qsd", "--D", "0.5", "--ratio", "2.5"], "--ratio must be"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--lattice", "A\u0663"], "unknown lattice"),
    (["simulate", "--scheme", "sd", "--D", "0.5", "--lattice", "nope"], "unknown lattice"),
    (["simulate", "--scheme", "pd", "--D", "0.5", "--P", "0.1"], "--P applies"),
    # ltc train
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "1e-300"], "--lam must be in"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "1e40"], "--lam must be in"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "nan"], "--lam must be in"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--target-rate", "100"], "--target-rate"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--target-rate", "1e-6"], "--target-rate"),
    (["ltc", "train", "--lattice", "Z1", "--n", "2", "--lam", "8"], "dimension"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--steps", str(10 ** 9)],
     "--steps"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--steps", "0"], "--steps"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--batch-size",
      str(10 ** 9)], "memory"),
    (["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--eval-samples",
      str(10 ** 12)], "memory"),
    # output folders (checked before any work)
    (["verify", "--out", "{tmp}/file/sub"], "--out"),
    (["verify", "--out", "{tmp}/file"], "--out"),
    (["verify", "--only", "no.such.claim*", "--out", "{tmp}/o"], "no claim matches"),
    (["figures", "--out", "{tmp}/file"], "--out"),
    (["figures", "--only", "no-such-figure", "--out", "{tmp}/o"], "no figure matches"),
    (["figures", "--dpi", "5", "--out", "{tmp}/o"], "--dpi"),
]

#: argparse's own errors (type conversion, choices): exit 2 and its usage text, no traceback
ARGPARSE_ERRORS = [
    ["bounds", "--D", "abc"], ["bounds", "--D", "1+2j"], ["simulate", "--scheme", "xx", "--D", "1"],
    ["ltc", "train", "--lattice", "Z1", "--n", "1.5", "--lam", "8"],
    ["ltc", "train", "--lattice", "Z1", "--n", "1", "--lam", "8", "--steps", "1e9"],
    ["figures", "--format", "exe"], ["nsm", "E8", "--samples"],
]


def _files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, fs in os.walk(root) for f in fs)


@pytest.mark.parametrize("argv, match", BAD_FLAGS, ids=[" ".join(a)[:60] for a, _ in BAD_FLAGS])
def test_fuzz_cli_bad_flag_exit_2_one_line(argv, match, tmp_path, capsys, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.chdir(tmp_path)
    before = _files(tmp_path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if argv[0] in ("simulate", "ltc", "verify", "figures"):
        argv.append("--no-progress")
    assert main(argv) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"rdptheory {argv[0]}") and "error:" in lines[0]
    assert match in lines[0], lines[0]
    assert "Traceback" not in err and out == ""
    assert _files(tmp_path) == before, "a file was written"


@pytest.mark.parametrize("argv", ARGPARSE_ERRORS, ids=[" ".join(a) for a in ARGPARSE_ERRORS])
def test_fuzz_cli_argparse_errors(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" in err.strip().splitlines()[-1]
    assert _files(tmp_path) == []
