"""report.html / report.md / report.json: self-contained HTML, one table row per claim, counts
that agree with the JSON, skipped claims named everywhere, figures embedded."""
import base64
import html
import json
from html.parser import HTMLParser

import pytest

from proofs_checks import registry
from proofs_checks.registry import Claim, ClaimOutcome, ClaimResult
from proofs_checks.report import ReportFigure, VerificationRun, write_report
from rdptheory.cli import main
from rdptheory.plots import FigureContext, get_figure, write_figure


class _Page(HTMLParser):
    """Collects every tag with its attributes, the rows of the claims table and the text of the
    count cards."""

    def __init__(self):
        super().__init__()
        self.tags, self.rows, self.cards = [], [], {}
        self._in_table = self._in_tbody = False
        self._card = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "table" and a.get("id") == "claims-table":
            self._in_table = True
        elif tag == "tbody" and self._in_table:
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self.rows.append(a)
        elif tag == "div" and a.get("id", "").startswith("count-"):
            self._card = a["id"]

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = self._in_tbody = False
        elif tag == "div":
            self._card = None

    def handle_data(self, data):
        if self._card and data.strip() and self._card not in self.cards:
            self.cards[self._card] = int(data.strip())


def _parse(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _claim(id, value, reference, statement="a statement", cost="quick", kind="independent"):
    return Claim(id, statement, "a source",
                 lambda ctx: ClaimResult(value, reference, 0.1, "abs", f"details of {id}"), cost,
                 kind)


@pytest.fixture
def run(tmp_path):
    """A hand-made run: PASS, FAIL, ERROR, one skipped claim, a drawn and a failed figure."""
    ok = _claim("zz.pass", 1.0, 1.0, "holds <script>alert(1)</script> & is escaped")
    bad = _claim("zz.fail", 1.0, 2.0, kind="precision")
    err = Claim("zz.error", "raises", "none", lambda ctx: 1 / 0, kind="precision")
    skipped = _claim("zz.skipped", 0.0, 0.0, "an expensive one", cost="full")
    outcomes = tuple(registry.run_claim(c) for c in (ok, bad, err))
    spec = get_figure("rate_gap")
    fig = ReportFigure.from_output(write_figure(spec, FigureContext(), tmp_path / "figures"))
    broken = ReportFigure.failed(get_figure("rdp_curves"), 0.1, "Traceback: boom")
    return VerificationRun(outcomes=outcomes, skipped=(skipped,), seed=1, wall_time=2.5,
                           figures=(fig, broken), skipped_figures=(get_figure("crypto_lemma"),))


def test_writes_three_reports(run, tmp_path):
    paths = write_report(run, tmp_path)
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html"]
    assert all(p.stat().st_size > 500 for p in paths)


def test_html_is_self_contained(run, tmp_path):
    _, _, html_path = write_report(run, tmp_path)
    page = _parse(html_path)
    text = html_path.read_text(encoding="utf-8")
    assert not any(tag == "script" for tag, _ in page.tags)
    assert not any(tag == "link" for tag, _ in page.tags)
    for tag, attrs in page.tags:
        for key in ("src", "href"):
            url = attrs.get(key)
            if url is not None:
                assert not url.lower().startswith(("http:", "https:", "//", "file:")), (tag, url)
                assert url.startswith(("#", "data:image/png;base64,")), (tag, url)
    assert "url(" not in text and "@import" not in text
    images = [a["src"] for tag, a in page.tags if tag == "img"]
    assert len(images) == 1  # the failed figure has no image
    png = base64.b64decode(images[0].split(",", 1)[1])
    assert png == (tmp_path / "figures" / "rate_gap.png").read_bytes()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_html_table_and_counts_match_json(run, tmp_path):
    pj, _, ph = write_report(run, tmp_path)
    report = json.loads(pj.read_text(encoding="utf-8"))
    page = _parse(ph)
    assert [r["data-claim"] for r in page.rows] == [c["id"] for c in report["claims"]]
    assert [r["class"] for r in page.rows] == ["PASS", "FAIL", "ERROR"]
    counts = report["counts"]
    assert counts == {"PASS": 1, "FAIL": 1, "ERROR": 1, "SKIPPED": 1}
    assert page.cards == {"count-pass": counts["PASS"], "count-fail": counts["FAIL"],
                          "count-error": counts["ERROR"], "count-skipped": counts["SKIPPED"],
                          "count-figures": 2}


def test_evidence_kinds_in_all_three(run, tmp_path):
    pj, pm, ph = write_report(run, tmp_path)
    report = json.loads(pj.read_text(encoding="utf-8"))
    assert [c["kind"] for c in report["claims"]] == ["independent", "precision", "precision"]
    assert report["skipped"][0]["kind"] == "independent"
    assert report["kind_counts"] == {
        "independent": {"run": 1, "PASS": 1, "FAIL": 0, "ERROR": 0},
        "precision": {"run": 2, "PASS": 0, "FAIL": 1, "ERROR": 1}}
    md = pm.read_text(encoding="utf-8")
    assert "Claims run by evidence kind: 1 independent, 2 precision (2 not passed)." in md
    assert "| `zz.fail` | a statement | a source | precision |" in md
    html_text = ph.read_text(encoding="utf-8")
    assert 'data-kind="precision"' in html_text and "<th>kind</th>" in html_text
    assert html_text.count('<td class="kind"') == 3


def test_skipped_claims_and_figures_are_named_in_all_three(run, tmp_path):
    pj, pm, ph = write_report(run, tmp_path)
    report = json.loads(pj.read_text(encoding="utf-8"))
    assert [s["id"] for s in report["skipped"]] == ["zz.skipped"]
    assert "--full" in report["skipped"][0]["reason"]
    assert [s["name"] for s in report["skipped_figures"]] == ["crypto_lemma"]
    md, html_text = pm.read_text(encoding="utf-8"), ph.read_text(encoding="utf-8")
    for text in (md, html_text):
        assert "zz.skipped" in text and "crypto_lemma" in text
    assert 'id="skip-zz.skipped"' in html_text


def test_figures_in_json_and_markdown(run, tmp_path):
    pj, pm, ph = write_report(run, tmp_path)
    figs = json.loads(pj.read_text(encoding="utf-8"))["figures"]
    assert figs[0]["image"] == "figures/rate_gap.png" and figs[0]["csv"] == "figures/rate_gap.csv"
    assert figs[0]["error"] is None and figs[1]["error"] == "Traceback: boom"
    md = pm.read_text(encoding="utf-8")
    assert "![The rate gap" in md and "(figures/rate_gap.png)" in md and "boom" in md
    html_text = ph.read_text(encoding="utf-8")
    spec = get_figure("rate_gap")
    assert html.escape(spec.title) in html_text
    assert "What to look for" in html_text and "boom" in html_text


def test_verify_writes_html_and_names_skipped_claims(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(registry._REGISTRY, "zz.quick", _claim("zz.quick", 1.0, 1.0))
    monkeypatch.setitem(registry._REGISTRY, "zz.expensive",
                        _claim("zz.expensive", 1.0, 1.0, cost="full"))
    code = main(["verify", "--only", "zz.*", "--figures", "rate_gap", "--out", str(tmp_path),
                 "--no-progress"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Skipped 1 expensive claim (run with --full): zz.expensive" in out
    assert "report.html" in out
    page = _parse(tmp_path / "report.html")
    assert [r["data-claim"] for r in page.rows] == ["zz.quick"]
    assert sum(tag == "img" for tag, _ in page.tags) == 1
    assert (tmp_path / "figures" / "rate_gap.csv").exists()
    assert "zz.expensive" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_verify_no_figures(tmp_path, monkeypatch):
    monkeypatch.setitem(registry._REGISTRY, "zz.quick", _claim("zz.quick", 1.0, 1.0))
    assert main(["verify", "--only", "zz.*", "--no-figures", "--out", str(tmp_path),
                 "--no-progress"]) == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["figures"] == [] and not (tmp_path / "figures").exists()
    assert sum(tag == "img" for tag, _ in _parse(tmp_path / "report.html").tags) == 0


def test_verify_bad_figure_pattern_exits_2(tmp_path, capsys):
    assert main(["verify", "--only", "gaussian.sd_ltc.*", "--figures", "no_such_fig", "--out",
                 str(tmp_path), "--no-progress"]) == 2
    assert "no figure matches" in capsys.readouterr().err


def test_verify_failing_figure_exits_1(tmp_path, monkeypatch, capsys):
    from rdptheory.plots import _registry

    def make(ctx):
        raise RuntimeError("deliberate figure failure")
    monkeypatch.setitem(_registry._FIGURES, "zz_broken",
                        _registry.FigureSpec("zz_broken", "t", "c", make))
    monkeypatch.setitem(registry._REGISTRY, "zz.quick", _claim("zz.quick", 1.0, 1.0))
    assert main(["verify", "--only", "zz.*", "--figures", "zz_broken", "--out", str(tmp_path),
                 "--no-progress"]) == 1
    assert "deliberate figure failure" in capsys.readouterr().out
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert "deliberate figure failure" in report["figures"][0]["error"]
