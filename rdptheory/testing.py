"""Property-based testing of lattice quantizers: hypothesis strategies and a checker.

The strategies follow :mod:`hypothesis.extra.numpy`: each is a function that validates its
arguments at once (raising :class:`hypothesis.errors.InvalidArgument`), returns a
:class:`~hypothesis.strategies.SearchStrategy` of float64 arrays of shape ``(n,)`` and composes
with :mod:`hypothesis.strategies`.

* :func:`lattice_points` -- lattice points ``z @ generator`` with integer ``z``;
* :func:`points_near` -- a lattice point plus an offset of a few cells (the lattice point may be
  up to ``max_coefficient`` basis vectors from the origin, e.g. 10**6 for large translations);
* :func:`near_ties` -- points on, or within a tiny distance of, the boundary of a Voronoi cell:
  centres and other points of facets, and half-lattice points (deep holes among them);
* :func:`random_bases`, :func:`random_lattices` -- well-conditioned random bases of R^n and
  the lattices they generate; :func:`equivalent_bases` -- other bases of a given lattice.

:func:`check_nearest_point_quantizer` runs five properties over these strategies against any
callable that maps an ``(m, n)`` array to an ``(m, n)`` array, compares with the exact generic
decoder (:meth:`rdptheory.lattices.Lattice.nearest_point_generic`, LLL + Schnorr-Euchner) and
raises :class:`QuantizerCheckError` with a shrunk counterexample when one fails.
"""
from __future__ import annotations

import contextlib
import math
import tempfile
import weakref
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as _hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import Flaky, InvalidArgument
from hypothesis.extra.numpy import arrays

from .lattices import Lattice, from_generator, get, lll_reduce, short_vectors

__all__ = ["lattice_points", "points_near", "near_ties", "random_bases", "random_lattices",
           "equivalent_bases", "check_nearest_point_quantizer", "QuantizerCheckError",
           "QuantizerCheckReport", "PROPERTIES"]

#: The properties checked by :func:`check_nearest_point_quantizer`, in the order they run.
PROPERTIES = ("on_lattice", "nearest", "translation", "sign_symmetry", "idempotence")

# largest |integer coefficient| the strategies accept: z @ B stays exact enough in float64
_MAX_COEFFICIENT = 2 ** 31
# relevant vectors (2**n - 1 coset searches) are used for facets up to this dimension,
# minimal vectors above it
_RELEVANT_MAX_DIM = 8
# above this many minimal vectors, facets come from short combinations of a reduced basis
_MAX_FACET_VECTORS = 20_000
# tangential scales tried, largest first, to put a facet point inside its facet
_FACET_STEPS = np.array([1.0, 0.5, 0.25, 0.125, 0.0625, 0.0])


# ----------------------------------------------------------------------------------------
# argument validation (InvalidArgument, eagerly, as in hypothesis.extra.numpy)
# ----------------------------------------------------------------------------------------
def _as_lattice(lattice, exc=InvalidArgument):
    if isinstance(lattice, Lattice):
        return lattice
    if isinstance(lattice, str):
        try:
            return get(lattice)
        except ValueError as err:
            raise exc(f"lattice={lattice!r}: {err}") from None
    raise exc(f"lattice must be a rdptheory.lattices.Lattice or a registry name such as 'E8'; "
              f"got {lattice!r} of type {type(lattice).__name__}")


def _check_int(value, name, lower, upper, exc=InvalidArgument):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise exc(f"{name} must be an integer in [{lower}, {upper}]; got {value!r}")
    if not lower <= value <= upper:
        raise exc(f"{name} must be an integer in [{lower}, {upper}]; got {value!r}")
    return int(value)


def _check_float(value, name, lower, *, lower_open=False, exc=InvalidArgument):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                     np.floating)):
        raise exc(f"{name} must be a real number; got {value!r}")
    value = float(value)
    bad = (value <= lower) if lower_open else (value < lower)
    if not math.isfinite(value) or bad:
        rel = ">" if lower_open else ">="
        raise exc(f"{name} must be a finite number {rel} {lower:g}; got {value!r}")
    return value


def _cell_size(L):
    """V^(1/n): the side of a cube with the volume of a Voronoi cell."""
    return math.exp(L.log_volume / L.dimension)  # no overflow of V for large n or scale


def _int_vectors(n, max_coefficient):
    return arrays(np.int64, n, elements=st.integers(-max_coefficient, max_coefficient))


def _large_int_vectors(n, max_coefficient):
    """Integer vectors whose entries are often of the order of max_coefficient."""
    M = max_coefficient
    big = st.one_of(st.integers(-M, M), st.integers(M // 2, M), st.integers(-M, -(M // 2)))
    return arrays(np.int64, n, elements=big)


def _box(n, half_width):
    if half_width == 0.0:
        return st.just(np.zeros(n))
    return arrays(np.float64, n, elements=st.floats(-half_width, half_width))


# ----------------------------------------------------------------------------------------
# strategies
# ----------------------------------------------------------------------------------------
def lattice_points(lattice, *, max_coefficient=10):
    """Strategy for lattice points ``z @ lattice.generator`` with integer coefficients.

    Parameters
    ----------
    lattice : Lattice or str
        A :class:`rdptheory.lattices.Lattice` or a registry name (``"E8"``, ``"Leech"``, ...).
    max_coefficient : int, optional
        Each coefficient ``z_i`` lies in ``[-max_coefficient, max_coefficient]``
        (0 <= max_coefficient <= 2**31). Use e.g. ``10**6`` for large translations.

    Returns
    -------
    SearchStrategy of ndarray, shape (n,), float64
        Shrinks towards the origin (``z = 0``).

    Raises
    ------
    hypothesis.errors.InvalidArgument
        For a lattice that is neither a ``Lattice`` nor a known name, or a bad
        ``max_coefficient``.

    Examples
    --------
    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from rdptheory.lattices import get
    >>> from rdptheory.testing import lattice_points
    >>> E8 = get("E8")
    >>> @settings(max_examples=20, database=None)
    ... @given(lattice_points(E8))
    ... def test_fixed(p):
    ...     assert np.array_equal(E8.nearest_point(p), p)
    >>> test_fixed()
    """
    L = _as_lattice(lattice)
    M = _check_int(max_coefficient, "max_coefficient", 0, _MAX_COEFFICIENT)
    B = np.array(L.generator)
    return _int_vectors(L.dimension, M).map(lambda z: z.astype(np.float64) @ B)


def points_near(lattice, *, scale=1.0, max_coefficient=10):
    """Strategy for points near the lattice: a lattice point plus an offset of a few cells.

    The point is ``z @ generator + y`` with integer ``z_i`` in
    ``[-max_coefficient, max_coefficient]`` and every coordinate of ``y`` in
    ``[-scale * s, scale * s]``, where ``s = V**(1/n)`` is the cell size (V the volume of a
    Voronoi cell). With the default ``scale=1`` the offsets cover the Voronoi cell of
    ``z @ generator`` and parts of its neighbours' in every registry lattice.

    Parameters
    ----------
    lattice : Lattice or str
        A :class:`rdptheory.lattices.Lattice` or a registry name.
    scale : float, optional
        Half-width of the offset box in units of the cell size (>= 0).
    max_coefficient : int, optional
        Bound on the coefficients of the lattice point (0 <= max_coefficient <= 2**31);
        ``10**6`` gives translations by up to a million basis vectors.

    Returns
    -------
    SearchStrategy of ndarray, shape (n,), float64
        Shrinks towards the origin.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        For a bad lattice, ``scale`` or ``max_coefficient``.

    Examples
    --------
    Rounding every coordinate is the nearest-point map of Z^n:

    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from rdptheory.lattices import get
    >>> from rdptheory.testing import points_near
    >>> Z3 = get("Z3")
    >>> @settings(max_examples=20, database=None)
    ... @given(points_near(Z3, max_coefficient=10**6))
    ... def test_rounding(x):
    ...     q = np.floor(x + 0.5)
    ...     p = Z3.nearest_point_generic(x)
    ...     assert np.linalg.norm(x - q) <= np.linalg.norm(x - p) + 1e-9
    >>> test_rounding()
    """
    L = _as_lattice(lattice)
    scale = _check_float(scale, "scale", 0.0)
    M = _check_int(max_coefficient, "max_coefficient", 0, _MAX_COEFFICIENT)
    B = np.array(L.generator)
    n = L.dimension
    half = scale * _cell_size(L)
    return st.tuples(_int_vectors(n, M), _box(n, half)).map(
        lambda zy: zy[0].astype(np.float64) @ B + zy[1])


# cache: lattice -> (facet vectors, kind)
_FACETS = weakref.WeakKeyDictionary()


def _facet_vectors(L):
    """Voronoi-relevant vectors whose facets ``near_ties`` samples (computed once per lattice).

    n <= 8: all relevant vectors (AEVZ02 Sec. V). Larger n: the minimal vectors (every minimal
    vector is relevant); when there are more than 20000 of them (Leech: 196560), the minimal
    vectors among the rows b_i and the combinations b_i +- b_j of an LLL-reduced basis.
    """
    if L in _FACETS:
        return _FACETS[L]
    n = L.dimension
    if n <= _RELEVANT_MAX_DIM:
        V = L.relevant_vectors()
    else:
        m2 = L.minimum_norm()
        try:
            V = short_vectors(L.generator, m2, max_count=_MAX_FACET_VECTORS)
        except ValueError:
            R, _ = lll_reduce(L.generator)
            cands = [R[i] for i in range(n)]
            cands += [R[i] + s * R[j] for i in range(n) for j in range(i + 1, n) for s in (1, -1)]
            C = np.array(cands)
            norms = np.einsum("ij,ij->i", C, C)
            C = C[norms <= m2 * (1.0 + 1e-9)]
            V = np.concatenate([C, -C]) if C.shape[0] else np.empty((0, n))
    V = np.ascontiguousarray(V, dtype=np.float64)
    V.setflags(write=False)
    _FACETS[L] = V
    return V


def near_ties(lattice, *, max_distance=None, max_coefficient=10):
    """Strategy for points on or very near the boundary of a Voronoi cell (decoding ties).

    Each point is ``y + e`` with ``||e|| <= max_distance`` (``e`` is often exactly 0, and is
    scaled by a drawn ``2**-k``, 0 <= k <= 40, so that all scales below ``max_distance`` occur)
    and ``y``
    a point equidistant from two or more nearest lattice points (up to floating-point
    rounding of ``y``), of one of two kinds:

    * half-lattice points ``y = (z @ generator) / 2`` with ``z`` not all even. The nearest
      lattice points of ``w/2`` are the ``(w - u)/2`` for the shortest vectors ``u`` of the
      coset ``w + 2Λ``, at least two of them (``±u``): centres of facets when the coset has
      only ``±u``, points of lower-dimensional faces otherwise (deep holes among them, e.g.
      ``(1/2, ..., 1/2)`` in Z^n or ``(1, 0, ..., 0)`` in E8);
    * facet points ``y = p + v/2 + t w`` with ``v`` a Voronoi-relevant vector (all relevant
      vectors for n <= 8, minimal vectors above; computed once per lattice), ``w`` orthogonal
      to ``v`` and ``t`` the largest of 1, 1/2, ..., 1/16, 0 for which the exact decoder
      confirms that ``p`` and ``p + v`` are nearest points of ``y``.

    Parameters
    ----------
    lattice : Lattice or str
        A :class:`rdptheory.lattices.Lattice` or a registry name.
    max_distance : float, optional
        Largest distance of the point from the tie (>= 0). Default ``1e-9 * V**(1/n)``.
    max_coefficient : int, optional
        Bound on the integer coefficients of ``z`` and ``p`` (0 <= max_coefficient <= 2**31).

    Returns
    -------
    SearchStrategy of ndarray, shape (n,), float64

    Raises
    ------
    hypothesis.errors.InvalidArgument
        For a bad lattice, ``max_distance`` or ``max_coefficient``.

    Notes
    -----
    A correct nearest-point quantizer may return any of the tied points, so properties checked
    on these points should compare distances, not points. The facet points use the generic
    decoder once per draw (six candidate points per call).

    Examples
    --------
    At a tie, the fast and the generic decoder may differ, but their distances agree:

    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from rdptheory.lattices import get
    >>> from rdptheory.testing import near_ties
    >>> D4 = get("D4")
    >>> @settings(max_examples=20, database=None)
    ... @given(near_ties(D4))
    ... def test_tie_distance(x):
    ...     d_fast = np.linalg.norm(x - D4.nearest_point(x))
    ...     d_exact = np.linalg.norm(x - D4.nearest_point_generic(x))
    ...     assert abs(d_fast - d_exact) <= 1e-9
    >>> test_tie_distance()
    """
    L = _as_lattice(lattice)
    M = _check_int(max_coefficient, "max_coefficient", 0, _MAX_COEFFICIENT)
    n = L.dimension
    s = _cell_size(L)
    delta = 1e-9 * s if max_distance is None else _check_float(max_distance, "max_distance", 0.0)
    B = np.array(L.generator)
    if delta == 0.0:
        perturbation = st.just(np.zeros(n))
    else:  # a direction in the ball of radius delta, scaled by 2**-k: every scale is probed
        scales = st.one_of(st.integers(0, 3), st.integers(0, 40))
        perturbation = st.tuples(_box(n, delta / math.sqrt(n)), scales).map(
            lambda uk: uk[0] * 2.0 ** -uk[1])

    def half_point(args):
        z, e = args
        z = z.copy()
        if not np.any(z % 2):
            z[0] += 1
        return (z.astype(np.float64) @ B) / 2.0 + e

    half = st.tuples(_int_vectors(n, M), perturbation).map(half_point)
    V = _facet_vectors(L)
    if V.shape[0] == 0:  # pragma: no cover - no minimal vector among the reduced combinations
        return half

    def facet_point(args):
        z, i, raw, e = args
        v = V[i]
        w = raw - (raw @ v) / (v @ v) * v
        Y = 0.5 * v + _FACET_STEPS[:, None] * w
        P = L.nearest_point_generic(Y)
        d_near = np.linalg.norm(Y - P, axis=1)
        d_origin = np.linalg.norm(Y, axis=1)
        ok = d_origin <= d_near * (1.0 + 1e-12) + 1e-12 * s
        k = int(np.argmax(ok)) if ok.any() else len(_FACET_STEPS) - 1
        return z.astype(np.float64) @ B + Y[k] + e

    facet = st.tuples(_int_vectors(n, M), st.integers(0, V.shape[0] - 1), _box(n, s),
                      perturbation).map(facet_point)
    return st.one_of(half, facet)


def random_bases(n, *, max_condition=10.0):
    """Strategy for random well-conditioned bases of R^n (rows), with volume 1.

    A drawn matrix ``M`` supplies the singular vectors (``M = U S V^T``); the singular values are
    drawn separately as ``exp(t_i)`` with ``t_i`` in ``[0, log(max_condition)]``, and the basis
    ``U diag(exp t) V^T`` is scaled to ``|det| = 1``. Its condition number is therefore at most
    ``max_condition``. Shrinks towards the identity (the lattice Z^n).

    Parameters
    ----------
    n : int
        Dimension, 1 <= n <= 64.
    max_condition : float, optional
        Upper bound on the 2-norm condition number (>= 1).

    Returns
    -------
    SearchStrategy of ndarray, shape (n, n), float64

    Raises
    ------
    hypothesis.errors.InvalidArgument
        For a bad ``n`` or ``max_condition``.

    Examples
    --------
    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from rdptheory.testing import random_bases
    >>> @settings(max_examples=20, database=None)
    ... @given(random_bases(3, max_condition=5.0))
    ... def test_conditioning(B):
    ...     assert np.linalg.cond(B) <= 5.0 * (1 + 1e-9)
    ...     assert abs(abs(np.linalg.det(B)) - 1.0) <= 1e-9
    >>> test_conditioning()
    """
    n = _check_int(n, "n", 1, 64)
    c = _check_float(max_condition, "max_condition", 1.0)
    log_c = math.log(c)

    def basis(args):
        M, t = args
        U, _, Vt = np.linalg.svd(M)
        B = (U * np.exp(t)) @ Vt
        return B / np.exp(t.mean())  # |det B| = exp(sum t) -> 1

    return st.tuples(arrays(np.float64, (n, n), elements=st.floats(-1.0, 1.0)),
                     arrays(np.float64, n, elements=st.floats(0.0, log_c))).map(basis)


def random_lattices(n, *, max_condition=10.0):
    """Strategy for random lattices of volume 1: :func:`random_bases` mapped through
    :func:`rdptheory.lattices.from_generator` (decoded by the exact generic decoder).

    Parameters
    ----------
    n : int
        Dimension, 1 <= n <= 64 (the generic decoder is slow beyond n ~ 24).
    max_condition : float, optional
        Upper bound on the condition number of the drawn basis (>= 1).

    Returns
    -------
    SearchStrategy of Lattice

    Examples
    --------
    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from rdptheory.testing import random_lattices
    >>> @settings(max_examples=10, database=None)
    ... @given(random_lattices(2))
    ... def test_volume(L):
    ...     assert abs(L.volume - 1.0) < 1e-9
    >>> test_volume()
    """
    return random_bases(n, max_condition=max_condition).map(
        lambda B: from_generator(B, name=f"random(n={B.shape[0]})"))


def equivalent_bases(lattice, *, max_steps=8, max_multiplier=2):
    """Strategy for other bases ``U @ lattice.generator`` of the same lattice (U unimodular).

    ``U`` is a product of at most ``max_steps`` elementary integer row operations
    ``row_i += c * row_j`` (``i != j``, ``|c| <= max_multiplier``) and sign flips of a row
    (``i == j``), so ``|det U| = 1`` and the rows generate the same lattice.

    Parameters
    ----------
    lattice : Lattice or str
        A :class:`rdptheory.lattices.Lattice` or a registry name.
    max_steps : int, optional
        Number of elementary operations, 0 <= max_steps <= 64.
    max_multiplier : int, optional
        Bound on ``|c|``, 0 <= max_multiplier <= 16.

    Returns
    -------
    SearchStrategy of ndarray, shape (n, n), float64

    Examples
    --------
    A decoder built from another basis of D4 finds points at the same distances:

    >>> import numpy as np
    >>> from hypothesis import given, settings
    >>> from rdptheory.lattices import get, from_generator
    >>> from rdptheory.testing import equivalent_bases
    >>> D4 = get("D4")
    >>> x = np.array([[0.3, 0.9, -0.2, 0.6]])
    >>> @settings(max_examples=10, database=None)
    ... @given(equivalent_bases(D4))
    ... def test_same_lattice(B):
    ...     p = from_generator(B).nearest_point(x)
    ...     assert abs(np.linalg.norm(x - p) - np.linalg.norm(x - D4.nearest_point(x))) < 1e-12
    >>> test_same_lattice()
    """
    L = _as_lattice(lattice)
    steps = _check_int(max_steps, "max_steps", 0, 64)
    mult = _check_int(max_multiplier, "max_multiplier", 0, 16)
    n = L.dimension
    G = np.array(L.generator)
    op = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(-mult, mult))

    def apply(ops):
        U = np.eye(n, dtype=np.int64)
        for i, j, c in ops:
            if i == j:
                U[i] = -U[i]
            else:
                U[i] += c * U[j]
        return U.astype(np.float64) @ G

    return st.lists(op, max_size=steps).map(apply)


# ----------------------------------------------------------------------------------------
# the checker
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuantizerCheckReport:
    """What :func:`check_nearest_point_quantizer` verified (returned when every property holds).

    Attributes
    ----------
    lattice : str
        Name of the lattice.
    properties : tuple of str
        The properties checked, in order (a subset of :data:`PROPERTIES`).
    examples : tuple of int
        Number of hypothesis examples that passed, for each property.
    seed : int
        The hypothesis seed.
    """

    lattice: str
    properties: tuple
    examples: tuple
    seed: int

    def __str__(self):
        parts = ", ".join(f"{p} ({k} examples)" for p, k in zip(self.properties, self.examples))
        return f"{self.lattice}: all properties hold: {parts} (seed={self.seed})"


def _fmt(v):
    return np.array2string(np.asarray(v), separator=", ", floatmode="unique",
                           max_line_width=100, threshold=100)


class QuantizerCheckError(AssertionError):
    """A property of :func:`check_nearest_point_quantizer` failed.

    Attributes
    ----------
    property : str
        The failed property (one of :data:`PROPERTIES`). A ``fn`` that raises, or returns
        something other than a finite real array of shape ``(m, n)``, fails the property being
        checked, and ``reason`` says so.
    reason : str
        What went wrong, with the distances involved.
    x : ndarray, shape (n,)
        The (hypothesis-shrunk) counterexample input.
    output : ndarray or None
        ``fn(x)`` (``None`` if ``fn`` raised).
    oracle : ndarray or None
        A nearest lattice point of ``x`` from the exact generic decoder.
    vectors : dict
        Every vector involved (``x``, ``fn(x)``, translations, ...), by label.
    lattice : str
        Name of the lattice.
    """

    def __init__(self, prop, reason, vectors, lattice, seed, shrunk=True):
        self.property = prop
        self.reason = reason
        self.vectors = dict(vectors)
        self.x = self.vectors.get("x")
        self.output = self.vectors.get("fn(x)")
        self.oracle = self.vectors.get("oracle(x)")
        self.lattice = lattice
        self.seed = seed
        width = max(len(k) for k in self.vectors) if self.vectors else 0
        how = ("hypothesis-shrunk counterexample" if shrunk else
               "counterexample found by hypothesis, not reproducible, so not fully shrunk")
        lines = [f"property {prop!r} failed for lattice {lattice!r} ({how}, seed={seed}):",
                 f"  {reason}"]
        lines += [f"  {k:<{width}} = {_fmt(v)}" for k, v in self.vectors.items()]
        lines.append(f"  reproduce: fn(x[None, :]) with x as above, or re-run the check with "
                     f"properties=({prop!r},), seed={seed}")
        super().__init__("\n".join(lines))


class _Violation(AssertionError):
    """Raised inside a hypothesis property; carries the data of the failing example."""

    def __init__(self, prop, reason, vectors):
        super().__init__(f"{prop}: {reason}")
        self.prop, self.reason, self.vectors = prop, reason, vectors


class _Checker:
    """The five properties for one (fn, lattice) pair, each taking drawn arguments."""

    def __init__(self, fn, L, rtol, atol):
        self.fn, self.L, self.rtol, self.atol = fn, L, rtol, atol
        self.n = L.dimension
        self.s = _cell_size(L)
        self.current = None

    # -- helpers -------------------------------------------------------------------------
    def tol(self, *points):
        scale = max(float(np.linalg.norm(p)) for p in points)
        return self.atol * self.s + self.rtol * scale

    def call(self, x, vectors, label):
        """fn on the single point x (as a batch of one), validated."""
        X = np.array(x, dtype=np.float64).reshape(1, self.n)
        try:
            out = self.fn(X)
        except Exception as err:  # any failure of the user's quantizer is a finding
            raise _Violation(self.current, f"fn raised {type(err).__name__}: {err} "
                             f"(evaluating {label})", vectors) from err
        try:
            raw = np.asarray(out)
            if raw.dtype.kind not in "iuf":  # complex output would lose its imaginary part
                raise TypeError
            Q = raw.astype(np.float64)
        except (TypeError, ValueError):
            raise _Violation(self.current, f"fn returned {type(out).__name__}, which is not a "
                             f"real array (evaluating {label})", vectors) from None
        if Q.shape != (1, self.n):
            raise _Violation(self.current, f"fn returned shape {Q.shape} for input shape "
                             f"(1, {self.n}) (evaluating {label}); it must map (m, n) to (m, n)",
                             vectors)
        q = Q[0].copy()
        vectors[label] = q
        if not np.all(np.isfinite(q)):
            raise _Violation(self.current, f"{label} is not finite", vectors)
        return q

    def oracle(self, x):
        return self.L.nearest_point_generic(np.asarray(x, dtype=np.float64))

    def lattice_distance(self, q):
        return float(np.linalg.norm(q - self.oracle(q)))

    def require_lattice_point(self, q, label, vectors, tol):
        d = self.lattice_distance(q)
        if d > tol:
            vectors.setdefault(f"oracle({label})", self.oracle(q))
            raise _Violation(self.current, f"{label} is not a lattice point: its distance to "
                             f"the lattice is {d:.6g} (tolerance {tol:.3g})", vectors)

    def require_equal_or_tied(self, query, a, b, la, lb, qlabel, vectors, tol):
        """a == b, or both are nearest points of ``query`` (a tie, where either is correct)."""
        if np.linalg.norm(a - b) <= tol:
            return
        p = self.oracle(query)
        vectors[f"oracle({qlabel})"] = p
        dp = float(np.linalg.norm(query - p))
        da = float(np.linalg.norm(query - a))
        db = float(np.linalg.norm(query - b))
        if da <= dp + tol and db <= dp + tol:
            return  # query is at a tie between a and b: both answers are nearest points
        raise _Violation(
            self.current,
            f"{la} != {lb}, and {qlabel} is not at a tie between them: "
            f"|{qlabel} - {la}| = {da:.17g}, |{qlabel} - {lb}| = {db:.17g}, nearest distance "
            f"{dp:.17g} (generic decoder; tolerance {tol:.3g})", vectors)

    # -- properties ------------------------------------------------------------------------
    def on_lattice(self, x):
        vec = {"x": x}
        q = self.call(x, vec, "fn(x)")
        vec["oracle(x)"] = self.oracle(x)
        self.require_lattice_point(q, "fn(x)", vec, self.tol(x))

    def nearest(self, x):
        vec = {"x": x}
        q = self.call(x, vec, "fn(x)")
        p = self.oracle(x)
        vec["oracle(x)"] = p
        tol = self.tol(x)
        self.require_lattice_point(q, "fn(x)", vec, tol)
        dq = float(np.linalg.norm(x - q))
        dp = float(np.linalg.norm(x - p))
        if dq > dp + tol:
            raise _Violation(self.current, f"fn(x) is not a nearest lattice point: |x - fn(x)| "
                             f"= {dq:.17g} > |x - oracle(x)| = {dp:.17g} (excess {dq - dp:.3g}, "
                             f"tolerance {tol:.3g})", vec)

    def translation(self, args):
        x, l = args
        xl = x + l
        vec = {"x": x, "l": l, "x + l": xl}
        q = self.call(x, vec, "fn(x)")
        ql = self.call(xl, vec, "fn(x + l)")
        vec["fn(x) + l"] = q + l
        self.require_equal_or_tied(xl, ql, q + l, "fn(x + l)", "fn(x) + l", "x + l", vec,
                                   self.tol(x, xl))

    def sign_symmetry(self, x):
        vec = {"x": x, "-x": -x}
        q = self.call(x, vec, "fn(x)")
        qm = self.call(-x, vec, "fn(-x)")
        vec["-fn(x)"] = -q
        self.require_equal_or_tied(-x, qm, -q, "fn(-x)", "-fn(x)", "-x", vec, self.tol(x))

    def idempotence(self, x):
        vec = {"x": x}
        q = self.call(x, vec, "fn(x)")
        qq = self.call(q, vec, "fn(fn(x))")
        tol = self.tol(x, q)
        d = float(np.linalg.norm(qq - q))
        if d > tol:
            vec["oracle(x)"] = self.oracle(x)
            raise _Violation(self.current, f"fn(fn(x)) != fn(x): they are {d:.6g} apart "
                             f"(tolerance {tol:.3g})", vec)


def _counted(check, count):
    def body(arg):
        check(arg)
        count[0] += 1
    return body


def check_nearest_point_quantizer(fn, lattice, *, max_examples=200, seed=0, properties=None,
                                  max_translation=10 ** 6, rtol=1e-12, atol=1e-9):
    """Check with hypothesis that ``fn`` is a nearest-point quantizer of ``lattice``.

    Runs, in order, one hypothesis property per entry of :data:`PROPERTIES` (or of
    ``properties``) over the strategies of this module, compares with the exact generic
    decoder, and raises on the first property that fails, with the shrunk counterexample.

    Parameters
    ----------
    fn : callable
        Maps a float64 array of shape ``(m, n)`` (rows are points) to an array-like of shape
        ``(m, n)``. It is called with ``m = 1`` and must not depend on other rows of the
        batch. A PyTorch module can be wrapped as
        ``lambda x: module(torch.from_numpy(x)).detach().numpy()``.
    lattice : Lattice or str
        The lattice (:class:`rdptheory.lattices.Lattice`) or a registry name.
    max_examples : int, optional
        Hypothesis examples per property (1 <= max_examples <= 10**6).
    seed : int, optional
        Hypothesis seed: the run is reproducible for a given seed.
    properties : sequence of str, optional
        Subset of :data:`PROPERTIES` to check (default: all, in the order of
        :data:`PROPERTIES`).
    max_translation : int, optional
        Largest coefficient of the lattice vectors ``l`` used for translations and of the far
        points (0 <= max_translation <= 2**31). Lower it for float32 quantizers.
    rtol, atol : float, optional
        Points and distances are compared with the tolerance
        ``atol * V**(1/n) + rtol * |x|`` (V the cell volume, ``|x|`` the largest norm among
        the inputs). The defaults suit float64 code; for float32 use e.g. ``rtol=1e-6,
        atol=1e-5, max_translation=1000``.

    Returns
    -------
    QuantizerCheckReport
        The properties checked and the number of examples for each.

    Raises
    ------
    QuantizerCheckError
        (a subclass of ``AssertionError``) naming the failed property, the shrunk
        counterexample ``x``, ``fn(x)``, the generic decoder's nearest point and the distances.
    TypeError, ValueError
        For bad arguments (``fn`` not callable, unknown property, ...).

    Notes
    -----
    Inputs ``x`` are drawn from :func:`points_near` and :func:`near_ties` (at distances
    from ``0.05 V**(1/n)`` down to 0, which probes rounding and precision errors), near the
    origin or translated by lattice vectors ``l`` whose coefficients are often of the order
    of ``max_translation``. The properties:

    ``on_lattice``
        ``fn(x)`` is within the tolerance of its own nearest lattice point (generic decoder).
    ``nearest``
        ``fn(x)`` is a lattice point and ``|x - fn(x)| <= |x - p| + tol``, ``p`` the generic
        decoder's nearest point. Ties need no special care: any tied point has the same
        distance.
    ``translation``
        ``fn(x + l) = fn(x) + l`` for lattice vectors ``l``, as points; or, when they differ,
        ``x + l`` must be at a tie between them: both at the nearest distance of ``x + l``.
    ``sign_symmetry``
        ``fn(-x) = -fn(x)``, as points; or, when they differ, both at the nearest distance of
        ``-x`` (a tie, where the tie-breaking rule may be asymmetric, as with
        ``floor(t + 1/2)``).
    ``idempotence``
        ``fn(fn(x)) = fn(x)``.

    Ties are thus decided after the fact and exactly (up to the tolerance): two different
    answers are accepted only if both are nearest points, which happens only at a tie.
    For a quantizer that always returns a nearest point, the last three properties follow
    from ``nearest``; they are checked separately because they probe inputs the others reach
    rarely (translates by up to ``max_translation`` cells, mirrored points, exact lattice
    points) and because the property that fails names the bug (truncation toward zero breaks
    sign symmetry, float32 arithmetic breaks translation equivariance, a wrong scale breaks
    idempotence).

    Hypothesis runs with ``database=None``, ``deadline=None``, quiet verbosity and the given
    seed; on failure it shrinks the counterexample before it is reported. A quantizer whose
    failure does not reproduce (random output) is reported with the failing example
    hypothesis last saw, marked as not reproducible. Calling the checker inside a ``@given``
    test (e.g. over :func:`random_lattices`) nests ``@given``: allow it with
    ``@settings(suppress_health_check=[HealthCheck.nested_given])`` on the outer test.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.lattices import get
    >>> from rdptheory.testing import check_nearest_point_quantizer, QuantizerCheckError
    >>> D4 = get("D4")
    >>> report = check_nearest_point_quantizer(D4.nearest_point, D4, max_examples=20)
    >>> report.properties
    ('on_lattice', 'nearest', 'translation', 'sign_symmetry', 'idempotence')

    Rounding every coordinate is not a quantizer of E8 (its output can have an odd sum):

    >>> try:
    ...     check_nearest_point_quantizer(lambda x: np.floor(x + 0.5), "E8", max_examples=50)
    ... except QuantizerCheckError as err:
    ...     print(err.property)
    on_lattice
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable (an (m, n) array -> (m, n) array); got "
                        f"{type(fn).__name__}")
    L = _as_lattice(lattice, exc=ValueError)
    max_examples = _check_int(max_examples, "max_examples", 1, 10 ** 6, exc=ValueError)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer; got {seed!r}")
    seed = int(seed)
    max_translation = _check_int(max_translation, "max_translation", 0, _MAX_COEFFICIENT,
                                 exc=ValueError)
    rtol = _check_float(rtol, "rtol", 0.0, exc=ValueError)
    atol = _check_float(atol, "atol", 0.0, exc=ValueError)
    if properties is None:
        props = PROPERTIES
    else:
        if isinstance(properties, str):
            properties = (properties,)
        props = tuple(properties)
        unknown = [p for p in props if p not in PROPERTIES]
        if unknown or not props:
            raise ValueError(f"properties must be a non-empty subset of {PROPERTIES}; "
                             f"got {properties!r}")

    checker = _Checker(fn, L, rtol, atol)
    _check_tolerances(checker, L, max_translation, rtol, atol)
    B = np.array(L.generator)
    near = points_near(L)
    ties = near_ties(L, max_distance=0.05 * checker.s)
    local = st.one_of(near, ties)
    big = _large_int_vectors(L.dimension, max_translation).map(
        lambda z: z.astype(np.float64) @ B)
    far = st.tuples(local, big).map(lambda xl: xl[0] + xl[1])
    general = st.one_of(near, ties, far)
    shifts = st.one_of(lattice_points(L, max_coefficient=3), big)
    strategies = {"on_lattice": general, "nearest": general,
                  "translation": st.tuples(local, shifts),
                  "sign_symmetry": local, "idempotence": general}
    config = settings(max_examples=max_examples, database=None, deadline=None,
                      derandomize=False, verbosity=Verbosity.quiet, report_multiple_bugs=False,
                      suppress_health_check=list(HealthCheck), print_blob=False,
                      phases=(Phase.explicit, Phase.generate, Phase.shrink))
    counts = []
    with _private_hypothesis_storage():
        for prop in props:
            counts.append(_run_property(prop, strategies, config, checker, seed, L))
    return QuantizerCheckReport(L.name, props, tuple(counts), seed)


def _check_tolerances(checker, L, max_translation, rtol, atol):
    """Refuse tolerances under which a wrong quantizer passes: the allowed error at the
    largest test point must stay below a tenth of the packing radius's scale (the cell size
    s = V**(1/n)); fn = lambda x: 0*x passes every property with rtol = 1e308."""
    far = (max_translation + 4.0) * float(np.linalg.norm(L.generator))
    allowed = atol * checker.s + rtol * far
    if not allowed < 0.1 * checker.s:
        raise ValueError(
            f"rtol={rtol:g}, atol={atol:g} allow errors up to {allowed:.3g} at the test points "
            f"(|x| up to {far:.3g}), not below a tenth of the cell size {checker.s:.3g}: a "
            "quantizer off by a whole cell would pass; use smaller tolerances or a smaller "
            "max_translation")


@contextlib.contextmanager
def _private_hypothesis_storage():
    """Run hypothesis with its storage (the example database is off, but it also caches
    source constants) in a temporary directory, so the checker writes nothing into the
    caller's working directory; the previous setting is restored afterwards."""
    try:
        import hypothesis.configuration as hc
        previous = getattr(hc, "__hypothesis_home_directory")
        setter = hc.set_hypothesis_home_dir
    except (ImportError, AttributeError):  # another hypothesis layout: leave it alone
        yield
        return
    with tempfile.TemporaryDirectory(prefix="rdptheory-hypothesis-") as tmp:
        setter(tmp)
        try:
            yield
        finally:
            setter(previous)


def _run_property(prop, strategies, config, checker, seed, L):
    """Run one property under hypothesis; return the number of examples tried."""
    count = [0]
    test = _hypothesis_seed(seed)(config(given(strategies[prop])(
        _counted(getattr(checker, prop), count))))
    checker.current = prop
    try:
        test()
    except _Violation as v:
        raise QuantizerCheckError(v.prop, v.reason, v.vectors, L.name,
                                  seed) from v.__cause__
    except Flaky as flaky:
        inner = [e for e in getattr(flaky, "exceptions", ()) if isinstance(e, _Violation)]
        if not inner:
            raise
        v = inner[0]
        raise QuantizerCheckError(v.prop, v.reason + " [not reproducible: fn gave a "
                                  "different answer when the example was replayed]",
                                  v.vectors, L.name, seed, shrunk=False) from v.__cause__
    return count[0]
