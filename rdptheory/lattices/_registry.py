"""The registry of named lattices: ``get(name)`` and ``list_lattices()``."""
from __future__ import annotations

import functools
import math
import re

import numpy as np

from . import _barnes_wall as bw
from . import _glue as glue
from . import _leech as leech
from . import _best_known
from . import _root as root
from ._lattice import Lattice
from ._reference import kissing_number_reference, nsm_reference

__all__ = ["get", "list_lattices", "as_lattice", "STANDARD_LATTICES"]

#: Families with a dimension parameter: name pattern -> (family, minimum n, description)
_FAMILIES = {
    "Z": (1, "integer lattice Z^n", root.generator_zn, root.nearest_zn),
    "A": (1, "root lattice A_n in the hyperplane sum = 0 of R^(n+1)", root.generator_an,
          root.nearest_an),
    "A*": (1, "dual root lattice A_n*", root.generator_an_dual, root.nearest_an_dual),
    "D": (2, "checkerboard lattice D_n (integer vectors with even sum)", root.generator_dn,
          root.nearest_dn),
    "D*": (2, "D_n* = Z^n ∪ (Z^n + ½·1)", root.generator_dn_dual, root.nearest_dn_dual),
    "D+": (2, "D_n+ = D_n ∪ (D_n + ½·1), n even", root.generator_dn_plus, root.nearest_dn_plus),
}

#: Fixed lattices: canonical name -> (generator, decoder, scale to the registry scaling,
#: description)
_FIXED = {
    "E6": (glue.generator_e6, glue.nearest_e6, 1.0, "E6 (min norm 2, Gram det 3)"),
    "E6*": (glue.generator_e6_dual, glue.nearest_e6_dual, 1.0, "E6* (Gram det 1/3)"),
    "E7": (glue.generator_e7, glue.nearest_e7, 1.0, "E7 (min norm 2, Gram det 2)"),
    "E7*": (glue.generator_e7_dual, glue.nearest_e7_dual, 1.0, "E7* (Gram det 1/2)"),
    "E8": (root.generator_e8, root.nearest_e8, 1.0, "Gosset lattice E8 = D8 ∪ (D8 + ½·1), "
           "unimodular, min norm 2"),
    "K12": (glue.generator_k12, glue.nearest_k12, 1.0,
            "Coxeter-Todd lattice K12 (min norm 4, Gram det 729)"),
    "BW16": (bw.generator_barnes_wall, bw.nearest_barnes_wall, 1.0 / math.sqrt(2.0),
             "Barnes-Wall lattice Λ16 (min norm 4, Gram det 256)"),
    "Leech": (leech.generator_leech, leech.nearest_leech, 1.0 / math.sqrt(8.0),
              "Leech lattice Λ24 (unimodular, min norm 4)"),
}

#: Gram determinants in the registry scaling, with sources (SPLAG ch. 4)
def gram_determinant_reference(family, n):
    table = {"Z": (1.0, "SPLAG ch. 4 §5"), "A": (n + 1.0, "SPLAG ch. 4 §6"),
             "A*": (1.0 / (n + 1), "SPLAG ch. 4 §6"), "D": (4.0, "SPLAG ch. 4 §7"),
             "D*": (0.25, "SPLAG ch. 4 §7"), "D+": (1.0, "SPLAG ch. 4 §7.3"),
             "E6": (3.0, "SPLAG ch. 4 §8.3"), "E6*": (1 / 3, "SPLAG ch. 4 §8.3"),
             "E7": (2.0, "SPLAG ch. 4 §8.2"), "E7*": (0.5, "SPLAG ch. 4 §8.2"),
             "E8": (1.0, "SPLAG ch. 4 §8.1"),
             "K12": (729.0, "SPLAG Table 1.2: center density 1/27 at min norm 4"),
             "BW16": (256.0, "SPLAG Table 1.2: center density 1/16 at min norm 4"),
             "Leech": (1.0, "SPLAG Table 1.2: center density 1 at min norm 4")}
    if family == "D" and n == 2:
        return 4.0, "SPLAG ch. 4 §7"
    return table.get(family)


_ALIASES = {
    "hexagonal": "A2", "hex": "A2", "a2": "A2", "gosset": "E8", "e8": "E8",
    "k12": "K12", "coxetertodd": "K12", "coxeter-todd": "K12",
    "bw16": "BW16", "lambda16": "BW16", "λ16": "BW16", "barneswall": "BW16", "barnes-wall": "BW16",
    "l16": "BW16", "leech": "Leech", "lambda24": "Leech", "λ24": "Leech", "l24": "Leech",
    "e6": "E6", "e6*": "E6*", "e7": "E7", "e7*": "E7*", "cubic": "Z3", "bcc": "A3*", "fcc": "A3",
    "λ15*": "Lambda15*", "l15*": "Lambda15*",
}

#: The lattices shown by `list_lattices()` (every family also accepts other dimensions)
STANDARD_LATTICES = ("Z1", "Z2", "Z4", "Z8", "A2", "A3", "A3*", "D4", "D4*", "D5*", "E6", "E6*",
                     "E7", "E7*", "E8", "D10+", "K12", "BW16", "Leech")

_FAMILY_RE = re.compile(r"^([ZAD])\^?([0-9]+)(\*|\+)?$")  # ASCII digits only ("A٣" is not A3)


def _unknown(name):
    return (f"unknown lattice {name!r}; known: {', '.join(STANDARD_LATTICES)}, the best known "
            f"{', '.join(_best_known.BEST_KNOWN)} and the families Zn, An, An*, Dn, Dn*, "
            "Dn+ (n even)")


def canonical_name(name):
    """The registry's canonical spelling of ``name`` (case, '^', aliases); ValueError if
    unknown."""
    if not isinstance(name, str):
        raise ValueError(f"lattice name must be a string; got {name!r}")
    key = name.strip().replace(" ", "").replace("_", "")
    low = key.lower()
    if low in _ALIASES:
        return _ALIASES[low]
    # best known (AA21, AE98, APA24a/b): AE9, A11^3, D6^2+, E6^2+, Lambda15*
    for best in _best_known.BEST_KNOWN:
        if low == best.lower():
            return best
    for fixed in _FIXED:
        if low == fixed.lower():
            return fixed
    m = _FAMILY_RE.match(key.upper())
    if m:
        letter, n, suffix = m.group(1), int(m.group(2)), m.group(3) or ""
        family = letter + suffix
        if family not in _FAMILIES or (letter == "Z" and suffix):
            raise ValueError(_unknown(name))
        nmin = _FAMILIES[family][0]
        if n < nmin or n > 4096:
            raise ValueError(f"{family[0]}n{family[1:]} needs {nmin} <= n <= 4096; got n={n}")
        if family == "D+" and n % 2:
            raise ValueError(f"D{n}+ is not a lattice: D_n+ = D_n ∪ (D_n + ½·1) needs n even")
        return f"{letter}{n}{suffix}"
    raise ValueError(_unknown(name))


def _split(canon):
    m = _FAMILY_RE.match(canon)
    if m and canon not in _FIXED:
        return m.group(1) + (m.group(3) or ""), int(m.group(2))
    return canon, None


@functools.lru_cache(maxsize=None)
def _build(canon):
    family, n = _split(canon)
    if n is not None:
        _, desc, gen, dec = _FAMILIES[family]
        Bn = gen(n)
        dim = n
        ref_family = family
    else:
        gen, dec, scale, desc = _FIXED[family]
        Bn = gen()
        dim = Bn.shape[0]
        ref_family = family
    nsm = nsm_reference(ref_family, dim)
    kiss = kissing_number_reference("A2" if canon == "A2" else ref_family, dim)
    L = Lattice(canon, Bn, dec, nsm=nsm, kissing=kiss, family=family, description=desc)
    if n is None and _FIXED[family][2] != 1.0:
        L = L.scaled(_FIXED[family][2])
        L.name = canon
    L.gram_determinant_reference = gram_determinant_reference(family, dim)
    return L


def get(name):
    """The registry lattice called ``name``.

    Names: ``Zn``, ``An``, ``An*``, ``Dn``, ``Dn*``, ``Dn+`` (n even) for any n, and ``E6``,
    ``E6*``, ``E7``, ``E7*``, ``E8``, ``K12``, ``BW16``, ``Leech``; aliases such as
    ``hexagonal`` (A2), ``Lambda16``/``Barnes-Wall`` (BW16), ``Lambda24`` (Leech),
    ``Coxeter-Todd`` (K12), ``Z^8``. Case-insensitive. Lattices are in their usual integral
    scaling (E8 unimodular with min norm 2, Leech unimodular with min norm 4, ...); use
    :meth:`Lattice.with_volume` for unit volume. The best known lattices (AA21, AE98, APA24a,
    APA24b) without a closed-form G are ``AE9``, ``A11^3``, ``D6^2+``, ``E6^2+`` (our candidate
    construction for APA24a's E6 × E6 lattice) and ``Lambda15*`` (see
    :mod:`rdptheory.lattices._best_known`).

    Examples
    --------
    >>> from rdptheory.lattices import get
    >>> get("E8").dimension, get("lambda24").name, round(get("A2").nsm_reference.value, 10)
    (8, 'Leech', 0.0801875374)
    """
    canon = canonical_name(name)
    if canon in _best_known.BEST_KNOWN:
        return _best_known.best_known(canon)
    return _build(canon)


def as_lattice(lattice):
    """A :class:`Lattice` given either one or a registry name (ValueError otherwise)."""
    if isinstance(lattice, Lattice):
        return lattice
    if isinstance(lattice, str):
        return get(lattice)
    raise ValueError(f"lattice must be a Lattice or a registry name; got "
                     f"{type(lattice).__name__}")


def list_lattices(best_known=False):
    """Canonical names of the registry lattices (each family also takes any other n).

    Parameters
    ----------
    best_known : bool
        Also list the best known lattices without a closed-form G (``AE9``, ``A11^3``,
        ``D6^2+``, ``E6^2+``, ``Lambda15*``; :mod:`rdptheory.lattices._best_known`). They are
        left out by default because most use the slow generic decoder, and the registry-wide
        claims and figures iterate over the default list.

    Examples
    --------
    >>> from rdptheory.lattices import list_lattices
    >>> list_lattices()[:3], list_lattices(best_known=True)[-2:]
    (['Z1', 'Z2', 'Z4'], ['E6^2+', 'Lambda15*'])
    """
    names = list(STANDARD_LATTICES)
    return names + list(_best_known.BEST_KNOWN) if best_known else names


_DUAL_FAMILY = {"Z": "Z", "A": "A*", "A*": "A", "D": "D*", "D*": "D", "E6": "E6*",
                "E6*": "E6", "E7": "E7*", "E7*": "E7", "E8": "E8", "Leech": "Leech"}


def fast_dual(L, Bd):
    """A fast-decoding Lattice equal to the dual of ``L`` (user coordinates), or None.

    The dual family's natural lattice is mapped with the dual similarity of L's map (scale
    1/c instead of c); it is accepted only if every row of the dual basis ``Bd`` decodes to
    itself and the volumes agree, which proves the two lattices are equal.
    """
    fam = getattr(L, "family", None)
    if fam not in _DUAL_FAMILY:
        return None
    dual_fam = _DUAL_FAMILY[fam]
    n = L.dimension
    if dual_fam in _FAMILIES:
        _, desc, gen, dec = _FAMILIES[dual_fam]
        Bn = gen(n)
    else:
        gen, dec, _, desc = _FIXED[dual_fam]
        Bn = gen()
    A, Bm = L._maps()
    c2 = float((Bm.T @ Bm)[0, 0])  # Bm = c * (orthonormal columns)
    cand = Lattice(f"{L.name}^*", Bn, dec, to_natural=A * c2, from_natural=Bm / c2,
                   nsm=nsm_reference(dual_fam, n),
                   kissing=kissing_number_reference(dual_fam, n), family=dual_fam,
                   description=desc)
    same_volume = math.isclose(cand.volume, abs(np.linalg.det(Bd)), rel_tol=1e-9)
    fixed = np.allclose(cand.nearest_point(Bd), Bd, rtol=0, atol=1e-9 * max(1.0, np.abs(Bd).max()))
    return cand if (same_volume and fixed) else None
