"""The :class:`Lattice` object: a basis, a nearest-point decoder and reference values."""
from __future__ import annotations

import math

import numpy as np

from .._linalg import rows_times_matrix
from ._root import max_abs
from .._validation import as_generator, as_real_scalar
from ._enumeration import ClosestPointSearcher
from . import _enumeration as enum
from ._reference import ReferenceValue

__all__ = ["Lattice", "from_generator", "product", "MAX_CELLS"]

#: Largest distance from the origin, in cells (basis-vector lengths), at which points are
#: decoded; beyond it float64 cannot tell neighbouring lattice points apart reliably and every
#: decoder (fast or generic) raises the same ValueError, see :meth:`Lattice.nearest_point`.
MAX_CELLS = 2.0 ** 50
_TOO_FAR = ("x has coordinates too large relative to the lattice (more than 2**50 cells): "
            "the result would not be exact")


def _orthonormal_rows(B):
    """Rows spanning the row space of B (n x N), orthonormal, deterministic (QR of B^T)."""
    q, r = np.linalg.qr(B.T)
    q = q * np.sign(np.diag(r))  # fix signs so the first basis vector points along B[0]
    return q.T


def _identity_multiple(M):
    """``c`` if ``M`` is exactly ``c`` times the identity, else None (also for ``M`` None)."""
    if M is None or M.shape[0] != M.shape[1]:
        return None
    c = float(M[0, 0])
    return c if np.array_equal(M, c * np.eye(M.shape[0])) else None


def _raise_not_finite(arr):
    bad = np.argwhere(~np.isfinite(arr))[0]
    raise ValueError(f"x must be finite; got {arr[tuple(bad)]} at index {tuple(bad.tolist())}")


def _apply_map(u, M, scale):
    """``u @ M`` for the coordinate maps of :class:`Lattice` (identity when ``M`` is None)."""
    if M is None:
        return u
    if scale is not None:
        return u * scale
    return rows_times_matrix(u, M)


class Lattice:
    """A full-rank lattice in R^n with an exact nearest-point decoder.

    Do not call the constructor directly: use :func:`rdptheory.lattices.get`,
    :func:`from_generator`, :func:`product` or the methods :meth:`scaled`, :meth:`rotated`,
    :meth:`dual`.

    Attributes
    ----------
    name : str
    generator : ndarray, shape (n, n)
        Basis vectors as rows; lattice points are ``z @ generator`` for integer row vectors z.
    dimension : int
    volume : float
        ``|det generator|``, the volume of a Voronoi cell.
    gram : ndarray
        ``generator @ generator.T``.
    nsm_reference : ReferenceValue or None
        Normalized second moment G from the literature (or exact closed form), with its source.
    kissing_number_reference : (int, str) or None
        Kissing number and its source.
    decoder : str
        ``'fast'`` (a structured decoder: Conway-Sloane, coset unions, hexacode, ...) or
        ``'generic'`` (LLL + Schnorr-Euchner enumeration, exact for any basis).

    Notes
    -----
    Internally the decoder works in the lattice's *natural* coordinates (for example A_n in the
    hyperplane sum = 0 of R^{n+1}); user coordinates are R^n, related to the natural ones by a
    similarity x_nat = x @ A, x = x_nat @ Bm. The map preserves nearest points.
    """

    def __init__(self, name, natural_generator, decode, *, to_natural=None, from_natural=None,
                 decoder="fast", nsm=None, kissing=None, family=None, description=""):
        Bn = np.asarray(natural_generator, dtype=np.float64)
        n, N = Bn.shape
        if to_natural is None and N != n:
            H = _orthonormal_rows(Bn)
            to_natural, from_natural = H, H.T.copy()
        self._A = None if to_natural is None else np.ascontiguousarray(to_natural)
        self._Bm = None if from_natural is None else np.ascontiguousarray(from_natural)
        # a pure scaling (c * identity, e.g. BW16, Leech) is applied elementwise: the same bits
        # as the product (the other terms are exact zeros), without its n multiply-adds per entry
        self._A_scale, self._Bm_scale = _identity_multiple(self._A), _identity_multiple(self._Bm)
        self._decode = decode
        self._natural_generator = Bn
        self.name = name
        self.generator = Bn if self._Bm is None else Bn @ self._Bm
        self.generator.setflags(write=False)
        self.dimension = n
        self.nsm_reference = nsm
        self.kissing_number_reference = kissing
        self.decoder = decoder
        self.family = family
        self.description = description
        self._searcher = None
        # a cell's linear size in natural coordinates: the longest basis vector
        self._cell_size = float(np.sqrt((Bn * Bn).sum(axis=1)).max())

    # ------------------------------------------------------------------ basic data
    @property
    def gram(self):
        return self.generator @ self.generator.T

    @property
    def log_volume(self):
        """log V (natural log) from ``slogdet``: finite for every lattice, also where V itself
        over- or underflows float64 (Z1100 scaled by 2 has V = 2**1100)."""
        sign, logdet = np.linalg.slogdet(self.generator)
        return float(logdet)

    @property
    def volume(self):
        """V = ``|det generator|``; ValueError when V is outside the float64 range (use
        :attr:`log_volume`, from which every scale-free quantity such as G is computed)."""
        lv = self.log_volume
        if not -708.0 < lv < 709.0:
            raise ValueError(f"the volume of {self.name} is exp({lv:.6g}), outside the float64 "
                             f"range; use log_volume")
        return math.exp(lv)

    @property
    def second_moment_reference(self):
        """Per-dimension second moment sigma^2(Lambda) = G V^(2/n) from the reference G."""
        if self.nsm_reference is None:
            return None
        return self.nsm_reference.value * math.exp(2.0 * self.log_volume / self.dimension)

    def __repr__(self):
        g = "unknown" if self.nsm_reference is None else f"{self.nsm_reference.value:.7g}"
        lv = self.log_volume
        vol = f"{math.exp(lv):.6g}" if -708.0 < lv < 709.0 else f"exp({lv:.6g})"
        return (f"Lattice({self.name!r}, n={self.dimension}, volume={vol}, "
                f"G={g}, decoder={self.decoder!r})")

    # ------------------------------------------------------------------ decoding
    def _check_points(self, x, *, finite=True):
        try:
            arr = np.asarray(x)
            if arr.dtype.kind not in "biuf":
                raise TypeError
            arr = arr.astype(np.float64, copy=False)
        except (TypeError, ValueError):
            raise ValueError(f"x must be a real array of shape (..., {self.dimension}) for "
                             f"lattice {self.name}") from None
        if arr.ndim == 0 or arr.shape[-1] != self.dimension:
            raise ValueError(f"x must have shape (..., {self.dimension}) for lattice "
                             f"{self.name} (dimension {self.dimension}); got shape {arr.shape}")
        if finite and not np.isfinite(arr).all():
            _raise_not_finite(arr)
        return arr

    def nearest_point(self, x):
        """Nearest lattice point to each point of ``x`` (shape (..., n)), as float64.

        Ties (points equidistant from several lattice points) are broken deterministically.
        Points farther than ``MAX_CELLS`` = 2**50 cells from the origin (cell = the longest
        basis vector) raise ``ValueError``, for every decoder, in bounded time.

        Examples
        --------
        >>> from rdptheory.lattices import get
        >>> E8 = get("E8")
        >>> E8.nearest_point([0.9, 0.8, 0.1, 0.0, 0.0, 0.0, 0.0, 0.1]).tolist()
        [1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        """
        # finiteness is checked in the range check's pass (max |y| is NaN or inf otherwise)
        arr = self._check_points(x, finite=False)
        return self._nearest_unchecked(arr)

    def _nearest_unchecked(self, arr):
        shape = arr.shape
        flat = np.ascontiguousarray(arr.reshape(-1, self.dimension))
        if flat.shape[0] == 0:
            return np.empty(shape)
        y = _apply_map(flat, self._A, self._A_scale)
        # one rule for every decoder: beyond 2**50 cells the structured decoders' rounding
        # loops are no longer exact (A_n's correction loop would run |x|*eps times, K12's
        # trellis costs overflow), so refuse like the generic decoder does
        if not max_abs(y) < MAX_CELLS * self._cell_size:  # one pass, no temporary
            if not np.isfinite(arr).all():
                _raise_not_finite(arr)
            raise ValueError(_TOO_FAR)
        p = self._decode(y)
        p = _apply_map(p, self._Bm, self._Bm_scale)
        return p.reshape(shape)

    def nearest_point_generic(self, x):
        """Nearest point by the generic exact decoder (LLL + Schnorr-Euchner, AEVZ02): the
        oracle against which every fast decoder is tested. Same tie rule as
        :func:`rdptheory.lattices._enumeration.closest_points`, so at exact ties the point may
        differ from :meth:`nearest_point` (the distance does not)."""
        arr = self._check_points(x)
        if self._searcher is None:
            self._searcher = ClosestPointSearcher(self.generator)
        shape = arr.shape
        return self._searcher(np.ascontiguousarray(arr.reshape(-1, self.dimension))).reshape(shape)

    def quantization_error(self, x):
        """x - Q(x)."""
        arr = self._check_points(x)
        return arr - self._nearest_unchecked(arr)

    def coefficients(self, points, atol=1e-6):
        """Integer coefficients z with points = z @ generator; ValueError if a point is not on
        the lattice (within ``atol`` in coefficient space)."""
        arr = self._check_points(points)
        z = np.linalg.solve(self.generator.T, arr.reshape(-1, self.dimension).T).T
        zr = np.rint(z)
        if not np.abs(zr).max(initial=0.0) < 2.0 ** 53:
            raise ValueError("points are too far from the origin for int64 coefficients "
                             "(|coefficient| >= 2**53, where float64 stops being exact)")
        if np.abs(z - zr).max(initial=0.0) > atol:
            raise ValueError("points are not on the lattice (non-integer coefficients)")
        return zr.astype(np.int64).reshape(arr.shape)

    # ------------------------------------------------------------------ enumeration
    def minimum_norm(self):
        """Squared length of the shortest nonzero vector (enumeration)."""
        return enum.minimum_norm(self.generator)

    def kissing_number(self):
        """Number of shortest nonzero vectors (enumeration)."""
        return enum.kissing_number(self.generator)

    def short_vectors(self, radius2):
        return enum.short_vectors(self.generator, radius2)

    def relevant_vectors(self):
        """Voronoi-relevant vectors (AEVZ02), for dimension <= 12."""
        return enum.relevant_vectors(self.generator)

    def nsm_exact(self):
        """Exact normalized second moment from the Voronoi cell (dimension <= 8, rational
        Gram matrix up to scale): see :func:`rdptheory.lattices.voronoi_cell.nsm_exact`.
        Needs the optional extra ``rdptheory[exact]`` (pycddlib).

        >>> from rdptheory.lattices import get
        >>> get("D4").nsm_exact().value
        13*sqrt(2)/240
        """
        from .voronoi_cell import nsm_exact
        return nsm_exact(self, name=self.name)

    # ------------------------------------------------------------------ constructions
    def _derived(self, name, A, Bm, **kw):
        kw.setdefault("nsm", self.nsm_reference)
        kw.setdefault("kissing", self.kissing_number_reference)
        kw.setdefault("decoder", self.decoder)
        kw.setdefault("family", self.family)
        return Lattice(name, self._natural_generator, self._decode, to_natural=A,
                       from_natural=Bm, **kw)

    def _maps(self):
        n, N = self._natural_generator.shape
        A = np.eye(n) if self._A is None else self._A
        Bm = np.eye(n) if self._Bm is None else self._Bm
        return A, Bm

    def scaled(self, c):
        """The lattice c·Λ (same G, volume c^n V)."""
        c = as_real_scalar(c, "c", lower=0.0, lower_open=True)
        lv = self.log_volume + self.dimension * math.log(c)
        if not abs(lv) / self.dimension < 300 * math.log(10.0):
            raise ValueError(f"c = {c:g} gives cells of linear size exp({lv / self.dimension:.4g})"
                             f", outside the range 1e-300..1e300 where points can be decoded")
        A, Bm = self._maps()
        return self._derived(f"{c:g}*{self.name}", A / c, Bm * c)

    def with_volume(self, volume=1.0):
        """The scaled copy with Voronoi-cell volume ``volume`` (default 1)."""
        v = as_real_scalar(volume, "volume", lower=0.0, lower_open=True)
        c = math.exp((math.log(v) - self.log_volume) / self.dimension)
        out = self.scaled(c)
        out.name = self.name if v == 1.0 else f"{self.name}[V={v:g}]"
        return out

    def rotated(self, Q):
        """The lattice Λ Q for an orthogonal n x n matrix Q (points x -> x @ Q)."""
        Q = np.asarray(Q, dtype=np.float64)
        n = self.dimension
        if Q.shape != (n, n):
            raise ValueError(f"Q must be an orthogonal {n}x{n} matrix; got shape {Q.shape}")
        if not np.isfinite(Q).all() or np.abs(Q @ Q.T - np.eye(n)).max() > 1e-10:
            raise ValueError("Q must be orthogonal (Q @ Q.T = I within 1e-10)")
        A, Bm = self._maps()
        return self._derived(f"{self.name}·Q", Q.T @ A, Bm @ Q)

    def dual(self):
        """The dual lattice Λ* = {y : <x, y> in Z for all x in Λ}, generator (B^-1)^T.

        Uses the registry's fast decoder of the dual when one spans exactly the same lattice
        (checked: the dual basis decodes to itself and the volumes agree), the generic decoder
        otherwise.
        """
        from . import _registry
        Bd = np.linalg.inv(self.generator).T
        fast = _registry.fast_dual(self, Bd)
        if fast is not None:
            return fast
        return from_generator(Bd, name=f"{self.name}^*")


def from_generator(B, name=None):
    """A lattice from any full-rank square basis (rows), decoded exactly by LLL +
    Schnorr-Euchner enumeration (Agrell, Eriksson, Vardy & Zeger 2002).

    Raises ValueError for non-square, singular or non-finite input.

    Examples
    --------
    >>> from rdptheory.lattices import from_generator
    >>> L = from_generator([[1.0, 0.0], [0.5, 0.8660254037844386]])
    >>> L.nearest_point([0.4, 0.5]).round(6).tolist()
    [0.5, 0.866025]
    """
    Bv = as_generator(B, "B")
    if Bv.shape[0] != Bv.shape[1]:
        raise ValueError(f"B must be square (a full-rank basis of R^n); got shape {Bv.shape}")
    searcher = ClosestPointSearcher(Bv)
    L = Lattice(name or f"Lattice(n={Bv.shape[0]})", Bv, searcher, decoder="generic")
    L._searcher = searcher
    return L


class _BlockDecoder:
    """Decode a direct sum block by block (a picklable callable, so products can be sent to
    worker processes)."""

    def __init__(self, blocks):
        self.blocks = blocks

    def __call__(self, y):
        out = np.empty_like(y)
        for L, a, b in self.blocks:
            out[:, a:b] = L._nearest_unchecked(np.ascontiguousarray(y[:, a:b]))
        return out


def product(*lattices, name=None):
    """Direct sum Λ1 ⊕ Λ2 ⊕ ... (block-diagonal generator), decoded block by block.

    The NSM reference of the product (when every factor has one) is exact for the scales as
    given: G = sum_i n_i G_i V_i^(2/n_i) / (n V^(2/n)); at the optimal scale ratio it reduces to
    (prod G_i^(n_i))^(1/n) (Agrell & Allen 2023).

    Examples
    --------
    >>> from rdptheory.lattices import get, product
    >>> E8x2 = product(get("E8"), get("E8"))
    >>> E8x2.dimension, round(E8x2.nsm_reference.value, 10) == round(929 / 12960, 10)
    (16, True)
    """
    if not lattices:
        raise ValueError("product needs at least one lattice")
    for L in lattices:
        if not isinstance(L, Lattice):
            raise ValueError(f"product takes Lattice objects; got {type(L).__name__}")
    dims = [L.dimension for L in lattices]
    edges = np.cumsum([0] + dims)
    n = int(edges[-1])
    B = np.zeros((n, n))
    for L, a, b in zip(lattices, edges[:-1], edges[1:]):
        B[a:b, a:b] = L.generator
    decode = _BlockDecoder(tuple(zip(lattices, edges[:-1].tolist(), edges[1:].tolist())))

    nsm = None
    if all(L.nsm_reference is not None for L in lattices):
        vol = np.prod([L.volume for L in lattices])
        second = sum(L.dimension * L.second_moment_reference for L in lattices)
        G = float(second / (n * vol ** (2.0 / n)))
        nsm = ReferenceValue(G, "product rule from the factors' references (AA23)",
                             all(L.nsm_reference.exact for L in lattices),
                             digits=min((L.nsm_reference.digits or 16) for L in lattices)
                             if not all(L.nsm_reference.exact for L in lattices) else None)
    decoder = "fast" if all(L.decoder == "fast" for L in lattices) else "generic"
    return Lattice(name or "⊕".join(L.name for L in lattices), B, decode, decoder=decoder,
                   nsm=nsm, family="product")
