"""Lattices with exact nearest-point decoders (SPLAG; CS82F; AEVZ02).

``get(name)`` returns a registry :class:`Lattice` (Zn, An, An*, Dn, Dn*, Dn+, E6, E6*, E7, E7*,
E8, K12, BW16, Leech); :func:`from_generator` wraps any basis with the exact generic decoder
(LLL + Schnorr-Euchner); :func:`product`, :meth:`Lattice.scaled`, :meth:`Lattice.rotated` and
:meth:`Lattice.dual` build new lattices.
"""
from ._enumeration import (ClosestPointSearcher, closest_points, kissing_number, lll_reduce,
                           minimum_norm, nearest_point_certificate, relevant_vectors,
                           short_vectors)
from ._lattice import Lattice, from_generator, product
from ._reference import ReferenceValue
from ._registry import STANDARD_LATTICES, as_lattice, canonical_name, get, list_lattices
from .voronoi_cell import ExactNsm, VoronoiCell, exact_voronoi_cell, nsm_exact

__all__ = ["Lattice", "get", "as_lattice", "list_lattices", "from_generator", "product", "canonical_name",
           "STANDARD_LATTICES", "ReferenceValue", "ClosestPointSearcher", "closest_points",
           "lll_reduce", "short_vectors", "minimum_norm", "kissing_number", "relevant_vectors",
           "nearest_point_certificate", "nsm_exact", "exact_voronoi_cell", "ExactNsm", "VoronoiCell"]
