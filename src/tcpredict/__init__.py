"""tcpredict: superconductivity where bulk theory says there is none.

Isotropic Migdal–Eliashberg theory on the Matsubara axis (:mod:`tcpredict.eliashberg`),
extended by quantum confinement in thin films (:mod:`tcpredict.films`) and by the proximity
effect in bilayers and stacks (:mod:`tcpredict.stacks`), with sourced element data
(:mod:`tcpredict.materials`), plus the boson–fermion (resonant pairing) model
(:mod:`tcpredict.bfm`). Energies in meV, temperatures in K, lengths in nm at the API surface.

The names below are imported on first use (PEP 562), so ``import tcpredict`` is cheap.
"""

__version__ = "0.2.0"

from tcpredict._lazy import lazy_exports  # noqa: E402

_EXPORTS = {
    # the Eliashberg core
    "Alpha2F": "eliashberg.spectra", "einstein": "eliashberg.spectra",
    "gaussian_peak": "eliashberg.spectra", "lorentzian_peak": "eliashberg.spectra",
    "debye": "eliashberg.spectra", "from_moments": "eliashberg.spectra",
    "mcmillan_tc_K": "eliashberg.closed_forms", "allen_dynes_tc_K": "eliashberg.closed_forms",
    "LinearizedOperator": "eliashberg.operator",
    "solve_tc": "eliashberg.tc", "TcResult": "eliashberg.tc",
    "solve_gap": "eliashberg.gap", "gap_sweep": "eliashberg.gap", "GapResult": "eliashberg.gap",
    "continue_gap": "eliashberg.realaxis", "thermodynamics": "eliashberg.thermo",
    # films and stacks
    "FilmMaterial": "films.film", "film_tc": "films.film",
    "Layer": "stacks.proximity", "Interface": "stacks.proximity", "Stack": "stacks.proximity",
    "bilayer": "stacks.proximity", "load_stack_file": "stacks.stackfile",
    "tc_map": "stacks.maps", "run_screen": "stacks.screen",
    # data
    "load_alpha2f": "materials.loaders", "write_alpha2f": "materials.loaders",
    "get_element": "materials.elements", "list_elements": "materials.elements",
    # uncertainty (docs/uncertainty.md)
    "Uncertainty": "uncertainty", "ParameterRanges": "uncertainty",
    # errors
    "ConvergenceError": "errors",
}
__getattr__, __dir__, _names = lazy_exports(__name__, _EXPORTS)
__all__ = ["__version__", *_names]
