"""``rdptheory figures``: draw every registered figure (rdptheory.plots) as image + CSV."""
from __future__ import annotations

import sys
import time

from ._format import table

HELP = "draw every figure (R(D,P), common randomness, NSM, rate gap, crypto lemma, Fig. 4, LTC)"


def add_parser(sub):
    from ..plots import FORMATS
    p = sub.add_parser(
        "figures", help=HELP,
        description=("Draw the registered figures (rdptheory.plots) in one style. Each figure "
                     "is written as an image and as a CSV of the data it plots (every curve "
                     "and marker). Quick figures by default; --full also draws the expensive "
                     "ones and the denser variant of each."),
        epilog="examples:\n  rdptheory figures --out figs\n"
               "  rdptheory figures --only nsm --format pdf\n  rdptheory figures --list",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("--out", metavar="DIR", default="rdptheory-figures",
                   help="folder for the images and CSVs (default ./rdptheory-figures/)")
    p.add_argument("--format", choices=FORMATS, default="png", help="image format (default png)")
    p.add_argument("--only", metavar="NAME",
                   help="only figures whose name matches this glob or contains this text")
    p.add_argument("--full", action="store_true",
                   help="also the expensive figures, and the dense variant of each")
    p.add_argument("--dpi", type=int, default=None, help="raster resolution (default 110)")
    p.add_argument("--seed", type=int, default=20251122, help="base seed of every random figure")
    p.add_argument("--list", action="store_true", help="list the figures and exit")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=run)


def run(args):
    from ..plots import FigureContext, all_figures, select_figures, write_figure
    if args.list:
        rows = [[f.name, f.cost, f.title] for f in all_figures()]
        print(table(rows, ["figure", "cost", "title"]))
        return 0
    if args.dpi is not None and not 20 <= args.dpi <= 1200:
        raise ValueError(f"--dpi must be in [20, 1200]; got {args.dpi}")
    from .._files import check_output_dir
    check_output_dir(args.out)  # before drawing, not after
    selected, skipped = select_figures(full=args.full, only=args.only)
    if not selected:
        hint = (f"; {', '.join(f.name for f in skipped)} only with --full" if skipped else "")
        raise ValueError(f"no figure matches --only {args.only!r}{hint}; see "
                         "`rdptheory figures --list`")
    bar = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=len(selected), file=sys.stderr, unit="figure", leave=False,
                   dynamic_ncols=True)

    def progress(stage):
        if bar is not None:
            bar.set_postfix_str(stage[:40])

    ctx = FigureContext(full=args.full, seed=args.seed, progress=progress)
    rows, failed = [], []
    t0 = time.perf_counter()
    for spec in selected:
        if bar is not None:
            bar.set_description(spec.name[:32])
        try:
            out = write_figure(spec, ctx, args.out, args.format, dpi=args.dpi)
            rows.append([spec.name, str(out.image), f"{out.n_rows}", f"{out.wall_time:.1f}s"])
        except Exception as exc:  # noqa: BLE001 - reported per figure, exit code 1
            failed.append((spec.name, f"{type(exc).__name__}: {exc}"))
            rows.append([spec.name, "ERROR", "—", "—"])
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    print(table(rows, ["figure", "image (CSV beside it)", "rows", "time"]))
    for name, err in failed:
        print(f"\nERROR {name}: {err}", file=sys.stderr)
    k = len(selected) - len(failed)
    msg = f"\n{k} figure{'' if k == 1 else 's'} written to {args.out} in " \
          f"{time.perf_counter() - t0:.1f} s"
    if skipped:
        msg += f"; skipped (expensive, --full): {', '.join(f.name for f in skipped)}"
    print(msg)
    return 1 if failed else 0
