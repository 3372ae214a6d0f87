"""Scalar numba kernels for the Gaussian RDP closed forms (rates in nats).

The public functions in :mod:`rdptheory.gaussian` validate and broadcast; the kernels here
assume valid input (D >= 0, P >= 0, sigma2 > 0, all finite).

Numerical scheme
----------------
With sigma = sqrt(sigma2), q = sqrt(P), sh = sigma - q and theta = (sigma2 + sh^2 - D)/2 the
active-regime rate is R = -1/2 log(1 - rho^2), rho = theta / (sigma sh). Two cancellations are
avoided:

* near the zero-rate boundary (theta -> 0) theta is a difference of nearly equal numbers; it is
  formed in double-double arithmetic (error-free sums and products, Dekker 1971), and
  R = -1/2 log1p(-rho^2);
* near rho -> 1 (high rate) 1 - rho^2 is formed from the exact factorisation
  1 - rho^2 = (D - P) ((2 sigma - q)^2 - D) / (4 sigma^2 sh^2), which follows from
  sigma sh - theta = (D - P)/2 and sigma sh + theta = ((sigma + sh)^2 - D)/2.

Two executions of one source
----------------------------
The kernels below are plain Python functions of floats. An input of at most ``SMALL_SIZE``
elements (every call of ``rdptheory bounds``, every scalar query) runs them as Python, so a scalar
closed form never imports numba (about 1 s of start-up with the loading of compiled kernels).
Larger arrays run numba ufuncs compiled from the same functions on first need and cached on disk.
``tests/test_gaussian.py::test_kernels_python_and_numba_agree`` checks that the two executions
give the same bits on extreme inputs.
"""
import functools
import math
import types

import numpy as np

ZERO_RATE, INACTIVE, ACTIVE = 0, 1, 2
REGIME_NAMES = ("zero-rate", "perception-inactive", "perception-active")

_SPLITTER = 134217729.0  # 2**27 + 1 (Veltkamp/Dekker split)
_TINY_SCALE = 2.0 ** -1000  # ratios above this (and below its inverse) are normal numbers
_NORMAL_MIN = 2.0 ** -1022
_LN2 = math.log(2.0)
SMALL_SIZE = 64  # inputs with at most this many elements run as Python (no numba import)


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def _two_prod(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _dd_sqrt(x):
    """sqrt(x) as a double-double (hi, lo)."""
    r = math.sqrt(x)
    if r == 0.0:
        return 0.0, 0.0
    p, e = _two_prod(r, r)
    return r, ((x - p) - e) / (2.0 * r)


def _dd_add(ah, al, bh, bl):
    s, e = _two_sum(ah, bh)
    e += al + bl
    return _two_sum(s, e)


def _dd_mul(ah, al, bh, bl):
    p, e = _two_prod(ah, bh)
    e += ah * bl + al * bh
    return _two_sum(p, e)


def rate_distortion_nats(D, s2):
    """1/2 log+(s2 / D), accurate for D -> 0 and D -> s2."""
    if D >= s2:
        return 0.0
    if D == 0.0:
        return np.inf
    if D < 0.5 * s2:
        if D > s2 * _TINY_SCALE:  # s2 / D is a normal number, correctly rounded
            return 0.5 * math.log(s2 / D)
        return 0.5 * (math.log(s2) - math.log(D))  # s2/D overflows: the rate is > 354 nats
    return -0.5 * math.log1p((D - s2) / s2)


def _even_exponent(s2):
    """An even k with s2 * 2**-k in [1, 4): scaling D, P, sigma2 by 2**-k is exact (sigma by
    2**(-k/2)) and puts sigma2 at unit scale, so no square or sum below can overflow."""
    m, e = math.frexp(s2)  # s2 = m 2**e, m in [0.5, 1)
    k = e - 1
    if k % 2:
        k -= 1
    return k


def rdp_core(D, P, s2):
    """Return (regime, rate in nats, reconstruction std, Cov(X, X_hat)).

    Scale invariant: R(D, P, s2) = R(D/c, P/c, s2/c); the work is done at s2 in [1, 4) after an
    exact power-of-two rescaling, and the two quantities that may leave the normal float range
    after it (D - P and the inactive-regime threshold) are compared and logged unscaled.
    """
    if P >= s2:
        # perception can be met by any reconstruction with std in [0, 2 sigma]
        if D >= s2:
            return ZERO_RATE, 0.0, 0.0, 0.0
        return INACTIVE, rate_distortion_nats(D, s2), math.sqrt(s2 - D), s2 - D
    if 0.5 * D >= s2:  # D >= 2 s2 >= s2 + sh^2: zero rate (and D / s2 may overflow below)
        return ZERO_RATE, 0.0, math.sqrt(s2) - math.sqrt(P), 0.0
    k = _even_exponent(s2)
    h = k // 2
    s2u, Du, Pu = s2, D, P
    s2 = math.ldexp(s2u, -k)
    D = math.ldexp(Du, -k)  # may lose bits only when D << s2, where D enters as D - P below
    sig_h, sig_l = _dd_sqrt(s2)
    q_h, q_l = _dd_sqrt(Pu)
    q_h, q_l = math.ldexp(q_h, -h), math.ldexp(q_l, -h)
    sh_h, sh_l = _dd_add(sig_h, sig_l, -q_h, -q_l)  # sigma - sqrt(P) > 0
    sh2_h, sh2_l = _dd_mul(sh_h, sh_l, sh_h, sh_l)
    a_h, a_l = _two_sum(s2, -D)
    th_h, th_l = _dd_add(a_h, a_l, sh2_h, sh2_l)
    theta = 0.5 * (th_h + th_l)
    if theta <= 0.0:
        return ZERO_RATE, 0.0, math.ldexp(sh_h, h), 0.0
    # perception inactive iff D <= s2 - sh^2 = sqrt(P) (2 sigma - sqrt(P)): the product form has
    # no cancellation (s2 - sh^2 in double-double loses everything once P < 1e-32 s2)
    b = q_h * (2.0 * sig_h - q_h)
    if Du <= math.ldexp(b, k):
        if Du == 0.0:
            return INACTIVE, np.inf, math.sqrt(s2u), s2u
        return INACTIVE, rate_distortion_nats(Du, s2u), math.sqrt(s2u - Du), s2u - Du
    sig_sh = sig_h * sh_h
    rho = theta / sig_sh
    if rho < 0.5:
        rate = -0.5 * math.log1p(-rho * rho)
    else:
        two = 2.0 * sig_sh
        big = (2.0 * sig_h - q_h) ** 2 - D
        dp = Du - Pu  # > 0 here; exact when D, P are close (Sterbenz)
        dps = math.ldexp(dp, -k)
        if dps >= _NORMAL_MIN:
            log_dp = math.log(dps)
        else:
            log_dp = math.log(dp) - k * _LN2  # the rate is > 350 nats: no cancellation
        rate = 0.5 * (math.log(two) - log_dp + math.log(two / big))
    return ACTIVE, rate, math.ldexp(sh_h, h), math.ldexp(theta, k)


def _rdp_nats(D, P, s2):
    return rdp_core(D, P, s2)[1]


def _rdp_regime(D, P, s2):
    return rdp_core(D, P, s2)[0]


def _rdp_std(D, P, s2):
    return rdp_core(D, P, s2)[2]


def _rdp_cov(D, P, s2):
    return rdp_core(D, P, s2)[3]


def scaled_exp(c, t):
    """c * exp(t) for c > 0, t <= 0, without the underflow of exp(t) when c is large."""
    e = math.exp(t)
    if e >= _NORMAL_MIN:
        return c * e
    return math.exp(math.log(c) + t)


def _distortion_rate_perception(R_nats, P, s2):
    """D(R, P) = s2 e + [(sigma (1 - sqrt(a)) - sqrt(P))_+]^2, e = exp(-2R), a = 1 - e."""
    a = -math.expm1(-2.0 * R_nats)
    # s2 e and sigma e formed in the log domain: e = exp(-2R) underflows at R > 354 nats while
    # s2 e may still be a normal number (large s2)
    s2e = scaled_exp(s2, -2.0 * R_nats)
    w = scaled_exp(math.sqrt(s2), -2.0 * R_nats) / (1.0 + math.sqrt(a)) - math.sqrt(P)
    if w < 0.0:
        w = 0.0
    return s2e + w * w



# names of the functions called from other kernels, compiled as numba functions (helpers inlined)
_INLINED = ("_two_sum", "_split", "_two_prod", "_dd_sqrt", "_dd_add", "_dd_mul")
_CALLED = ("rate_distortion_nats", "_even_exponent", "rdp_core", "scaled_exp")


def _copy(function, namespace):
    """``function`` with its globals looked up in ``namespace`` (where numba finds the compiled
    helpers instead of the Python ones)."""
    copy = types.FunctionType(function.__code__, namespace, function.__name__,
                              function.__defaults__)
    copy.__qualname__, copy.__module__ = function.__qualname__, function.__module__
    copy.__doc__ = function.__doc__
    return copy


@functools.cache
def _numba_namespace():
    import numba

    namespace = dict(globals())
    for name in _INLINED + _CALLED:
        inline = "always" if name in _INLINED else "never"
        namespace[name] = numba.njit(cache=True, inline=inline)(_copy(globals()[name], namespace))
    return namespace


class Elementwise:
    """A scalar kernel applied elementwise with numpy broadcasting, like a ufunc.

    Inputs of at most ``SMALL_SIZE`` elements run the Python function; larger ones a numba ufunc
    compiled from it (``numba.vectorize`` with ``cache=True``) on the first large call.
    """

    def __init__(self, scalar, signature):
        self.scalar, self.signature = scalar, signature
        self.dtype = np.dtype(signature.split("(", 1)[0])
        self.__name__ = scalar.__name__.lstrip("_")
        self.__doc__ = scalar.__doc__

    @functools.cached_property
    def ufunc(self):
        import numba

        return numba.vectorize([self.signature], cache=True)(
            _copy(self.scalar, _numba_namespace()))

    def __call__(self, *args):
        shape = np.broadcast_shapes(*(np.shape(a) for a in args))
        if math.prod(shape) > SMALL_SIZE:
            return self.ufunc(*args)
        arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in args))
        out = np.empty(shape, self.dtype)
        for index, values in enumerate(zip(*(a.flat for a in arrays))):
            out.flat[index] = self.scalar(*(float(v) for v in values))
        return out[()]


rdp_nats = Elementwise(_rdp_nats, "float64(float64, float64, float64)")
rdp_regime = Elementwise(_rdp_regime, "int64(float64, float64, float64)")
rdp_std = Elementwise(_rdp_std, "float64(float64, float64, float64)")
rdp_cov = Elementwise(_rdp_cov, "float64(float64, float64, float64)")
rate_distortion_nats_ufunc = Elementwise(rate_distortion_nats, "float64(float64, float64)")
scaled_exp_ufunc = Elementwise(scaled_exp, "float64(float64, float64)")
distortion_rate_perception_kernel = Elementwise(_distortion_rate_perception,
                                                "float64(float64, float64, float64)")
