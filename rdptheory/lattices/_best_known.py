"""Best known lattice quantizers without a closed-form G (AA21, AE98, APA24a, APA24b; tabulated in
AA23).

Each lattice is built from its construction, not from a tabulated basis, and comes with an exact
nearest-point decoder (a union of cosets or layers of lattices that already have fast exact
decoders, or the generic LLL + Schnorr-Euchner decoder):

* ``AE9`` -- D8 layers glued by (½)^8: AE9 = ∪_k (D8 + k·(½)^8) × {k·a}, layer spacing
  a ≈ 0.573223794 (Allen & Agrell 2021, AA21). Decoded layer by layer with the D8 decoder.
* ``A11^3`` -- A11 ∪ (A11 + [4]) ∪ (A11 + [8]) in the hyperplane sum = 0 of R^12 (SPLAG's
  notation A_n^r; Agrell & Eriksson 1998, AE98). Decoded as a union of three cosets of A11.
* ``D6^2+`` -- D6 ⊕ D6 glued by (s, v) and (v, s), s = (½)^6 and v = (0^5, 1) the spinor and
  vector glue of D6 (glue code {(0,0), (s,v), (v,s), (s+v, s+v)}, index 4, det 1). A glued
  D6 × D6 lattice of the kind of Agrell, Pook-Kolb & Allen 2024 (APA24a); the glue was taken
  from public code, not from the paper's text, and is identified with APA24a's lattice only
  through its second moment (see ``proofs_checks/lattice_reference_claims.py``).
* ``Lambda15*`` -- the dual of the laminated lattice Λ15, with Λ15 = Λ16 ∩ w^⊥ the section of
  the Barnes-Wall lattice orthogonal to a minimal vector w of Λ16* (SPLAG ch. 6; identified by
  det 512 and kissing number 2340 at minimal norm 4). G(Λ15*) is APA24b's. Generic decoder.

* ``E6^2+`` -- E6 ⊕ E6 glued by ([1], [1]), [1] a nonzero class of E6*/E6 ≅ Z/3 (index 3,
  det 1; up to automorphisms the only index-3 glue). This is *our* candidate for APA24a's
  E6 × E6 lattice (G ≈ 0.0700587): the paper's construction section was not available to us,
  so the identification rests only on the Monte Carlo G agreeing with the published value.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from ._enumeration import lll_reduce, minimum_norm, short_vectors
from ._glue import _an_glue
from ._lattice import Lattice, from_generator
from ._reference import (best_known_determinant_reference, best_known_kissing_reference,
                         best_known_nsm_reference)
from ._root import generator_dn, nearest_an, nearest_dn

__all__ = ["AE9_LAYER_SPACING", "BEST_KNOWN", "best_known", "generator_ae9",
           "generator_a11_cubed", "generator_d6_glued", "generator_e6_glued",
           "generator_lambda15_dual"]

#: AA21 (abstract): the optimal layer spacing is a root of a 9th-order polynomial,
#: a ≈ 0.573223794 (9 digits; the value used in the reference's table).
AE9_LAYER_SPACING = 0.573223794

# ---------------------------------------------------------------------------------------- AE9


def generator_ae9(a=AE9_LAYER_SPACING):
    """Generator of the nine-dimensional layered lattice AE9(a) of Allen & Agrell (2021).

    Parameters
    ----------
    a : float, optional
        Layer spacing (> 0); default AA21's optimum a ≈ 0.573223794.

    Returns
    -------
    ndarray, shape (9, 9)
        Rows: a D8 basis padded with a zero 9th coordinate, and the glue (½, ..., ½, a).
        Volume 2a (det D8 = 4, so the Gram determinant is 4a²).

    Raises
    ------
    ValueError
        If ``a`` is not a finite number > 0.

    Notes
    -----
    Layer k is D8 + k·(½)^8 at height k·a; since 2·(½)^8 = 1 is in D8, the layers alternate
    between D8 and D8 + ½·1, whose union is E8 (AA21).

    Examples
    --------
    >>> B = generator_ae9()
    >>> B.shape, round(abs(float(np.linalg.det(B))), 9)
    ((9, 9), 1.146447588)
    """
    a = _positive(a, "a")
    B = np.zeros((9, 9))
    B[:8, :8] = generator_dn(8)
    B[8, :8] = 0.5
    B[8, 8] = a
    return B


class _LayeredD8Decoder:
    """Exact decoder of AE9(a): try every layer k whose height is within the nearest layer's
    worst-case distance, decoding in D8 or D8 + ½·1 (a picklable callable)."""

    def __init__(self, a):
        self.a = float(a)
        # The nearest layer (|t - k a| <= a/2) holds a point within the covering radius of
        # D8 (sqrt(2), at the deep hole (½)^8), so no layer with (t - k a)^2 > 2 + a^2/4 can
        # hold a nearer point.
        self.reach = math.sqrt(2.0 + self.a ** 2 / 4.0)
        self.layers = int(math.floor(2.0 * self.reach / self.a)) + 2

    def __call__(self, x):
        a = self.a
        y, t = x[:, :8], x[:, 8]
        kmin = np.ceil((t - self.reach) / a)
        best = np.full(x.shape[0], np.inf)
        out = np.empty_like(x)
        for j in range(self.layers):
            k = kmin + j
            off = 0.5 * np.mod(k, 2.0)[:, None]
            p = nearest_dn(y - off) + off
            h = k * a
            d = np.sum((y - p) ** 2, axis=1) + (t - h) ** 2
            better = d < best
            best[better] = d[better]
            out[better, :8] = p[better]
            out[better, 8] = h[better]
        return out


# ---------------------------------------------------------------------------------- A11^3

_A11_GLUE = np.array([_an_glue(11, i) for i in (0, 4, 8)])


def generator_a11_cubed():
    """Generator of A11^3 = A11 ∪ (A11 + [4]) ∪ (A11 + [8]) in R^12 (coordinate sum 0).

    Returns
    -------
    ndarray, shape (11, 12)
        The A11 basis e_i - e_(i+1) with its first row replaced by the glue vector [4]
        (3·[4] has coefficient 1 on e_1 - e_2, so the rows span the index-3 superlattice).
        Gram determinant 12/9 = 4/3.

    Examples
    --------
    >>> B = generator_a11_cubed()
    >>> B.shape, round(float(np.linalg.det(B @ B.T)), 9)
    ((11, 12), 1.333333333)
    """
    B = np.zeros((11, 12))
    for i in range(11):
        B[i, i], B[i, i + 1] = 1.0, -1.0
    B[0] = _A11_GLUE[1]
    return B


def _nearest_a11_cubed(x):
    """Union of the three cosets A11 + [0], [4], [8] (natural coordinates in R^12)."""
    best = np.full(x.shape[0], np.inf)
    out = np.empty_like(x)
    for g in _A11_GLUE:
        p = nearest_an(x - g) + g
        d = np.sum((x - p) ** 2, axis=1)
        better = d < best
        best[better] = d[better]
        out[better] = p[better]
    return out


# ---------------------------------------------------------------------------------- D6^2+

_D6_S = np.full(6, 0.5)
_D6_V = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
_D6_GLUE = np.array([np.concatenate(p) for p in ((np.zeros(6), np.zeros(6)), (_D6_S, _D6_V),
                                                  (_D6_V, _D6_S),
                                                  (_D6_S + _D6_V, _D6_S + _D6_V))])


def generator_d6_glued():
    """Generator of D6 ⊕ D6 glued by (s, v) and (v, s), s = (½)^6, v = (0^5, 1).

    Returns
    -------
    ndarray, shape (12, 12)
        A basis (Hermite normal form of twice a spanning set, halved); determinant 1
        (det(D6 ⊕ D6) = 4 · 4 over the glue index 4).

    Examples
    --------
    >>> B = generator_d6_glued()
    >>> B.shape, round(abs(float(np.linalg.det(B))), 9)
    ((12, 12), 1.0)
    """
    return _d6_glued_basis().copy()


@functools.lru_cache(maxsize=None)
def _d6_glued_basis():
    from ._barnes_wall import _row_hnf
    gens = []
    for off in (0, 6):
        for i in range(5):
            for sign in (1, -1):
                e = [0] * 12
                e[off + i], e[off + i + 1] = 2, 2 * sign
                gens.append(e)
    gens += [[int(round(2 * v)) for v in g] for g in _D6_GLUE[1:]]
    B = _row_hnf(gens) / 2.0
    B.setflags(write=False)
    return B


def _nearest_d6_glued(x):
    """Union of the four cosets of D6 ⊕ D6 (each half decoded in D6)."""
    best = np.full(x.shape[0], np.inf)
    out = np.empty_like(x)
    for g in _D6_GLUE:
        y = x - g
        p = np.hstack([nearest_dn(y[:, :6]), nearest_dn(y[:, 6:])]) + g
        d = np.sum((x - p) ** 2, axis=1)
        better = d < best
        best[better] = d[better]
        out[better] = p[better]
    return out


# ---------------------------------------------------------------------------------- E6^2+


def generator_e6_glued():
    """Generator of E6 ⊕ E6 glued by ([1], [1]) (our candidate for APA24a's E6 × E6 lattice).

    Returns
    -------
    ndarray, shape (12, 12)
        In the coordinates of the registry's E6 (min norm 2, Gram det 3) on each half: the
        Hermite normal form, in E6* ⊕ E6* coordinates, of E6 ⊕ E6 plus the glue ([1], [1]),
        times the E6* ⊕ E6* basis. Determinant 1 (3 · 3 / 3²).

    Examples
    --------
    >>> B = generator_e6_glued()
    >>> B.shape, round(abs(float(np.linalg.det(B))), 9)
    ((12, 12), 1.0)
    """
    return _e6_glued_basis().copy()


@functools.lru_cache(maxsize=None)
def _e6_glued_basis():
    from ._barnes_wall import _row_hnf
    from ._registry import get
    E = np.array(get("E6").generator)
    Ed = np.linalg.inv(E).T
    M = np.rint(E @ np.linalg.inv(Ed)).astype(np.int64)   # E = M Ed, |det M| = 3
    # a dual basis vector outside E6 represents a nonzero glue class [1]
    glue = next(i for i in range(6)
                if np.abs(np.linalg.solve(E.T, Ed[i]) - np.rint(np.linalg.solve(E.T, Ed[i]))
                          ).max() > 1e-6)
    c = np.zeros(6, dtype=np.int64)
    c[glue] = 1
    Z = np.zeros((6, 6), dtype=np.int64)
    rows = np.vstack([np.hstack([M, Z]), np.hstack([Z, M]), np.hstack([c, c])[None]])
    H = _row_hnf(rows.tolist())
    Bd = np.zeros((12, 12))
    Bd[:6, :6] = Ed
    Bd[6:, 6:] = Ed
    B = H @ Bd
    B.setflags(write=False)
    return B


# ------------------------------------------------------------------------------- Lambda15*


@functools.lru_cache(maxsize=None)
def _lambda15_section():
    """Λ15 = Λ16 ∩ w^⊥ (w a minimal vector of Λ16*) as a basis of 15 rows in R^16."""
    from ._registry import get
    G = np.array(get("BW16").generator)         # min norm 4, Gram det 256
    Gd = np.linalg.inv(G).T
    w = short_vectors(Gd, minimum_norm(Gd) * (1 + 1e-9))[0]
    iw = np.rint(G @ w)                          # <basis_i, w> is an integer (w in the dual)
    if np.abs(G @ w - iw).max() > 1e-9:
        raise RuntimeError("minimal dual vector of BW16 is not in the dual lattice")
    # integer kernel {z : z·iw = 0} by LLL on [I | K·iw]: reduced rows with 0 last entry
    K = 1e6
    R, U = lll_reduce(np.hstack([np.eye(16), K * iw[:, None]]))
    kernel = U[np.abs(R[:, 16]) < 0.5]
    if kernel.shape[0] != 15:
        raise RuntimeError(f"kernel of rank {kernel.shape[0]}, expected 15")
    return kernel @ G


def generator_lambda15_dual():
    """Generator of Λ15*, the dual of the laminated lattice Λ15, in R^15.

    Λ15 is the section of the Barnes-Wall lattice Λ16 (min norm 4) orthogonal to a minimal
    vector of Λ16*; it has Gram determinant 512 and kissing number 2340 (SPLAG ch. 6,
    Table 6.1). Its 15 basis rows are expressed in an orthonormal basis of their span and the
    dual basis is the inverse transpose.

    Returns
    -------
    ndarray, shape (15, 15)
        Gram determinant 1/512.

    Examples
    --------
    >>> B = generator_lambda15_dual()
    >>> B.shape, round(1 / float(np.linalg.det(B @ B.T)), 6)
    ((15, 15), 512.0)
    """
    S = _lambda15_section()
    q, r = np.linalg.qr(S.T)                      # S = r.T @ q.T, rows of r.T in R^15
    return np.linalg.inv(r.T).T.copy()


# ------------------------------------------------------------------------------- lookup

#: name -> (builder of the Lattice, description)
BEST_KNOWN = ("AE9", "A11^3", "D6^2+", "E6^2+", "Lambda15*")


@functools.lru_cache(maxsize=None)
def _build(name):
    L = _construct(name)
    L.gram_determinant_reference = best_known_determinant_reference(name)
    return L


def _construct(name):
    nsm = best_known_nsm_reference(name)
    kiss = best_known_kissing_reference(name)
    if name == "AE9":
        return Lattice("AE9", generator_ae9(), _LayeredD8Decoder(AE9_LAYER_SPACING), nsm=nsm,
                       kissing=kiss, family="AE9",
                       description="AE9: D8 layers glued by (½)^8, spacing a ≈ 0.573223794")
    if name == "A11^3":
        return Lattice("A11^3", generator_a11_cubed(), _nearest_a11_cubed, nsm=nsm,
                       kissing=kiss, family="A11^3",
                       description="A11 ∪ (A11 + [4]) ∪ (A11 + [8]), Gram det 4/3")
    if name == "D6^2+":
        return Lattice("D6^2+", _d6_glued_basis(), _nearest_d6_glued, nsm=nsm, kissing=kiss,
                       family="D6^2+",
                       description="D6 ⊕ D6 glued by (s, v), (v, s); det 1")
    if name == "E6^2+":
        L = from_generator(_e6_glued_basis(), name="E6^2+")
        L.description = "E6 ⊕ E6 glued by ([1], [1]); det 1 (candidate for APA24a's lattice)"
    else:
        L = from_generator(generator_lambda15_dual(), name="Lambda15*")
        L.description = "dual of the laminated lattice Λ15; Gram det 1/512"
    L.nsm_reference, L.kissing_number_reference, L.family = nsm, kiss, name
    return L


def best_known(name):
    """A best known lattice quantizer (AA21, AE98, APA24a, APA24b) that has no closed-form G.

    Parameters
    ----------
    name : {'AE9', 'A11^3', 'D6^2+', 'E6^2+', 'Lambda15*'}

    Returns
    -------
    Lattice
        With ``nsm_reference`` (the published G with its source and digits) and an exact
        decoder (fast for AE9, A11^3 and D6^2+, generic for E6^2+ and Λ15*).

    Raises
    ------
    ValueError
        If ``name`` is not one of these.

    Examples
    --------
    >>> L = best_known("AE9")
    >>> L.dimension, L.nsm_reference.value, L.nearest_point([0.1] * 9).tolist() == [0.0] * 9
    (9, 0.0716226, True)
    """
    if name not in BEST_KNOWN:
        raise ValueError(f"name must be one of {', '.join(BEST_KNOWN)}; got {name!r}")
    return _build(name)


def _positive(a, name):
    try:
        v = float(a)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number > 0; got {a!r}") from None
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a finite number > 0; got {a!r}")
    return v
