"""Gaussian rate-distortion-perception bounds in closed form (Zhang, Qian, Chen & Khisti 2021; Lei
et al., NeurIPS 2025, Prop. 4.1).

Plain functions that broadcast like numpy ufuncs; rates in bits unless ``unit='nats'``.
"""
from ._scalar import (RdpReconstruction, common_randomness_gap, distortion_rate,
                      distortion_rate_no_common_randomness, distortion_rate_perception,
                      distortion_rate_perfect_realism, rate_distortion, rate_no_common_randomness,
                      rdp, rdp_perfect_realism, rdp_reconstruction)
from ._common_randomness import (distortion_limited_common_randomness,
                                 rate_limited_common_randomness)
from ._ltc_parameters import (PdLtcParameters, QsdLtcParameters, SdLtcParameters, pd_ltc_parameters,
                              qsd_ltc_parameters, sd_ltc_parameters)
from ._vector import (VectorRateDistortion, VectorRdp, component_variances, rate_distortion_vector,
                      rdp_vector, rdp_vector_perfect_realism)

__all__ = [
    "rate_distortion", "distortion_rate", "rdp", "rdp_reconstruction", "RdpReconstruction",
    "distortion_rate_perception", "rdp_perfect_realism", "rate_no_common_randomness",
    "common_randomness_gap", "distortion_rate_perfect_realism",
    "distortion_rate_no_common_randomness", "distortion_limited_common_randomness",
    "rate_limited_common_randomness", "sd_ltc_parameters", "pd_ltc_parameters",
    "qsd_ltc_parameters", "SdLtcParameters", "PdLtcParameters", "QsdLtcParameters", "rate_distortion_vector", "rdp_vector",
    "rdp_vector_perfect_realism", "VectorRateDistortion", "VectorRdp", "component_variances",
]
