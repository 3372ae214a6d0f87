"""Exact NSM from the Voronoi cell: API, CLI and invariances (claims: exact_nsm.*)."""
import json
from fractions import Fraction

import pytest
import sympy as sp

pytest.importorskip("cdd")

from rdptheory.cli import main
from rdptheory.lattices import exact_voronoi_cell, get, nsm_exact


def test_exact_gram_input_and_invariance():
    a = nsm_exact([[2, -1], [-1, 2]])                      # A2 from its integer Gram matrix
    assert a.value == sp.Rational(5, 108) * sp.sqrt(3) and a.cell_volume == 1
    b = nsm_exact(get("A2").scaled(3.7).rotated([[0.6, -0.8], [0.8, 0.6]]))
    assert b.value == a.value
    c = nsm_exact([[1, Fraction(1, 2)], [Fraction(1, 2), 1]])  # another basis of A2
    assert c.value == a.value


def test_result_fields():
    r = get("D4").nsm_exact()
    assert r.value == 13 * sp.sqrt(2) / 240
    assert r.decimal == "0.0766032346285426484767581392280"
    assert len(r.decimal) == 33 and float(r) == pytest.approx(13 / (120 * 2 ** 0.5), rel=1e-15)
    assert r.as_dict()["exact"] == "13*sqrt(2)/240"
    cell = exact_voronoi_cell("D4")
    assert cell.n_facets == 24 and cell.n_vertices == 24 and cell.dimension == 4


def test_cli_exact(capsys):
    assert main(["nsm", "D4", "--exact"]) == 0
    out = capsys.readouterr().out
    assert "13*sqrt(2)/240" in out and "0.0766032346285426484767581392280" in out
    assert main(["nsm", "A3*", "--exact", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["exact"] == "19*2**(2/3)/384" and d["cell_volume"] == "1"
    assert main(["nsm", "Leech", "--exact"]) == 2
    assert "dimension <= 8" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_exact_e8(capsys):
    assert main(["nsm", "E8", "--exact"]) == 0
    out = capsys.readouterr().out
    assert "929/12960" in out and "19440 vertices" in out and "240 facets" in out


def test_cli_exact_without_pycddlib(monkeypatch, capsys):
    import sys
    monkeypatch.setitem(sys.modules, "cdd", None)          # import cdd -> ImportError
    assert main(["nsm", "D4", "--exact"]) == 2
    err = capsys.readouterr().err
    assert "rdptheory[exact]" in err and "Traceback" not in err
