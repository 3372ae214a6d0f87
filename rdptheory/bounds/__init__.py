"""Numerical and closed-form bounds on the information RDP function for general sources.

``rdp_bracket(source, D, P, perception=...)`` returns a certified ``[lower, upper]`` bracket of
R(D,P) for a finite (or discretized) source; ``sources`` builds the sources; the closed forms
(binary/Hamming/TV, Gaussian under KL, Shannon lower bound) are exact references;
``gaussian_rdp_kl_vector`` allocates a vector Gaussian source's budgets under KL perception.
"""
from . import closed_forms, sources
from ._perception import kl_divergence, perception_value, total_variation, w2_squared_1d
from ._blahut_arimoto import BlahutArimotoPoint, blahut_arimoto, rate_distortion_ba
from ._solver import RdpBracket, distortion_matrix, rate_distortion_bracket, rdp_bracket
from .gaussian_kl_vector import VectorRdpKl, gaussian_rdp_kl_vector

__all__ = ["sources", "closed_forms", "blahut_arimoto", "rate_distortion_ba", "BlahutArimotoPoint",
           "rdp_bracket", "rate_distortion_bracket", "RdpBracket", "distortion_matrix",
           "w2_squared_1d", "total_variation", "kl_divergence", "perception_value",
           "gaussian_rdp_kl_vector", "VectorRdpKl"]
