"""The claims registry: every checked statement of the papers and references, in one place.

A claim has an id, a one-line statement, its source and a check function returning a
:class:`ClaimResult`. ``rdptheory verify`` and the test suite (``tests/test_claims.py``) both run
the claims of this registry, so a claim cannot pass in one and fail in the other.
"""
from __future__ import annotations

import math
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

from rdptheory._registry import Registry, check_cost

__all__ = ["ClaimResult", "Claim", "CheckContext", "ClaimOutcome", "claim", "all_claims",
           "get_claim", "select_claims", "run_claim", "CLAIM_MODULES", "EVIDENCE_KINDS",
           "EVIDENCE_KIND_MEANINGS"]

#: What kind of evidence a claim is (shown in the report and the claims table, docs/claims.md), with
#: its one-line meaning. A Monte Carlo check is ``statistical`` whatever its reference (printed
#: or computed); the other kinds are exact or deterministic comparisons.
EVIDENCE_KIND_MEANINGS = {
    "independent": "a different method reaches the same number",
    "precision": "the same formula at higher precision (float accuracy, not correctness)",
    "property": "a structural property searched over many inputs (hypothesis or exhaustive)",
    "statistical": "Monte Carlo against a reference within standard errors",
    "literature": "against a printed value, its printed precision taken as an interval",
    "consistency": "two code paths of this package agree",
}
EVIDENCE_KINDS = tuple(EVIDENCE_KIND_MEANINGS)

#: Modules that register claims when imported (later issues append theirs).
CLAIM_MODULES = (
    "proofs_checks.gaussian_closed_form",
    "proofs_checks.gaussian_properties",
    "proofs_checks.gaussian_symbolic",
    "proofs_checks.gaussian_vector",
    "proofs_checks.lattice_claims",
    "proofs_checks.nsm_claims",
    "proofs_checks.dither_claims",
    "proofs_checks.ltc_gaussian_claims",
    "proofs_checks.nested_claims",
    "proofs_checks.perception_claims",
    "proofs_checks.lattice_reference_claims",
    "proofs_checks.ltc_training_claims",
    "proofs_checks.exact_nsm_claims",
    "proofs_checks.leech_nsm_claims",
    "proofs_checks.baseline_claims",
    "proofs_checks.robustness_claims",
    "proofs_checks.bounds_claims",
    "proofs_checks.perception_measurement_claims",
    "proofs_checks.rate_claims",
    "proofs_checks.rate_penalty_claims",
    "proofs_checks.bounds_laplace_claims",
    "proofs_checks.common_randomness_claims",
    "proofs_checks.bounds_kl_vector_claims",
    "proofs_checks.bounds_kl_lift_claims",
    "proofs_checks.banana_claims",
)

_COMPARISONS = {
    "abs": "|value - reference| <= tolerance",
    "le": "value <= reference + tolerance",
    "ge": "value >= reference - tolerance",
    "gt": "value > reference",
}


@dataclass(frozen=True)
class ClaimResult:
    """What a check measured. The verdict is derived, never set by hand.

    ``comparison`` is ``'abs'`` (``|value - reference| <= tolerance``), ``'le'``
    (``value <= reference + tolerance``), ``'ge'`` (``value >= reference - tolerance``) or
    ``'gt'`` (``value > reference``, strict).
    """

    value: float
    reference: float
    tolerance: float
    comparison: str = "abs"
    details: str = ""
    passed: bool = field(init=False)

    def __post_init__(self):
        if self.comparison not in _COMPARISONS:
            raise ValueError(f"comparison must be one of {sorted(_COMPARISONS)}; "
                             f"got {self.comparison!r}")
        v, r, t = float(self.value), float(self.reference), float(self.tolerance)
        if math.isnan(v) or math.isnan(r) or math.isnan(t) or t < 0:
            ok = False
        elif self.comparison == "abs":
            ok = (v == r) or abs(v - r) <= t
        elif self.comparison == "le":
            ok = v <= r + t
        elif self.comparison == "gt":
            ok = v > r
        else:
            ok = v >= r - t
        object.__setattr__(self, "passed", bool(ok))

    @property
    def verdict(self):
        return "PASS" if self.passed else "FAIL"

    @property
    def rule(self):
        return _COMPARISONS[self.comparison]


@dataclass(frozen=True)
class CheckContext:
    """Options handed to every check: ``full`` for the expensive variant, a base ``seed``."""

    full: bool = False
    seed: int = 20251122


@dataclass(frozen=True)
class Claim:
    id: str
    statement: str
    source: str
    check: Callable[[CheckContext], ClaimResult]
    cost: str = "quick"  # 'quick' runs by default; 'full' only with --full / pytest -m slow
    kind: str | None = None  # one of EVIDENCE_KINDS (None: not yet classified)

    def run(self, context: CheckContext | None = None) -> "ClaimOutcome":
        return run_claim(self, context)


@dataclass(frozen=True)
class ClaimOutcome:
    claim: Claim
    result: ClaimResult | None
    wall_time: float
    error: str | None = None

    @property
    def verdict(self):
        return "ERROR" if self.result is None else self.result.verdict

    @property
    def passed(self):
        return self.result is not None and self.result.passed

    def as_dict(self):
        r = self.result
        return {
            "id": self.claim.id, "statement": self.claim.statement, "source": self.claim.source,
            "cost": self.claim.cost, "kind": self.claim.kind, "verdict": self.verdict,
            "value": None if r is None else _json_number(r.value),
            "reference": None if r is None else _json_number(r.reference),
            "tolerance": None if r is None else _json_number(r.tolerance),
            "rule": None if r is None else r.rule,
            "details": self.error if r is None else r.details,
            "wall_time_s": round(self.wall_time, 4),
        }


def _json_number(x):
    """``x`` as a JSON number; non-finite values (nan, ±inf) become ``null`` (strict JSON has no
    such numbers; the reports document ``null`` as "not a finite number")."""
    x = float(x)
    return x if math.isfinite(x) else None


_REGISTRY = Registry("claim id", lambda: CLAIM_MODULES, "see `rdptheory verify --list`")


def claim(id, statement, source, *, cost="quick", kind=None):
    """Decorator registering ``fn(context) -> ClaimResult`` as a claim of evidence ``kind``
    (one of :data:`EVIDENCE_KINDS`)."""
    check_cost(cost)
    if kind is not None and kind not in EVIDENCE_KINDS:
        raise ValueError(f"kind must be one of {EVIDENCE_KINDS}; got {kind!r}")

    def register(fn):
        _REGISTRY.register(id, Claim(id=id, statement=statement, source=source, check=fn,
                                     cost=cost, kind=kind))
        return fn

    return register


def all_claims():
    """Every registered claim, in id order."""
    return _REGISTRY.entries(sort=True)


def get_claim(id):
    return _REGISTRY.lookup(id)


def select_claims(*, full=False, only=None):
    """Claims to run: quick ones (and the expensive ones if ``full``), filtered by ``only``,
    a glob pattern or substring of the claim id. Returns (selected, skipped)."""
    return _REGISTRY.select([(c.id, c) for c in all_claims()], full=full, only=only)


def run_claim(c: Claim, context: CheckContext | None = None) -> ClaimOutcome:
    """Run one claim, timing it; an exception becomes an ERROR outcome with its traceback."""
    context = context or CheckContext()
    t0 = time.perf_counter()
    try:
        result = c.check(context)
        if not isinstance(result, ClaimResult):
            raise TypeError(f"check of {c.id} returned {type(result).__name__}, "
                            "not ClaimResult")
        return ClaimOutcome(c, result, time.perf_counter() - t0)
    except Exception:  # noqa: BLE001 - reported, never swallowed silently
        return ClaimOutcome(c, None, time.perf_counter() - t0, traceback.format_exc(limit=6))
