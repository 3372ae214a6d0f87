"""Figures: one registry of plots that ``rdptheory figures`` and the HTML report draw.

Each figure is a function ``make(context) -> FigureResult`` registered with :func:`figure`; it
returns a matplotlib ``Figure`` (built without pyplot's global state) and the plotted data as
columns and rows, which are written beside the image as CSV (:func:`write_figure`).
"""
from ._registry import (FIGURE_MODULES, FORMATS, FigureContext, FigureOutput, FigureResult,
                        FigureSpec, all_figures, figure, get_figure, make_figure, save_result,
                        select_figures, write_csv, write_figure)

__all__ = ["FIGURE_MODULES", "FORMATS", "FigureContext", "FigureOutput", "FigureResult",
           "FigureSpec", "all_figures", "figure", "get_figure", "make_figure", "save_result",
           "select_figures", "write_csv", "write_figure"]
