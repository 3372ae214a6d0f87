"""The banana coders of rdptheory.baselines.banana: every coder of CODERS builds with the right
block dimension, the block transforms are per-sample (a block of k bananas is coded by the same
MLP on each sample), training runs are reproducible from the seed, and bad input names its
parameter."""
import numpy as np
import pytest

from rdptheory.baselines import banana


@pytest.mark.parametrize("lattice, k, label", banana.CODERS)
def test_every_coder_has_dimension_two_per_banana(lattice, k, label):
    m = banana.make_banana_coder(lattice, k, rng=0)
    assert m.n == 2 * k
    x = np.random.default_rng(1).normal(size=(3, 2 * k))
    y = m.analysis.forward(x)[0]
    assert y.shape == (3, 2 * k)


def test_block_coder_applies_one_mlp_to_each_banana():
    m = banana.make_banana_coder("Leech", 12, rng=0)
    x = np.random.default_rng(2).normal(size=(4, 24))
    y = m.analysis.forward(x)[0]
    # permuting the bananas inside a block permutes the latents the same way
    perm = np.random.default_rng(3).permutation(12)
    xp = x.reshape(4, 12, 2)[:, perm].reshape(4, 24)
    yp = m.analysis.forward(xp)[0]
    np.testing.assert_allclose(yp, y.reshape(4, 12, 2)[:, perm].reshape(4, 24), rtol=0, atol=0)


@pytest.mark.parametrize("lattice, k, match", [("E8", 3, "need dimension 6"),
                                               ("Leech", 4, "need dimension 8"),
                                               ("A2", 0, "k"), ("A2", 1.5, "k")])
def test_lattice_must_match_the_block(lattice, k, match):
    with pytest.raises(ValueError, match=match):
        banana.make_banana_coder(lattice, k, rng=0)


def test_runs_are_reproducible_and_cached():
    kw = dict(steps=3, batch_size=16, eval_blocks=200, seed=5)
    a = banana.run_banana_coder("E8", 4, 8.0, **kw)
    assert banana.run_banana_coder("E8", 4, 8.0, **kw) is a
    banana._CACHE.clear()
    b = banana.run_banana_coder("E8", 4, 8.0, **kw)
    assert b is not a and b == a
    c = banana.run_banana_coder("E8", 4, 8.0, **{**kw, "seed": 6})
    assert c.rate != a.rate
