"""The figure registry (the plotting counterpart of ``proofs_checks.registry``).

A figure module registers ``make(context) -> FigureResult`` with :func:`figure`;
:func:`write_figure` makes it inside the project style (:func:`rdptheory.plots.style.styled`)
and writes the image and the CSV of its data; ``rdptheory figures`` and ``rdptheory verify``
(the HTML report) both go through it.
"""
from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .._registry import Registry, check_cost

__all__ = ["FigureContext", "FigureResult", "FigureSpec", "FigureOutput", "figure",
           "all_figures", "get_figure", "select_figures", "make_figure", "save_result",
           "write_figure", "write_csv", "FIGURE_MODULES", "FORMATS"]

#: Image formats ``write_figure`` accepts.
FORMATS = ("png", "pdf", "svg")

#: Modules that register figures when imported (each issue appends its own).
FIGURE_MODULES: tuple = (
    "rdptheory.plots.gaussian",
    "rdptheory.plots.lattices",
    "rdptheory.plots.dither",
    "rdptheory.plots.operating_points",
    "rdptheory.plots.ltc",
    "rdptheory.plots.baselines",
    "rdptheory.plots.perception",
    "rdptheory.plots.bounds",
)


@dataclass(frozen=True)
class FigureContext:
    """Options handed to every figure: ``full`` for the dense/expensive variant, a base
    ``seed`` for every random quantity, and an optional ``progress(stage: str)`` callback that
    long figures call between stages (the CLI turns it into a progress bar)."""

    full: bool = False
    seed: int = 20251122
    progress: Callable[[str], None] | None = None

    def report(self, stage):
        if self.progress is not None:
            self.progress(stage)


@dataclass(frozen=True)
class FigureResult:
    """A drawn figure and the data it shows. ``columns`` names the CSV columns, ``rows`` holds
    one tuple per plotted point (every curve and every marker)."""

    figure: object  # matplotlib.figure.Figure
    columns: tuple
    rows: tuple

    def __post_init__(self):
        cols = tuple(str(c) for c in self.columns)
        rows = tuple(tuple(r) for r in self.rows)
        bad = [i for i, r in enumerate(rows) if len(r) != len(cols)]
        if bad:
            raise ValueError(f"rows must have {len(cols)} entries (one per column); row {bad[0]} "
                             f"has {len(rows[bad[0]])}")
        object.__setattr__(self, "columns", cols)
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: ``name`` (file stem), ``title``, ``caption`` (what it shows and what
    to look for), ``make(context) -> FigureResult`` and ``cost`` ('quick' or 'full')."""

    name: str
    title: str
    caption: str
    make: Callable[[FigureContext], FigureResult]
    cost: str = "quick"


_FIGURES = Registry("figure", lambda: FIGURE_MODULES,
                    "see `rdptheory figures --list`")


def figure(name, title, caption, *, cost="quick"):
    """Decorator registering ``make(context) -> FigureResult`` as a figure."""
    check_cost(cost)

    def register(fn):
        _FIGURES.register(name, FigureSpec(name=name, title=title, caption=caption, make=fn,
                                           cost=cost))
        return fn

    return register


def all_figures():
    """Every registered figure, in registration order of FIGURE_MODULES."""
    return _FIGURES.entries()


def get_figure(name):
    return _FIGURES.lookup(name)


def select_figures(*, full=False, only=None):
    """Figures to draw: the quick ones (and the expensive ones if ``full``), filtered by
    ``only``, a glob pattern or substring of the name. Returns (selected, skipped)."""
    return _FIGURES.select([(f.name, f) for f in all_figures()], full=full, only=only)


@dataclass(frozen=True)
class FigureOutput:
    """What :func:`write_figure` wrote: the spec, the image and CSV paths, the number of data
    rows and the wall time of making + saving (seconds)."""

    spec: FigureSpec
    image: Path
    csv: Path
    n_rows: int
    wall_time: float

    def as_dict(self):
        return {"name": self.spec.name, "title": self.spec.title, "caption": self.spec.caption,
                "cost": self.spec.cost, "image": str(self.image), "csv": str(self.csv),
                "rows": self.n_rows, "wall_time_s": round(self.wall_time, 3)}


def make_figure(spec, context=None, **options):
    """Run ``spec.make(context, **options)`` in the project style and check that it returned a
    FigureResult. ``options`` go to figures that take keyword overrides (e.g. sample counts).

    Examples
    --------
    >>> from rdptheory.plots import make_figure
    >>> r = make_figure("rate_gap")
    >>> r.columns
    ('kind', 'lattice', 'dimension', 'G', 'gap_bits')
    >>> [row[1:] for row in r.rows if row[1] == "E8"]    # name, n, G, ½ log2(2πeG)
    [('E8', 8, 0.07168209876543209, 0.14597392948597382)]
    """
    from .style import styled
    if isinstance(spec, str):
        spec = get_figure(spec)
    context = context or FigureContext()
    with styled():
        result = spec.make(context, **options)
    if not isinstance(result, FigureResult):
        raise TypeError(f"figure {spec.name} returned {type(result).__name__}, "
                        "not FigureResult")
    return result


def _cell(x):
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, (bool, int)) or type(x).__name__.startswith(("int", "uint", "bool")):
        return str(x)
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.12g}"


def write_csv(result, path):
    """Write ``result.columns`` and ``result.rows`` as CSV (floats to 12 significant digits,
    far below any plotted difference; 'inf'/'nan' spelled out)."""
    from .._files import atomic_writer
    path = Path(path)
    with atomic_writer(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(result.columns)
        w.writerows([_cell(x) for x in row] for row in result.rows)
    return path


def save_result(result, out_dir, name, fmt="png", *, dpi=None):
    """Save a FigureResult as ``out_dir/name.fmt`` and ``out_dir/name.csv``; return both
    paths. The figure is closed to plain memory afterwards (no pyplot involved)."""
    from .style import SAVE_DPI, styled
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    image = out / f"{name}.{fmt}"
    from .._files import atomic_writer  # temporary name, renamed when complete; no symlinks
    with styled(), atomic_writer(image) as tmp:
        result.figure.savefig(tmp, format=fmt, dpi=SAVE_DPI if dpi is None else dpi,
                              metadata={"Software": "rdptheory"} if fmt == "png" else None)
    return image, write_csv(result, out / f"{name}.csv")


def write_figure(spec, context, out_dir, fmt="png", *, dpi=None):
    """Make one registered figure (a :class:`FigureSpec` or its name) and write its image and
    CSV into ``out_dir``. Exceptions of the figure propagate. Returns a :class:`FigureOutput`."""
    if isinstance(spec, str):
        spec = get_figure(spec)
    t0 = time.perf_counter()
    result = make_figure(spec, context)
    image, csv_path = save_result(result, out_dir, spec.name, fmt, dpi=dpi)
    return FigureOutput(spec=spec, image=image, csv=csv_path, n_rows=len(result.rows),
                        wall_time=time.perf_counter() - t0)
