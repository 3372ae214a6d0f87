"""Entropy rates from cell probabilities, with bias control (docs/rates.md).

* :mod:`.gaussian_cell`: the Gaussian mass of a lattice cell by multiple importance sampling
  (:func:`log_cell_probability_mis`) and the rate with its bias diagnostic (:func:`cell_rate`);
  the fast uniform estimator stays in :mod:`rdptheory.cell_probability`.
* :mod:`.identity`: the universal-quantization identity H(Q(X+U)−U | U) = h(X+U) − log V
  (Zamir & Feder 1992), an independent route to the SD rate.
* :mod:`.qsd_proxy`: QSD-LTC's operational rate H(c | û) against that identity's noisy proxy,
  which it does not equal (arXiv:2503.17558, §3.3): quadrature at n = 1, Monte Carlo beyond.
"""
from .gaussian_cell import CellRate, cell_rate, in_cell, log_cell_probability_mis

__all__ = ["CellRate", "cell_rate", "in_cell", "log_cell_probability_mis"]
from .identity import kozachenko_leonenko_entropy, sd_rate_identity  # noqa: E402

__all__ += ["kozachenko_leonenko_entropy", "sd_rate_identity"]
from .qsd_proxy import QsdProxyGap, qsd_proxy_gap, qsd_proxy_gap_exact_1d  # noqa: E402

__all__ += ["QsdProxyGap", "qsd_proxy_gap", "qsd_proxy_gap_exact_1d"]
