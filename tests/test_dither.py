"""Dithered quantization: API, and that the crypto-lemma check catches broken dithering."""
import numpy as np
import pytest

from proofs_checks.dither_claims import crypto_lemma_check
from rdptheory.dither import DitheredQuantization, dithered_quantize, sample_voronoi
from rdptheory.lattices import get


def test_sample_voronoi_is_in_the_cell_and_reproducible():
    E8 = get("E8")
    u = sample_voronoi(E8, 5000, rng=3)
    np.testing.assert_allclose(E8.nearest_point(u), 0.0, atol=1e-12)  # Q(u) = 0: inside V0
    np.testing.assert_array_equal(u, sample_voronoi("E8", 5000, rng=3))
    np.testing.assert_array_equal(u, sample_voronoi(E8, 5000, rng=np.random.default_rng(3)) * 0
                                  + sample_voronoi(E8, 5000, rng=3))
    with pytest.raises(ValueError, match="size must be"):
        sample_voronoi(E8, -1)


def test_dithered_quantize_identity_and_shared_dither():
    D4 = get("D4")
    y = np.random.default_rng(0).normal(size=(100, 4)) * 3
    r = dithered_quantize(y, D4, rng=1)
    np.testing.assert_allclose(r.reconstruction - y, r.error, atol=1e-12)
    r2 = dithered_quantize(y, D4, dither=r.dither)
    np.testing.assert_array_equal(r2.codeword, r.codeword)
    with pytest.raises(ValueError, match="dither must have the shape"):
        dithered_quantize(y, D4, dither=r.dither[:5])
    with pytest.raises(ValueError, match="shape"):
        dithered_quantize(np.zeros((3, 5)), D4)


def _no_dither(y, L, rng=None):
    c = L.nearest_point(y)
    return DitheredQuantization(c, np.zeros_like(y), c, c - y)


def _cube_dither(y, L, rng=None):
    """Dither uniform on the unit cube instead of the E8 Voronoi cell: wrong, subtly."""
    u = np.random.default_rng(rng).random(y.shape) - 0.5
    c = L.nearest_point(y - u)
    return DitheredQuantization(c, u, c + u, c + u - y)


@pytest.mark.parametrize("broken", [_no_dither, _cube_dither])
def test_crypto_lemma_check_catches_broken_dithering(broken):
    assert not crypto_lemma_check(get("E8"), 10_000, seed=5, quantize=broken).passed


def test_crypto_lemma_check_passes_the_real_thing():
    assert crypto_lemma_check(get("D4"), 10_000, seed=5).passed
