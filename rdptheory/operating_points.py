"""Operating points (rate, distortion, perception) of SD- and PD-LTC on Gaussian sources.

The source is X ~ N(0, sigma2 I_n) in blocks of the lattice's dimension n; everything is per
dimension and rates are in bits. Parameters follow Thms 4.3 and 4.5 of Lei, Hassani & Saeedi
Bidokhti (arXiv:2503.17558), computed by :func:`rdptheory.gaussian.sd_ltc_parameters` and
:func:`rdptheory.gaussian.pd_ltc_parameters`; the lattice is scaled so that its second moment
per dimension G·V^(2/n) equals the theorem's value, using the lattice's reference G.

Every ``*_operating_point`` function takes ``rng`` (seed or Generator; one seed fixes every
stream) and an optional ``progress(done, total)`` callback, called as the cell probabilities of
the source blocks are evaluated (the slow part); the CLI turns it into a progress bar.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, special

from . import gaussian as gauss
from ._parallel import as_seed_sequence
from ._validation import as_real_array, check_integer
from .rates import cell_rate
from .dither import sample_voronoi
from .lattices import as_lattice
from .perception.measurement import measure_perception
from .perception.output_law import (gaussian_cell_log_weight, lattice_mixture_log_density,
                                    sd_output_log_density_mis)
from .schemes import pd_decode, pd_encode, sd_decode, sd_encode, linear

__all__ = ["OperatingPoint", "sd_operating_point", "pd_operating_point", "qsd_operating_point",
           "sd_perception", "sd_perception_exact_1d",
           "scaled_to_second_moment", "sd_rate_quadrature_1d", "pd_rate_exact_1d"]


@dataclass(frozen=True)
class OperatingPoint:
    """A simulated operating point; every Monte Carlo number comes with its standard error.

    ``rate`` is the entropy-coded rate in bits per dimension (H(c|u)/n for SD, H(ŷ)/n for PD)
    estimated from cell probabilities; ``distortion`` is E‖X − X̂‖²/n; ``theory`` holds the
    bounds the theorems compare with. ``rate_diagnostic`` holds the rate estimator's method,
    its bias diagnostic with SE (:class:`rdptheory.rates.CellRate`) and the flag
    ``bias_exceeds_se``; ``rate_jensen_bias`` is the uniform estimator's delta-method value
    (kept for compatibility; it understates the bias at low rate in n >= 16).
    """

    scheme: str
    lattice: str
    dimension: int
    sigma2: float
    target_distortion: float
    target_perception: float
    rate: float
    rate_stderr: float
    rate_jensen_bias: float
    distortion: float
    distortion_stderr: float
    n_samples: int
    cell_samples: int
    parameters: dict = field(default_factory=dict)
    theory: dict = field(default_factory=dict)
    samples: dict = field(default_factory=dict, repr=False)
    perception: dict = field(default_factory=dict)
    rate_diagnostic: dict = field(default_factory=dict)

    def as_dict(self):
        d = {k: getattr(self, k) for k in (
            "scheme", "lattice", "dimension", "sigma2", "target_distortion",
            "target_perception", "rate", "rate_stderr", "rate_jensen_bias", "distortion",
            "distortion_stderr", "n_samples", "cell_samples")}
        d["parameters"] = dict(self.parameters)
        d["theory"] = dict(self.theory)
        d["perception"] = dict(self.perception)
        d["rate_diagnostic"] = dict(self.rate_diagnostic)
        return d



def scaled_to_second_moment(lattice, second_moment, nsm=None):
    """``lattice`` scaled so that G·V^(2/n) = ``second_moment`` (per dimension), with G the
    lattice's reference NSM (or ``nsm``). ValueError if no G is known."""
    L = as_lattice(lattice)
    m = float(as_real_array(second_moment, "second_moment", lower=0.0, lower_open=True))
    G = nsm if nsm is not None else (None if L.nsm_reference is None else L.nsm_reference.value)
    if G is None:
        raise ValueError(f"lattice {L.name} has no reference NSM: pass nsm= (e.g. from "
                         "rdptheory.nsm.nsm_estimate)")
    current = G * math.exp(2.0 * L.log_volume / L.dimension)
    return L.scaled(math.sqrt(m / current))


def _streams(rng, k):
    return [np.random.default_rng(s) for s in as_seed_sequence(rng).spawn(k)]


def _rate(centers, lattice, tau2, cell_samples, rng, progress, rate_method="auto"):
    """Entropy-coded rate (bits per dimension) of the cells ``centers + V0`` under
    N(0, tau2 I): :func:`rdptheory.rates.cell_rate` (uniform estimator where its bias is
    negligible, multiple importance sampling elsewhere), with its diagnostic as a dict."""
    r = cell_rate(centers, lattice, tau2, method=rate_method, cell_samples=cell_samples, rng=rng,
                  progress=progress)
    diag = {"method": r.method, "bias": r.bias, "bias_stderr": r.bias_stderr,
            "bias_exceeds_se": r.bias_exceeds_se, "n_centers": r.n_centers,
            "uniform_samples": r.uniform_samples, "gaussian_samples": r.gaussian_samples}
    return r, diag


def _distortion(x, xh):
    d = np.sum((x - xh) ** 2, axis=1) / x.shape[1]
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(d.size))


def sd_operating_point(lattice, D, P=0.0, sigma2=1.0, *, n_samples=20_000, cell_samples=4096,
                       rng=None, nsm=None, keep_samples=False, progress=None, dither="voronoi",
                       perception=False, rate_method="auto"):
    r"""Simulate SD-LTC (shared dither) at the Thm 4.3 parameters for (D, P).

    Encoder identity, shared dither u ~ Unif(V0), c = Q(x − u), decoder x̂ = β(c + u), lattice
    second moment η². The rate H(c | u)/n is estimated as E[−log2 P(x ∈ c + u + V0)]/n with the
    cell probability of the Gaussian source (Zamir & Feder 1992: it equals I(X; X + u)/n), by
    :func:`rdptheory.rates.cell_rate` with ``rate_method`` ("auto": the log-mean-exp over
    ``cell_samples`` uniform cell points where its bias is negligible, multiple importance
    sampling elsewhere; the bias diagnostic is in ``rate_diagnostic``, docs/rates.md).

    Theory (Lei et al., NeurIPS 2025, Thm 4.3 and, for finite n, its proof): distortion = D
    exactly; R(D,P) <= rate <= R(D,P) + ½ log2(2πe G).
    With ``keep_samples`` the ``samples`` dict holds the source ``x``, the reconstruction
    ``x_hat``, the cell centres ``c + u`` of the blocks the rate used (distributed as X + U by
    the crypto lemma) and their per-block bits ``rate_bits`` whose mean is ``rate``.

    ``dither="cube"`` draws the shared dither uniformly on the cube of the cell's volume instead
    of the Voronoi cell (a deliberately broken scheme: the crypto lemma fails). With
    ``perception=True`` the result's ``perception`` holds :func:`measure_sd_perception`'s
    measurement (Talagrand/KL only for the Voronoi dither, where the output law is known).

    Examples
    --------
    >>> from rdptheory.operating_points import sd_operating_point
    >>> op = sd_operating_point("E8", 0.5, 0.0, n_samples=4000, cell_samples=1024, rng=1)
    >>> op.theory["rate_lower"] - 4 * op.rate_stderr <= op.rate <= op.theory["rate_upper"] + 4 * op.rate_stderr
    True
    """
    L = as_lattice(lattice)
    n = L.dimension
    n_samples = check_integer(n_samples, "n_samples", lower=2)
    cell_samples = check_integer(cell_samples, "cell_samples", lower=16)  # the rate needs a quarter >= 4
    params = gauss.sd_ltc_parameters(D, P, sigma2)
    eta2, beta = float(params.eta2), float(params.beta)
    Ls = scaled_to_second_moment(L, eta2, nsm)
    G = nsm if nsm is not None else L.nsm_reference.value
    gx, gu, gt, gp = _streams(rng, 4)  # gp: cell points of the perception's output law
    x = gx.normal(size=(n_samples, n)) * math.sqrt(sigma2)
    if dither == "voronoi":
        u = sample_voronoi(Ls, n_samples, gu)
    elif dither == "cube":
        side = Ls.volume ** (1.0 / n)
        u = (gu.random((n_samples, n)) - 0.5) * side
    else:
        raise ValueError(f"dither must be 'voronoi' or 'cube'; got {dither!r}")
    c = sd_encode(x, Ls, u)
    xh = sd_decode(c, u, linear(beta))
    dist, dist_se = _distortion(x, xh)
    rate, rdiag = _rate(c + u, Ls, sigma2, cell_samples, gt, progress, rate_method)
    kept = None
    if keep_samples:
        kept = {"x": x, "x_hat": xh, "centers": (c + u)[:rate.n_centers],
                "rate_bits": rate.block_bits}
    R = float(gauss.rdp(D, P, sigma2))
    gap = 0.5 * math.log2(2 * math.pi * math.e * G)
    return OperatingPoint(
        scheme="SD", lattice=L.name, dimension=n, sigma2=float(sigma2), target_distortion=D,
        target_perception=P, rate=rate.bits, rate_stderr=rate.stderr,
        rate_jensen_bias=rate.jensen_bias, distortion=dist, distortion_stderr=dist_se,
        n_samples=n_samples, cell_samples=cell_samples,
        parameters={"eta2": eta2, "beta": beta, "regime": str(params.regime), "G": G,
                    "dither": dither},
        theory={"rate_lower": R, "rate_upper": R + gap, "distortion": float(D),
                "rate_rdp": R},
        samples=kept or {},
        perception=_perception(perception, x, xh, Ls, sigma2, rng, lambda: _sd_density(
            xh, Ls, sigma2, beta, cell_samples, gp) if dither == "voronoi" else None),
        rate_diagnostic=rdiag)


def pd_operating_point(lattice, D, sigma2=1.0, *, n_samples=20_000, cell_samples=4096,
                       rng=None, nsm=None, keep_samples=False, progress=None, s=None,
                       perception=False, rate_method="auto"):
    r"""Simulate PD-LTC (private dither, P = 0) with the Thm 4.5 recipe at distortion target D.

    ŷ = Q(αx), x̂ = ŷ + s·u with private u ~ Unif(V0), lattice second moment
    (σ² − ν)ν/σ², ν = D/2. Rate H(ŷ)/n from the cell probabilities of αX ~ N(0, α²σ² I).
    The theorem is asymptotic (good lattices as n → ∞); at finite n the achieved (rate,
    distortion) is compared with R(D/2, ∞) evaluated at the *achieved* distortion.

    ``s`` overrides the private-dither scale of the recipe (the theory needs s >= 1; s < 1 leaves
    holes in the output's support, Remark D.7). ``perception=True`` fills ``perception`` with
    :func:`rdptheory.perception.measure_perception` (KL and Talagrand bound from the output's
    cell-mixture law when s <= 1 or n <= 8).
    """
    L = as_lattice(lattice)
    n = L.dimension
    n_samples = check_integer(n_samples, "n_samples", lower=2)
    cell_samples = check_integer(cell_samples, "cell_samples", lower=16)  # the rate needs a quarter >= 4
    p = gauss.pd_ltc_parameters(D, sigma2)
    alpha, m2 = float(p.alpha), float(p.second_moment)
    s = float(p.s) if s is None else float(as_real_array(s, "s", lower=0.0, lower_open=True))
    Ls = scaled_to_second_moment(L, m2, nsm)
    gx, gu, gt, gp = _streams(rng, 4)  # gp: cell points of the perception's output law
    x = gx.normal(size=(n_samples, n)) * math.sqrt(sigma2)
    yh = pd_encode(x, Ls, linear(alpha))
    u = sample_voronoi(Ls, n_samples, gu)
    xh = pd_decode(yh, u, s)
    dist, dist_se = _distortion(x, xh)
    rate, rdiag = _rate(yh, Ls, alpha * alpha * sigma2, cell_samples, gt, progress, rate_method)
    return OperatingPoint(
        scheme="PD", lattice=L.name, dimension=n, sigma2=float(sigma2), target_distortion=D,
        target_perception=0.0, rate=rate.bits, rate_stderr=rate.stderr,
        rate_jensen_bias=rate.jensen_bias, distortion=dist, distortion_stderr=dist_se,
        n_samples=n_samples, cell_samples=cell_samples,
        parameters={"alpha": alpha, "s": s, "s_theorem": float(p.s), "second_moment": m2,
                    "G": nsm if nsm is not None else L.nsm_reference.value},
        theory={"rate_no_cr_at_target": float(gauss.rate_no_common_randomness(D, sigma2)),
                "rate_no_cr_at_achieved": float(gauss.rate_no_common_randomness(dist, sigma2)),
                "rate_perfect_realism_at_achieved": float(gauss.rdp_perfect_realism(dist, sigma2))},
        samples={"x": x, "x_hat": xh} if keep_samples else {},
        perception=_perception(perception, x, xh, Ls, sigma2, rng, lambda: _mixture_density(
            xh, Ls, s, 1.0, gaussian_cell_log_weight(
                sample_voronoi(Ls, cell_samples, gp), Ls.volume, alpha * alpha * sigma2))),
        rate_diagnostic=rdiag)


def sd_rate_quadrature_1d(D, P=0.0, sigma2=1.0):
    r"""H(c | u) in bits for SD-LTC with the scalar lattice (n = 1) by numerical quadrature.

    With step Δ (second moment Δ²/12 = η²), y + u has density
    f(w) = [Φ((w + Δ/2)/σ) − Φ((w − Δ/2)/σ)]/Δ and H(c|u) = h(y + u) − log Δ (Zamir & Feder
    1992); h is integrated with scipy.integrate.quad. An independent check of the Monte Carlo
    cell-probability estimator.
    """
    eta2 = float(gauss.sd_ltc_parameters(D, P, sigma2).eta2)
    delta = math.sqrt(12 * eta2)
    sig = math.sqrt(sigma2)

    def f(w):
        return (special.ndtr((w + delta / 2) / sig) - special.ndtr((w - delta / 2) / sig)) / delta

    def integrand(w):
        v = f(w)
        return -v * math.log(v) if v > 0 else 0.0

    lim = 12 * sig + delta
    h, _ = integrate.quad(integrand, -lim, lim, limit=400, epsabs=1e-13, epsrel=1e-12,
                          points=[-delta / 2, delta / 2])
    return (h - math.log(delta)) / math.log(2)


def pd_rate_exact_1d(D, sigma2=1.0, kmax=None):
    r"""H(Q(αX)) in bits for PD-LTC with the scalar lattice, as the exact sum
    −Σ p_k log2 p_k with p_k = Φ((k+½)Δ/(ασ)) − Φ((k−½)Δ/(ασ)) (Δ² /12 = second moment)."""
    p = gauss.pd_ltc_parameters(D, sigma2)
    delta = math.sqrt(12 * float(p.second_moment))
    sd = float(p.alpha) * math.sqrt(sigma2)
    K = kmax or int(math.ceil(12 * sd / delta)) + 2
    k = np.arange(-K, K + 1)
    pk = special.ndtr((k + 0.5) * delta / sd) - special.ndtr((k - 0.5) * delta / sd)
    pk = pk[pk > 0]
    return float(-(pk * np.log2(pk)).sum())


def qsd_operating_point(lattice, D, ratio, sigma2=1.0, *, n_samples=20_000, cell_samples=4096,
                        rng=None, nsm=None, keep_samples=False, progress=None, s=None,
                        perception=False, rate_method="auto"):
    r"""Simulate QSD-LTC (quantized shared dither, R_c = log2 Γ bits per dimension) at P = 0.

    Nested Λ = Γ·Λ_f; shared û uniform over the Γ^n coset representatives, private
    u_f ~ Unif(V0(Λ_f)); c = Q_Λ(αx − û), x̂ = β(c + û + s·u_f), with the Γ-dependent gains and
    coarse second moment of :func:`rdptheory.gaussian.qsd_ltc_parameters` (PD-LTC's Thm 4.5
    recipe at Γ = 1, SD-LTC's Thm 4.3 recipe at P = 0 as Γ → ∞, the jointly Gaussian D(R, R_c)
    curve in between). Rate H(c | û)/n from the cell probabilities of αX ~ N(0, α²σ² I).
    With ``ratio = 1`` this *is* PD-LTC: same random streams, same numbers as
    :func:`pd_operating_point`, computed through the nested-lattice encoder (Λ = Λ_f, û = 0),
    never through :func:`rdptheory.schemes.pd_encode`. ``s`` overrides the recipe's
    private-dither scale; ``perception=True`` fills ``perception`` (KL from the output's
    cell-mixture law on Λ_f when s <= 1 or n <= 8).

    ``theory`` holds the measured output variance per dimension (σ² when realism holds),
    the model rate R(D, R_c), R(D_achieved, R_c) and R(D_achieved, 0).

    Examples
    --------
    >>> from rdptheory.operating_points import qsd_operating_point
    >>> op = qsd_operating_point("E8", 0.5, 3, n_samples=2000, cell_samples=1024, rng=1)
    >>> op.parameters["common_randomness_bits"] == __import__("math").log2(3)
    True
    >>> abs(op.theory["output_variance"] - 1.0) < 0.05
    True
    """
    from .nested import nested
    from .schemes import qsd_decode, qsd_encode
    L = as_lattice(lattice)
    n = L.dimension
    ratio = check_integer(ratio, "ratio", lower=1)
    n_samples = check_integer(n_samples, "n_samples", lower=2)
    cell_samples = check_integer(cell_samples, "cell_samples", lower=16)  # the rate needs a quarter >= 4
    p = gauss.qsd_ltc_parameters(D, ratio, sigma2)
    alpha, beta, m2 = float(p.alpha), float(p.beta), float(p.second_moment)
    s = float(p.s) if s is None else float(as_real_array(s, "s", lower=0.0, lower_open=True))
    coarse = scaled_to_second_moment(L, m2, nsm)
    nl = nested(coarse if ratio == 1 else coarse.scaled(1.0 / ratio), ratio)
    coarse_q = coarse if ratio == 1 else nl.coarse
    gx, gu, gt, gs, gp = _streams(rng, 5)  # gp: cell points of the perception's output law
    x = gx.normal(size=(n_samples, n)) * math.sqrt(sigma2)
    u_f = sample_voronoi(nl.fine, n_samples, gu)
    shared = nl.sample_representatives(n_samples, gs)
    c = qsd_encode(x, nl, shared, linear(alpha))  # Γ = 1 too: the nested path, not pd_encode
    xh = qsd_decode(c, shared, u_f, s, linear(beta))
    dist, dist_se = _distortion(x, xh)
    rate, rdiag = _rate(c + shared, coarse_q, alpha * alpha * sigma2, cell_samples, gt, progress,
                        rate_method)
    rc = math.log2(ratio)
    power = np.sum(xh * xh, axis=1) / n
    return OperatingPoint(
        scheme=f"QSD(ratio={ratio})", lattice=L.name, dimension=n, sigma2=float(sigma2),
        target_distortion=D, target_perception=0.0, rate=rate.bits, rate_stderr=rate.stderr,
        rate_jensen_bias=rate.jensen_bias, distortion=dist, distortion_stderr=dist_se,
        n_samples=n_samples, cell_samples=cell_samples,
        parameters={"alpha": alpha, "beta": beta, "s": s, "s_theorem": float(p.s),
                    "second_moment": m2, "ratio": ratio,
                    "common_randomness_bits": rc,
                    "G": nsm if nsm is not None else L.nsm_reference.value},
        theory={"output_variance": float(power.mean()),
                "output_variance_stderr": float(power.std(ddof=1) / math.sqrt(power.size)),
                "rate_model": float(p.rate),
                "rate_no_cr_at_achieved": float(gauss.rate_no_common_randomness(dist, sigma2)),
                "rate_limited_cr_at_achieved": float(gauss.rate_limited_common_randomness(
                    dist, rc, sigma2)),
                "rate_perfect_realism_at_achieved": float(gauss.rdp_perfect_realism(dist, sigma2))},
        samples={"x": x, "x_hat": xh} if keep_samples else {},
        perception=_perception(perception, x, xh, nl.fine, sigma2, rng, lambda: _mixture_density(
            xh, nl.fine, s, beta, gaussian_cell_log_weight(
                sample_voronoi(coarse_q, cell_samples, gp), coarse_q.volume,
                alpha * alpha * sigma2, -n * math.log(ratio)))),
        rate_diagnostic=rdiag)


def _sd_density(x_hat, lattice, sigma2, beta, cell_samples, rng):
    """SD output log-density (the bias-controlled MIS cell probability of
    :mod:`rdptheory.rates`) at the first rows of ``x_hat``: 2**21·(8/n)²/256 rows at most
    (8192 for n = 8, 910 for Leech; each row costs 256 Gaussian points, one decode each), so
    its cost stays near the rate's. Returns (log_density, bias, rows)."""
    n = lattice.dimension
    rows = np.arange(min(x_hat.shape[0], max(256, int(2 ** 21 * (8 / n) ** 2 / 256))))
    lp, bias = sd_output_log_density_mis(x_hat[rows], lattice, sigma2, beta=beta,
                                         uniform_samples=min(cell_samples, 4096),
                                         gaussian_samples=256, rng=rng)
    return lp, bias, rows


def _mixture_density(x_hat, lattice, s, beta, log_weight):
    """Output log-density of a PD/QSD scheme, or None where the enumeration is too costly
    (s > 1 and n > 8, or more than 2·10⁴ candidate points per sample) or the covering radius is
    unknown."""
    if s > 1.0 and lattice.dimension > 8:
        return None
    try:
        return lattice_mixture_log_density(x_hat, lattice, s, log_weight, beta=beta)
    except ValueError:          # too many candidates to enumerate, or no covering radius known
        return None


def _perception(enabled, x, x_hat, lattice, sigma2, rng, log_density):
    """The perception measurement of an operating point as a dict (empty if not ``enabled``):
    lower bounds from the sample, Talagrand from ``log_density()`` (None: unavailable), and the
    coupling bound through the source (x is a N(0, σ² I) sample coupled with x̂)."""
    if not enabled:
        return {}
    ld = log_density()
    lp, bias, rows = (None, None, None) if ld is None else (ld + (None,))[:3]
    m = measure_perception(x_hat, sigma2, lattice=lattice, log_density=lp, log_density_bias=bias,
                           log_density_rows=rows,
                           coupling_cost=np.sum((x - x_hat) ** 2, axis=1) / x.shape[1],
                           rng=as_seed_sequence(rng).spawn(8)[7])
    return m.as_dict()


def sd_perception_exact_1d(D, P=0.0, sigma2=1.0):
    r"""Exact per-dimension W2² between X ~ N(0, σ²) and SD-LTC's output for n = 1.

    By the crypto lemma x̂ = β(X + E) with E ~ U[−Δ/2, Δ/2] independent of X (Δ² /12 = η²), whose
    CDF is F(w) = [ψ(w/β + Δ/2) − ψ(w/β − Δ/2)]/Δ with ψ(s) = s Φ(s/σ) + σ φ(s/σ). The squared
    W2 is ∫_0^1 (F_X^{-1}(t) − F^{-1}(t))² dt, by tanh-sinh quadrature of the quantile functions
    (:func:`rdptheory.perception.w2_1d_quantile`), the quantile of x̂ by root finding.
    """
    from scipy.stats import norm
    from .perception import quantile_from_cdf, w2_1d_quantile
    prm = gauss.sd_ltc_parameters(D, P, sigma2)
    beta = float(prm.beta)
    delta = math.sqrt(12 * float(prm.eta2))
    sig = math.sqrt(sigma2)

    def psi(s):
        return s * special.ndtr(s / sig) + sig * np.exp(-0.5 * (s / sig) ** 2) / math.sqrt(2 * math.pi)

    def cdf(w):
        v = np.asarray(w, dtype=float) / beta
        return (psi(v + delta / 2) - psi(v - delta / 2)) / delta

    def sf(w):  # 1 - F(w) by symmetry of X + E around 0
        return cdf(-np.asarray(w, dtype=float))

    span = beta * (9 * sig + delta)
    q_hat = quantile_from_cdf(cdf, -span, span, sf=sf)
    return float(w2_1d_quantile(lambda t: norm.ppf(t, scale=sig), q_hat, method="tanhsinh"))


def sd_perception(op, n_projections=256, rng=None):
    """Per-dimension perception of a simulated SD operating point (``keep_samples=True``):
    exact for n = 1 (:func:`sd_perception_exact_1d`), otherwise the sliced W2² between the
    source and reconstruction samples with its total standard error (projections + sampling);
    for these isotropic-noise outputs P <= sliced W2² <= W2²/n. Returns (value, stderr, method).
    """
    from .perception import sliced_w2
    if op.dimension == 1:
        return (sd_perception_exact_1d(op.target_distortion, op.target_perception, op.sigma2),
                0.0, "exact (quantile quadrature)")
    if "x" not in op.samples:
        raise ValueError("op must come from sd_operating_point(..., keep_samples=True)")
    r = sliced_w2(op.samples["x"], op.samples["x_hat"], n_projections, rng=rng)
    return r.estimate, r.stderr_total, f"sliced W2² ({r.n_projections} projections)"
