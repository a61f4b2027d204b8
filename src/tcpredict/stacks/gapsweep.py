"""Gap sweeps of a stack over temperature: Δ_j(iω_n), Z_j(iω_n) per layer, warm-started.

The nonlinear stack equations (docs/proximity.md §1) are solved by
:func:`tcpredict.eliashberg.gap.solve_gap_stack` on the stack's exact operator
(``Stack.problem(method="exact")``), sweeping downward in T with each point started from the
previous solution; layers joined by a Cooper-limit interface share one gap, reported for each
member. The results convert to the gap Dataset of :mod:`tcpredict.eliashberg.gapdata` with a
``layer`` dimension (:func:`stack_sweep_dataset`).

Energies in meV, temperatures in K.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from tcpredict.limits import check_temperatures

__all__ = ["stack_gap_sweep", "stack_sweep_dataset", "layer_labels"]


def layer_labels(stack) -> tuple:
    """Unique layer names "j:material" (j from 0, in stacking order)."""
    return tuple(f"{j}:{la.material}" for j, la in enumerate(stack.layers))


def stack_gap_sweep(stack, temperatures_K, *, tc_K: float | None = None,
                    tol: float = 1e-10) -> list:
    """Gaps of every layer at every temperature (results in the order of ``temperatures_K``).

    Returns
    -------
    list of GapResult
        ``delta_meV``, ``z`` of shape (layers, N); ``component`` "layer", ``labels`` from
        :func:`layer_labels`.
    """
    from tcpredict.eliashberg.gap import bcs_gap_guess_meV, solve_gap_stack, sweep_downward

    temps = check_temperatures(temperatures_K)
    prob = stack.problem(method="exact")
    # which layers each effective channel holds (Cooper-limit groups are one channel)
    chans, _ = stack._channels()
    members = [c.members for c in chans]
    if tc_K is None:
        tc_K = stack.tc(layer_tc=False).tc_K or 0.0
    labels = layer_labels(stack)

    def at(T, warm):
        if warm is not None:
            return solve_gap_stack(prob, T, warm.delta_meV, omega_start_meV=warm.omega_n_meV,
                                   tol=tol, start="warm")
        d0 = bcs_gap_guess_meV(tc_K, T) if tc_K > T else 0.0
        return solve_gap_stack(prob, T, np.full(len(members), max(d0, 1e-3)), tol=tol)

    rows = [ci for ci, m in enumerate(members) for _ in m]  # a channel's gap for each member
    return [replace(res, delta_meV=res.delta_meV[rows], z=res.z[rows],
                    z_normal=res.z_normal[rows], labels=labels, component="layer",
                    mustar_at_cutoff=tuple(res.mustar_at_cutoff[r] for r in rows))
            for res in sweep_downward(temps, at)]


def stack_sweep_dataset(stack, temperatures_K, *, tc_K: float | None = None,
                        real_axis: str | None = "pade", parameters: dict | None = None,
                        tol: float = 1e-10):
    """:func:`stack_gap_sweep` as an :class:`xarray.Dataset` (``layer`` dimension; layout in
    :mod:`tcpredict.eliashberg.gapdata`)."""
    from tcpredict.eliashberg.gapdata import sweep_dataset

    if tc_K is None:
        tc_K = stack.tc(layer_tc=False).tc_K
    res = stack_gap_sweep(stack, temperatures_K, tc_K=tc_K or 0.0, tol=tol)
    params = {"cutoff_meV": stack.cutoff_meV, "layers": list(layer_labels(stack)),
              "thickness_nm": [la.thickness_nm for la in stack.layers],
              "mustar_at_cutoff": list(stack.mustar_at_cutoff),
              "interfaces": [i.parametrisation for i in stack.interfaces]}
    params.update(parameters or {})
    return sweep_dataset(res, tc_K=tc_K if tc_K and math.isfinite(tc_K) else None,
                         real_axis=real_axis, parameters=params)
