"""I.i.d. memoryless sources for LTC experiments and their rate-distortion references.

* ``'gaussian'``: N(0, σ²), R(D) = ½log₂⁺(σ²/D) (:func:`rdptheory.gaussian.rate_distortion`).
* ``'laplace'``: Laplace with variance σ² (b = σ/√2), differential entropy
  h = log₂(2e·b) bits; its MSE rate-distortion function is bounded below by the Shannon lower
  bound R_SLB(D) = h(X) − ½log₂(2πeD) (Shannon 1959; Berger 1971), which is
  the reference reported for it (the gap to the true R(D) is at most the gap to the SLB).
* ``'banana'``: the 2-D "banana" of Ballé et al., Nonlinear Transform Coding, IEEE JSTSP 15(2)
  (2021), its toy-source notebook in tensorflow-compression: Z ~ N(0, diag(3², 0.5²)),
  V = (Z₀, Z₁ − 0.1 Z₀²), W = R(240°)ᵀ V − (1, 1), coordinates swapped as in the LTC authors'
  code, then centred and scaled to per-coordinate variance σ² on average (the authors divide by
  the pooled standard deviation of their samples; we use the exact moments). Blocks of n = 2k
  samples hold k i.i.d. bananas. Every map is volume-preserving up to the final scaling, so
  the density and h(X) are exact: h = ½log₂((2πe)²·3²·0.5²) − 2 log₂ c per banana, c the
  scale. The reference is the Shannon lower bound h(X)/2 − ½log₂(2πeD) per sample.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._parallel import as_generator
from .._validation import as_real_array, check_integer

__all__ = ["Source", "get_source", "SOURCES"]

SOURCES = ("gaussian", "laplace", "banana")

#: banana: rotation by 240°, base scales (3, 0.5), shear 0.1, shift (1, 1)
_BANANA_ROT = np.array([[math.cos(4 * math.pi / 3), -math.sin(4 * math.pi / 3)],
                        [math.sin(4 * math.pi / 3), math.cos(4 * math.pi / 3)]])
_BANANA_SCALES = (3.0, 0.5)
_BANANA_SHEAR = 0.1
# E V = (0, −0.1·9); Var V₀ = 9, Var V₁ = 0.25 + 0.01·2·81 = 1.87, Cov = −0.1·E Z₀³ = 0
_BANANA_MEAN_RAW = (_BANANA_ROT.T @ np.array([0.0, -_BANANA_SHEAR * 9.0]) - 1.0)[::-1]
_BANANA_VAR_PER_COORD = (9.0 + 0.25 + 0.01 * 2 * 81.0) / 2.0


def _banana_scale(sigma2):
    """c with x = (x_raw − mean)/c of per-coordinate variance sigma2 on average."""
    return math.sqrt(_BANANA_VAR_PER_COORD / sigma2)


@dataclass(frozen=True)
class Source:
    """An i.i.d. source: ``name`` and per-sample variance ``sigma2``.

    Examples
    --------
    >>> from rdptheory.ltc.sources import get_source
    >>> s = get_source("laplace")
    >>> s.sample(3, 2, rng=0).shape, round(s.entropy_bits, 6)
    ((3, 2), 1.942695)
    >>> round(float(get_source("gaussian").reference_rate(0.25)), 12), s.reference_name
    (1.0, 'Shannon lower bound')
    """

    name: str
    sigma2: float = 1.0

    def __post_init__(self):
        if not isinstance(self.name, str) or self.name not in SOURCES:
            raise ValueError(f"source name must be one of {SOURCES}; got {self.name!r}")
        object.__setattr__(self, "sigma2", float(as_real_array(
            self.sigma2, "sigma2", lower=0.0, lower_open=True)))

    def sample(self, size, n, rng=None):
        """``size`` blocks of ``n`` i.i.d. samples, shape (size, n)."""
        size = check_integer(size, "size", lower=0)
        n = check_integer(n, "n", lower=1)
        g = as_generator(rng)
        sd = math.sqrt(self.sigma2)
        if self.name == "gaussian":
            return sd * g.standard_normal((size, n))
        if self.name == "banana":
            if n % 2:
                raise ValueError(f"n must be even for the 2-D banana source; got {n}")
            z = g.standard_normal((size * n // 2, 2)) * np.array(_BANANA_SCALES)
            v = np.stack([z[:, 0], z[:, 1] - _BANANA_SHEAR * z[:, 0] ** 2], axis=1)
            raw = (v @ _BANANA_ROT - 1.0)[:, ::-1]          # R^T v − (1, 1), swapped
            return ((raw - _BANANA_MEAN_RAW) / _banana_scale(self.sigma2)).reshape(size, n)
        return g.laplace(0.0, sd / math.sqrt(2.0), size=(size, n))

    def information_bits(self, x):
        """−log₂ p(x) averaged over each block (rows of ``x``): a control variate with known
        mean :attr:`entropy_bits`."""
        x = np.asarray(x, dtype=np.float64)
        if self.name == "gaussian":
            v = 0.5 * math.log2(2 * math.pi * self.sigma2) + (x * x).mean(axis=1) / (
                2 * self.sigma2 * math.log(2.0))
        elif self.name == "banana":
            if x.ndim != 2 or x.shape[1] % 2:
                raise ValueError(f"x must have shape (size, even n); got {x.shape}")
            c = _banana_scale(self.sigma2)
            raw = (x.reshape(-1, 2) * c + _BANANA_MEAN_RAW)[:, ::-1]
            vv = (raw + 1.0) @ _BANANA_ROT.T                  # R (w + (1, 1))
            z0, z1 = vv[:, 0], vv[:, 1] + _BANANA_SHEAR * vv[:, 0] ** 2
            s0, s1 = _BANANA_SCALES
            nats = (math.log(2 * math.pi * s0 * s1) + 0.5 * (z0 / s0) ** 2 + 0.5 * (z1 / s1) ** 2
                    - 2.0 * math.log(c))
            v = nats.reshape(x.shape[0], -1).sum(axis=1) / (x.shape[1] * math.log(2.0))
        else:
            b = math.sqrt(self.sigma2 / 2.0)
            v = math.log2(2 * b) + np.abs(x).mean(axis=1) / (b * math.log(2.0))
        return v

    @property
    def entropy_bits(self):
        """Differential entropy h(X) in bits per sample."""
        if self.name == "gaussian":
            return 0.5 * math.log2(2 * math.pi * math.e * self.sigma2)
        if self.name == "banana":
            s0, s1 = _BANANA_SCALES
            return 0.5 * (math.log2(2 * math.pi * math.e * s0 * s1)
                          - 2.0 * math.log2(_banana_scale(self.sigma2)))
        return math.log2(2 * math.e * math.sqrt(self.sigma2 / 2.0))

    @property
    def reference_name(self):
        return "R(D)" if self.name == "gaussian" else "Shannon lower bound"

    def reference_rate(self, D):
        """R(D) (Gaussian) or the Shannon lower bound h(X) − ½log₂(2πeD) (Laplace, banana),
        bits per sample."""
        if self.name == "gaussian":
            from ..gaussian import rate_distortion
            return rate_distortion(D, self.sigma2)
        D = as_real_array(D, "D", lower=0.0, lower_open=True)
        return np.maximum(self.entropy_bits - 0.5 * np.log2(2 * math.pi * math.e * D), 0.0)


def get_source(name, sigma2=1.0):
    """A :class:`Source` by name ('gaussian', 'laplace' or 'banana'), variance ``sigma2`` > 0."""
    if isinstance(name, Source):
        return name
    if not isinstance(name, str) or name not in SOURCES:  # arrays: no ambiguous truth value
        if not isinstance(name, str):
            raise ValueError(f"source must be one of {SOURCES} or a Source (training draws "
                             f"its own data); got {type(name).__name__}")
        raise ValueError(f"source must be one of {SOURCES}; got {name!r}")
    sigma2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True))
    return Source(name, sigma2)
