"""A lightweight numpy lattice transform coder (LTC; NTC when the lattice is Zⁿ).

One concept per module, in the CompressAI spirit: :mod:`~rdptheory.ltc.transforms` (linear
maps and MLPs with hand-written reverse mode), :mod:`~rdptheory.ltc.quantizer` (a lattice
quantizer with 'hard', straight-through and additive-noise modes),
:mod:`~rdptheory.ltc.entropy_models` (latent densities integrated over lattice cells by Monte
Carlo), :mod:`~rdptheory.ltc.model` (the coder and its loss rate + λ·D),
:mod:`~rdptheory.ltc.train` (Adam, one seed) and :mod:`~rdptheory.ltc.evaluate` (held-out
rate, distortion and gap to R(D)). Around them: :mod:`~rdptheory.ltc.sources` (i.i.d. Gaussian
and Laplace), :mod:`~rdptheory.ltc.ecsq` (exact scalar quantization, the n = 1 reference),
:mod:`~rdptheory.ltc.regions` (learned 2-D cells, measured), :mod:`~rdptheory.ltc.experiments`
(named, cached train + evaluate runs shared by claims, figures and CLI) and
:mod:`~rdptheory.ltc.dithered` (SD/PD/QSD-LTC with a perception penalty). Source: Lei, Hassani
& Saeedi Bidokhti, ICLR 2025 (arXiv 2403.07320) and NeurIPS 2025 (arXiv 2503.17558).
"""
from .entropy_models import FactorizedMixture, GaussianDensity
from .evaluate import Evaluation, evaluate
from .model import LTC, LossTerms, make_ltc
from .quantizer import LatticeQuantizer
from .sources import Source, get_source
from .train import Adam, TrainResult, train
from .transforms import MLP, Linear

__all__ = ["LTC", "LossTerms", "make_ltc", "LatticeQuantizer", "GaussianDensity",
           "FactorizedMixture", "Linear", "MLP", "Adam", "train", "TrainResult", "evaluate",
           "Evaluation", "Source", "get_source"]
