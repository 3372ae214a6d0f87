"""Reference values for lattices, each with its source (one data module, for audit).

Source keys follow ``shared/reference/lattices.md``:

* CS82V -- Conway & Sloane, "Voronoi regions of lattices, second moments of polytopes, and
  quantization", IEEE T-IT 28(2), 1982 (exact NSMs; SPLAG ch. 21).
* SPLAG -- Conway & Sloane, *Sphere Packings, Lattices and Groups*, 3rd ed. (Table 2.3 for NSMs;
  ch. 4 for kissing numbers and determinants of the root lattices and their duals).
* AE98 -- Agrell & Eriksson, IEEE T-IT 44(5), 1998.
* DSV09 -- Dutour Sikirić, Schürmann & Vallentin, Math. Comp. 78, 2009 (quoted in APA24a).
* PAA23 -- Pook-Kolb, Agrell & Allen, "The Voronoi region of the Barnes-Wall lattice Λ16", 2023.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["ReferenceValue", "nsm_reference", "kissing_number_reference",
           "irwin_hall_mean_abs_deviation", "nsm_dn_dual"]


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
    M_n = (2/(n+1)!) sum_{k=0}^{floor(n/2)} (-1)^k C(n,k) (n/2 - k)^(n+1) (lattices.md §1)."""
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
        return None  # lattices.md: no checked closed form for A_n*, n >= 4
    if family == "D":
        if n >= 3:
            return ReferenceValue(2 ** (-2 / n) * (1 / 12 + 1 / (2 * n * (n + 1))), "CS82V", True,
                                  formula="2^(-2/n) (1/12 + 1/(2n(n+1)))")
        return ReferenceValue(1 / 12, "CS82V", True, formula="D2 ~ Z^2")
    if family == "D*":
        return ReferenceValue(nsm_dn_dual(n), "CS82V (Irwin-Hall form, lattices.md §1)", True,
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
    """Kissing number with its source (SPLAG ch. 4 for families; lattices.md §5 for the rest)."""
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
        return 240, "D8+ = E8 (lattices.md §5)"
    if family == "D+" and n >= 10:
        # the glue coset D_n + ½·1 has norm n/4 > 2: the minimal vectors are those of D_n
        return 2 * n * (n - 1), "SPLAG ch. 4 §7.3 (minimal vectors of D_n, n >= 10)"
    table = {"A2": 6, "E6": 72, "E7": 126, "E8": 240, "K12": 756, "BW16": 4320,
             "Leech": 196560}
    if family in table:
        return table[family], "lattices.md §5 (SPLAG)"
    if family == "E6*":
        return 54, "SPLAG ch. 4 §8.3"
    if family == "E7*":
        return 56, "SPLAG ch. 4 §8.2"
    return None
