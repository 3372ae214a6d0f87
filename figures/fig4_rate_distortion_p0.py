"""Fig. 4 analogue of Lei, Hassani & Saeedi Bidokhti (2025): rate vs distortion at perfect
realism (P = 0) for SD-, PD- and QSD-LTC with Z^8 and E8 on i.i.d. N(0, 1) blocks, against the
Gaussian limits R(D, 0) (unlimited common randomness), R(D/2, ∞) (none) and the jointly
Gaussian D(R, R_c) curves for R_c = 1 and log2 3.

    python figures/fig4_rate_distortion_p0.py [--out figures/out] [--samples 6000] [--seed 0]

A thin wrapper around the registered figure ``fig4_rate_distortion_p0``
(rdptheory/plots/operating_points.py; also drawn by ``rdptheory figures``) with a sample count
of your choice. Writes fig4_rate_distortion_p0.png (or .pdf) and .csv (every plotted point with
its standard errors and the closed-form rates at its measured distortion).
"""
import argparse
from pathlib import Path

from rdptheory.plots import FigureContext, make_figure, save_result

NAME = "fig4_rate_distortion_p0"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="figures/out")
    ap.add_argument("--samples", type=int, default=6000, help="source blocks per point")
    ap.add_argument("--cell-samples", type=int, default=4096, help="cell points per probability")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--format", default="png", choices=("png", "pdf"))
    a = ap.parse_args(argv)
    result = make_figure(NAME, FigureContext(seed=a.seed), n_samples=a.samples,
                         cell_samples=a.cell_samples)
    image, _ = save_result(result, Path(a.out), NAME, a.format)
    return image


if __name__ == "__main__":
    print(main())
