"""Reference values for lattices, each with its source (one data module, for audit).

Source keys:

* CS82V -- Conway & Sloane, "Voronoi regions of lattices, second moments of polytopes, and
  quantization", IEEE T-IT 28(2), 1982 (exact NSMs; SPLAG ch. 21).
* SPLAG -- Conway & Sloane, *Sphere Packings, Lattices and Groups*, 3rd ed. (Table 2.3 for NSMs;
  ch. 4 for kissing numbers and determinants of the root lattices and their duals).
* AE98 -- Agrell & Eriksson, IEEE T-IT 44(5), 1998.
* DSV09 -- Dutour Sikirić, Schürmann & Vallentin, Math. Comp. 78, 2009 (quoted in APA24a).
* PAA23 -- Pook-Kolb, Agrell & Allen, "The Voronoi region of the Barnes-Wall lattice Λ16", 2023.
* AA21 -- Allen & Agrell, "The optimal lattice quantizer in nine dimensions", Ann. Phys. 533(12),
  2021 (arXiv 2104.10107): AE9 and its layer spacing a ≈ 0.573223794.
* AA23 -- Agrell & Allen, "On the best lattice quantizers", IEEE T-IT 69(12), 2023 (product rule).
* APA24a -- Agrell, Pook-Kolb & Allen, "Glued lattices are better quantizers than K12", IEEE T-IT,
  2024 (arXiv 2312.00481): 12-D lattices glued from E6 × E6 (G ≈ 0.070058650) and D6 × D6
  (G ≈ 0.070034).
* APA24b -- Agrell, Pook-Kolb & Allen, "Optimization and identification of lattice quantizers",
  2024: exact G of Λ15*.
* CS82V-J -- the A_n* values J_n of CS82V as transcribed (J_1..J_7) on
  ikuro-kotaro.sakura.ne.jp/koramu2/26313_m2.htm (a secondary source, found with the search tool;
  so used only where Monte Carlo agrees).

Every published lattice number the package uses is in this module; the quoted digits (tables
``QUOTED_*``) are kept apart from the closed forms so that claims can compare the two.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["ReferenceValue", "nsm_reference", "kissing_number_reference",
           "irwin_hall_mean_abs_deviation", "nsm_dn_dual", "nsm_an_dual_cs82",
           "best_known_nsm_reference", "best_known_kissing_reference",
           "best_known_determinant_reference", "QUOTED_NSM",
           "QUOTED_BOUNDS", "QUOTED_RATE_PENALTY", "QUOTED_RELEVANT_COUNTS", "AN_DUAL_J"]


@dataclass(frozen=True)
class ReferenceValue:
    """A literature value: ``value``, its ``source`` and whether it is ``exact`` (a closed form)
    or a published numerical value with ``digits`` significant digits."""

    value: float
    source: str
    exact: bool
    digits: int | None = None
    formula: str = ""

    @property
    def uncertainty(self):
        """Half a unit of the last published digit (0 for closed forms)."""
        if self.exact or self.digits is None:
            return 0.0
        return 0.5 * 10.0 ** (math.floor(math.log10(abs(self.value))) - self.digits + 1)


def irwin_hall_mean_abs_deviation(n):
    """M_n = E|S_n - n/2|, S_n the sum of n independent U(0,1), exactly as a Fraction:
    M_n = (2/(n+1)!) sum_{k=0}^{floor(n/2)} (-1)^k C(n,k) (n/2 - k)^(n+1) (CS82V)."""
    half = Fraction(n, 2)
    total = sum((-1) ** k * math.comb(n, k) * (half - k) ** (n + 1) for k in range(n // 2 + 1))
    return 2 * total / math.factorial(n + 1)


def nsm_dn_dual(n):
    """G(D_n*) = 2^(2/n) (1/12 - M_n/(4n)) (CS82V; D_n* = Z^n ∪ (Z^n + ½·1))."""
    return 2.0 ** (2.0 / n) * (1.0 / 12.0 - float(irwin_hall_mean_abs_deviation(n)) / (4 * n))


def nsm_reference(family, n):
    """Reference NSM for a registry lattice, or None when no value is at hand."""
    if family == "Z":
        return ReferenceValue(1 / 12, "CS82V", True, formula="1/12")
    if family == "A":
        if n == 1:
            return ReferenceValue(1 / 12, "CS82V", True, formula="A1 = Z")
        return ReferenceValue((n + 1) ** (-1 / n) * (1 / 12 + 1 / (6 * (n + 1))), "CS82V", True,
                              formula="(n+1)^(-1/n) (1/12 + 1/(6(n+1)))")
    if family == "A*":
        if n == 1:
            return ReferenceValue(1 / 12, "CS82V", True, formula="A1* = Z")
        if n == 2:  # A2* is similar to A2
            return ReferenceValue(5 / (36 * math.sqrt(3)), "CS82V", True, formula="A2* ~ A2")
        if n == 3:
            return ReferenceValue(19 / (192 * 2 ** (1 / 3)), "CS82V", True,
                                  formula="19/(192 2^(1/3))")
        return None  # no closed form checked against Monte Carlo for A_n*, n >= 4
    if family == "D":
        if n >= 3:
            return ReferenceValue(2 ** (-2 / n) * (1 / 12 + 1 / (2 * n * (n + 1))), "CS82V", True,
                                  formula="2^(-2/n) (1/12 + 1/(2n(n+1)))")
        return ReferenceValue(1 / 12, "CS82V", True, formula="D2 ~ Z^2")
    if family == "D*":
        return ReferenceValue(nsm_dn_dual(n), "CS82V (Irwin-Hall form)", True,
                              formula="2^(2/n) (1/12 - M_n/(4n))")
    if family == "D+":
        if n == 8:
            return ReferenceValue(929 / 12960, "CS82V", True, formula="D8+ = E8")
        if n == 10:
            return ReferenceValue(0.0708138, "AE98", False, digits=6)
        return None
    table = {
        "E6": ReferenceValue(5 / 56 * 3 ** (-1 / 6), "CS82V", True, formula="(5/56) 3^(-1/6)"),
        "E6*": ReferenceValue(12619 / 204120 * 3 ** (1 / 6), "CS82V; SPLAG Table 2.3 (7 digits)",
                              False, digits=7, formula="(12619/204120) 3^(1/6)"),
        "E7": ReferenceValue(163 / (2016 * 2 ** (1 / 7)), "CS82V", True,
                             formula="163/(2016 2^(1/7))"),
        "E7*": ReferenceValue(21361 / 322560 * 2 ** (1 / 7), "CS82V; SPLAG Table 2.3 (7 digits)",
                              False, digits=7, formula="(21361/322560) 2^(1/7)"),
        "E8": ReferenceValue(929 / 12960, "CS82V", True, formula="929/12960"),
        "K12": ReferenceValue(0.070096, "DSV09 (quoted in APA24a)", False, digits=5),
        "BW16": ReferenceValue(0.0682976, "PAA23 (exact value, 6 digits quoted)", False, digits=6),
        "Leech": ReferenceValue(0.0658, "SPLAG Table 2.3 (3 digits; sources disagree at the 5th)",
                                False, digits=3),
    }
    return table.get(family)


def kissing_number_reference(family, n):
    """Kissing number with its source (SPLAG ch. 4)."""
    if family == "Z":
        return 2 * n, "SPLAG ch. 4 §5"
    if family == "A":
        return n * (n + 1), "SPLAG ch. 4 §6"
    if family == "A*":
        if n == 1:
            return 2, "A1* = Z"
        if n == 2:
            return 6, "A2* ~ A2 (SPLAG ch. 4 §6)"
        if n == 3:
            return 8, "A3* = BCC (SPLAG ch. 4 §6)"
        return 2 * (n + 1), "SPLAG ch. 4 §6.6"
    if family == "D":
        if n == 2:
            return 4, "D2 ~ Z^2"
        return 2 * n * (n - 1), "SPLAG ch. 4 §7"
    if family == "D*":
        if n == 2:
            return 4, "D2* ~ Z^2"
        if n == 3:
            return 8, "D3* = BCC (SPLAG ch. 4 §7)"
        if n == 4:
            return 24, "D4* ~ D4 (SPLAG ch. 4 §7)"
        return 2 * n, "SPLAG ch. 4 §7.4"
    if family == "D+" and n == 8:
        return 240, "D8+ = E8 (SPLAG ch. 4; AEVZ02)"
    if family == "D+" and n >= 10:
        # the glue coset D_n + ½·1 has norm n/4 > 2: the minimal vectors are those of D_n
        return 2 * n * (n - 1), "SPLAG ch. 4 §7.3 (minimal vectors of D_n, n >= 10)"
    table = {"A2": 6, "E6": 72, "E7": 126, "E8": 240, "K12": 756, "BW16": 4320,
             "Leech": 196560}
    if family in table:
        return table[family], "SPLAG ch. 4"
    if family == "E6*":
        return 54, "SPLAG ch. 4 §8.3"
    if family == "E7*":
        return 56, "SPLAG ch. 4 §8.2"
    return None


# ------------------------------------------------------------------------- quoted digits
#: The G values of the CS82V closed forms as printed to 10 digits (10 digits after the leading
#: zeros; the closed forms of CS82V must reproduce them to half a unit of the last digit).
QUOTED_NSM = {
    "Z": ("0.0833333333", "CS82V: 1/12"),
    "A2": ("0.0801875374", "CS82V: 5/(36√3)"),
    "A3": ("0.0787450656", "CS82V: A_n closed form at n = 3"),
    "D4": ("0.0766032346", "CS82V: 13/(120√2)"),
    "A3*": ("0.0785432812", "CS82V: 19/(192·2^(1/3))"),
    "D3*": ("0.0785432812", "SPLAG Table 2.3 (D3* = A3*)"),
    "D4*": ("0.0766032346", "SPLAG Table 2.3 (D4* ~ D4)"),
    "D5*": ("0.0756254425", "CS82V: D_n* Irwin-Hall form at n = 5"),
    "E6": ("0.0743467123", "CS82V: (5/56)·3^(-1/6)"),
    "E6*": ("0.0742436970", "CS82V (SPLAG Table 2.3, 7 digits confirmed)"),
    "E7": ("0.0732306336", "CS82V: 163/(2016·2^(1/7))"),
    "E7*": ("0.0731164934", "CS82V (SPLAG Table 2.3, 7 digits confirmed)"),
    "E8": ("0.0716820988", "CS82V: 929/12960"),
}

#: SPLAG ch. 2; Zador 1982: the sphere bound G*_n at n = 8, 24 and the common limit 1/(2πe).
QUOTED_BOUNDS = {
    "sphere8": ("0.0704536", "SPLAG ch. 2: Γ(n/2+1)^(2/n)/((n+2)π), n = 8"),
    "sphere24": ("0.0647498", "SPLAG ch. 2: n = 24"),
    "limit": ("0.0585498315", "SPLAG ch. 2; Zador 1982: 1/(2πe)"),
}

#: High-resolution rate penalty (Gersho 1979; Zamir & Feder 1996): ½·log2(2πe·G) bits per
#: dimension; "≈" entries are given to 3 digits.
QUOTED_RATE_PENALTY = {
    "Z": "0.2546", "A2": "0.2269", "D4": "0.1939", "E8": "0.1460", "BW16": "0.111",
    "Leech": "0.084",
}

#: AEVZ02; SPLAG ch. 4: numbers of Voronoi-relevant vectors.
QUOTED_RELEVANT_COUNTS = {"D4": 24, "E8": 240, "Leech": 196560 + 16773120}


def quoted_uncertainty(text):
    """Half a unit in the last printed digit of a decimal string ('0.0704536' -> 5e-8)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10.0 ** (-decimals)


# ------------------------------------------------------------------------------ A_n*
#: CS82V's J_n for the A_n* cell, as transcribed on ikuro-kotaro.sakura.ne.jp (CS82V-J):
#: G(A_n*) = J_(n+1) / (n (n+1)^(1 - 1/n)), n = 1..6. Secondary source; the claims
#: ``lattices.reference.An_dual_*`` check it against A1* = Z, A2* ~ A2, A3* (BCC) and
#: Monte Carlo for n = 4, 5, 6 before any use.
AN_DUAL_J = {1: Fraction(0), 2: Fraction(1, 12), 3: Fraction(5, 18), 4: Fraction(19, 32),
             5: Fraction(389, 375), 6: Fraction(1045, 648), 7: Fraction(78077, 33614)}


def nsm_an_dual_cs82(n):
    """G(A_n*) = J_(n+1) / (n (n+1)^(1 - 1/n)) from the transcribed CS82V table, n = 1..6.

    Parameters
    ----------
    n : int
        Dimension, 1 <= n <= 6 (the table ends at J_7).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``n`` is not an integer in [1, 6].

    Examples
    --------
    >>> round(nsm_an_dual_cs82(3), 10) == round(19 / (192 * 2 ** (1 / 3)), 10)
    True
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 6:
        raise ValueError(f"n must be an integer in [1, 6] (the J table ends at J_7); got {n!r}")
    return float(AN_DUAL_J[n + 1]) / (n * (n + 1) ** (1.0 - 1.0 / n))


# ------------------------------------------------------------------- best known lattices
_BEST_KNOWN_NSM = {
    "AE9": ReferenceValue(0.0716226, "AA21", False, digits=6),
    "A11^3": ReferenceValue(0.0704263, "AE98", False, digits=6),
    "D6^2+": ReferenceValue(0.070034, "APA24a, glued from D6 × D6", False,
                            digits=5),
    "E6^2+": ReferenceValue(0.0700587, "APA24a, glued from E6 × E6 ("
                            "0.070058650 in the abstract)", False, digits=6),
    "Lambda15*": ReferenceValue(0.0688717, "APA24b (exact value, 6 digits quoted)", False,
                                digits=6),
}


def best_known_nsm_reference(name):
    """Published G of a best known lattice (AA21, AE98, APA24a, APA24b) without a closed form, or
    None."""
    return _BEST_KNOWN_NSM.get(name)


def best_known_determinant_reference(name):
    """Gram determinant of a best known construction (AA21, AE98, APA24a, APA24b), with the reason
    (None if unknown)."""
    if name == "AE9":
        from ._best_known import AE9_LAYER_SPACING
        return 4 * AE9_LAYER_SPACING ** 2, "det D8 = 4 times a² (layer height a; AA21)"
    return {
        "A11^3": (12 / 9, "det A11 = 12 (SPLAG ch. 4 §6) over index 3²"),
        "D6^2+": (1.0, "det(D6 ⊕ D6) = 16 (SPLAG ch. 4 §7) over glue index 4²"),
        "E6^2+": (1.0, "det(E6 ⊕ E6) = 9 (SPLAG ch. 4 §8.3) over glue index 3²"),
        "Lambda15*": (1 / 512, "det Λ15 = 512 at min norm 4 (SPLAG Table 6.1), inverted"),
    }.get(name)


def best_known_kissing_reference(name):
    """Kissing numbers for the best known constructions (AA21, AE98, APA24a, APA24b), where a
    source or a one-line
    argument gives them (None otherwise)."""
    if name == "A11^3":
        # the glue cosets [4], [8] have minimal norm 8/3 > 2, so the minimal vectors are the
        # 11·12 roots of A11
        return 132, "SPLAG ch. 4 §6 (roots of A11; glue norm 8/3 > 2)"
    if name == "E6^2+":
        # the glue ([1], [1]) has minimal norm 4/3 + 4/3 = 8/3 > 2: the roots of E6 ⊕ E6
        return 144, "SPLAG ch. 4 §8.3 (72 roots of E6, twice; glue norm 8/3 > 2)"
    return None
