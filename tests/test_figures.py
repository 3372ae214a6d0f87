"""The figure scripts run and write their image and data."""
import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "figures" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fig4_writes_png_and_csv(tmp_path):
    path = _load("fig4_rate_distortion_p0").main(["--out", str(tmp_path), "--samples", "400"])
    assert path.exists() and path.stat().st_size > 10_000
    rows = list(csv.DictReader(open(tmp_path / "fig4_rate_distortion_p0.csv")))
    assert len(rows) == 2 * 4 * 4  # lattices x distortions x schemes
    assert {r["scheme"] for r in rows} == {"SD", "PD", "QSD Γ=2", "QSD Γ=3"}
