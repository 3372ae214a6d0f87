r"""Perception measures: squared 2-Wasserstein distances, exact and estimated.

Plain functions in the style of :mod:`scipy.special`: closed forms for Gaussians
(:func:`w2_gaussian`, :func:`w2_gaussian_cov`), the exact 1-D distance from quantile functions
(:func:`w2_1d_quantile`, with :func:`quantile_from_cdf` to build a quantile function from a
closed-form CDF), the exact distance between two 1-D empirical measures
(:func:`w2_empirical_1d`), the Monte Carlo sliced distance between samples in
:math:`\mathbb{R}^n` (:func:`sliced_w2`) and the finite-dimension perception bounds of SD-LTC
(:func:`sd_ltc_perception_bounds`).

The measurement of a scheme's output against the Gaussian target (an estimate with power to
detect a broken scheme, an interval of bounds with standard errors, and the KL divergence) is
:func:`measure_perception` (:mod:`.measurement`); the output laws of the dithered schemes that
give its KL are in :mod:`.output_law`, and the exact n = 1 references in :mod:`.exact_1d`.
Modules: :mod:`.gaussian` (closed forms), :mod:`.empirical` (1-D empirical W2 and its bias),
:mod:`.quantile` (1-D W2 by quantile quadrature), :mod:`.sliced`, :mod:`.bounds` (Thm 4.3).

Every function returns the *squared* distance :math:`W_2^2`. Where a dimension enters, the
convention is the package's own (used by every claim): the perception of an
n-dimensional reconstruction is reported *per dimension*, :math:`\tfrac1n W_2^2`, and the
sliced distance (directions uniform on the sphere) equals :math:`\tfrac1n W_2^2` for isotropic
Gaussians.
"""
from ._common import G_SPHERE_LIMIT
from .bounds import sd_ltc_perception_bounds
from .empirical import empirical_w2_bias_gaussian, w2_empirical_1d
from .gaussian import w2_gaussian, w2_gaussian_cov
from .quantile import quantile_from_cdf, w2_1d_quantile
from .sliced import SlicedW2, sliced_w2

__all__ = [
    "w2_gaussian", "w2_gaussian_cov", "w2_empirical_1d", "w2_1d_quantile", "quantile_from_cdf",
    "sliced_w2", "SlicedW2", "sd_ltc_perception_bounds", "empirical_w2_bias_gaussian",
    "G_SPHERE_LIMIT",
]

from .measurement import PerceptionMeasurement, measure_perception  # noqa: E402

__all__ += ["PerceptionMeasurement", "measure_perception"]
