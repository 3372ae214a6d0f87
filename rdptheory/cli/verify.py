"""``rdptheory verify``: run the claims registry, draw the figures, print a table, write the
report (report.md, report.json and a self-contained report.html)."""
from __future__ import annotations

import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from ._format import number, table
from ._progress import WeightedProgress, expected_seconds, previous_times

HELP = "check every registered claim of the papers and print PASS/FAIL"


def add_parser(sub):
    p = sub.add_parser(
        "verify", help=HELP,
        description=("Run the claims registry (proofs_checks): each claim is compared with its "
                     "reference, and its evidence kind (independent, precision, property, "
                     "statistical, literature, consistency) says what kind of reference that "
                     "is. Then draws the "
                     "figures (rdptheory.plots). Prints a table, writes report.md, report.json "
                     "and report.html (self-contained: figures embedded, no network) and exits "
                     "1 if any claim fails or a figure cannot be drawn."))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="only the quick claims (default; a few minutes on 2 cores)")
    mode.add_argument("--full", action="store_true",
                      help="also the expensive claims, and the expensive variant of each check")
    p.add_argument("--only", metavar="PATTERN",
                   help="run only claims whose id matches this glob or contains this text")
    p.add_argument("--out", metavar="DIR", default="rdptheory-report",
                   help="folder for report.{md,json,html} and figures/ (default "
                        "./rdptheory-report/)")
    figs = p.add_mutually_exclusive_group()
    figs.add_argument("--no-figures", action="store_true",
                      help="draw no figures (claims only)")
    figs.add_argument("--figures", metavar="PATTERN",
                      help="draw only the figures whose name matches this glob or contains "
                           "this text (default: the quick figures; all of them with --full)")
    p.add_argument("--seed", type=int, default=20251122, help="base seed of every random check")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=run)


def claims_package():
    """The claims registry, ``proofs_checks``, after checking it is rdptheory's own (the name is
    generic: another distribution could install a module of the same name)."""
    import proofs_checks

    if getattr(proofs_checks, "DISTRIBUTION", None) != "rdptheory":
        where = getattr(proofs_checks, "__file__", None) or "an unknown location"
        raise ValueError(f"the module proofs_checks imported from {where} is not rdptheory's "
                         "claims registry (another distribution installs a module of that name); "
                         "uninstall it, or run from rdptheory's source tree")
    return proofs_checks


def run(args):
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")  # the report's "started"
    claims_package()
    from proofs_checks import CheckContext, all_claims, run_claim, select_claims
    from proofs_checks.report import VerificationRun, kinds_line, write_report

    if args.list:
        rows = [[c.id, c.cost, c.kind or "—",
                 c.statement[:90] + ("…" if len(c.statement) > 90 else "")]
                for c in all_claims()]
        print(table(rows, ["claim", "cost", "kind", "statement"]))
        return 0
    from rdptheory.plots import select_figures
    from rdptheory._files import check_output_dir
    check_output_dir(args.out, files=("report.json", "report.md", "report.html"))  # now, not after the run
    selected, skipped = select_claims(full=args.full, only=args.only)
    if not selected:
        raise ValueError(f"no claim matches --only {args.only!r}; see `rdptheory verify --list`")
    if args.no_figures:
        figures, skipped_figures = [], []
    else:
        figures, skipped_figures = select_figures(full=args.full, only=args.figures)
        if args.figures is not None and not figures:
            raise ValueError(f"no figure matches --figures {args.figures!r}; see "
                             "`rdptheory figures --list`")
    ctx = CheckContext(full=args.full, seed=args.seed)
    outcomes = []
    t0 = time.perf_counter()
    mode = "full" if args.full else "quick"
    weights = expected_seconds([("claim", c.id, c.cost) for c in selected]
                               + [("figure", f.name, f.cost) for f in figures],
                               previous_times(args.out, mode))
    bar = WeightedProgress(weights, enabled=not args.no_progress)
    try:
        for c in selected:
            bar.start(c.id)
            outcomes.append(run_claim(c, ctx))
            bar.advance()
        drawn = _draw_figures(figures, args, bar)
    finally:
        bar.close()
    vr = VerificationRun(outcomes=tuple(outcomes), skipped=tuple(skipped),
                         mode="full" if args.full else "quick", seed=args.seed,
                         wall_time=time.perf_counter() - t0, figures=tuple(drawn),
                         skipped_figures=tuple(skipped_figures), started=started)
    rows = []
    for o in outcomes:
        r = o.result
        rows.append([o.claim.id, o.claim.kind or "—", o.verdict, number(r.value if r else None, 6),
                     number(r.reference if r else None, 6), number(r.tolerance if r else None, 3),
                     r.comparison if r else "—", f"{o.wall_time:.2f}s"])
    print(table(rows, ["claim", "kind", "verdict", "value", "reference", "tolerance", "rule", "time"]))
    for o in outcomes:
        if not o.passed:
            print(f"\n{o.verdict} {o.claim.id}: {o.claim.statement}\n  source: {o.claim.source}")
            print("  " + (o.result.details if o.result else o.error).replace("\n", "\n  "))
    for f in vr.figure_errors:
        print(f"\nERROR drawing figure {f.name}:\n  " + f.error.replace("\n", "\n  "))
    c = vr.counts
    pj, pm, ph = write_report(vr, args.out)
    if skipped:
        print(f"\nSkipped {len(skipped)} expensive claim{'s' if len(skipped) != 1 else ''} "
              "(run with --full): "
              + ", ".join(k.id for k in skipped))
    if drawn:
        ok = len(drawn) - len(vr.figure_errors)
        print(f"\nFigures: {ok} of {len(drawn)} drawn in {vr.figures_time:.1f} s"
              + (f"; skipped (--full): {', '.join(f.name for f in skipped_figures)}"
                 if skipped_figures else ""))
    print(f"\n{c['PASS']} passed, {c['FAIL']} failed, {c['ERROR']} errors, {c['SKIPPED']} skipped "
          f"(expensive; --full) in {vr.wall_time:.1f} s. By evidence kind: {kinds_line(vr)}. "
          f"Report: {ph} (also {pm}, {pj})")
    return 0 if vr.passed and not vr.figure_errors else 1


def _draw_figures(figures, args, bar):
    """Draw each figure into OUT/figures/ (PNG + CSV); a failure becomes an error entry."""
    from proofs_checks.report import ReportFigure
    from rdptheory.plots import FigureContext, write_figure

    def progress(stage):
        bar.note(stage)

    ctx = FigureContext(full=args.full, seed=args.seed, progress=progress)
    out = Path(args.out) / "figures"
    drawn = []
    for spec in figures:
        bar.start(f"figure {spec.name}")
        t = time.perf_counter()
        try:
            drawn.append(ReportFigure.from_output(write_figure(spec, ctx, out, "png")))
        except Exception:  # noqa: BLE001 - reported in the table and the report
            drawn.append(ReportFigure.failed(spec, time.perf_counter() - t,
                                             traceback.format_exc(limit=6)))
        bar.advance()
    return drawn
