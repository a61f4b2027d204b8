"""The Python API matches the CLI's defaults, has readable reprs, and its results convert to
dicts and DataFrames (issue 10 item 7)."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from tcpredict.eliashberg.spectra import einstein
from tcpredict.stacks.proximity import Interface, Layer, Stack, bilayer


def _layers():
    a = Layer(einstein(10.0, 1.0), 0.1, thickness_nm=1.0, dos_per_spin=1.0, material="A")
    b = Layer(einstein(20.0, 0.3), 0.1, thickness_nm=2.0, dos_per_spin=1.0, material="B")
    return a, b


def test_bilayer_defaults_to_the_cooper_limit_like_the_cli():
    a, b = _layers()
    st = bilayer(a, b)
    assert st.interfaces == (Interface(cooper_limit=True),)
    # the same stack as cooper_limit=True: the same Tc (identical inputs, identical solve)
    t0 = st.tc(layer_tc=False).tc_K
    t1 = bilayer(a, b, cooper_limit=True).tc(layer_tc=False).tc_K
    assert t0 == t1 and t0 is not None
    with pytest.raises(ValueError, match="at most one"):
        bilayer(a, b, gamma_meV=1.0, decoupled=True)


def test_element_bilayer_without_interface_argument():
    # the example: it raised before; now the Cooper limit as `tcpredict bilayer`
    st = bilayer(Layer.from_element("Al", 0.5), Layer.from_element("Au", 0.47))
    assert st.interfaces[0].cooper_limit


def test_reprs():
    a, b = _layers()
    assert repr(Interface(cooper_limit=True)) == "Interface(cooper_limit=True)"
    assert repr(Interface(gamma_meV=2.5)) == "Interface(gamma_meV=2.5)"
    ra = repr(a)
    assert ra.startswith("Layer('A', thickness_nm=1") and "λ_bulk=1" in ra and "Alpha2F" not in ra
    al = repr(Layer.from_element("Al", 0.5))
    assert "'Al'" in al and "dos-scaling" in al
    rs = repr(Stack([a, b, a], [Interface(gamma_meV=1.0), Interface(cooper_limit=True)]))
    assert rs.startswith("Stack(A 1 nm |Γ=1 meV| B 2 nm |Γ→∞| A 1 nm")
    assert "cutoff_meV=" in rs


def test_tc_result_converts():
    from tcpredict.eliashberg.tc import solve_tc

    r = solve_tc(einstein(10.0, 1.0), 0.1)
    d = r.to_dict()
    json.dumps(d)
    df = r.to_dataframe()
    assert len(df) == 1 and df["tc_K"].iloc[0] == r.tc_K and df["lambda"].iloc[0] == r.lam
    assert df.attrs["tcpredict_version"]


def test_stack_result_converts():
    a, b = _layers()
    r = bilayer(a, b, gamma_meV=1.0).tc(layer_tc=False)
    json.dumps(r.to_dict())
    df = r.to_dataframe()
    assert list(df["material"]) == ["A", "B"]
    assert (df["tc_K"] == r.tc_K).all()
    g = r.gammas_meV[0]
    assert df["gamma_down_meV"].iloc[0] == pytest.approx(g[0])
    assert math.isnan(df["gamma_down_meV"].iloc[1])
    rc = bilayer(a, b).tc(layer_tc=False).to_dataframe()
    assert rc["gamma_down_meV"].isna().all()


def test_gap_result_converts():
    from tcpredict.eliashberg.gap import solve_gap

    r = solve_gap(einstein(10.0, 1.0), 0.1, temperature_K=1.0)
    json.dumps(r.to_dict())
    df = r.to_dataframe()
    n = r.n_matsubara
    assert len(df) == n and list(df["n"][:3]) == [0, 1, 2]
    np.testing.assert_array_equal(df["delta_meV"].to_numpy(), r.delta_n_meV)
    np.testing.assert_array_equal(df["omega_n_meV"].to_numpy(), r.omega_n_meV)


def test_film_and_map_convert():
    from tcpredict.films.film import film_tc
    from tcpredict.stacks.maps import tc_map

    f = film_tc("Al", [1.0, 2.0])
    json.dumps(f.to_dict())
    assert isinstance(f.to_dataframe(), pd.DataFrame)
    m = tc_map("Al", "Pb", [1.0, 2.0], [1.0, 2.0])
    d = m.to_dict()
    json.dumps(d)
    assert np.array(d["grid"]["tc_K"]).shape == (2, 2)
    assert d["tc_best_K"] == m.tc_best_K
    pd.testing.assert_frame_equal(m.to_dataframe(), m.to_frame())
