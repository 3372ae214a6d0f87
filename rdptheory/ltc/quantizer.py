"""The latent quantizer of (lattice) transform coding: one object, three modes.

``'hard'`` is test-time quantization ŷ = Q_Λ(y); the two training modes are

* ``'ste'``, the straight-through estimator: forward ŷ = Q_Λ(y), backward ∂ŷ/∂y = I
  (ŷ = y + stopgrad(Q_Λ(y) − y));
* ``'noise'``, the additive-noise proxy: ŷ = y + u with u ~ Unif(V0(Λ)), ∂ŷ/∂y = I.

NTC is the special case Λ = Zⁿ (Lei, Hassani & Saeedi Bidokhti, ICLR 2025). Decoding uses the
package's one lattice registry
(:mod:`rdptheory.lattices`); uniform cell samples come from
:func:`rdptheory.dither.sample_voronoi`.
"""
from __future__ import annotations

import numpy as np

from ..dither import sample_voronoi
from ..lattices import as_lattice

__all__ = ["LatticeQuantizer", "MODES"]

MODES = ("hard", "ste", "noise")


class LatticeQuantizer:
    r"""Quantize latents to a lattice Λ, scaled to a given cell volume.

    Parameters
    ----------
    lattice : Lattice or str
        A registry name ("Z1", "Z8", "A2", "D4*", "E8", "BW16", "Leech", ...) or a
        :class:`rdptheory.lattices.Lattice`.
    volume : float or None
        Rescale Λ (``Lattice.with_volume``) to this cell volume; ``None`` keeps the registry
        scale. Default 1: the transforms learn the scale, so every lattice starts from the
        same rate.

    Attributes
    ----------
    lattice : Lattice
        The (scaled) lattice.
    dimension : int
    volume : float
        V(Λ).

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.quantizer import LatticeQuantizer
    >>> q = LatticeQuantizer("A2")
    >>> round(q.volume, 12), q.dimension
    (1.0, 2)
    >>> yh = q.quantize(np.zeros((3, 2)), "hard")
    >>> yh.tolist()
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]
    >>> q.quantize(np.zeros((2, 2)), "noise", rng=0).shape       # y + u, u ~ Unif(V0)
    (2, 2)
    """

    def __init__(self, lattice, volume=1.0):
        L = as_lattice(lattice)
        self.lattice = L if volume is None else L.with_volume(volume)
        self.dimension = self.lattice.dimension
        self.volume = self.lattice.volume

    def quantize(self, y, mode="hard", rng=None):
        """ŷ for the rows of ``y`` (shape (B, n)) in ``mode`` 'hard', 'ste' or 'noise'.

        The backward pass of 'ste' and 'noise' is the identity (see :meth:`backward`);
        'noise' draws u ~ Unif(V0(Λ)) from ``rng``.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        if mode == "noise":
            y = self.lattice._check_points(y)
            return y + self.sample_cell(y.shape[0], rng)
        return self.lattice.nearest_point(y)

    @staticmethod
    def backward(grad_yhat, mode="ste"):
        """∂L/∂y from ∂L/∂ŷ: the identity for 'ste' and 'noise'; 'hard' has no gradient."""
        if mode == "hard":
            raise ValueError("mode 'hard' has no gradient; train with 'ste' or 'noise'")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        return grad_yhat

    def sample_cell(self, size, rng=None):
        """``size`` points uniform on V0(Λ) (shape (size, n))."""
        return sample_voronoi(self.lattice, size, rng)

    def __repr__(self):
        return f"LatticeQuantizer({self.lattice.name!r}, volume={self.volume:.6g})"
