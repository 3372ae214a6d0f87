"""The figure registry (rdptheory.plots) and ``rdptheory figures``: every registered quick
figure renders, writes an image and a CSV with its declared columns, and the CLI handles bad
input."""
import csv
import sys

import matplotlib
import pytest

from rdptheory.cli import main
from rdptheory.plots import (FigureContext, FigureResult, all_figures, figure, get_figure,
                             make_figure, select_figures, write_figure)
from rdptheory.plots import _registry
from rdptheory.plots.style import new_figure

QUICK = [f.name for f in all_figures() if f.cost == "quick"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_issue_7_figures_are_registered():
    names = {f.name for f in all_figures()}
    assert {"rdp_curves", "common_randomness", "nsm_vs_dimension", "rate_gap", "crypto_lemma",
            "fig4_rate_distortion_p0"} <= names


@pytest.mark.parametrize("name", QUICK)
def test_quick_figure_renders_image_and_csv(name, tmp_path):
    spec = get_figure(name)
    rc_before = dict(matplotlib.rcParams)
    pyplot_figs = (sys.modules["matplotlib.pyplot"].get_fignums()
                   if "matplotlib.pyplot" in sys.modules else None)
    out = write_figure(spec, FigureContext(), tmp_path)
    assert out.image == tmp_path / f"{name}.png" and out.csv == tmp_path / f"{name}.csv"
    data = out.image.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 10_000
    with open(out.csv, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert len(header) >= 2 and len(set(header)) == len(header)
    assert out.n_rows == len(rows) - 1 > 0
    assert all(len(r) == len(header) for r in rows[1:])
    # the figure is built without pyplot and leaves the global rc settings alone
    if pyplot_figs is not None:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == pyplot_figs
    assert dict(matplotlib.rcParams) == rc_before
    # a caption says what the figure shows and what to look for
    assert len(spec.title) > 10 and "look for" in spec.caption.lower(), spec.caption


def test_make_figure_returns_declared_columns():
    r = make_figure("rate_gap")
    assert isinstance(r, FigureResult)
    assert r.columns == ("kind", "lattice", "dimension", "G", "gap_bits")
    kinds = {row[0] for row in r.rows}
    assert kinds == {"reference", "sphere_bound", "zador_bound"}
    # every lattice lies above the sphere bound of its dimension
    sphere = {row[2]: row[4] for row in r.rows if row[0] == "sphere_bound"}
    assert all(row[4] >= sphere[row[2]] - 1e-12 for row in r.rows if row[0] == "reference")


def test_fig4_has_one_row_per_operating_point():
    r = make_figure("fig4_rate_distortion_p0", n_samples=300, cell_samples=256)
    assert len(r.rows) == 2 * 4 * 4
    assert {row[0] for row in r.rows} == {"SD", "PD", "QSD Γ=2", "QSD Γ=3"}


def test_figure_result_rejects_ragged_rows():
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="row 1"):
        FigureResult(fig, ("a", "b"), [(1, 2), (3,)])


def test_registry_rejects_duplicates_and_bad_cost():
    with pytest.raises(ValueError, match="registered twice"):
        figure("rate_gap", "t", "c")(lambda ctx: None)
    with pytest.raises(ValueError, match="cost"):
        figure("zz_new", "t", "c", cost="slow")
    with pytest.raises(ValueError, match="unknown figure"):
        get_figure("no_such_figure")


def _fake(name, cost="quick", fail=False):
    def make(ctx):
        if fail:
            raise RuntimeError("deliberate failure")
        fig, ax = new_figure()
        ax.plot([0, 1], [0, 1])
        return FigureResult(fig, ("x", "y"), [(0, 0), (1, 1)])
    return _registry.FigureSpec(name, f"title of {name}", "caption; look for nothing", make, cost)


def test_select_figures_quick_full_and_only(monkeypatch):
    monkeypatch.setitem(_registry._FIGURES, "zz_expensive", _fake("zz_expensive", "full"))
    sel, skip = select_figures(only="zz_*")
    assert sel == [] and [f.name for f in skip] == ["zz_expensive"]
    sel, skip = select_figures(full=True, only="zz_expensive")
    assert [f.name for f in sel] == ["zz_expensive"] and skip == []
    assert [f.name for f in select_figures(only="gap")[0]] == ["rate_gap"]


def test_write_figure_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="format"):
        write_figure("rate_gap", FigureContext(), tmp_path, "gif")


def test_cli_figures_writes_png_pdf_and_csv(tmp_path, capsys):
    assert main(["figures", "--out", str(tmp_path), "--only", "rate_gap", "--no-progress"]) == 0
    assert (tmp_path / "rate_gap.png").read_bytes()[:8] == PNG_MAGIC
    assert (tmp_path / "rate_gap.csv").stat().st_size > 100
    assert main(["figures", "--out", str(tmp_path), "--only", "rdp_*", "--format", "pdf",
                 "--no-progress"]) == 0
    assert (tmp_path / "rdp_curves.pdf").read_bytes()[:5] == b"%PDF-"
    out = capsys.readouterr().out
    assert "rate_gap" in out and "rdp_curves" in out and "1 figure written" in out


def test_cli_figures_list(capsys):
    assert main(["figures", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in QUICK)


@pytest.mark.parametrize("argv, match", [
    (["figures", "--only", "no_such_figure"], "no figure matches"),
    (["figures", "--dpi", "5"], "--dpi"),
])
def test_cli_figures_bad_input_exits_2(argv, match, capsys, tmp_path):
    assert main(argv + ["--out", str(tmp_path), "--no-progress"]) == 2
    assert match in capsys.readouterr().err


def test_cli_figures_bad_format_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["figures", "--format", "gif"])
    assert exc.value.code == 2


def test_cli_figures_failing_figure_exits_1(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(_registry._FIGURES, "zz_broken", _fake("zz_broken", fail=True))
    assert main(["figures", "--only", "zz_broken", "--out", str(tmp_path),
                 "--no-progress"]) == 1
    assert "deliberate failure" in capsys.readouterr().err
