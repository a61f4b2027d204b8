"""Full gap outputs: the xarray Dataset of a temperature sweep, netCDF, plots (issue 12.2)."""

import json

import numpy as np
import pytest

from tcpredict.eliashberg.gap import gap_sweep, solve_gap
from tcpredict.eliashberg.gapdata import (
    gap_dataset,
    open_gap_dataset,
    sweep_dataset,
    write_netcdf,
)
from tcpredict.eliashberg.multiband import MultibandProblem, multiband_gap_sweep
from tcpredict.eliashberg.spectra import einstein
from tcpredict.eliashberg.tc import solve_tc
from tcpredict.units import K_B_MEV_PER_K

SP = einstein(10.0, 1.0)
KW = dict(mustar_at_meV=250.0, cutoff_meV=250.0)


@pytest.fixture(scope="module")
def tc():
    return solve_tc(SP, 0.12, **KW).tc_K


@pytest.fixture(scope="module")
def sweep(tc):
    return gap_sweep(SP, 0.12, [1.05 * tc, 0.7 * tc, 0.2 * tc], tc_K=tc, **KW)


def test_single_band_dataset_layout_and_values(sweep, tc):
    ds = sweep_dataset(sweep, tc_K=tc, real_axis="pade", parameters={"x": 1})
    assert set(ds["delta_meV"].dims) == {"temperature_K", "n"}  # no band dim for one band
    assert ds.sizes["n"] == max(g.n_matsubara for g in sweep)
    for k, g in enumerate(sweep):
        n = g.n_matsubara
        np.testing.assert_array_equal(ds["delta_meV"].values[k, :n], g.delta_n_meV)
        np.testing.assert_array_equal(ds["z"].values[k, :n], g.z_n)
        np.testing.assert_array_equal(ds["matsubara_meV"].values[k, :n], g.omega_n_meV)
        assert np.all(np.isnan(ds["delta_meV"].values[k, n:]))  # padded beyond N(T)
        # ω_n = πk_BT(2n+1)
        np.testing.assert_allclose(ds["matsubara_meV"].values[k, :3],
                                   np.pi * K_B_MEV_PER_K * g.temperature_K * np.array([1, 3, 5]))
    # above Tc: normal state, Δ₀ = 0 and N_s/N(0) = 1
    assert ds["superconducting"].values.tolist() == [0, 1, 1]
    assert ds["delta0_meV"].values[0] == 0.0
    assert np.all(ds["dos_ratio"].values[0] == 1.0)
    # Δ₀ grows as T falls; 2Δ₀/k_BTc is Δ₀ in units of k_BTc/2
    d0 = ds["delta0_meV"].values
    assert 0 < d0[1] < d0[2]
    np.testing.assert_allclose(ds["two_delta0_over_kTc"].values, 2 * d0 / (K_B_MEV_PER_K * tc))
    # the gap edge from the Dataset is the Padé one of the single-temperature path
    from tcpredict.eliashberg.realaxis import continue_gap

    assert d0[2] == pytest.approx(continue_gap(sweep[2]).delta0_meV, rel=1e-9)
    # below the gap edge there are no quasiparticles (low T)
    om = ds["omega_meV"].values
    assert np.all(ds["dos_ratio"].values[2][om < 0.95 * d0[2]] < 1e-6)
    assert ds.attrs["tcpredict_version"] and json.loads(ds.attrs["parameters"]) == {"x": 1}


def test_netcdf_round_trip(sweep, tc, tmp_path):
    ds = sweep_dataset(sweep, tc_K=tc, real_axis="pade")
    p = write_netcdf(ds, tmp_path / "sub" / "gap.nc")
    back = open_gap_dataset(p)
    for v in ("delta_meV", "z", "delta0_meV", "dos_ratio", "delta_real_meV"):
        np.testing.assert_array_equal(back[v].values, ds[v].values)
    assert back["delta_meV"].attrs["units"] == "meV"
    assert back.attrs["tc_K"] == pytest.approx(tc)
    assert isinstance(back.attrs["notes_list"], list)


def test_gap_result_to_xarray_and_single_band_accessor(sweep):
    g = sweep[1]
    assert g.delta_meV.shape == (1, g.n_matsubara)
    assert g.delta_n_meV.shape == (g.n_matsubara,)
    ds = g.to_xarray()
    assert ds.sizes["temperature_K"] == 1
    assert np.isnan(ds["delta0_meV"].values[0])  # no real axis requested: NaN, with a note
    assert "no real-axis" in ds.attrs["notes"]


def test_multiband_dataset_has_a_band_dimension_and_total_dos():
    prob = MultibandProblem.einstein(20.0, [[1.0, 0.2], [0.1, 0.4]], np.diag([0.1, 0.1]),
                                     mustar_at_meV=200.0, cutoff_meV=200.0, dos=(1.0, 2.0),
                                     labels=("a", "b"))
    res = multiband_gap_sweep(prob, [5.0, 2.0])
    with pytest.raises(ValueError, match="delta_meV\\[j\\]"):
        res[0].delta_n_meV
    ds = sweep_dataset(res, tc_K=None, real_axis="pade")
    assert ds["delta_meV"].dims == ("temperature_K", "band", "n")
    assert list(ds["band"].values) == ["a", "b"]
    tot = (1.0 * ds["dos_ratio"].values[:, 0] + 2.0 * ds["dos_ratio"].values[:, 1]) / 3.0
    np.testing.assert_allclose(ds["dos_ratio_total"].values, tot)
    assert np.all(np.isnan(ds["two_delta0_over_kTc"].values))  # no Tc given


def test_dataset_size_is_bounded(sweep, monkeypatch):
    import tcpredict.eliashberg.gapdata as gd

    monkeypatch.setattr(gd, "MAX_DATASET_VALUES", 100)
    with pytest.raises(ValueError, match="limit"):
        gap_dataset(sweep)


def test_plot_gap_sweep(sweep, tc, tmp_path):
    import matplotlib.pyplot as plt

    from tcpredict.plotting.eliashberg import plot_gap_sweep

    ds = sweep_dataset(sweep, tc_K=tc, real_axis="pade")
    p = tmp_path / "sweep.png"
    plot_gap_sweep(ds, p, title="test")
    assert p.stat().st_size > 5000
    fig, axes = plt.subplots(1, 2)
    assert plot_gap_sweep(ds, axes=axes) is fig  # draws into the given axes, no file
    plt.close(fig)


def test_stack_gap_sweep_matches_stack_gaps():
    from tcpredict.stacks.gapsweep import stack_gap_sweep, stack_sweep_dataset
    from tcpredict.stacks.proximity import Interface, Layer, Stack

    a = Layer(einstein(10.0, 1.0), 0.12, 250.0, 1.0, dos_per_spin=1.0, material="A")
    b = Layer(einstein(25.0, 0.45), 0.10, 250.0, 1.0, dos_per_spin=1.0, material="B")
    st = Stack([a, b, a], [Interface(gamma_meV=0.5), Interface(cooper_limit=True)], 250.0)
    tc = st.tc(layer_tc=False).tc_K
    res = stack_gap_sweep(st, [0.6 * tc, 0.3 * tc], tc_K=tc)
    assert res[1].start == "warm"
    cold = st.gaps(0.3 * tc, tc_K=tc)
    np.testing.assert_allclose(res[1].delta_meV, cold.delta_meV, atol=1e-8, rtol=0)
    np.testing.assert_array_equal(res[1].delta_meV[1], res[1].delta_meV[2])  # Cooper group
    ds = stack_sweep_dataset(st, [0.3 * tc], tc_K=tc, real_axis=None)
    assert ds["delta_meV"].dims == ("temperature_K", "layer", "n")
    assert list(ds["layer"].values) == ["0:A", "1:B", "2:A"]
