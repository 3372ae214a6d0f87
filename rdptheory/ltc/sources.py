"""I.i.d. memoryless sources for LTC experiments and their rate-distortion references.

* ``'gaussian'``: N(0, σ²), R(D) = ½log₂⁺(σ²/D) (:func:`rdptheory.gaussian.rate_distortion`).
* ``'laplace'``: Laplace with variance σ² (b = σ/√2), differential entropy
  h = log₂(2e·b) bits; its MSE rate-distortion function is bounded below by the Shannon lower
  bound R_SLB(D) = h(X) − ½log₂(2πeD) (Shannon 1959; Berger 1971), which is
  the reference reported for it (the gap to the true R(D) is at most the gap to the SLB).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._parallel import as_generator
from .._validation import as_real_array, check_integer

__all__ = ["Source", "get_source", "SOURCES"]

SOURCES = ("gaussian", "laplace")


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
        return g.laplace(0.0, sd / math.sqrt(2.0), size=(size, n))

    def information_bits(self, x):
        """−log₂ p(x) averaged over each block (rows of ``x``): a control variate with known
        mean :attr:`entropy_bits`."""
        x = np.asarray(x, dtype=np.float64)
        if self.name == "gaussian":
            v = 0.5 * math.log2(2 * math.pi * self.sigma2) + (x * x).mean(axis=1) / (
                2 * self.sigma2 * math.log(2.0))
        else:
            b = math.sqrt(self.sigma2 / 2.0)
            v = math.log2(2 * b) + np.abs(x).mean(axis=1) / (b * math.log(2.0))
        return v

    @property
    def entropy_bits(self):
        """Differential entropy h(X) in bits per sample."""
        if self.name == "gaussian":
            return 0.5 * math.log2(2 * math.pi * math.e * self.sigma2)
        return math.log2(2 * math.e * math.sqrt(self.sigma2 / 2.0))

    @property
    def reference_name(self):
        return "R(D)" if self.name == "gaussian" else "Shannon lower bound"

    def reference_rate(self, D):
        """R(D) (Gaussian) or the Shannon lower bound h(X) − ½log₂(2πeD) (Laplace), bits."""
        if self.name == "gaussian":
            from ..gaussian import rate_distortion
            return rate_distortion(D, self.sigma2)
        D = as_real_array(D, "D", lower=0.0, lower_open=True)
        return np.maximum(self.entropy_bits - 0.5 * np.log2(2 * math.pi * math.e * D), 0.0)


def get_source(name, sigma2=1.0):
    """A :class:`Source` by name ('gaussian' or 'laplace'), variance ``sigma2`` > 0."""
    if isinstance(name, Source):
        return name
    if not isinstance(name, str) or name not in SOURCES:  # arrays: no ambiguous truth value
        if not isinstance(name, str):
            raise ValueError(f"source must be one of {SOURCES} or a Source (training draws "
                             f"its own data); got {type(name).__name__}")
        raise ValueError(f"source must be one of {SOURCES}; got {name!r}")
    sigma2 = float(as_real_array(sigma2, "sigma2", lower=0.0, lower_open=True))
    return Source(name, sigma2)
