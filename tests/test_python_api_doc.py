"""docs/python_api.md runs as written: its Python blocks are executed in order in one namespace
(small inputs: a 3-point film, a 3 × 3 map, a screen of 3 elements on 3 thicknesses), and the
numbers it quotes are checked."""

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).parents[1] / "docs" / "python_api.md"


def _blocks():
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_page_has_one_block_per_step():
    text = PAGE.read_text(encoding="utf-8")
    heads = re.findall(r"^## §(\d+) ", text, re.M)
    assert heads == [str(i) for i in range(1, 8)]
    assert len(_blocks()) >= 7


def test_python_api_page_runs(capsys):
    ns: dict = {"__name__": "python_api_doc"}
    for k, block in enumerate(_blocks(), start=1):
        exec(compile(block, f"docs/python_api.md block {k}", "exec"), ns)
    out = capsys.readouterr().out
    # §2: docs/eliashberg.md §4, Einstein λ = 1, Ω_E = 10 meV, μ* = 0.12 at ω_c = 250 meV → 8.996 K
    assert ns["r"].tc_K == pytest.approx(8.996, abs=1e-3)
    assert "Tc = 8.9959 K" in out
    # §4: the default is the Cooper limit, the same number as cooper_limit=True (docs/proximity.md §8
    # quotes 0.0926 K for Al 0.5 nm / Au 0.47 nm); decoupled = the larger layer Tc
    # (docs/proximity.md §3: Γ = 0 gives max_j Tc_j)
    assert ns["res_cooper"].parametrisation == "cooper-limit"
    assert ns["res_cooper"].tc_K == pytest.approx(0.0926, abs=1e-4)
    tc_alone = max(la.tc_alone_K or 0.0 for la in ns["res_decoupled"].layers)
    assert ns["res_decoupled"].tc_K == pytest.approx(tc_alone, rel=1e-3)
    # §5 and §6: shapes and the three pairs
    assert ns["grid"]["tc_K"].shape == (3, 3) and len(ns["long"]) == 9
    assert len(ns["ranking"]) == 3
    # §7: docs/bfm_local.md §9 reference row (Δ_B = 4, g = 0.5, α = 2): E0 = −0.14795,
    # E1 − E0 = 0.13777 (ħω0)
    assert ns["bfm"]["ground_energy_hw0"] == pytest.approx(-0.14795, abs=1e-5)
    assert ns["bfm"]["excitation_gap_hw0"] == pytest.approx(0.13777, abs=1e-5)
