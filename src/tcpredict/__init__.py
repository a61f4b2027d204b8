"""tcpredict: superconductivity where bulk theory says there is none.

Isotropic Migdal–Eliashberg theory on the Matsubara axis, extended by quantum confinement in thin
films and by the proximity effect in bilayers/stacks, plus the boson–fermion (resonant pairing)
model. Energies in meV, temperatures in K, lengths in nm at the API surface.
"""

__version__ = "0.1.0"
