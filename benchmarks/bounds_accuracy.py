"""Accuracy and speed of the certified R(D,P) solver (``rdptheory.bounds.rdp_bracket``).

For each validation case prints the certified bracket [lower, upper] (bits), its width, the
reference value (closed form or Blahut–Arimoto), the reference's position relative to the bracket
and the wall time per point. Machine-dependent; the numbers in docs/bounds.md come from this.

    python benchmarks/bounds_accuracy.py [--n 300 1000] [--quick]
"""
import argparse
import time

from rdptheory import gaussian as g
from rdptheory.bounds import closed_forms as cf
from rdptheory.bounds import rate_distortion_ba, rdp_bracket, sources


def row(name, b, ref):
    where = "in" if b.lower - 1e-12 <= ref <= b.upper + 1e-12 else (
        f"below by {b.lower - ref:.1e}" if ref < b.lower else f"above by {ref - b.upper:.1e}")
    print(f"{name:42s} [{b.lower:.7f}, {b.upper:.7f}] width {b.width:.1e}  ref {ref:.7f} "
          f"({where})  {b.seconds:6.1f} s", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[300, 1000])
    ap.add_argument("--quick", action="store_true", help="discrete cases only")
    a = ap.parse_args()
    bern = sources.bernoulli(0.3)
    for D, P in [(0.05, 0.02), (0.15, 0.05), (0.2, 0.0), (0.1, 0.3)]:
        b = rdp_bracket(bern, D, P, perception="tv", distortion="hamming")
        row(f"Bernoulli(0.3) Hamming TV D={D} P={P}", b, float(cf.bernoulli_rdp_tv(D, P, 0.3)))
    disc = sources.discrete([-2, -1, 0, 0.5, 1, 3], [0.1, 0.2, 0.3, 0.1, 0.2, 0.1])
    t = time.perf_counter()
    lo, up = rate_distortion_ba(disc, 0.3)
    tba = time.perf_counter() - t
    b = rdp_bracket(disc, 0.3, perception="none")
    row("6-point discrete R(D) D=0.3 vs BA", b, 0.5 * (lo + up))
    print(f"   (Blahut-Arimoto bracket [{lo:.7f}, {up:.7f}], {tba:.1f} s)")
    if a.quick:
        return
    for n in a.n:
        s = sources.gaussian(1.0, n=n)
        for D, P in [(0.5, 0.0), (0.5, 0.05), (0.25, 0.02)]:
            b = rdp_bracket(s, D, P, perception="w2")
            row(f"Gaussian n={n} W2 D={D} P={P}", b, float(g.rdp(D, P)))
        b = rdp_bracket(s, 0.5, perception="none")
        row(f"Gaussian n={n} R(D) D=0.5", b, float(g.rate_distortion(0.5)))
        for kind in ("kl", "kl-reverse"):
            b = rdp_bracket(s, 0.5, 0.01, perception=kind)
            row(f"Gaussian n={n} {kind} D=0.5 P=0.01", b,
                float(cf.gaussian_rdp_kl(0.5, 0.01, direction=kind)))


if __name__ == "__main__":
    main()
