"""tcpredict: superconductivity where bulk theory says there is none.

Isotropic Migdal–Eliashberg theory on the Matsubara axis, extended by quantum confinement in thin
films and by the proximity effect in bilayers/stacks, plus the boson–fermion (resonant pairing)
model in :mod:`tcpredict.bfm`. Energies in meV, temperatures in K, lengths in nm at the API
surface.
"""

__version__ = "0.1.0"

from tcpredict.closed_forms import allen_dynes_tc_K, mcmillan_tc_K  # noqa: E402
from tcpredict.eliashberg import ConvergenceError, LinearizedStack, TcResult, solve_tc  # noqa: E402
from tcpredict.gap import GapResult, gap_sweep, solve_gap  # noqa: E402
from tcpredict.loaders import load_alpha2f, write_alpha2f  # noqa: E402
from tcpredict.materials import get_element, list_elements  # noqa: E402
from tcpredict.realaxis import continue_gap  # noqa: E402
from tcpredict.spectra import Alpha2F, debye, einstein, from_moments, gaussian_peak, lorentzian_peak  # noqa: E402,E501
from tcpredict.thermo import thermodynamics  # noqa: E402

__all__ = [
    "__version__", "Alpha2F", "einstein", "gaussian_peak", "lorentzian_peak", "debye",
    "from_moments", "load_alpha2f", "write_alpha2f", "mcmillan_tc_K", "allen_dynes_tc_K",
    "solve_tc", "TcResult", "LinearizedStack", "ConvergenceError", "solve_gap", "gap_sweep",
    "GapResult", "continue_gap", "thermodynamics", "get_element", "list_elements",
]
