"""Helpers shared by the perception modules (broadcasting, scalar returns, constants)."""
from __future__ import annotations

import math

import numpy as np

#: 1 / (2 pi e), the normalized second moment of a ball as n -> infinity (lower limit of G).
G_SPHERE_LIMIT = 1.0 / (2.0 * math.pi * math.e)

# The quantile integrand is evaluated for t in [_T_EDGE, 1 - _T_EDGE]; 1 - 2**-53 is the
# largest double below 1, so no t is ever rounded to an endpoint.
_T_EDGE = 2.0 ** -53


def _scalar_or_array(x):
    return x[()] if isinstance(x, np.ndarray) and x.ndim == 0 else x


def _broadcast(names, arrays):
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays))
        raise ValueError(f"{', '.join(names)} must broadcast to a common shape; "
                         f"got shapes {shapes}") from None

