"""Claims: the closed forms and the LTC identities derived symbolically with sympy."""
from __future__ import annotations

import sympy as sp

from .registry import ClaimResult, claim

sigma, t, D, P = sp.symbols("sigma t D P", positive=True)


def _zero(expr):
    return sp.simplify(sp.together(sp.expand(expr))) == 0


def _report(checks):
    failed = [name for name, ok in checks if not ok]
    details = "; ".join(f"{name}: {'0' if ok else 'NOT ZERO'}" for name, ok in checks)
    return ClaimResult(value=len(failed), reference=0, tolerance=0, comparison="abs",
                       details=details)


def _theta_active():
    sh = sigma - sp.sqrt(P)
    return sh, (sigma**2 + sh**2 - D) / 2


@claim("gaussian.rdp.sympy_stationary_point",
       "The stationary point of I(X;X̂) over jointly Gaussian X̂ (with the distortion constraint "
       "tight) is std √(σ²-D) with value ½log(σ²/D); it is feasible iff D <= 2σ√P - P; otherwise "
       "the optimum sits on the perception boundary and gives the active closed form",
       "Zhang et al. 2021; Lei et al. 2025 Prop. 4.1; derivation in docs/derivations.md",
       kind="independent")
def _stationary(ctx):
    c = (sigma**2 + t**2 - D) / 2
    info = sp.log(sigma**2 * t**2 / (sigma**2 * t**2 - c**2)) / 2
    crit = [s for s in sp.solve(sp.numer(sp.together(sp.diff(info, t))), t)]
    t_star = sp.sqrt(sigma**2 - D)
    found = any(_zero(s**2 - t_star**2) for s in crit)  # roots +-sqrt(.), as sympy writes them
    value_at = sp.simplify(sp.expand_log(info.subs(t, t_star) - sp.log(sigma**2 / D) / 2,
                                         force=True))
    sh, theta = _theta_active()
    boundary = _zero(sigma**2 - sh**2 - (2 * sigma * sp.sqrt(P) - P))
    active = info.subs(t, sh)
    closed = sp.log(sigma**2 * sh**2 / (sigma**2 * sh**2 - theta**2)) / 2
    d = D / (2 * sigma**2)
    at_p0 = sp.simplify(sp.exp(2 * closed.subs(P, 0)) - 1 / (d * (2 - d)))
    factor = (sigma**2 * sh**2 - theta**2) - (D - P) * ((2 * sigma - sp.sqrt(P))**2 - D) / 4
    return _report([
        ("dI/dt = 0 has the root sqrt(sigma^2 - D)", found),
        ("I at the root - 1/2 log(sigma^2/D)", value_at == 0),
        ("inactive iff sqrt(sigma^2-D) >= sigma - sqrt(P) <=> D <= 2 sigma sqrt(P) - P", boundary),
        ("I(t = sigma_hat) - active closed form", _zero(sp.exp(2 * active) - sp.exp(2 * closed))),
        ("active form at P=0 - 1/2 log(1/(d(2-d)))", at_p0 == 0),
        ("sigma^2 sh^2 - theta^2 = (D-P)((2 sigma - sqrt P)^2 - D)/4 (used by the float code)",
         _zero(factor)),
    ])


@claim("gaussian.sd_ltc.sympy_identities",
       "SD-LTC with the Thm 4.3 parameters: distortion exactly D, output variance (σ-√P)², "
       "½log(1+σ²/η²) = R(D,P) (active regime); distortion D and rate ½log(σ²/D) (inactive)",
       "Lei, Hassani & Saeedi Bidokhti 2025, Thm 4.3",
       kind="independent")
def _sd(ctx):
    sh, theta = _theta_active()
    eta2 = sigma**2 * (sigma**2 * sh**2 / theta**2 - 1)
    beta = theta / sigma**2
    # x_hat = beta (x + u), u independent of x with per-dimension variance eta^2
    dist = (1 - beta)**2 * sigma**2 + beta**2 * eta2
    var_out = beta**2 * (sigma**2 + eta2)
    rate_arg = 1 + sigma**2 / eta2
    closed_arg = sigma**2 * sh**2 / (sigma**2 * sh**2 - theta**2)
    eta2_i = D * sigma**2 / (sigma**2 - D)
    beta_i = (sigma**2 - D) / sigma**2
    return _report([
        ("active: distortion - D", _zero(dist - D)),
        ("active: Var(x_hat) - (sigma - sqrt P)^2", _zero(var_out - sh**2)),
        ("active: beta - sigma_hat/sqrt(sigma^2+eta^2) (squared)",
         _zero(beta**2 - sh**2 / (sigma**2 + eta2))),
        ("active: (1 + sigma^2/eta^2) - exp(2 R(D,P))", _zero(rate_arg - closed_arg)),
        ("inactive: distortion - D",
         _zero((1 - beta_i)**2 * sigma**2 + beta_i**2 * eta2_i - D)),
        ("inactive: (1 + sigma^2/eta^2) - sigma^2/D", _zero(1 + sigma**2 / eta2_i - sigma**2 / D)),
    ])


@claim("gaussian.pd_ltc.sympy_identities",
       "PD-LTC with the Thm 4.5 parameters: output variance σ², distortion D and rate "
       "½log(σ²/ν) = R(D/2,∞), in the model Q(αX) = αX + E, E ⊥ X with variance σ²(Λ)",
       "Lei, Hassani & Saeedi Bidokhti 2025, Thm 4.5",
       kind="independent")
def _pd(ctx):
    nu = D / 2
    alpha = (sigma**2 - nu) / sigma**2
    s = sigma / sp.sqrt(sigma**2 - nu)
    m2 = (sigma**2 - nu) * nu / sigma**2
    # x_hat = alpha x + E + s u, E and u independent of x and of each other, variance m2 each
    var_out = alpha**2 * sigma**2 + m2 + s**2 * m2
    dist = (1 - alpha)**2 * sigma**2 + m2 + s**2 * m2
    rate_arg = (alpha**2 * sigma**2 + m2) / m2  # I(alpha X; alpha X + E) for Gaussian E
    return _report([
        ("Var(x_hat) - sigma^2", _zero(var_out - sigma**2)),
        ("distortion - D", _zero(dist - D)),
        ("exp(2 rate) - 2 sigma^2/D", _zero(rate_arg - 2 * sigma**2 / D)),
        ("s - 1 > 0 (theory needs s >= 1): s^2 - 1 - nu/(sigma^2 - nu)",
         _zero(s**2 - 1 - nu / (sigma**2 - nu))),
    ])


@claim("gaussian.qsd_ltc.sympy_identities",
       "QSD-LTC with the Γ-dependent recipe (qsd_ltc_parameters: α = 1−x, σ²(Λ) = σ²αx, "
       "β = √((1−t)/α), s = 1/√(1−t), x = 2^{-2R}, t = x/Γ²): output variance σ², distortion "
       "2σ²(1 − √((1−2^{-2R})(1−2^{-2(R+R_c)}))) = D(R, R_c), rate ½log(1+α²σ²/σ²(Λ)) = R, and "
       "at Γ = 1 the Thm 4.5 parameters, in the model c + û = αX + E, E ⊥ X with variance "
       "σ²(Λ), u_f ⊥ with variance σ²(Λ)/Γ²",
       "Construction of rdptheory (gaussian.qsd_ltc_parameters) realising the jointly Gaussian U "
       "of Saldi, Linder & Yüksel 2015 / Wagner 2022; endpoints: Lei, "
       "Hassani & Saeedi Bidokhti 2025, Thms 4.3 and 4.5",
       kind="independent")
def _qsd(ctx):
    # positive symbols a = α = 1 - x and q = 1 - t (both in (0, 1)), so that sympy may combine
    # square roots; then x = 1 - a, t = 1 - q and Γ² = x/t
    a, q = sp.symbols("a q", positive=True)
    x, tt = 1 - a, 1 - q
    G2 = x / tt
    m2 = sigma**2 * a * x
    beta = sp.sqrt(q / a)
    s = 1 / sp.sqrt(q)
    var_out = beta**2 * (a**2 * sigma**2 + m2 + s**2 * m2 / G2)
    dist = (1 - beta * a)**2 * sigma**2 + beta**2 * (m2 + s**2 * m2 / G2)
    d_rrc = 2 * sigma**2 * (1 - sp.sqrt((1 - x) * (1 - tt)))  # e1 = x = 2^{-2R}, e2 = t
    rate_arg = (a**2 * sigma**2 + m2) / m2  # = 2^{2R} = 1/x
    nu = D / 2
    at_one = {a: 1 - nu / sigma**2, q: 1 - nu / sigma**2}  # Γ = 1: t = x = D/(2σ²)
    return _report([
        ("Var(x_hat) - sigma^2", _zero(var_out - sigma**2)),
        ("distortion - D(R, R_c)", _zero(dist - d_rrc)),
        ("exp(2 rate) - 1/x", _zero(rate_arg - 1 / x)),
        ("Gamma = 1: beta - 1", _zero(beta.subs(at_one) - 1)),
        ("Gamma = 1: s^2 - sigma^2/(sigma^2 - nu)",
         _zero(s.subs(at_one)**2 - sigma**2 / (sigma**2 - nu))),
        ("Gamma = 1: second moment - (sigma^2 - nu) nu / sigma^2",
         _zero(m2.subs(at_one) - (sigma**2 - nu) * nu / sigma**2)),
        ("Gamma -> inf (q -> 1): s - 1", _zero(s.subs(q, 1) - 1)),
    ])
