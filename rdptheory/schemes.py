"""Encoders and decoders of the dithered LTC schemes (Lei, Hassani & Saeedi Bidokhti 2025).

* SD (shared dither, unlimited common randomness): c = Q(g_a(x) − u), x̂ = g_s(c + u),
  u ~ Unif(V0(Λ)) known to both sides.
* PD (private dither, no common randomness): ŷ = Q(g_a(x)), x̂ = g_s(ŷ + s·u), u known to the
  decoder only, s > 0 (the theory needs s >= 1).
* QSD (quantized shared dither, R_c = log2 Γ bits per dimension): nested Λ = Γ·Λ_f,
  û a uniformly chosen coset representative of Λ_f/Λ (shared), u_f ~ Unif(V0(Λ_f)) private;
  c = Q_Λ(g_a(x) − û), x̂ = g_s(c + û + s·u_f). Γ = 1 is PD.

``analysis``/``synthesis`` are callables on arrays of shape (N, n) (default identity);
:func:`linear` builds the gains g_a(v) = α v, g_s(v) = β v of Thms 4.3 and 4.5. Source: Lei,
Hassani & Saeedi Bidokhti, NeurIPS 2025.
"""
from __future__ import annotations

import math

import numpy as np

from ._validation import as_real_array, as_real_scalar

__all__ = ["linear", "sd_encode", "sd_decode", "pd_encode", "pd_decode", "qsd_encode",
           "qsd_decode"]


class linear:  # noqa: N801 - a small callable, named like the function it stands for
    """The transform v -> gain · v (picklable).

    >>> linear(0.5)([[2.0, 4.0]]).tolist()
    [[1.0, 2.0]]
    """

    def __init__(self, gain):
        g = as_real_scalar(gain, "gain", lower=-math.inf)
        self.gain = g

    def __call__(self, v):
        return self.gain * np.asarray(v, dtype=np.float64)

    def __repr__(self):
        return f"linear({self.gain:g})"


def _apply(fn, v):
    return v if fn is None else np.asarray(fn(v), dtype=np.float64)


def _finite(v, name):
    """A real, finite float64 array (NaN, inf, complex, strings refused, naming ``name``)."""
    return as_real_array(v, name, lower=-math.inf)


def _lattice(lattice):
    from .lattices import as_lattice  # a Lattice or a registry name such as "E8"
    return as_lattice(lattice)


def _points(lattice, x, name):
    try:
        return lattice._check_points(x)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def _same_shape(a, b, name_a, name_b):
    if a.shape != b.shape:
        raise ValueError(f"{name_b} must have the shape of {name_a} {a.shape}; got {b.shape}")


def _scale(s):
    return as_real_scalar(s, "s", lower=0.0, lower_open=True)


def sd_encode(x, lattice, dither, analysis=None):
    """SD-LTC encoder: c = Q_Λ(g_a(x) − u) with the shared dither u."""
    lattice = _lattice(lattice)
    y = _points(lattice, _apply(analysis, _finite(x, "x")), "x")
    u = _points(lattice, dither, "dither")
    _same_shape(y, u, "x", "dither")
    return lattice.nearest_point(y - u)


def sd_decode(codeword, dither, synthesis=None):
    """SD-LTC decoder: x̂ = g_s(c + u)."""
    c = _finite(codeword, "codeword")
    u = _finite(dither, "dither")
    _same_shape(c, u, "codeword", "dither")
    return _apply(synthesis, c + u)


def pd_encode(x, lattice, analysis=None):
    """PD-LTC encoder: ŷ = Q_Λ(g_a(x))."""
    lattice = _lattice(lattice)
    return lattice.nearest_point(_points(lattice, _apply(analysis, _finite(x, "x")), "x"))


def pd_decode(codeword, private_dither, s, synthesis=None):
    """PD-LTC decoder: x̂ = g_s(ŷ + s·u) with the decoder's private dither u and scale s > 0."""
    c = _finite(codeword, "codeword")
    u = _finite(private_dither, "private_dither")
    _same_shape(c, u, "codeword", "private_dither")
    return _apply(synthesis, c + _scale(s) * u)


def qsd_encode(x, nested_lattice, shared_representative, analysis=None):
    """QSD-LTC encoder: c = Q_Λ(g_a(x) − û) on the coarse lattice Λ of ``nested_lattice``."""
    coarse = nested_lattice.coarse
    y = _points(coarse, _apply(analysis, _finite(x, "x")), "x")
    r = _points(coarse, shared_representative, "shared_representative")
    _same_shape(y, r, "x", "shared_representative")
    return coarse.nearest_point(y - r)


def qsd_decode(codeword, shared_representative, private_fine_dither, s, synthesis=None):
    """QSD-LTC decoder: x̂ = g_s(c + û + s·u_f)."""
    c = _finite(codeword, "codeword")
    r = _finite(shared_representative, "shared_representative")
    u = _finite(private_fine_dither, "private_fine_dither")
    _same_shape(c, r, "codeword", "shared_representative")
    _same_shape(c, u, "codeword", "private_fine_dither")
    return _apply(synthesis, c + r + _scale(s) * u)
