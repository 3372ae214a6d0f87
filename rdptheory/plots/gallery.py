"""The figure gallery of the documentation (``docs/figures.md``), generated from the figure
registry.

    python -m rdptheory.plots.gallery            # rewrite the gallery block of docs/figures.md
    python -m rdptheory.plots.gallery --check    # exit 1 if the block or an image is stale/missing
    python -m rdptheory.plots.gallery --images   # also redraw docs/figures/NAME.{png,csv} (--full)

The block sits between ``<!-- gallery:start -->`` and ``<!-- gallery:end -->``: for each
registered figure its title, the image ``docs/figures/NAME.png`` (linked relative to the page
as ``figures/NAME.png``), its caption and its CSV.
``tests/test_gallery.py`` fails when the block no longer matches the registry or an image is
missing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._registry import FigureContext, all_figures, write_figure
from .._readme import replace_block

START, END = "<!-- gallery:start -->", "<!-- gallery:end -->"
#: Where the gallery images live, relative to the repository root.
IMAGE_DIR = "docs/figures"
#: The gallery page, relative to the repository root; images are linked relative to it.
PAGE = "docs/figures.md"
LINK_DIR = "figures"
ROOT = Path(__file__).resolve().parents[2]


def render():
    """The gallery block (without the markers)."""
    lines = ["# Figures", "",
             "Drawn by `rdptheory figures` (one style; each image has a CSV of its data beside "
             "it) and embedded in the HTML report of `rdptheory verify`. This gallery is "
             "generated from the figure registry (`python -m rdptheory.plots.gallery --images`; "
             "a test fails when it is stale).", ""]
    for f in all_figures():
        img, data = f"{LINK_DIR}/{f.name}.png", f"{LINK_DIR}/{f.name}.csv"
        lines += [f"## {f.title}", "", f"![{f.title}]({img})", "",
                  f"{f.caption} (`rdptheory figures --only {f.name}`"
                  + (", `--full`" if f.cost == "full" else "") + f"; data: [{data}]({data}))",
                  ""]
    return "\n".join(lines).rstrip("\n")


def updated(text):
    """``text`` with its gallery block replaced by :func:`render`."""
    return replace_block(text, START, END, render())


def missing_images(root=ROOT):
    """Registered figures without ``docs/figures/NAME.png`` or ``.csv`` under ``root``."""
    root = Path(root)
    return [f.name for f in all_figures()
            if not ((root / IMAGE_DIR / f"{f.name}.png").is_file()
                    and (root / IMAGE_DIR / f"{f.name}.csv").is_file())]


def draw_images(root=ROOT, *, full=True, only=None, seed=20251122, log=None):
    """Redraw the gallery images and CSVs (the dense ``full`` variant by default)."""
    out = Path(root) / IMAGE_DIR
    written = []
    for f in all_figures():
        if only is not None and only not in f.name:
            continue
        o = write_figure(f, FigureContext(full=full, seed=seed), out, "png")
        if log is not None:
            log(f"{f.name}: {o.image} ({o.image.stat().st_size // 1024} kB, {o.wall_time:.1f} s)")
        written.append(o)
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description="figure gallery page (docs/figures.md)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the gallery is stale")
    ap.add_argument("--images", action="store_true", help="redraw docs/figures/NAME.{png,csv}")
    ap.add_argument("--quick", action="store_true", help="with --images: the quick variant")
    ap.add_argument("--only", help="with --images: only figures whose name contains this")
    ap.add_argument("--page", default=str(ROOT / PAGE), help="the gallery page to rewrite")
    a = ap.parse_args(argv)
    path = Path(a.page)
    text = path.read_text(encoding="utf-8")
    new = updated(text)
    if a.check:
        missing = missing_images(path.parent.parent)
        if missing:
            print(f"missing in {IMAGE_DIR}: {', '.join(missing)}", file=sys.stderr)
        return 0 if new == text and not missing else 1
    if a.images:
        draw_images(path.parent.parent, full=not a.quick, only=a.only, log=print)
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
