"""Input validation shared by the public functions: every bad value raises a ``ValueError``
that names the parameter, the valid range and, for arrays, the first offending index."""
from __future__ import annotations

import math

import numpy as np

__all__ = ["as_real_array", "check_unit", "unit_factor", "as_generator", "check_integer"]


def _where(arr, mask):
    if arr.ndim == 0:
        return ""
    idx = tuple(int(i) for i in np.argwhere(mask)[0])
    return f" at index {idx[0] if len(idx) == 1 else idx}"


def _range_text(lower, upper, lower_open, upper_open, allow_inf=False):
    lo = "(" if lower_open else "["
    hi = ")" if (upper_open or (upper == math.inf and not allow_inf)) else "]"
    up = "inf" if upper == math.inf else f"{upper:g}"
    return f"{lo}{lower:g}, {up}{hi}"


def as_real_array(value, name, *, lower=0.0, upper=math.inf, lower_open=False,
                  upper_open=False, allow_inf=False):
    """Return ``value`` as a float64 array after checking it lies in the stated range.

    Raises ``ValueError`` naming ``name`` and the valid range for NaN, infinite (unless
    ``allow_inf``), non-numeric or out-of-range entries.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number or an array of real numbers; "
                         f"got {value!r}") from None
    rng_text = _range_text(lower, upper, lower_open, upper_open, allow_inf)
    bad = np.isnan(arr)
    if bad.any():
        raise ValueError(f"{name} must be a number in {rng_text}; got NaN{_where(arr, bad)}")
    if not allow_inf:
        bad = np.isinf(arr)
        if bad.any():
            raise ValueError(f"{name} must be finite, in {rng_text}; got "
                             f"{float(arr[bad].flat[0])!r}{_where(arr, bad)}")
    bad = (arr <= lower) if lower_open else (arr < lower)
    bad |= (arr >= upper) if upper_open else (arr > upper)
    if bad.any():
        raise ValueError(f"{name} must be in {rng_text}; got {float(arr[bad].flat[0])!r}"
                         f"{_where(arr, bad)}")
    return arr


_UNITS = {"bits": 1.0 / math.log(2.0), "nats": 1.0}


def check_unit(unit):
    if unit not in _UNITS:
        raise ValueError(f"unit must be 'bits' or 'nats'; got {unit!r}")
    return unit


def unit_factor(unit):
    """Multiply a rate in nats by this to express it in ``unit``."""
    return _UNITS[check_unit(unit)]


def check_integer(value, name, *, lower=None, upper=None):
    """Return ``value`` as a Python int, refusing non-integers (1.5, '3', NaN) and
    values outside [lower, upper]."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer; got {value!r}")
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value) or value != math.floor(value):
            raise ValueError(f"{name} must be an integer; got {value!r}")
        value = int(value)
    if not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer; got {value!r}")
    value = int(value)
    if lower is not None and value < lower:
        raise ValueError(f"{name} must be an integer >= {lower}; got {value}")
    if upper is not None and value > upper:
        raise ValueError(f"{name} must be an integer <= {upper}; got {value}")
    return value


def as_generator(B, name="generator"):
    """Check a generator matrix (basis vectors as rows) and return it as float64.

    Refuses non-2-D input, NaN/inf entries, more rows than columns and rank deficiency.
    """
    try:
        arr = np.array(B, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2-D array of real numbers") from None
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (basis vectors as rows); "
                         f"got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must have finite entries")
    n, m = arr.shape
    if n > m:
        raise ValueError(f"{name} has {n} rows in R^{m}: a lattice basis needs at most as "
                         f"many rows as columns")
    s = np.linalg.svd(arr, compute_uv=False)
    if s[-1] <= s[0] * 1e-12 * max(n, m):
        raise ValueError(f"{name} is singular (rank-deficient): smallest singular value "
                         f"{s[-1]:.3g} vs largest {s[0]:.3g}; the rows must be linearly "
                         f"independent")
    return arr
