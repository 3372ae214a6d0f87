"""Analysis and synthesis transforms with hand-written reverse mode.

Each transform holds its parameters in a dict ``params`` (name -> float64 array), maps a batch
``x`` of shape (B, n_in) with ``forward(x) -> (y, cache)`` and back-propagates with
``backward(cache, grad_y) -> (grad_x, grads)``, where ``grads`` has the keys of ``params``.
The gradients are checked against central finite differences in ``tests/test_ltc.py``.

Lei, Hassani & Saeedi Bidokhti (ICLR 2025, arXiv 2403.07320) use a small MLP at n = 2 and
bias-free linear maps for n >= 4 on i.i.d. Gaussian sources, where linear transforms are
optimal (Lei, Hassani & Saeedi Bidokhti, ICLR 2025).
"""
from __future__ import annotations

import math

import numpy as np

from .._parallel import as_generator
from .._validation import check_integer

__all__ = ["Linear", "MLP", "Blockwise", "softplus"]


def softplus(x):
    """log(1 + e^x), computed without overflow."""
    return np.logaddexp(0.0, x)


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _check_batch(x, n_in, name="x"):
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real array of shape (B, {n_in})") from None
    if arr.ndim != 2 or arr.shape[1] != n_in:
        raise ValueError(f"{name} must have shape (B, {n_in}); got {arr.shape}")
    if not np.isfinite(arr).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{name} must be finite; got {arr[bad]} at index {bad}")
    return arr


class Linear:
    r"""Affine map y = x Wᵀ + b (b = 0 and absent when ``bias=False``).

    Parameters
    ----------
    n_in, n_out : int
        Input and output dimensions (>= 1).
    bias : bool
        Learn an offset b (default False: optimal for zero-mean Gaussian sources).
    weight : array_like (n_out, n_in), optional
        Initial W; default Glorot-uniform from ``rng`` (or ``gain`` times the identity when
        ``init='identity'``).
    init : {'glorot', 'identity'}
    gain : float
        Multiplies the initial W.
    rng : int, Generator or None

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.transforms import Linear
    >>> f = Linear(2, 3, bias=True, rng=0)
    >>> y, cache = f.forward(np.ones((4, 2)))
    >>> gx, grads = f.backward(cache, np.ones((4, 3)))
    >>> y.shape, gx.shape, sorted(grads), grads["b"].tolist()
    ((4, 3), (4, 2), ['W', 'b'], [4.0, 4.0, 4.0])
    """

    def __init__(self, n_in, n_out, bias=False, *, weight=None, init="glorot", gain=1.0,
                 rng=None):
        self.n_in = check_integer(n_in, "n_in", lower=1)
        self.n_out = check_integer(n_out, "n_out", lower=1)
        if init not in ("glorot", "identity"):
            raise ValueError(f"init must be 'glorot' or 'identity'; got {init!r}")
        gain = float(gain)
        if not (math.isfinite(gain) and gain > 0):
            raise ValueError(f"gain must be a finite number > 0; got {gain!r}")
        if weight is not None:
            W = np.array(weight, dtype=np.float64)
            if W.shape != (self.n_out, self.n_in) or not np.isfinite(W).all():
                raise ValueError(f"weight must be a finite ({self.n_out}, {self.n_in}) array; "
                                 f"got shape {W.shape}")
        elif init == "identity":
            W = np.eye(self.n_out, self.n_in)
        else:
            lim = math.sqrt(6.0 / (self.n_in + self.n_out))
            W = as_generator(rng).uniform(-lim, lim, size=(self.n_out, self.n_in))
        self.params = {"W": gain * W}
        if bias:
            self.params["b"] = np.zeros(self.n_out)

    def forward(self, x):
        x = _check_batch(x, self.n_in)
        y = x @ self.params["W"].T
        if "b" in self.params:
            y = y + self.params["b"]
        return y, x

    def backward(self, cache, grad_y):
        x = cache
        grads = {"W": grad_y.T @ x}
        if "b" in self.params:
            grads["b"] = grad_y.sum(axis=0)
        return grad_y @ self.params["W"], grads

    def __repr__(self):
        return f"Linear({self.n_in}, {self.n_out}, bias={'b' in self.params})"


class MLP:
    r"""Multilayer perceptron: Linear layers (with bias) and softplus between them.

    y = L_k(σ(L_{k-1}(… σ(L_1(x))))), σ(t) = log(1 + eᵗ); the last layer is linear.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths including input and output, e.g. (2, 32, 32, 2).
    rng : int, Generator or None
        Glorot-uniform initialization.
    skip : bool
        Add a linear skip connection x Sᵀ (S initialized to ``skip_gain`` times the identity
        when the shapes agree) and shrink the last layer's initial weights tenfold, so the MLP
        starts as a near-linear map.
    skip_gain : float

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.transforms import MLP
    >>> f = MLP((2, 8, 2), rng=0)
    >>> y, cache = f.forward(np.zeros((5, 2)))
    >>> y.shape, sorted(f.params)
    ((5, 2), ['S', 'W0', 'W1', 'b0', 'b1'])
    """

    def __init__(self, sizes, *, rng=None, skip=True, skip_gain=1.0):
        sizes = tuple(check_integer(s, "sizes", lower=1) for s in sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least input and output widths; got {sizes}")
        self.sizes = sizes
        g = as_generator(rng)
        self.params = {}
        for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
            lim = math.sqrt(6.0 / (a + b))
            self.params[f"W{i}"] = g.uniform(-lim, lim, size=(b, a))
            self.params[f"b{i}"] = np.zeros(b)
        if skip:  # start near the linear map skip_gain·I: a small nonlinear residual
            self.params["S"] = float(skip_gain) * np.eye(sizes[-1], sizes[0])
            self.params[f"W{len(sizes) - 2}"] *= 0.1
        self.n_in, self.n_out = sizes[0], sizes[-1]

    @property
    def layers(self):
        return len(self.sizes) - 1

    def forward(self, x):
        x = _check_batch(x, self.n_in)
        pre, acts = [], [x]
        h = x
        for i in range(self.layers):
            z = h @ self.params[f"W{i}"].T + self.params[f"b{i}"]
            if i < self.layers - 1:
                pre.append(z)
                h = softplus(z)
                acts.append(h)
            else:
                h = z
        if "S" in self.params:
            h = h + x @ self.params["S"].T
        return h, (pre, acts)

    def backward(self, cache, grad_y):
        pre, acts = cache
        grads = {}
        g = grad_y
        if "S" in self.params:
            grads["S"] = grad_y.T @ acts[0]
        for i in reversed(range(self.layers)):
            if i < self.layers - 1:
                g = g * _sigmoid(pre[i])
            grads[f"W{i}"] = g.T @ acts[i]
            grads[f"b{i}"] = g.sum(axis=0)
            g = g @ self.params[f"W{i}"]
        if "S" in self.params:
            g = g + grad_y @ self.params["S"]
        return g, grads

    def __repr__(self):
        return f"MLP({self.sizes}, skip={'S' in self.params})"


class Blockwise:
    r"""One transform applied to each of ``k`` consecutive chunks of a block, with shared
    parameters: :math:`g(x_1, …, x_k) = (f(x_1), …, f(x_k))`.

    The block-LTC of Lei, Hassani & Saeedi Bidokhti (ICLR 2025) codes k i.i.d. source vectors
    with one per-vector transform and one lattice over the concatenated latents.

    Parameters
    ----------
    inner : transform
        A :class:`Linear` or :class:`MLP` (its ``params`` are shared, not copied).
    k : int
        Chunks per block.

    Examples
    --------
    >>> import numpy as np
    >>> from rdptheory.ltc.transforms import MLP, Blockwise
    >>> f = MLP((2, 8, 2), rng=0)
    >>> g = Blockwise(f, 4)
    >>> x = np.random.default_rng(1).normal(size=(5, 8))
    >>> bool(np.allclose(g.forward(x)[0][:, 2:4], f.forward(x[:, 2:4])[0]))
    True
    """

    def __init__(self, inner, k):
        self.inner = inner
        self.k = check_integer(k, "k", lower=1)
        self.params = inner.params
        self.n_in, self.n_out = inner.n_in * self.k, inner.n_out * self.k

    def forward(self, x):
        x = _check_batch(x, self.n_in)
        B = x.shape[0]
        y, cache = self.inner.forward(x.reshape(B * self.k, self.inner.n_in))
        return y.reshape(B, self.n_out), (B, cache)

    def backward(self, cache, grad_y):
        B, inner_cache = cache
        g, grads = self.inner.backward(inner_cache,
                                       np.asarray(grad_y).reshape(B * self.k, self.inner.n_out))
        return g.reshape(B, self.n_in), grads

    def __repr__(self):
        return f"Blockwise({self.inner!r}, k={self.k})"
