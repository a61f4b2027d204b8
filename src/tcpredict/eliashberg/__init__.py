"""The isotropic Migdal–Eliashberg core on the Matsubara axis (docs/eliashberg.md).

Modules, one concept each:

- :mod:`~tcpredict.eliashberg.spectra` — Eliashberg functions α²F(Ω) and model spectra;
- :mod:`~tcpredict.eliashberg.closed_forms` — McMillan and Allen–Dynes formulas;
- :mod:`~tcpredict.eliashberg.matsubara` — Matsubara grids (full and compressed), μ* rescaling,
  Toeplitz + Hankel products;
- :mod:`~tcpredict.eliashberg.kernels` — sources of the phonon kernel λ(ν) (quadrature of α²F,
  exact Einstein modes, interpolated tables, scaled and summed kernels);
- :mod:`~tcpredict.eliashberg.operator` — THE linearized operator, for one layer, a stack of
  proximity-coupled layers or coupled bands, on a full or compressed Matsubara grid;
- :mod:`~tcpredict.eliashberg.tc` — Tc as the root of ρ(T) = 1;
- :mod:`~tcpredict.eliashberg.sensitivity` — ∂ln Tc/∂λ, ∂ln Tc/∂μ* from the eigen-problem at Tc
  (docs/uncertainty.md §2–§3);
- :mod:`~tcpredict.eliashberg.gap` — the nonlinear gap Δ(iω_n), Z(iω_n);
- :mod:`~tcpredict.eliashberg.realaxis` — analytic continuation to real frequencies;
- :mod:`~tcpredict.eliashberg.thermo` — free energy, specific heat, critical field;
- :mod:`~tcpredict.eliashberg.stiffness` — superfluid weight, kinetic inductance, phase stiffness;
- :mod:`~tcpredict.eliashberg.energy_dos` — energy-dependent density of states (models or a
  DOS file);
- :mod:`~tcpredict.eliashberg.multiband` — coupled bands (λ_ij, μ*_ij as a matrix) on the same
  operator;
- :mod:`~tcpredict.eliashberg.gapdata` — gap sweeps as an xarray Dataset / netCDF;
- :mod:`~tcpredict.eliashberg.mustar` — μ* conventions of ebmb, EPW and IsoME;
- :mod:`~tcpredict.eliashberg.inverse` — the μ*, λ scale or frequency scale for a target Tc.

Energies in meV, temperatures in K.
"""

from tcpredict._lazy import lazy_exports

_EXPORTS = {
    "mcmillan_tc_K": "closed_forms",
    "allen_dynes_tc_K": "closed_forms",
    "allen_dynes_from_spectrum": "closed_forms",
    "EnergyDOS": "energy_dos",
    "NormalStateDOS": "energy_dos",
    "solve_normal_state_dos": "energy_dos",
    "DOSNormalState": "energy_dos",
    "solve_tc_dos": "energy_dos",
    "GapDOSResult": "energy_dos",
    "solve_gap_dos": "energy_dos",
    "GapResult": "gap",
    "solve_gap": "gap",
    "solve_gap_stack": "gap",
    "gap_sweep": "gap",
    "bcs_gap_guess_meV": "gap",
    "MultibandProblem": "multiband",
    "MultibandTcResult": "multiband",
    "solve_multiband_tc": "multiband",
    "solve_multiband_gap": "multiband",
    "multiband_gap_sweep": "multiband",
    "load_multiband_file": "multiband",
    "gap_dataset": "gapdata",
    "sweep_dataset": "gapdata",
    "continue_sweep": "gapdata",
    "write_netcdf": "gapdata",
    "open_gap_dataset": "gapdata",
    "MustarConversion": "mustar",
    "convert_mustar": "mustar",
    "InversionResult": "inverse",
    "invert_tc": "inverse",
    "solve_tc_for_mustar": "inverse",
    "solve_tc_for_lambda_scale": "inverse",
    "solve_tc_for_omega_scale": "inverse",
    "ZeroKernel": "kernels",
    "detailed_balance_weights": "operator",
    "rescale_mustar_matrix": "matsubara",
    "Kernel": "kernels",
    "SpectrumKernel": "kernels",
    "TableKernel": "kernels",
    "ScaledKernel": "kernels",
    "SumKernel": "kernels",
    "StretchedKernel": "kernels",
    "as_kernel": "kernels",
    "n_matsubara": "matsubara",
    "fermion_frequencies_meV": "matsubara",
    "kernel_sequence": "matsubara",
    "normal_state_zomega_meV": "matsubara",
    "rescale_mustar": "matsubara",
    "ToeplitzHankel": "matsubara",
    "compressed_nodes": "matsubara",
    "LinearizedOperator": "operator",
    "FullGrid": "operator",
    "CompressedGrid": "operator",
    "GRIDS": "operator",
    "DENSE_MAX": "operator",
    "MAX_MATSUBARA": "operator",
    "PadeContinuation": "realaxis",
    "RealAxisGap": "realaxis",
    "continue_gap": "realaxis",
    "continue_gap_msc": "realaxis",
    "DEFAULT_PADE_POINTS": "realaxis",
    "Alpha2F": "spectra",
    "einstein": "spectra",
    "gaussian_peak": "spectra",
    "lorentzian_peak": "spectra",
    "debye": "spectra",
    "from_moments": "spectra",
    "EigenDerivatives": "sensitivity",
    "eigen_derivatives": "sensitivity",
    "tc_sensitivity": "sensitivity",
    "ConvergenceError": "tc",
    "CouplingSetup": "tc",
    "resolve_coupling": "tc",
    "pairing_eigenvalue": "tc",
    "TcResult": "tc",
    "solve_tc": "tc",
    "find_tc": "tc",
    "find_tc_warm": "tc",
    "free_energy_per_n0_meV2": "thermo",
    "ThermoResult": "thermo",
    "thermodynamics": "thermo",
    "BCS_RATIOS": "thermo",
    "StiffnessResult": "stiffness",
    "superfluid_stiffness": "stiffness",
    "pair_sum_meV": "stiffness",
    "clean_superfluid_fraction": "stiffness",
    "R_Q_OHM": "stiffness",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
