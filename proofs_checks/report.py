"""Render a verification run (a list of :class:`~proofs_checks.registry.ClaimOutcome` and the
figures drawn with it) as ``report.json``, ``report.md`` and a self-contained ``report.html``
(figures embedded as base64 PNG, inline CSS, no script and no network)."""
from __future__ import annotations

import base64
import html
import json
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rdptheory.cli._format import number

from .registry import EVIDENCE_KIND_MEANINGS as KIND_LEGEND, EVIDENCE_KINDS


__all__ = ["VerificationRun", "ReportFigure", "write_report", "format_number",
           "render_markdown", "render_html", "SKIP_REASON", "kinds_line"]

#: Why a claim or figure is not in a quick run.
SKIP_REASON = "expensive: run `rdptheory verify --full`"


def format_number(x, digits=6):
    """A float for the report tables (shared with the CLI)."""
    return number(x, digits)


@dataclass(frozen=True)
class ReportFigure:
    """A figure drawn for the report: its registry entry (name, title, caption, cost), the PNG
    and CSV written (None if it failed), its wall time and the error text if it failed."""

    name: str
    title: str
    caption: str
    cost: str = "quick"
    image: Path | None = None
    csv: Path | None = None
    wall_time: float = 0.0
    error: str | None = None

    @classmethod
    def from_output(cls, out):
        """From a :class:`rdptheory.plots.FigureOutput`."""
        s = out.spec
        return cls(s.name, s.title, s.caption, s.cost, Path(out.image), Path(out.csv),
                   out.wall_time)

    @classmethod
    def failed(cls, spec, wall_time, error):
        return cls(spec.name, spec.title, spec.caption, spec.cost, None, None, wall_time, error)

    def as_dict(self, base=None):
        rel = (lambda p: None if p is None else _relative(p, base))
        return {"name": self.name, "title": self.title, "caption": self.caption,
                "cost": self.cost, "image": rel(self.image), "csv": rel(self.csv),
                "wall_time_s": round(self.wall_time, 3), "error": self.error}


def _relative(path, base):
    path = Path(path)
    if base is not None:
        try:
            return path.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


@dataclass(frozen=True)
class VerificationRun:
    outcomes: tuple
    skipped: tuple = ()
    mode: str = "quick"
    seed: int = 0
    wall_time: float = 0.0
    started: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(
        timespec="seconds"))
    figures: tuple = ()           # ReportFigure, in drawing order
    skipped_figures: tuple = ()   # FigureSpec of figures left out (expensive, quick mode)

    @property
    def counts(self):
        c = {"PASS": 0, "FAIL": 0, "ERROR": 0}
        for o in self.outcomes:
            c[o.verdict] += 1
        c["SKIPPED"] = len(self.skipped)
        return c

    @property
    def kind_counts(self):
        """Claims run per evidence kind (:data:`~proofs_checks.registry.EVIDENCE_KINDS` order;
        ``unclassified`` for a claim without a kind), with their verdicts:
        ``{kind: {"run": k, "PASS": .., "FAIL": .., "ERROR": ..}}``, kinds with no claim left
        out."""
        out = {}
        for o in self.outcomes:
            c = out.setdefault(o.claim.kind or "unclassified",
                               {"run": 0, "PASS": 0, "FAIL": 0, "ERROR": 0})
            c["run"] += 1
            c[o.verdict] += 1
        order = list(EVIDENCE_KINDS) + ["unclassified"]
        return {k: out[k] for k in order if k in out}

    @property
    def passed(self):
        return all(o.passed for o in self.outcomes)

    @property
    def figure_errors(self):
        return [f for f in self.figures if f.error is not None]

    @property
    def claims_time(self):
        return sum(o.wall_time for o in self.outcomes)

    @property
    def figures_time(self):
        return sum(f.wall_time for f in self.figures)

    def as_dict(self, base=None):
        from rdptheory import __version__
        return {
            "rdptheory_version": __version__, "started": self.started, "mode": self.mode,
            "seed": self.seed, "wall_time_s": round(self.wall_time, 3),
            "claims_time_s": round(self.claims_time, 3),
            "figures_time_s": round(self.figures_time, 3),
            "python": platform.python_version(), "machine": platform.machine(),
            "counts": self.counts, "kind_counts": self.kind_counts,
            "all_passed": self.passed,
            "claims": [o.as_dict() for o in self.outcomes],
            "skipped": [{"id": c.id, "statement": c.statement, "source": c.source,
                         "kind": c.kind, "reason": SKIP_REASON} for c in self.skipped],
            "figures": [f.as_dict(base) for f in self.figures],
            "skipped_figures": [{"name": f.name, "title": f.title, "reason": SKIP_REASON}
                                for f in self.skipped_figures],
        }


def _md_cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _summary_line(run):
    c = run.counts
    return (f"{c['PASS']} passed, {c['FAIL']} failed, {c['ERROR']} errors, {c['SKIPPED']} "
            f"skipped (of {len(run.outcomes) + len(run.skipped)} selected)")


def kinds_line(run):
    """'80 statistical, 60 independent, ...' with failures named per kind."""
    parts = []
    for kind, c in run.kind_counts.items():
        bad = c["FAIL"] + c["ERROR"]
        parts.append(f"{c['run']} {kind}" + (f" ({bad} not passed)" if bad else ""))
    return ", ".join(parts) if parts else "none"


def render_markdown(run: VerificationRun, base=None):
    lines = [
        "# rdptheory verification report", "",
        f"Mode **{run.mode}**, seed {run.seed}, started {run.started}, wall time "
        f"{run.wall_time:.1f} s (claims {run.claims_time:.1f} s, figures "
        f"{run.figures_time:.1f} s).", "",
        f"**{_summary_line(run)}**.", "",
        f"Claims run by evidence kind: {kinds_line(run)}.", "",
        "Evidence kinds: " + "; ".join(f"*{k}*: {v}" for k, v in KIND_LEGEND.items()) + ".",
        "",
    ]
    if run.skipped:
        lines += [f"Skipped ({SKIP_REASON}): " + ", ".join(f"`{k.id}`" for k in run.skipped)
                  + ".", ""]
    lines += [
        "| claim | statement | source | kind | value | reference | tolerance | rule | verdict "
        "| time (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in run.outcomes:
        r = o.result
        lines.append("| " + " | ".join(_md_cell(x) for x in (
            f"`{o.claim.id}`", o.claim.statement, o.claim.source, o.claim.kind or "—",
            format_number(r.value if r else None), format_number(r.reference if r else None),
            format_number(r.tolerance if r else None), r.rule if r else "—",
            f"**{o.verdict}**", f"{o.wall_time:.2f}")) + " |")
    lines += ["", "## Details", ""]
    for o in run.outcomes:
        detail = o.result.details if o.result else f"```\n{o.error}\n```"
        lines.append(f"- `{o.claim.id}` ({o.verdict}): {detail}")
    lines += ["", f"## Skipped claims ({SKIP_REASON})", ""]
    lines += ([f"- `{k.id}` ({k.kind or '—'}): {k.statement}" for k in run.skipped]
              or ["None."])
    if run.figures or run.skipped_figures:
        lines += ["", "## Figures", ""]
        for f in run.figures:
            lines += [f"### {f.title}", ""]
            if f.error is None:
                img, data = _relative(f.image, base), _relative(f.csv, base)
                lines += [f"![{f.title}]({img})", "",
                          f"{f.caption} (`{f.name}`, {f.wall_time:.1f} s; data: [{data}]({data}))",
                          ""]
            else:
                lines += [f"**ERROR** drawing `{f.name}`:", "", f"```\n{f.error}\n```", ""]
        if run.skipped_figures:
            lines += [f"Figures skipped ({SKIP_REASON}): "
                      + ", ".join(f"`{f.name}`" for f in run.skipped_figures) + ".", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 color:#1d2127;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:18px 24px 40px;background:#fff}
h1{font-size:24px;margin:6px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #dde}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:#5b6470;font-size:12.5px}
nav a{margin-right:14px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:12px 0}
.card{border-radius:6px;padding:8px 14px;min-width:92px;border:1px solid #dde;background:#fafbfc}
.card b{display:block;font-size:22px}
.card.pass b{color:#137333}.card.fail b{color:#b3261e}.card.error b{color:#a0470a}
.card.skip b{color:#5b6470}
.banner{padding:8px 12px;border-radius:6px;font-weight:600}
.banner.ok{background:#e6f4ea;color:#137333}.banner.bad{background:#fce8e6;color:#b3261e}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{border-bottom:1px solid #e3e6ea;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f0f2f5;position:sticky;top:0}
td.num{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap}
td.id code{font-size:12px;font-weight:600}
.stmt{color:#3c4450;font-size:12px;margin-top:2px}
.rule{color:#5b6470;font-size:11px}
.v{font-weight:700;border-radius:4px;padding:1px 6px;font-size:11.5px}
.v.PASS{background:#e6f4ea;color:#137333}.v.FAIL{background:#fce8e6;color:#b3261e}
.v.ERROR{background:#fef0e0;color:#a0470a}
tr.FAIL td,tr.ERROR td{background:#fff6f5}
details{margin:3px 0}summary{cursor:pointer}
details p,details pre{margin:4px 0 8px 18px}
pre{background:#f4f5f7;padding:8px;overflow:auto;font-size:12px}
figure{margin:18px 0 26px;padding:0}
figure img{max-width:100%;height:auto;border:1px solid #e3e6ea}
figcaption{font-size:13px;max-width:980px;margin-top:6px}
ul.skipped li{margin:2px 0}
"""


def _plural(k, noun):
    return f"{k} {noun}" + ("" if k == 1 else "s")


def _e(text):
    return html.escape(str(text), quote=True)


def _png_data_uri(path):
    data = Path(path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def render_html(run: VerificationRun, base=None):
    """A self-contained HTML page: summary, the claims table, details, skipped claims and every
    figure with its title and caption (PNG embedded as base64; inline CSS; no script)."""
    from rdptheory import __version__
    c = run.counts
    n_run = len(run.outcomes)
    bad = c["FAIL"] + c["ERROR"]
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>rdptheory verification report</title>", f"<style>{_CSS}</style>",
           "</head>", "<body>", "<main>",
           "<h1>rdptheory verification report</h1>",
           f'<p class="meta">rdptheory {_e(__version__)} · mode <b>{_e(run.mode)}</b> · seed '
           f"{run.seed} · started {_e(run.started)} · wall time {run.wall_time:.1f} s (claims "
           f"{run.claims_time:.1f} s, figures {run.figures_time:.1f} s) · Python "
           f"{_e(platform.python_version())} on {_e(platform.machine())}</p>",
           '<section id="summary">',
           f'<p class="banner {"ok" if bad == 0 else "bad"}">'
           + (f"All {_plural(n_run, 'claim')} run hold." if bad == 0 else
              f"Of {_plural(n_run, 'claim')} run, {c['FAIL']} failed and {c['ERROR']} raised "
              "an error.") + "</p>",
           '<div class="cards">',
           f'<div class="card pass" id="count-pass"><b>{c["PASS"]}</b>passed</div>',
           f'<div class="card fail" id="count-fail"><b>{c["FAIL"]}</b>failed</div>',
           f'<div class="card error" id="count-error"><b>{c["ERROR"]}</b>errors</div>',
           f'<div class="card skip" id="count-skipped"><b>{c["SKIPPED"]}</b>skipped</div>',
           f'<div class="card" id="count-figures"><b>{len(run.figures)}</b>figures</div>',
           "</div>",
           '<p id="kind-counts">Claims run by evidence kind: ' + ", ".join(
               f'<span class="kind" data-kind="{_e(k)}" title="{_e(KIND_LEGEND.get(k, ""))}">'
               f'<b>{c["run"]}</b> {_e(k)}</span>'
               + (f' ({c["FAIL"] + c["ERROR"]} not passed)' if c["FAIL"] + c["ERROR"] else "")
               for k, c in run.kind_counts.items()) + ".</p>"]
    if run.skipped:
        out.append(f'<p>Skipped ({_e(SKIP_REASON)}): '
                   + ", ".join(f'<a href="#skip-{_e(k.id)}"><code>{_e(k.id)}</code></a>'
                               for k in run.skipped) + ".</p>")
    out += ["</section>",
            '<nav><a href="#claims">Claims</a><a href="#details">Details</a>'
            '<a href="#skipped">Skipped</a><a href="#figures">Figures</a></nav>',
            '<section id="claims"><h2>Claims</h2>',
            '<table id="claims-table"><thead><tr><th>claim</th><th>source</th><th>kind</th>'
            "<th>value</th><th>reference</th><th>tolerance</th><th>verdict</th><th>time (s)</th></tr></thead>",
            "<tbody>"]
    for o in run.outcomes:
        r = o.result
        out.append(
            f'<tr class="{o.verdict}" data-claim="{_e(o.claim.id)}">'
            f'<td class="id"><a href="#d-{_e(o.claim.id)}"><code>{_e(o.claim.id)}</code></a>'
            f'<div class="stmt">{_e(o.claim.statement)}</div></td>'
            f"<td>{_e(o.claim.source)}</td>"
            f'<td class="kind" title="{_e(KIND_LEGEND.get(o.claim.kind, ""))}">'
            f'{_e(o.claim.kind or "—")}</td>'
            f'<td class="num">{_e(format_number(r.value if r else None))}</td>'
            f'<td class="num">{_e(format_number(r.reference if r else None))}</td>'
            f'<td class="num">{_e(format_number(r.tolerance if r else None))}'
            f'<div class="rule">{_e(r.rule if r else "—")}</div></td>'
            f'<td><span class="v {o.verdict}">{o.verdict}</span></td>'
            f'<td class="num">{o.wall_time:.2f}</td></tr>')
    out += ["</tbody></table></section>", '<section id="details"><h2>Details</h2>']
    for o in run.outcomes:
        open_ = "" if o.passed else " open"
        body = (f"<p>{_e(o.result.details)}</p>" if o.result is not None
                else f"<pre>{_e(o.error)}</pre>")
        out.append(f'<details id="d-{_e(o.claim.id)}"{open_}><summary><code>{_e(o.claim.id)}'
                   f'</code> <span class="v {o.verdict}">{o.verdict}</span></summary>{body}'
                   "</details>")
    out += ["</section>", '<section id="skipped"><h2>Skipped claims</h2>']
    if run.skipped:
        out.append(f"<p>{_plural(len(run.skipped), 'claim')} not run ({_e(SKIP_REASON)}):</p>")
        out.append('<ul class="skipped">' + "".join(
            f'<li id="skip-{_e(k.id)}"><code>{_e(k.id)}</code> ({_e(k.kind or "—")}): '
            f'{_e(k.statement)} '
            f'<span class="meta">({_e(k.source)})</span></li>' for k in run.skipped) + "</ul>")
    else:
        out.append("<p>None: every selected claim was run.</p>")
    out += ["</section>", '<section id="figures"><h2>Figures</h2>']
    if not run.figures:
        out.append("<p>No figures in this run (<code>--no-figures</code>).</p>")
    for f in run.figures:
        out.append(f'<figure id="fig-{_e(f.name)}"><h3>{_e(f.title)}</h3>')
        if f.error is None:
            data = _relative(f.csv, base)
            out.append(f'<img src="{_png_data_uri(f.image)}" alt="{_e(f.title)}">'
                       f"<figcaption>{_e(f.caption)} <span class=\"meta\">(<code>{_e(f.name)}"
                       f"</code>, {f.wall_time:.1f} s; data: {_e(data)})</span></figcaption>")
        else:
            out.append(f"<p><b>ERROR</b> drawing <code>{_e(f.name)}</code></p>"
                       f"<pre>{_e(f.error)}</pre>")
        out.append("</figure>")
    if run.skipped_figures:
        out.append(f"<p>Figures skipped ({_e(SKIP_REASON)}): " + ", ".join(
            f"<code>{_e(f.name)}</code>" for f in run.skipped_figures) + ".</p>")
    out += ["</section>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def write_report(run: VerificationRun, out_dir):
    """Write ``report.json``, ``report.md`` and ``report.html`` into ``out_dir`` (created if
    needed); return the three paths. Figure paths are written relative to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pj, pm, ph = out / "report.json", out / "report.md", out / "report.html"
    # rendered first, then written under temporary names and renamed together: a crash
    # leaves no report.json claiming success beside a missing report.html; symlinks refused
    from rdptheory._files import write_texts_atomically
    write_texts_atomically({
        pj: json.dumps(run.as_dict(out), indent=2, allow_nan=False) + "\n",
        pm: render_markdown(run, out),
        ph: render_html(run, out)})
    return pj, pm, ph
