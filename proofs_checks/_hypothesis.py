"""Run a hypothesis property as a claim: the worst violation found and a shrunk counterexample."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .registry import ClaimResult


def property_claim(violation, strategies, *, examples, tolerance, what):
    """Search with hypothesis for inputs where ``violation(*args)`` exceeds ``tolerance``.

    ``violation`` returns how much the property is violated (<= 0 when it holds). The search is
    derandomized (reproducible) and, on failure, hypothesis shrinks the counterexample, which is
    reported in the details.
    """
    worst = {"value": 0.0, "args": None, "count": 0}

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(st.tuples(*strategies))
    def search(args):
        v = float(violation(*args))
        worst["count"] += 1
        if v > worst["value"] or worst["args"] is None:
            worst["value"], worst["args"] = max(v, worst["value"]), args
        assert v <= tolerance, f"{what} violated by {v:.3g} at {args}"

    failure = None
    try:
        search()
    except AssertionError as exc:
        failure = str(exc).splitlines()[0]
    details = (f"{worst['count']} hypothesis examples (derandomized); worst violation "
               f"{worst['value']:.3g}")
    if failure:
        details += f"; counterexample (shrunk): {failure}"
    return ClaimResult(value=worst["value"], reference=0.0, tolerance=tolerance, comparison="le",
                       details=details)
