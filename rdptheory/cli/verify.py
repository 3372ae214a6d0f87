"""``rdptheory verify``: run the claims registry, print a table, write the report."""
from __future__ import annotations

import sys
import time

from ._format import number, table

HELP = "check every registered claim of the papers and print PASS/FAIL"


def add_parser(sub):
    p = sub.add_parser(
        "verify", help=HELP,
        description=("Run the claims registry (proofs_checks): each claim is computed by an "
                     "independent method and compared with its reference. Prints a table, "
                     "writes report.md and report.json, and exits 1 if any claim fails."))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="only the quick claims (default; a few minutes on 2 cores)")
    mode.add_argument("--full", action="store_true",
                      help="also the expensive claims, and the expensive variant of each check")
    p.add_argument("--only", metavar="PATTERN",
                   help="run only claims whose id matches this glob or contains this text")
    p.add_argument("--out", metavar="DIR", default="rdptheory-report",
                   help="folder for report.md and report.json (default ./rdptheory-report/)")
    p.add_argument("--seed", type=int, default=20251122, help="base seed of every random check")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=run)


def run(args):
    from proofs_checks import CheckContext, all_claims, run_claim, select_claims
    from proofs_checks.report import VerificationRun, write_report

    if args.list:
        rows = [[c.id, c.cost, c.statement[:90] + ("…" if len(c.statement) > 90 else "")]
                for c in all_claims()]
        print(table(rows, ["claim", "cost", "statement"]))
        return 0
    selected, skipped = select_claims(full=args.full, only=args.only)
    if not selected:
        raise ValueError(f"no claim matches --only {args.only!r}; see `rdptheory verify --list`")
    ctx = CheckContext(full=args.full, seed=args.seed)
    outcomes = []
    t0 = time.perf_counter()
    bar = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=len(selected), file=sys.stderr, unit="claim", leave=False,
                   dynamic_ncols=True)
    for c in selected:
        if bar is not None:
            bar.set_description(c.id[:40])
        outcomes.append(run_claim(c, ctx))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    vr = VerificationRun(outcomes=tuple(outcomes), skipped=tuple(skipped),
                         mode="full" if args.full else "quick", seed=args.seed,
                         wall_time=time.perf_counter() - t0)
    rows = []
    for o in outcomes:
        r = o.result
        rows.append([o.claim.id, o.verdict, number(r.value if r else None, 6),
                     number(r.reference if r else None, 6), number(r.tolerance if r else None, 3),
                     r.comparison if r else "—", f"{o.wall_time:.2f}s"])
    print(table(rows, ["claim", "verdict", "value", "reference", "tolerance", "rule", "time"]))
    for o in outcomes:
        if not o.passed:
            print(f"\n{o.verdict} {o.claim.id}: {o.claim.statement}\n  source: {o.claim.source}")
            print("  " + (o.result.details if o.result else o.error).replace("\n", "\n  "))
    c = vr.counts
    pj, pm = write_report(vr, args.out)
    print(f"\n{c['PASS']} passed, {c['FAIL']} failed, {c['ERROR']} errors, {c['SKIPPED']} skipped "
          f"(expensive; --full) in {vr.wall_time:.1f} s. Report: {pm} and {pj}")
    return 0 if vr.passed else 1
