"""The safeguarded secant of find_tc_warm on model functions with a known root
(docs/eliashberg.md §2.2): smooth ln ρ(ln T), and a staircase like the sharp cutoff's."""

import math

import pytest

from tcpredict.eliashberg.tc import find_tc_warm


class _Model:
    """ln ρ = −s·(ln T − ln Tc) + q·(ln T − ln Tc)² (+ a jump of ``jump`` per step of N when
    ``n_per_K`` is set: N(T) = floor(n_per_K / T)); counts evaluations."""

    def __init__(self, tc, s=0.3, q=0.05, jump=0.0, n_per_K=None):
        self.tc, self.s, self.q, self.jump, self.n_per_K = tc, s, q, jump, n_per_K
        self.calls = 0
        if n_per_K is not None:
            self.n_matsubara = lambda T: int(self.n_per_K / T)

    def eigen(self, T):
        self.calls += 1
        u = math.log(T / self.tc)
        f = -self.s * u + self.q * u * u
        if self.n_per_K is not None:  # steps relative to N at Tc: ρ(Tc) = 1 stays the root
            f += self.jump * (int(self.n_per_K / T) - int(self.n_per_K / self.tc))
        return math.exp(f), None, {}


@pytest.mark.parametrize("guess", [0.9, 0.99, 1.0, 1.02, 1.3, 3.0])
@pytest.mark.parametrize("slope", [-0.3, -0.1, -1.0])
def test_smooth_root_within_rtol(guess, slope):
    m = _Model(2.0)
    tc, info = find_tc_warm(m, 2.0 * guess, 0.01, rtol=1e-4, slope=slope)
    assert tc == pytest.approx(2.0, rel=1e-4)
    assert info["evaluations"] == m.calls <= 8


def test_staircase_result_within_rtol_and_the_step_width():
    # a jump of 1e-4 in ln ρ every 1/N in ln T (N ≈ 150): the result stays within rtol + the
    # jump's own width (jump/slope) of the root of the smooth part
    for k in range(40):
        tc0 = 1.0 + 0.0137 * k
        m = _Model(tc0, s=0.25, q=0.0, jump=-1e-4, n_per_K=150.0 * tc0 + 0.37 * k)
        tc, _ = find_tc_warm(m, tc0 * 1.03, 0.01, rtol=1e-4, slope=-0.3)
        assert tc == pytest.approx(tc0, rel=1e-4 + 1e-4 / 0.25)


def test_grid_guess_is_bilinear_in_ln_tc():
    # the start of each grid point's root search (tcpredict.stacks.maps._grid_guess): exact for
    # Tc(i, j) = a·b_i·c_j (bilinear in ln Tc), clamped to ×/÷ 1.5 of the point above
    import numpy as np

    from tcpredict.stacks.maps import _grid_guess

    bi, cj = np.array([1.0, 1.3, 1.1, 0.9]), np.array([2.0, 2.2, 2.5])
    exact = 3.0 * bi[:, None] * cj[None, :]
    tc = np.zeros_like(exact)
    tc[0] = exact[0]
    tc[1, 2] = exact[1, 2]  # row 1 runs right to left (serpentine): (1, 1) follows (1, 2)
    assert _grid_guess(tc, 1, 1) == pytest.approx(exact[1, 1], rel=1e-12)
    tc[1] = exact[1]
    tc[2, 0] = exact[2, 0]  # row 2 runs left to right: (2, 1) follows (2, 0)
    assert _grid_guess(tc, 2, 1) == pytest.approx(exact[2, 1], rel=1e-12)
    assert _grid_guess(tc, 0, 1) is None  # first row: the solver's own guess
    tc[1, 1] = 0.0  # no Tc above: none either
    assert _grid_guess(tc, 2, 1) is None
    tc[1] = exact[1]
    tc[2, 0] = 100 * exact[2, 0]  # a wild neighbour ratio is clamped
    assert _grid_guess(tc, 2, 1) == pytest.approx(1.5 * exact[1, 1])


class _StepModel:
    """ln ρ = −s ln(T/T*) + J (N(T) − N₀ − ½) with the package's N(T) for the cutoff ω_c and
    T* = ω_c/(πk_B(2N₀+1)), where N changes from N₀ + 1 to N₀: ρ jumps across 1 at T*."""

    def __init__(self, cutoff_meV=300.0, n0=700, s=0.25, jump=1e-4):
        from tcpredict.eliashberg.matsubara import n_matsubara
        from tcpredict.units import K_B_MEV_PER_K

        self.cutoff_meV, self.n0, self.s, self.jump = cutoff_meV, n0, s, jump
        self.n_matsubara = lambda T: n_matsubara(T, cutoff_meV)
        self.t_star = cutoff_meV / (math.pi * K_B_MEV_PER_K * (2 * n0 + 1))

    def eigen(self, T):
        f = -self.s * math.log(T / self.t_star) + self.jump * (
            self.n_matsubara(T) - self.n0 - 0.5)
        return math.exp(f), None, {}


def _solve_step(guess):
    m = _StepModel()
    tc, info = find_tc_warm(m, m.t_star * guess, 0.01, rtol=1e-4, slope=-0.25)
    return tc / m.t_star, info.get("root_in_cutoff_step", False)


@pytest.mark.parametrize("guess", [0.97, 0.999, 1.0004, 1.02])
def test_root_inside_a_step_of_the_staircase_is_the_step(guess):
    # no T has ρ = 1: the root of the discontinuous ρ(T) is where N changes, T*; found
    # exactly once the bracket holds that one step, else within rtol by the secant
    ratio, in_step = _solve_step(guess)
    assert ratio == pytest.approx(1.0, rel=1e-12 if in_step else 1e-4)


def test_the_step_is_recognised():
    assert sum(_solve_step(g)[1] for g in (0.97, 0.999, 1.0004, 1.02)) >= 2
