"""Figures (matplotlib, Agg backend): the plotting edge of tcpredict.

Physics modules never import matplotlib; these functions take results and draw them.

- :mod:`~tcpredict.plotting.eliashberg` — thermodynamics of a bulk superconductor;
- :mod:`~tcpredict.plotting.films` — Tc(L) of a film;
- :mod:`~tcpredict.plotting.stacks` — bilayer maps and screens;
- :mod:`~tcpredict.plotting.bfm_local`, :mod:`~tcpredict.plotting.bfm_lattice` — boson–fermion model.
"""
