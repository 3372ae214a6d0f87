"""One consistent look for every rdptheory figure (no pyplot global state).

``new_figure`` returns a ``matplotlib.figure.Figure`` with the project's size, resolution and
rc settings; ``COLORS`` fixes the colour of each scheme and lattice family across figures.
"""
from __future__ import annotations

import matplotlib

__all__ = ["new_figure", "COLORS", "RC"]

#: rc settings applied to every figure.
RC = {
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 7.5,
    "axes.grid": True, "grid.alpha": 0.3, "lines.linewidth": 1.5, "figure.dpi": 130,
    "savefig.bbox": "tight",
}

#: One colour per scheme / model across all figures.
COLORS = {
    "SD": "tab:blue", "PD": "tab:red", "QSD": "tab:green", "QSD2": "tab:green",
    "QSD3": "tab:purple", "NTC": "tab:orange", "LTC": "tab:blue", "theory": "black",
    "bound": "0.45",
}


def new_figure(nrows=1, ncols=1, *, size=(7.0, 4.8), **subplot_kw):
    """A Figure and its axes (squeezed like ``plt.subplots``) in the project style."""
    from matplotlib.figure import Figure
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=size, dpi=RC["figure.dpi"], layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes
