"""Gaussian W2 closed forms at their edges: small and zero variances, tolerance boundaries of the
covariance checks, and error messages that name the parameter (written against mutation-testing
survivors of rdptheory/perception/gaussian.py; expected values by hand or by an independent
route)."""
import numpy as np
import pytest
from scipy import linalg

from rdptheory.perception import w2_gaussian, w2_gaussian_cov


def test_w2_gaussian_small_and_zero_variances():
    # s1 + s2 = 0.3 < 1: (s1 - s2)^2 = 0.01 exactly as (v1 - v2)^2 / (s1 + s2)^2
    assert w2_gaussian(0.0, 0.01, 0.0, 0.04) == pytest.approx(0.01, rel=1e-14)
    assert w2_gaussian(0.5, 0.0, 0.0, 0.25) == pytest.approx(0.25 + 0.25, rel=1e-14)
    assert w2_gaussian(0.0, 0.0, 0.0, 0.0) == 0.0
    assert w2_gaussian(1e-3, 1e-10, 0.0, 4e-10) == pytest.approx(1e-6 + 1e-10, rel=1e-12)


@pytest.mark.parametrize("position, name", [(0, "mean1"), (1, "var1"), (2, "mean2"), (3, "var2")])
def test_w2_gaussian_errors_name_the_parameter(position, name):
    args = [0.0, 1.0, 0.0, 1.0]
    args[position] = float("nan")
    with pytest.raises(ValueError, match=f"^{name} must"):
        w2_gaussian(*args)
    if name.startswith("var"):
        args[position] = -0.5
        with pytest.raises(ValueError, match=f"^{name} must be in"):
            w2_gaussian(*args)


def test_w2_gaussian_broadcast_error_lists_every_name_and_shape():
    with pytest.raises(ValueError) as err:
        w2_gaussian(np.zeros(2), np.ones(3), 0.0, 1.0)
    msg = str(err.value)
    assert msg.startswith("mean1, var1, mean2, var2 must broadcast")
    assert "mean1 (2,)" in msg and "var1 (3,)" in msg and "mean2 ()" in msg and "var2 ()" in msg


def _w2_by_scipy(m1, S1, m2, S2):
    """The Dowson-Landau formula with scipy.linalg.sqrtm (an independent route)."""
    R = linalg.sqrtm(S2)
    cross = np.trace(linalg.sqrtm(R @ S1 @ R)).real
    return float(np.sum((np.asarray(m1) - m2) ** 2) + np.trace(S1) + np.trace(S2) - 2 * cross)


def test_w2_gaussian_cov_zero_and_singular_covariances():
    Z = np.zeros((2, 2))
    assert w2_gaussian_cov([1.0, 0.0], Z, [0.0, 0.0], Z) == 1.0
    S = np.diag([4.0, 0.0])
    assert w2_gaussian_cov([0.0, 0.0], Z, [0.0, 0.0], S) == pytest.approx(4.0, rel=1e-14)


def test_w2_gaussian_cov_accepts_rounding_level_defects_at_large_scale():
    # asymmetry 1e-6 on a 1e6-scale matrix: 1e-12 relative, inside the 1e-10 tolerance
    S1 = np.array([[1e6, 2.0], [2.0 + 1e-6, 3e6]])
    S2 = 2e6 * np.eye(2)
    expected = _w2_by_scipy(np.zeros(2), 0.5 * (S1 + S1.T), np.zeros(2), S2)
    assert w2_gaussian_cov(np.zeros(2), S1, np.zeros(2), S2) == pytest.approx(expected, rel=1e-9)
    # smallest eigenvalue -1e-4 at scale 1e6 (n = 3): inside -1e-10 * n * 1e6 = -3e-4, clipped
    S = np.diag([1e6, 1e6, -1e-4])
    got = w2_gaussian_cov(np.zeros(3), S, np.zeros(3), S)
    assert np.isfinite(got) and got == pytest.approx(0.0, abs=1e-6)
    got = w2_gaussian_cov(np.zeros(3), np.eye(3), np.zeros(3), S)   # clipped to diag(1e6,1e6,0)
    assert got == pytest.approx(2 * (1e3 - 1.0) ** 2 + 1.0, rel=1e-12)


def test_w2_gaussian_cov_psd_tolerance_uses_the_largest_eigenvalue():
    """All-ones 3x3 matrix: max |entry| 1 but largest eigenvalue 3, so the tolerance is
    1e-10 * 3 * 3 = 9e-10; an eigenvalue of -5e-10 is accepted, -1.2e-9 is not."""
    J = np.ones((3, 3))
    w2_gaussian_cov(np.zeros(3), J - 5e-10 * np.eye(3), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="S1 must be positive semidefinite"):
        w2_gaussian_cov(np.zeros(3), J - 1.2e-9 * np.eye(3), np.zeros(3), np.eye(3))


def test_w2_gaussian_cov_error_messages():
    with pytest.raises(ValueError, match=r"^S2 must be positive semidefinite; smallest eigenvalue "
                                         r"-1 \(largest 3\)$"):
        w2_gaussian_cov(np.zeros(3), np.eye(3), np.zeros(3), np.diag([-1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="^S1 must be a square matrix of real numbers$"):
        w2_gaussian_cov(np.zeros(2), [["a", "b"], ["c", "d"]], np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="^S1 must be symmetric"):
        w2_gaussian_cov(np.zeros(2), [[1.0, 0.5], [0.0, 1.0]], np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match=r"^S2 must be a \(2, 2\) matrix"):
        w2_gaussian_cov(np.zeros(2), np.eye(2), np.zeros(2), np.eye(3))
    with pytest.raises(ValueError, match="^S1 must have finite entries"):
        w2_gaussian_cov(np.zeros(2), np.diag([1.0, np.inf]), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="^m2 must have the shape of m1"):
        w2_gaussian_cov(np.zeros(2), np.eye(2), np.zeros(3), np.eye(2))
    with pytest.raises(ValueError, match="^m1 must be a non-empty 1-D mean vector"):
        w2_gaussian_cov(np.zeros((2, 2)), np.eye(2), np.zeros((2, 2)), np.eye(2))
    with pytest.raises(ValueError, match="^m2 must have finite entries"):
        w2_gaussian_cov(np.zeros(2), np.eye(2), [0.0, np.nan], np.eye(2))


def test_w2_gaussian_cov_matches_scipy_sqrtm_on_random_covariances():
    rng = np.random.default_rng(5)
    for n in (1, 2, 5):
        A, B = rng.normal(size=(n, n)), rng.normal(size=(n, n))
        S1, S2 = A @ A.T + 0.1 * np.eye(n), B @ B.T
        m1, m2 = rng.normal(size=n), rng.normal(size=n)
        assert w2_gaussian_cov(m1, S1, m2, S2) == pytest.approx(_w2_by_scipy(m1, S1, m2, S2),
                                                                rel=1e-9)
