r"""Full gap outputs: Δ(iω_n), Z(iω_n), the real axis and Δ₀ over a temperature sweep as one
:class:`xarray.Dataset`, written as netCDF (docs/eliashberg.md §6).

Layout (dimension names are the coordinate names; ``[c]`` is ``band`` for coupled bands or
``layer`` for a stack, and is absent for a single superconductor):

========================  ==================================  ==================================
variable                  dimensions                          meaning
========================  ==================================  ==================================
``matsubara_meV``         temperature_K, n                    ω_n = πk_BT(2n+1) [meV]
``delta_meV``             temperature_K, [c], n               Δ(iω_n) [meV]
``z``                     temperature_K, [c], n               Z(iω_n)
``delta_iw0_meV``         temperature_K, [c]                  Δ(iω_0) [meV]
``delta0_meV``            temperature_K, [c]                  gap edge Δ₀ = Re Δ(ω = Δ₀) [meV]
``two_delta0_over_kTc``   temperature_K, [c]                  2Δ₀/k_BTc
``omega_meV`` (coord)     omega_meV                           real frequencies ω [meV]
``delta_real_meV``        temperature_K, [c], omega_meV       Re Δ(ω) [meV]
``delta_imag_meV``        temperature_K, [c], omega_meV       Im Δ(ω) [meV]
``dos_ratio``             temperature_K, [c], omega_meV       N_s(ω)/N(0) = Re[ω/√(ω² − Δ²)]
``dos_ratio_total``       temperature_K, omega_meV            Σ_i N_i N_s,i(ω)/Σ_i N_i (bands)
``n_matsubara``           temperature_K                       N (frequencies below ω_c)
``superconducting``       temperature_K                       1 below Tc, 0 in the normal state
``iterations``            temperature_K                       nonlinear iterations
``residual``              temperature_K                       final max|ΔΔ|/max|Δ|
========================  ==================================  ==================================

N grows as T falls, so the Matsubara arrays are padded with NaN beyond each temperature's N.
Normal-state temperatures have Δ = 0, Δ₀ = 0 and N_s/N(0) = 1. A real-axis continuation that
fails (Padé finds no gap edge) leaves NaN at that temperature and says so in ``attrs["notes"]``.
Attributes: ``tcpredict_version``, ``parameters`` (JSON), ``tc_K``, ``cutoff_meV``,
``real_axis_method``, ``notes`` (JSON list), and a ``units`` attribute on every variable.

netCDF backend: scipy's netCDF-3 writer (``engine="scipy"``, 64-bit offset format). It needs no
library beyond scipy (netCDF4/h5netcdf are not dependencies of tcpredict), and every netCDF
reader (xarray, netCDF4-python, ncdump, NCO, Fortran/C libraries) reads netCDF-3. Its limits —
no groups, no 64-bit integers, 4 GiB per variable — do not matter here: integers are stored as
int32 and the size is bounded before solving (:data:`MAX_DATASET_VALUES`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

import numpy as np

from tcpredict.units import K_B_MEV_PER_K

__all__ = ["gap_dataset", "sweep_dataset", "continue_sweep", "write_netcdf", "open_gap_dataset",
           "MAX_DATASET_VALUES", "DEFAULT_OMEGA_POINTS", "dataset_size"]

#: Largest number of array values of one gap Dataset (≈ 400 MB of float64); a sweep that would
#: exceed it is refused before solving.
MAX_DATASET_VALUES = 50_000_000
#: Real-axis points of the common ω grid (0 … ω_max).
DEFAULT_OMEGA_POINTS = 2001


def dataset_size(n_temperatures: int, components: int, n_max: int,
                 n_omega: int = 0) -> int:
    """Number of array values of a gap Dataset (for the resource bound)."""
    return int(n_temperatures) * (int(components) * (2 * int(n_max) + 3 * int(n_omega) + 4)
                                  + int(n_max) + int(n_omega) + 4)


def _component(results) -> tuple[str, tuple, int]:
    c = results[0].components
    if any(r.components != c for r in results):
        raise ValueError("all gap results of a sweep must have the same number of components")
    kind = getattr(results[0], "component", "layer") or "layer"
    labels = tuple(getattr(results[0], "labels", ()) or ())
    if len(labels) != c:
        labels = tuple(str(i + 1) for i in range(c))
    return kind, labels, c


def continue_sweep(results, *, method: str = "pade", spectrum=None, omega_meV=None,
                   n_pade: int | None = None):
    r"""Real-axis continuation of every (temperature, component) of a sweep on ONE ω grid.

    Parameters
    ----------
    results : sequence of GapResult
    method : {"pade", "msc"}
        Padé (:func:`tcpredict.eliashberg.realaxis.continue_gap`, any number of components) or
        the exact Marsiglio–Schossmann–Carbotte iteration
        (:func:`~tcpredict.eliashberg.realaxis.continue_gap_msc`, one superconductor; needs
        ``spectrum``; its uniform grid is interpolated linearly onto ω).
    omega_meV : array_like, optional
        Real frequencies [meV] (default 0 … 8 max Δ(iω_0) over the sweep,
        :data:`DEFAULT_OMEGA_POINTS` points).
    n_pade : int, optional
        Matsubara points used by Padé (default min(N, 128)).

    Returns
    -------
    omega_meV : ndarray
    real : list (per temperature) of list (per component) of RealAxisGap or None
        None for the normal state or a failed continuation.
    notes : list of str
        One line per failed continuation.
    """
    from tcpredict.eliashberg.realaxis import continue_gap, continue_gap_msc

    if method not in ("pade", "msc"):
        raise ValueError(f"real-axis method must be 'pade' or 'msc', got {method!r}")
    if method == "msc" and (spectrum is None or results[0].components != 1):
        raise ValueError("the MSC continuation needs the α²F of a single superconductor")
    if omega_meV is None:
        top = max((float(np.abs(r.delta_meV[:, 0]).max()) for r in results
                   if r.superconducting), default=0.0)
        omega_meV = np.linspace(0.0, 8.0 * top if top > 0 else 1.0, DEFAULT_OMEGA_POINTS)
    om = np.asarray(omega_meV, dtype=float).reshape(-1)
    if om.size < 2 or not np.all(np.isfinite(om)) or np.any(np.diff(om) <= 0) or om[0] < 0:
        raise ValueError("omega_meV must be ≥ 0, finite and strictly increasing (≥ 2 points)")
    real, notes = [], []
    for r in results:
        row = []
        for j in range(r.components):
            if not r.superconducting:
                row.append(None)
                continue
            try:
                ra = continue_gap(r, layer=j, n_pade=n_pade, omega_meV=om)
                if method == "msc":
                    m = continue_gap_msc(r, spectrum, start=ra,
                                         omega_max_meV=max(float(om[-1]), 1e-9))
                    ra = _on_grid(m, om)
            except ValueError as exc:
                notes.append(f"T = {r.temperature_K:.6g} K, {j + 1}: real axis failed: {exc}")
                ra = None
            row.append(ra)
        real.append(row)
    return om, real, notes


def _on_grid(ra, om):
    """A RealAxisGap linearly interpolated onto the grid ``om`` (MSC uses its own grid)."""
    from dataclasses import replace

    d = (np.interp(om, ra.omega_meV, ra.delta_meV.real)
         + 1j * np.interp(om, ra.omega_meV, ra.delta_meV.imag))
    dos = np.interp(om, ra.omega_meV, ra.dos)
    return replace(ra, omega_meV=om, delta_meV=d, dos=dos,
                   method=ra.method + "; linearly interpolated onto the output grid")


def gap_dataset(results: Sequence, *, tc_K: float | None = None, real_axis=None,
                omega_meV=None, parameters: dict | None = None, notes=(),
                real_axis_method: str | None = None):
    """Gap results of one or more temperatures as an :class:`xarray.Dataset` (module docstring).

    Parameters
    ----------
    results : sequence of GapResult
        One per temperature (all with the same components), e.g. from a sweep.
    tc_K : float, optional
        Tc [K] for 2Δ₀/k_BTc.
    real_axis : list of list of RealAxisGap or None, optional
        Per temperature and component, on the common grid ``omega_meV`` (from
        :func:`continue_sweep`). Without it the real-axis variables are absent and Δ₀ is NaN.
    parameters : dict, optional
        Resolved inputs, stored as JSON in ``attrs["parameters"]``.
    notes : sequence of str
        Stored as JSON in ``attrs["notes"]``.
    """
    import xarray as xr

    from tcpredict.provenance import jsonable, version

    results = list(results)
    if not results:
        raise ValueError("no gap results")
    kind, labels, C = _component(results)
    T = np.array([r.temperature_K for r in results], dtype=float)
    nmax = max(r.n_matsubara for r in results)
    n_om = 0 if real_axis is None else int(np.asarray(omega_meV).size)
    size = dataset_size(T.size, C, nmax, n_om)
    if size > MAX_DATASET_VALUES:
        raise ValueError(f"the gap Dataset would hold {size} values, above the limit "
                         f"{MAX_DATASET_VALUES}; use fewer temperatures or a lower cutoff")
    wn = np.full((T.size, nmax), np.nan)
    dl = np.full((T.size, C, nmax), np.nan)
    zz = np.full((T.size, C, nmax), np.nan)
    for k, r in enumerate(results):
        n = r.n_matsubara
        wn[k, :n] = r.omega_n_meV
        dl[k, :, :n] = r.delta_meV
        zz[k, :, :n] = r.z
    single = C == 1
    cdim = () if single else (kind,)

    def cv(a):  # drop the component axis of a single superconductor
        return a[:, 0] if single else a

    unit = {"units": "meV"}
    data = {
        "matsubara_meV": (("temperature_K", "n"), wn,
                          {**unit, "long_name": "fermionic Matsubara frequency ω_n = πk_BT(2n+1)"}),
        "delta_meV": (("temperature_K", *cdim, "n"), cv(dl),
                      {**unit, "long_name": "gap Δ(iω_n) on the Matsubara axis"}),
        "z": (("temperature_K", *cdim, "n"), cv(zz),
              {"units": "1", "long_name": "renormalization Z(iω_n)"}),
        "delta_iw0_meV": (("temperature_K", *cdim),
                          cv(np.array([r.delta_meV[:, 0] for r in results])),
                          {**unit, "long_name": "Δ(iω_0), lowest Matsubara frequency"}),
        "n_matsubara": (("temperature_K",), np.array([r.n_matsubara for r in results],
                                                      dtype=np.int32),
                        {"units": "1", "long_name": "Matsubara frequencies below the cutoff"}),
        "superconducting": (("temperature_K",), np.array([r.superconducting for r in results],
                                                          dtype=np.int8),
                            {"units": "1", "long_name": "1: superconducting, 0: normal state"}),
        "iterations": (("temperature_K",), np.array([r.iterations for r in results],
                                                    dtype=np.int32),
                       {"units": "1", "long_name": "nonlinear iterations"}),
        "residual": (("temperature_K",), np.array([r.residual for r in results], dtype=float),
                     {"units": "1", "long_name": "final relative residual max|ΔΔ|/max|Δ|"}),
    }
    d0 = np.full((T.size, C), np.nan)
    coords = {"temperature_K": ("temperature_K", T, {"units": "K", "long_name": "temperature"}),
              "n": ("n", np.arange(nmax, dtype=np.int32),
                    {"units": "1", "long_name": "Matsubara index n ≥ 0"})}
    if not single:
        coords[kind] = (kind, np.array(labels, dtype=object), {"long_name": f"{kind} name"})
    if real_axis is not None:
        om = np.asarray(omega_meV, dtype=float).reshape(-1)
        re_ = np.zeros((T.size, C, om.size))
        im_ = np.zeros((T.size, C, om.size))
        dos = np.ones((T.size, C, om.size))
        for k, r in enumerate(results):
            for j in range(C):
                ra = real_axis[k][j]
                if not r.superconducting:
                    d0[k, j] = 0.0
                    continue
                if ra is None:
                    re_[k, j] = im_[k, j] = dos[k, j] = np.nan
                    continue
                if ra.omega_meV.size != om.size or not np.allclose(ra.omega_meV, om):
                    raise ValueError("every real-axis result must be on the grid omega_meV")
                re_[k, j], im_[k, j], dos[k, j] = ra.delta_meV.real, ra.delta_meV.imag, ra.dos
                d0[k, j] = ra.delta0_meV
        coords["omega_meV"] = ("omega_meV", om, {**unit, "long_name": "real frequency ω"})
        data["delta_real_meV"] = (("temperature_K", *cdim, "omega_meV"), cv(re_),
                                  {**unit, "long_name": "Re Δ(ω) on the real axis"})
        data["delta_imag_meV"] = (("temperature_K", *cdim, "omega_meV"), cv(im_),
                                  {**unit, "long_name": "Im Δ(ω) on the real axis"})
        data["dos_ratio"] = (("temperature_K", *cdim, "omega_meV"), cv(dos),
                             {"units": "1", "long_name": "quasiparticle DOS N_s(ω)/N(0)"})
        wts = getattr(results[0], "dos_weights", None)
        if kind == "band" and not single and wts is not None:
            w = np.asarray(wts, dtype=float)
            data["dos_ratio_total"] = (("temperature_K", "omega_meV"),
                                       np.einsum("j,tjw->tw", w / w.sum(), dos),
                                       {"units": "1", "long_name": "Σ_i N_i N_s,i(ω) / Σ_i N_i "
                                                                  "(tunnelling DOS of all bands)"})
    else:
        for k, r in enumerate(results):
            if not r.superconducting:
                d0[k] = 0.0
    data["delta0_meV"] = (("temperature_K", *cdim), cv(d0),
                          {**unit, "long_name": "gap edge Δ₀ = Re Δ(ω = Δ₀) (real axis)"})
    ratio = (2.0 * d0 / (K_B_MEV_PER_K * tc_K) if tc_K else np.full_like(d0, np.nan))
    data["two_delta0_over_kTc"] = (("temperature_K", *cdim), cv(ratio),
                                   {"units": "1", "long_name": "2Δ₀/k_BTc (BCS 3.53)"})
    all_notes = list(notes)
    if real_axis is None:
        all_notes.append("no real-axis continuation requested: delta0_meV is NaN below Tc")
    if tc_K is None:
        all_notes.append("Tc not given: two_delta0_over_kTc is NaN")
    attrs = {
        "title": "tcpredict Eliashberg gap sweep",
        "tcpredict_version": version(),
        "parameters": json.dumps(jsonable(parameters or {}), ensure_ascii=False),
        "component": "single" if single else kind,
        "cutoff_meV": float(results[0].cutoff_meV),
        "notes": json.dumps(all_notes, ensure_ascii=False),
        "conventions": "energies meV, temperatures K; gap sums over |ω_m| < ω_c, Z from the "
                       "exact normal-state sum (docs/eliashberg.md)",
    }
    if tc_K is not None and math.isfinite(tc_K):
        attrs["tc_K"] = float(tc_K)
    if real_axis_method:
        attrs["real_axis_method"] = str(real_axis_method)
    return xr.Dataset(data, coords=coords, attrs=attrs)


def sweep_dataset(results: Sequence, *, tc_K: float | None = None, real_axis: str | None = None,
                  spectrum=None, omega_meV=None, n_pade: int | None = None,
                  parameters: dict | None = None, notes=()):
    """:func:`continue_sweep` (when ``real_axis`` is "pade" or "msc") then :func:`gap_dataset`."""
    results = list(results)
    if real_axis in (None, "none"):
        return gap_dataset(results, tc_K=tc_K, parameters=parameters, notes=notes)
    om, real, more = continue_sweep(results, method=real_axis, spectrum=spectrum,
                                    omega_meV=omega_meV, n_pade=n_pade)
    method = ("Padé (Vidberg–Serene)" if real_axis == "pade"
              else "Marsiglio–Schossmann–Carbotte iteration (exact)")
    return gap_dataset(results, tc_K=tc_K, real_axis=real, omega_meV=om,
                       parameters=parameters, notes=list(notes) + more,
                       real_axis_method=method)


def write_netcdf(ds, path) -> Path:
    """Write a gap Dataset as netCDF-3 (64-bit offset) with scipy's writer (module docstring)."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(path, engine="scipy", format="NETCDF3_64BIT")
    return path


def open_gap_dataset(path):
    """Read a gap Dataset written by :func:`write_netcdf` (``parameters`` and ``notes`` decoded
    from JSON into ``attrs["parameters_dict"]``, ``attrs["notes_list"]``)."""
    import xarray as xr

    ds = xr.load_dataset(path, engine="scipy")
    for k, new in (("parameters", "parameters_dict"), ("notes", "notes_list")):
        if k in ds.attrs:
            ds.attrs[new] = json.loads(ds.attrs[k])
    return ds
