"""Mergeable sample statistics (Welford / Chan et al.), so that Monte Carlo chunks computed
anywhere (threads, processes, a Dask cluster) combine exactly into one estimate."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Moments", "normal_quantile"]


@dataclass(frozen=True)
class Moments:
    """Count, mean and centred sum of squares ``m2`` of a sample of scalars or arrays
    (element-wise).

    Merging uses the pairwise update of Chan, Golub & LeVeque (1979):
    ``mean = mean_a + (mean_b - mean_a) n_b / n``,
    ``m2 = m2_a + m2_b + (mean_b - mean_a)^2 n_a n_b / n``, which is exact in real arithmetic
    and numerically stable, so the order of merging changes results only at the level of
    rounding (and not at all when the order is fixed, as the engines here do).

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.stats import Moments
    >>> x = np.arange(10.0)
    >>> m = Moments.from_samples(x[:3]).merge(Moments.from_samples(x[3:]))
    >>> float(m.mean), float(m.variance) == float(np.var(x, ddof=1))
    (4.5, True)
    """

    count: int
    mean: np.ndarray
    m2: np.ndarray

    @classmethod
    def from_samples(cls, samples, axis=0):
        x = np.asarray(samples, dtype=np.float64)
        n = x.shape[axis]
        if n == 0:
            shape = x.shape[:axis] + x.shape[axis + 1:]
            return cls(0, np.zeros(shape), np.zeros(shape))
        mean = x.mean(axis=axis)
        m2 = ((x - np.expand_dims(mean, axis)) ** 2).sum(axis=axis)
        return cls(int(n), mean, m2)

    def merge(self, other: "Moments") -> "Moments":
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        n = self.count + other.count
        delta = other.mean - self.mean
        mean = self.mean + delta * (other.count / n)
        m2 = self.m2 + other.m2 + delta * delta * (self.count * other.count / n)
        return Moments(n, mean, m2)

    @property
    def variance(self):
        """Unbiased sample variance (ddof = 1)."""
        return self.m2 / (self.count - 1) if self.count > 1 else np.full_like(self.m2, np.nan)

    @property
    def stderr(self):
        """Standard error of the mean, sqrt(variance / count)."""
        return np.sqrt(self.variance / self.count)


def normal_quantile(p):
    """Quantile of the standard normal (scipy.special.ndtri)."""
    from scipy.special import ndtri
    return float(ndtri(p))
