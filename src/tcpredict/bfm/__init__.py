"""Resonant pairing: the boson–fermion model with local dynamical lattice instabilities.

Target scenario: J. Ranninger & A. Romano (2008), arXiv:0809.1455. Local models (polaronic site,
ligand cluster; exact diagonalization) are in units of ħω0 (:mod:`tcpredict.bfm.local`,
:mod:`tcpredict.bfm.ed`; docs/bfm_local.md); the lattice model (mean field, fluctuations, phase
stiffness) in units of the bandwidth D = 8t = 1 (:mod:`tcpredict.bfm.lattice`,
:mod:`tcpredict.bfm.fluctuations`, :mod:`tcpredict.bfm.stiffness`; docs/bfm_lattice.md).
Only the abstract of 0809.1455 could be consulted; hypotheses ([H]) are switches written into
every output. Bad input raises ``ValueError`` (also for work beyond the documented limits,
docs/bfm_local.md §6, docs/bfm_lattice.md §6); numerical failure raises
:class:`tcpredict.errors.ConvergenceError` (``bfm.ed.ConvergenceError`` is a subclass).
"""

from tcpredict.bfm.ed import (
    ConvergenceError,
    LehmannSpectrum,
    LocalEDResult,
    SumRuleError,
    cluster_minimum_gap,
    cluster_resonance_alpha,
    cluster_spectra,
    displacement_distribution,
    find_displacement_peaks,
    hermite_functions,
    local_crossover_temperature,
    scan_cluster_alpha,
    site_spectra,
    solve_cluster,
    solve_site,
)
from tcpredict.bfm.fluctuations import (
    FermionSpectrum,
    PairPropagator,
    fermion_spectrum,
    pair_propagator_real_space,
    pair_susceptibility,
    pseudogap_depth,
    thouless_temperature,
)
from tcpredict.bfm.lattice import (
    LatticeBFM,
    MeanFieldState,
    TStarResult,
    gap_curve,
    solve_meanfield,
    solve_t_star,
)
from tcpredict.bfm.local import PHONON_COUPLINGS, LigandCluster, PolaronicSite
from tcpredict.bfm.stiffness import (
    PhaseDiagram,
    TcResult,
    boson_hopping_estimate,
    phase_diagram,
    solve_tc,
    superfluid_stiffness,
)

__all__ = [
    "PolaronicSite", "LigandCluster", "PHONON_COUPLINGS", "solve_site", "solve_cluster",
    "site_spectra", "cluster_spectra", "LocalEDResult", "LehmannSpectrum", "ConvergenceError",
    "SumRuleError", "cluster_resonance_alpha", "cluster_minimum_gap", "scan_cluster_alpha",
    "local_crossover_temperature", "displacement_distribution", "hermite_functions",
    "find_displacement_peaks", "LatticeBFM", "MeanFieldState", "TStarResult", "solve_meanfield",
    "solve_t_star", "gap_curve", "superfluid_stiffness", "TcResult", "solve_tc",
    "boson_hopping_estimate", "PhaseDiagram", "phase_diagram", "FermionSpectrum",
    "fermion_spectrum", "pseudogap_depth", "pair_susceptibility", "thouless_temperature",
    "PairPropagator", "pair_propagator_real_space",
]
