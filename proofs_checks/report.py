"""Render a verification run (a list of :class:`~proofs_checks.registry.ClaimOutcome`) as
``report.json`` and ``report.md``."""
from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from rdptheory.cli._format import number


__all__ = ["VerificationRun", "write_report", "format_number"]


def format_number(x, digits=6):
    """A float for the report tables (shared with the CLI)."""
    return number(x, digits)


@dataclass(frozen=True)
class VerificationRun:
    outcomes: tuple
    skipped: tuple = ()
    mode: str = "quick"
    seed: int = 0
    wall_time: float = 0.0
    started: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(
        timespec="seconds"))

    @property
    def counts(self):
        c = {"PASS": 0, "FAIL": 0, "ERROR": 0}
        for o in self.outcomes:
            c[o.verdict] += 1
        c["SKIPPED"] = len(self.skipped)
        return c

    @property
    def passed(self):
        return all(o.passed for o in self.outcomes)

    def as_dict(self):
        from rdptheory import __version__
        return {
            "rdptheory_version": __version__, "started": self.started, "mode": self.mode,
            "seed": self.seed, "wall_time_s": round(self.wall_time, 3),
            "python": platform.python_version(), "machine": platform.machine(),
            "counts": self.counts, "all_passed": self.passed,
            "claims": [o.as_dict() for o in self.outcomes],
            "skipped": [{"id": c.id, "statement": c.statement, "reason": "expensive: run --full"}
                        for c in self.skipped],
        }


def _md_cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(run: VerificationRun):
    c = run.counts
    lines = [
        "# rdptheory verification report", "",
        f"Mode **{run.mode}**, seed {run.seed}, started {run.started}, wall time "
        f"{run.wall_time:.1f} s.", "",
        f"**{c['PASS']} passed, {c['FAIL']} failed, {c['ERROR']} errors, "
        f"{c['SKIPPED']} skipped** (of {len(run.outcomes) + len(run.skipped)} registered).", "",
        "| claim | statement | source | value | reference | tolerance | rule | verdict | time (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in run.outcomes:
        r = o.result
        lines.append("| " + " | ".join(_md_cell(x) for x in (
            f"`{o.claim.id}`", o.claim.statement, o.claim.source,
            format_number(r.value if r else None), format_number(r.reference if r else None),
            format_number(r.tolerance if r else None), r.rule if r else "—",
            f"**{o.verdict}**", f"{o.wall_time:.2f}")) + " |")
    lines += ["", "## Details", ""]
    for o in run.outcomes:
        detail = o.result.details if o.result else f"```\n{o.error}\n```"
        lines.append(f"- `{o.claim.id}` ({o.verdict}): {detail}")
    if run.skipped:
        lines += ["", "## Skipped (expensive; run `rdptheory verify --full`)", ""]
        lines += [f"- `{c.id}`: {c.statement}" for c in run.skipped]
    return "\n".join(lines) + "\n"


def write_report(run: VerificationRun, out_dir):
    """Write ``report.json`` and ``report.md`` into ``out_dir`` (created if needed); return the
    paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pj, pm = out / "report.json", out / "report.md"
    pj.write_text(json.dumps(run.as_dict(), indent=2, allow_nan=False) + "\n", encoding="utf-8")
    pm.write_text(render_markdown(run), encoding="utf-8")
    return pj, pm
