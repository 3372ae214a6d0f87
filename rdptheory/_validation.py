"""Input validation shared by the public functions: every bad value raises a ``ValueError``
that names the parameter, the valid range and, for arrays, the first offending index."""
from __future__ import annotations

import math

import numpy as np

__all__ = ["as_real_array", "as_real_scalar", "real_float_array", "check_unit", "unit_factor",
           "as_generator", "check_integer"]


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


def _refuse(value, name, what="a real number or an array of real numbers"):
    text = " ".join(repr(value).split())
    if len(text) > 60:
        text = text[:57] + "..."
    return ValueError(f"{name} must be {what}; got {text}")


def _is_real_scalar(v):
    if isinstance(v, (bool, np.bool_, np.datetime64, np.timedelta64)):
        return False
    if isinstance(v, np.ndarray):  # an element that is itself an array (nested lists)
        return v.dtype.kind in "iuf"
    return isinstance(v, (int, float, np.integer, np.floating))


def real_float_array(value, name):
    """``value`` as a float64 array, refusing everything that is not a real number: strings
    (also inside lists), bools, complex numbers (their imaginary part would be dropped),
    datetimes, masked arrays (the mask would be dropped), None and other objects. Integers too
    large for a float (10**400) raise a ValueError saying so instead of an OverflowError."""
    if isinstance(value, np.ma.MaskedArray):
        raise _refuse(value, name, "a plain (not masked) real number or array")
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise _refuse(value, name)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise _refuse(value, name) from None
    kind = raw.dtype.kind
    if isinstance(value, (list, tuple)) and kind != "O":
        # numpy turns [True, 0.5] into [1.0, 0.5]: look at the elements themselves
        try:
            raw_obj = np.asarray(value, dtype=object)
        except (TypeError, ValueError):  # ragged nesting: refused below by the float cast
            raw_obj = None
        if raw_obj is not None and not all(_is_real_scalar(v) for v in raw_obj.flat):
            raise _refuse(value, name)
    if kind == "O":
        if not all(_is_real_scalar(v) for v in raw.flat):
            raise _refuse(value, name)
    elif kind not in "iuf":
        raise _refuse(value, name)
    try:
        with np.errstate(over="raise"):
            return raw.astype(np.float64)
    except (OverflowError, FloatingPointError):
        raise ValueError(f"{name} must be finite (within the float64 range, |x| < 1.8e308); "
                         f"got a number too large for a float") from None


def as_real_scalar(value, name, **kw):
    """Like :func:`as_real_array` for a parameter that must be a single number; returns float."""
    arr = as_real_array(value, name, **kw)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, not an array of shape {arr.shape}")
    return float(arr.reshape(()))


def as_real_array(value, name, *, lower=0.0, upper=math.inf, lower_open=False,
                  upper_open=False, allow_inf=False):
    """Return ``value`` as a float64 array after checking it lies in the stated range.

    Raises ``ValueError`` naming ``name`` and the valid range for NaN, infinite (unless
    ``allow_inf``), non-numeric or out-of-range entries.
    """
    arr = real_float_array(value, name)
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
    arr = np.array(real_float_array(B, name), dtype=np.float64)
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
    if not (1e-150 < s[-1] and s[0] < 1e150):
        raise ValueError(f"{name} must have singular values within 1e-150..1e150 (its Gram "
                         f"matrix must be representable in float64); got {s[-1]:.3g}..{s[0]:.3g}"
                         "; rescale the basis")
    if s[-1] <= s[0] * 1e-12 * max(n, m):
        raise ValueError(f"{name} is singular (rank-deficient): smallest singular value "
                         f"{s[-1]:.3g} vs largest {s[0]:.3g}; the rows must be linearly "
                         f"independent")
    return arr
