"""Self-similar nested lattices Λ = Γ·Λ_f: the finite shared randomness of QSD-LTC.

A fine lattice Λ_f and the coarse lattice Λ = Γ·Λ_f (Γ a positive integer) form a nested pair
Λ ⊂ Λ_f with ``|Λ_f/Λ|`` = Γ^n cosets. In quantized-shared-dither lattice transform coding
(QSD-LTC) the encoder and the decoder share a discrete dither û, uniform over one representative
of each coset chosen inside the coarse Voronoi cell V0(Λ) (log2 Γ bits of common randomness per
dimension); the decoder adds a private dither u_f uniform on V0(Λ_f). The total dither û + u_f is
uniform on a fundamental cell of Λ, so reduced modulo Λ it is uniform on V0(Λ), exactly like the
shared dither of SD-LTC. Γ = 1 is PD-LTC (no shared randomness); Γ → ∞ tends to SD-LTC.

References: Lei, Hassani & Saeedi Bidokhti,
"Optimal Neural Compressors for the Rate-Distortion-Perception Tradeoff", NeurIPS 2025
(arXiv 2503.17558); Zamir, *Lattice Coding for Signals and Networks*, Cambridge 2014, ch. 8
(nested lattices).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._parallel import as_generator
from ._validation import check_integer
from .dither import sample_voronoi
from .lattices import Lattice, as_lattice

__all__ = ["nested", "NestedLattice", "MAX_REPRESENTATIVES"]

#: Largest Γ^n that :meth:`NestedLattice.representatives` enumerates (2^20 representatives,
#: at most 2^20·n·8 bytes); beyond it use :meth:`NestedLattice.sample_representatives`.
MAX_REPRESENTATIVES = 2**20

_CHUNK = 2**16  # rows reduced per call to the coarse decoder during enumeration




@dataclass(frozen=True)
class NestedLattice:
    """The self-similar nested pair Λ = Γ·Λ_f ⊂ Λ_f. Build it with :func:`nested`.

    Attributes
    ----------
    fine : Lattice
        Λ_f.
    ratio : int
        Γ >= 1, the nesting ratio.
    coarse : Lattice
        Λ = Γ·Λ_f (``fine.scaled(ratio)``; its decoder is Λ_f's decoder, rescaled).
    dimension : int
        n.
    count : int
        Γ^n = ``|Λ_f/Λ|`` = V(Λ)/V(Λ_f), the number of coset representatives.
    common_randomness_rate : float
        R_c = log2 Γ bits per dimension (the shared randomness of QSD-LTC).

    Notes
    -----
    Two instances are equal when they have the same fine lattice object and the same ratio.
    """

    fine: Lattice
    ratio: int
    coarse: Lattice = field(init=False, compare=False, repr=False)
    _cache: dict = field(init=False, compare=False, repr=False, default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.fine, Lattice):
            raise ValueError(f"fine must be a Lattice; got {type(self.fine).__name__}")
        # Γ <= 2**40: coset representatives z·B with z < Γ stay exact integers in float64 and
        # the coarse decoder stays far inside its 2**50-cells range
        ratio = check_integer(self.ratio, "ratio", lower=1, upper=2 ** 40)
        object.__setattr__(self, "ratio", ratio)
        coarse = self.fine.scaled(ratio)
        coarse.name = self.fine.name if ratio == 1 else f"{ratio}*{self.fine.name}"
        object.__setattr__(self, "coarse", coarse)

    def __repr__(self):
        return (f"NestedLattice({self.coarse.name} ⊂ {self.fine.name}, ratio={self.ratio}, "
                f"count={self.count}, R_c={self.common_randomness_rate:.4g} bits/dim)")

    @property
    def dimension(self):
        return self.fine.dimension

    @property
    def count(self):
        return self.ratio ** self.dimension

    @property
    def common_randomness_rate(self):
        return math.log2(self.ratio)

    # ------------------------------------------------------------------ reduction
    def _reduce(self, z):
        """Fine coefficients of the representative of each coset z·B_f + Λ (z int64, (m, n)).

        r = p − Q_Λ(p) with p = z·B_f; returned as the integer coefficients z − k of r, where
        Q_Λ(p) = k·B_f, so that the same coset always gives bit-identical points.
        """
        B = self.fine.generator
        p = z.astype(np.float64) @ B
        k = self.fine.coefficients(self.coarse.nearest_point(p))
        return z - k

    def _points(self, coeffs):
        return coeffs.astype(np.float64) @ self.fine.generator

    # ------------------------------------------------------------------ representatives
    def representatives(self):
        """The Γ^n coset representatives of Λ_f/Λ inside the coarse Voronoi cell V0(Λ).

        For z in {0, ..., Γ−1}^n in lexicographic order (the first coordinate varies slowest),
        the representative of the coset p + Λ, p = z·B_f, is

            r(z) = p − Q_Λ(p),

        so r(z) ∈ V0(Λ) and r(z) ≡ p (mod Λ). The vectors z·B_f meet every coset of Λ = Γ·Λ_f in
        Λ_f exactly once, hence the Γ^n rows are one point per coset.

        Returns
        -------
        ndarray, shape (Γ^n, n), read-only
            Computed once and cached.

        Raises
        ------
        ValueError
            When Γ^n exceeds :data:`MAX_REPRESENTATIVES` (2^20); use
            :meth:`sample_representatives` instead.

        Notes
        -----
        *Ties.* Representatives on the boundary of V0(Λ) occur (E8 with Γ = 2: 255 of the 256
        lie on the boundary; with Γ = 3 about 63% of the 6561). Among the equally near points of
        such a coset the one chosen is whatever the coarse decoder's deterministic tie rule makes
        of p = z·B_f (scalar rounding floor(t + 1/2), lowest index among equally bad
        coordinates, first coset of a union; see :mod:`rdptheory.lattices._root`). That rule is
        not translation-invariant at ties, so for a boundary representative Q_Λ(r) may be the
        nonzero lattice point equidistant from r (A2 with Γ = 2, E8 with Γ = 3): r is then in
        the closed cell, ||r|| = ||r − Q_Λ(r)||. The coarse decoder sees p in floating point (it
        divides by Γ through the scaled basis), so at a tie the side is decided on the rounded
        input: deterministic, but not a symmetric rule. The boundary has measure zero, so the
        choice does not change the law of the total dither modulo Λ.

        The order and the points are a function of (fine lattice, Γ) only.

        Examples
        --------
        >>> from rdptheory.nested import nested
        >>> nested("Z1", 3).representatives().ravel().tolist()
        [0.0, 1.0, -1.0]
        >>> nested("E8", 3).representatives().shape
        (6561, 8)
        """
        if "representatives" not in self._cache:
            count = self.count
            if count > MAX_REPRESENTATIVES:
                raise ValueError(
                    f"{self.fine.name} with ratio {self.ratio} has Γ^n = {self.ratio}^"
                    f"{self.dimension} = {count} coset representatives, more than "
                    f"MAX_REPRESENTATIVES = 2**20 would enumerate; draw them with "
                    f"sample_representatives(size, rng) instead")
            n, G = self.dimension, self.ratio
            weights = G ** np.arange(n - 1, -1, -1, dtype=np.int64)
            chunks = []
            for start in range(0, count, _CHUNK):
                idx = np.arange(start, min(count, start + _CHUNK), dtype=np.int64)
                z = (idx[:, None] // weights[None, :]) % G
                chunks.append(self._reduce(z))
            coeffs = np.concatenate(chunks)
            pts = self._points(coeffs)
            pts.setflags(write=False)
            self._cache["representatives"] = pts
        return self._cache["representatives"]

    def sample_representatives(self, size, rng=None):
        """Representatives drawn uniformly from the Γ^n cosets, without enumeration.

        z ~ Unif({0, ..., Γ−1}^n) i.i.d. per row, then r = p − Q_Λ(p) with p = z·B_f: the same
        map as :meth:`representatives`, so every draw is one of the enumerated points (same
        integer coefficients in the fine basis), each with probability Γ^−n. Works when Γ^n is
        too large to enumerate (Leech).

        Parameters
        ----------
        size : int
            Number of rows (>= 0).
        rng : int, Generator or None

        Returns
        -------
        ndarray, shape (size, n)

        Examples
        --------
        >>> from rdptheory.nested import nested
        >>> nested("Leech", 2).sample_representatives(3, rng=0).shape
        (3, 24)
        """
        size = check_integer(size, "size", lower=0)
        g = as_generator(rng)
        z = g.integers(0, self.ratio, size=(size, self.dimension), dtype=np.int64)
        if size == 0:
            return np.empty((0, self.dimension))
        return self._points(self._reduce(z))

    def sample_dither_parts(self, size, rng=None):
        """The two parts of the QSD decoder's dither: (shared û, private u_f).

        û is uniform over the Γ^n representatives (:meth:`sample_representatives`), known to
        encoder and decoder; u_f is uniform on V0(Λ_f) (:func:`rdptheory.dither.sample_voronoi`),
        known to the decoder only. Both are drawn from one generator, û first.

        Returns
        -------
        (ndarray, ndarray), each of shape (size, n)

        Examples
        --------
        >>> from rdptheory.nested import nested
        >>> shared, private = nested("D4", 2).sample_dither_parts(4, rng=1)
        >>> shared.shape, private.shape
        ((4, 4), (4, 4))
        """
        size = check_integer(size, "size", lower=0)
        g = as_generator(rng)
        shared = self.sample_representatives(size, g)
        private = sample_voronoi(self.fine, size, g)
        return shared, private

    def sample_dither(self, size, rng=None):
        """The QSD decoder's total dither û + u_f (see :meth:`sample_dither_parts`).

        In QSD-LTC the encoder sends c = Q_Λ(y − û) and the decoder forms c + û + s·u_f; with
        s = 1 the total dither û + u_f is uniform on the fundamental cell ⋃_r (r + V0(Λ_f)) of Λ,
        so x − Q_Λ(x) is uniform on V0(Λ) (Zamir 2014, ch. 8; Lei et al. 2025).

        Parameters
        ----------
        size : int
        rng : int, Generator or None
            The same seed gives the sum of the same parts as :meth:`sample_dither_parts`.

        Returns
        -------
        ndarray, shape (size, n)

        Examples
        --------
        >>> import numpy as np
        >>> from rdptheory.nested import nested
        >>> nl = nested("A2", 3)
        >>> x = nl.sample_dither(1000, rng=2)
        >>> w = x - nl.coarse.nearest_point(x)   # reduced modulo Λ: uniform on V0(Λ)
        >>> w.shape
        (1000, 2)
        """
        shared, private = self.sample_dither_parts(size, rng)
        return shared + private


def nested(lattice, ratio):
    """The self-similar nested pair Λ = ratio·Λ_f ⊂ Λ_f of a fine lattice Λ_f.

    Parameters
    ----------
    lattice : Lattice or str
        The fine lattice Λ_f (a registry name such as ``"E8"`` is accepted).
    ratio : int
        The nesting ratio Γ >= 1 (an integer: 1.5, 0, -2, ``True`` and ``"3"`` are refused).

    Returns
    -------
    NestedLattice
        With ``fine``, ``coarse`` = Γ·Λ_f, ``ratio``, ``dimension``, ``count`` = Γ^n and
        ``common_randomness_rate`` = log2 Γ bits per dimension.

    Notes
    -----
    Self-similar nesting: Λ = Γ·Λ_f ⊂ Λ_f because Γ is an integer, with index
    ``|Λ_f/Λ|`` = V(Λ)/V(Λ_f) = Γ^n. In QSD-LTC the shared discrete dither is uniform over the
    Γ^n coset representatives inside V0(Λ), so it costs R_c = log2 Γ bits per dimension; Γ = 1 gives
    the single representative 0 (private dither only, PD-LTC).

    References
    ----------
    Lei, Hassani & Saeedi Bidokhti, "Optimal Neural
    Compressors for the Rate-Distortion-Perception Tradeoff", NeurIPS 2025 (arXiv 2503.17558).
    R. Zamir, *Lattice Coding for Signals and Networks*, Cambridge University Press 2014, ch. 8.

    Examples
    --------
    >>> from rdptheory.nested import nested
    >>> nl = nested("E8", 3)
    >>> nl.count, round(nl.common_randomness_rate, 4), nl.coarse.name
    (6561, 1.585, '3*E8')
    """
    return NestedLattice(as_lattice(lattice), ratio)
