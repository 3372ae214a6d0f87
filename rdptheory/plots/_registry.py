"""The figure registry (the plotting counterpart of ``proofs_checks.registry``)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

__all__ = ["FigureContext", "FigureResult", "FigureSpec", "figure", "all_figures", "get_figure",
           "FIGURE_MODULES"]

#: Modules that register figures when imported (each issue appends its own).
FIGURE_MODULES: tuple = ()


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


_FIGURES: dict[str, FigureSpec] = {}
_LOADED = False


def figure(name, title, caption, *, cost="quick"):
    """Decorator registering ``make(context) -> FigureResult`` as a figure."""
    if cost not in ("quick", "full"):
        raise ValueError(f"cost must be 'quick' or 'full'; got {cost!r}")

    def register(fn):
        if name in _FIGURES:
            raise ValueError(f"figure name {name!r} is registered twice")
        _FIGURES[name] = FigureSpec(name=name, title=title, caption=caption, make=fn, cost=cost)
        return fn

    return register


def _load():
    global _LOADED
    if not _LOADED:
        for module in FIGURE_MODULES:
            importlib.import_module(module)
        _LOADED = True


def all_figures():
    """Every registered figure, in registration order of FIGURE_MODULES."""
    _load()
    return list(_FIGURES.values())


def get_figure(name):
    _load()
    try:
        return _FIGURES[name]
    except KeyError:
        raise ValueError(f"unknown figure {name!r}; known: {sorted(_FIGURES)}") from None
