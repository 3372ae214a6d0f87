"""One consistent look for every rdptheory figure (no pyplot global state).

``new_figure`` returns a ``matplotlib.figure.Figure`` with the project's size, resolution and
rc settings; ``COLORS`` fixes the colour of each scheme and lattice family across figures.
:func:`styled` is the context in which the registry makes and saves every figure, so that
artists added after ``new_figure`` (lines, legends, text) get the same settings.
"""
from __future__ import annotations

import contextlib

import matplotlib

__all__ = ["new_figure", "styled", "COLORS", "FAMILY_MARKERS", "RC", "SAVE_DPI"]

#: rc settings applied while every figure is made and saved.
RC = {
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 7.5,
    "axes.grid": True, "grid.alpha": 0.3, "lines.linewidth": 1.5, "figure.dpi": 130,
    "savefig.bbox": "tight", "savefig.pad_inches": 0.05, "legend.framealpha": 0.85,
    "axes.spines.top": False, "axes.spines.right": False, "image.cmap": "viridis",
    "pdf.fonttype": 42,
}

#: Resolution of saved raster images (docs/figures, the HTML report): ~100-200 kB a figure.
SAVE_DPI = 110

#: One colour per scheme / model / lattice family across all figures.
COLORS = {
    "SD": "tab:blue", "PD": "tab:red", "QSD": "tab:green", "QSD2": "tab:green",
    "QSD3": "tab:purple", "NTC": "tab:orange", "LTC": "tab:blue", "theory": "black",
    "bound": "0.45",
    # lattice families (NSM and rate-gap figures)
    "Z": "tab:gray", "A": "tab:blue", "A*": "tab:cyan", "D": "tab:red", "D*": "tab:pink",
    "D+": "tab:brown", "E": "tab:green", "E*": "tab:olive", "K": "tab:purple",
    "BW": "tab:orange", "Leech": "black",
}

#: One marker per lattice family.
FAMILY_MARKERS = {"Z": "s", "A": "o", "A*": "o", "D": "D", "D*": "D", "D+": "P", "E": "^",
                  "E*": "v", "K": "h", "BW": "*", "Leech": "X"}


@contextlib.contextmanager
def styled():
    """Context in which a figure is made and saved: the project's rc settings, restored on
    exit (``matplotlib.rc_context``; no pyplot state)."""
    with matplotlib.rc_context(RC):
        yield


def new_figure(nrows=1, ncols=1, *, size=(7.0, 4.8), **subplot_kw):
    """A Figure and its axes (squeezed like ``plt.subplots``) in the project style."""
    from matplotlib.figure import Figure
    with styled():
        fig = Figure(figsize=size, dpi=RC["figure.dpi"], layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes
