"""Large interface rates approach the exact Cooper limit and stay there (issue 8)."""

import math

import pytest

from tcpredict.stacks.proximity import Interface, Layer, Stack, bilayer

GAMMAS = [1e-3, 1e-1, 1.0, 10.0, 1e2, 1e3, 1e5, 1e8, 1e10, 1e15, 1e20, 1e50, 1e100, 1e200, 1e300]


@pytest.fixture(scope="module")
def layers():
    return Layer.from_element("Al", 0.5), Layer.from_element("Au", 0.47)


def test_tc_tends_to_the_cooper_limit_for_every_finite_gamma(layers):
    # exact limit (docs/proximity.md §3): the Cooper-limit effective superconductor
    a, b = layers
    cooper = bilayer(a, b, cooper_limit=True).tc(layer_tc=False, rtol=1e-6).tc_K
    prev = math.inf
    for g in GAMMAS:
        r = bilayer(a, b, gamma_meV=g).tc(layer_tc=False, rtol=1e-6)
        assert r.converged and r.tc_K is not None
        assert r.tc_K <= prev * (1 + 1e-5)  # Tc decreases towards the Cooper limit (Al/Au)
        prev = r.tc_K
        if g >= 1e5:
            assert r.tc_K == pytest.approx(cooper, rel=3e-4), g
    assert prev == pytest.approx(cooper, rel=1e-6)


def test_three_layer_stack_with_huge_gamma(layers):
    a, b = layers
    c = Layer.from_element("Pb", 0.6)
    ref = Stack([a, b, c], [Interface(cooper_limit=True), Interface(cooper_limit=True)]).tc(
        layer_tc=False)
    big = Stack([a, b, c], [Interface(gamma_meV=1e20), Interface(gamma_meV=1e300)]).tc(
        layer_tc=False)
    assert big.tc_K == pytest.approx(ref.tc_K, rel=1e-6)
    assert any("Cooper limit" in n for n in big.notes)
