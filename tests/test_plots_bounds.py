"""The R(D,P)-of-sources figure (rdptheory.plots.bounds): its quick variant renders (slow: the
solver needs ~1 s per point)."""
import csv

import pytest

from rdptheory.plots import FigureContext, get_figure, write_figure


@pytest.mark.slow
def test_quick_variant_writes_curves_and_laplace_points(tmp_path):
    out = write_figure(get_figure("bounds_rdp_sources"), FigureContext(full=False), tmp_path)
    rows = list(csv.DictReader(open(out.csv)))
    curves = [r for r in rows if r["kind"] == "curve"]
    pts = [r for r in rows if r["kind"] == "SD-LTC"]
    assert len(curves) == 12 and len(pts) == 4
    for r in curves:
        assert float(r["bracket_lower"]) <= float(r["rate"]) <= float(r["bracket_upper"])
    # the Laplace SD points lie above the (coarse) Laplace curve at the nearest distortion
    lap = {(float(r["P"]), float(r["D"])): float(r["bracket_lower"]) for r in curves
           if r["source"] == "Laplace"}
    for r in pts:
        assert float(r["rate"]) > lap[(float(r["P"]), 0.7)]
