r"""Multiband isotropic Eliashberg equations: Tc and gaps of B coupled bands (docs/multiband.md).

Bands i, j = 1 … B with Eliashberg functions α²F_ij(Ω) (scattering of an electron of band i into
band j; λ_ij = 2∫α²F_ij/Ω dΩ), a Coulomb pseudopotential matrix μ*_ij and, optionally, band
densities of states N_i. On the Matsubara axis (Allen & Mitrović, Solid State Phys. 37, 1 (1982);
J. Berges, ebmb manual, constant-DOS equations; docs/multiband.md §1):

.. math::

    ω_nZ_i(n) &= ω_n + πk_BT \sum_j \sum_{m∈ℤ} λ_{ij}(ω_n − ω_m)\, \frac{ω_m}{R_j(m)},\\
    Z_i(n)Δ_i(n) &= πk_BT \sum_j \sum_{|ω_m|<ω_c} [λ_{ij}(ω_n − ω_m) − μ^*_{ij}(ω_c)]\,
                    \frac{Δ_j(m)}{R_j(m)},\qquad R_j(m) = \sqrt{ω_m^2 + Δ_j(m)^2}.

This is THE linearized operator of :mod:`tcpredict.eliashberg.operator` with off-diagonal phonon
kernels and a μ* matrix (a proximity stack is the special case of diagonal kernels plus elastic Γ
terms), so Tc (:func:`solve_multiband_tc`) and the gaps (:func:`solve_multiband_gap`,
:func:`multiband_gap_sweep`) use the same code as single superconductors and stacks.

μ* is given at an energy ω_ref (``mustar_at_meV``, default Ω_max, the top of the spectrum) and
rescaled to the cutoff AS A MATRIX, μ*(ω_c) = [1 + μ*(ω_ref) ln(ω_ref/ω_c)]⁻¹ μ*(ω_ref)
(:func:`tcpredict.eliashberg.matsubara.rescale_mustar_matrix`, docs/multiband.md §3).

Input files (TOML, :func:`load_multiband_file`) are validated strictly: unknown keys, wrong types,
wrong shapes, non-finite or out-of-range numbers are refused with the file and line number.

Energies in meV, temperatures in K.
"""

from __future__ import annotations

import logging
import math
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from tcpredict.textfile import TomlLines, located_error, read_text

import numpy as np

from tcpredict.limits import (MUSTAR_MAX, check_energy, check_temperature,
                              check_temperatures)
from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.eliashberg.kernels import SpectrumKernel, ZeroKernel
from tcpredict.eliashberg.matsubara import n_matsubara, rescale_mustar, rescale_mustar_matrix
from tcpredict.eliashberg.operator import GRIDS, LinearizedOperator, detailed_balance_weights
from tcpredict.eliashberg.spectra import Alpha2F, einstein
from tcpredict.eliashberg.tc import (
    N_MIN_AT_TC,
    _cutoff_for_n,
    check_search,
    cutoff_problems,
    find_tc,
)
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

__all__ = [
    "MAX_BANDS",
    "DETAILED_BALANCE_RTOL",
    "MultibandProblem",
    "MultibandTcResult",
    "solve_multiband_tc",
    "solve_multiband_gap",
    "multiband_gap_sweep",
    "load_multiband_file",
    "parse_multiband_text",
    "MultibandFile",
    "TOML_KEYS",
]

#: Largest number of bands (the operator has B² kernel blocks; refused before allocating).
MAX_BANDS = 16
#: Largest relative violation of N_iλ_ij = N_jλ_ji (and of the μ* analogue) accepted when band
#: densities of states are given: published matrices are rounded to 3 digits (MgB2: 0.155/0.212
#: against 0.0365/0.05 differ by 2e-3). A larger violation is refused as inconsistent input.
DETAILED_BALANCE_RTOL = 1e-2


def _matrix(x, name: str, bands: int | None = None) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise ValueError(f"{name} must be a square B×B matrix, got shape {a.shape}")
    if bands is not None and a.shape[0] != bands:
        raise ValueError(f"{name} must be {bands}×{bands} (one row per band), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite")
    if np.any(a < 0):
        raise ValueError(f"{name} must be ≥ 0")
    return a


def _db_violation(weights: np.ndarray, m: np.ndarray) -> tuple[float, tuple[int, int]]:
    """Largest relative violation |N_iM_ij − N_jM_ji|/max(N_iM_ij, N_jM_ji) and its pair."""
    worst, pair = 0.0, (0, 0)
    for i in range(m.shape[0]):
        for j in range(i + 1, m.shape[0]):
            a, b = weights[i] * m[i, j], weights[j] * m[j, i]
            top = max(a, b)
            if top > 0:
                v = abs(a - b) / top
                if v > worst:
                    worst, pair = v, (i, j)
    return worst, pair


# ================================================================================ the problem
@dataclass(frozen=True, eq=False)
class MultibandProblem:
    r"""B coupled bands: α²F_ij, μ*_ij at ω_ref, cutoff, optional band densities of states.

    Parameters
    ----------
    spectra : B×B nested sequence of Alpha2F or None
        α²F_ij(Ω): band i scattered into band j (None: no coupling, λ_ij = 0).
    mustar : array_like, shape (B, B)
        μ*_ij ≥ 0 defined at ``mustar_at_meV`` (dimensionless).
    mustar_at_meV : float, optional
        ω_ref [meV] at which μ* is given (default: Ω_max, the top of all spectra).
    cutoff_meV : float, optional
        Matsubara cutoff ω_c [meV] (default 10 Ω_max, extended by :func:`solve_multiband_tc`
        until ≥ 12 Matsubara frequencies lie below it at Tc, as for one band).
    dos : sequence of float, optional
        Band densities of states N_i at the Fermi level (any common unit; only ratios matter).
        Checked against detailed balance N_iλ_ij = N_jλ_ji within
        :data:`DETAILED_BALANCE_RTOL`; used to symmetrise the operator and to weight the total
        quasiparticle DOS. Default: inferred from λ (and μ*) when detailed balance allows it.
    labels : sequence of str, optional
        Band names (default "1", "2", …).
    source : str
        Free-text provenance.
    """

    spectra: tuple
    mustar: np.ndarray
    mustar_at_meV: float | None = None
    cutoff_meV: float | None = None
    dos: tuple | None = None
    labels: tuple = ()
    source: str = ""
    _kernels: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        rows = [tuple(r) for r in self.spectra]
        B = len(rows)
        if B < 1:
            raise ValueError("need at least one band")
        if B > MAX_BANDS:
            raise ValueError(f"{B} bands exceed the limit of {MAX_BANDS}")
        if any(len(r) != B for r in rows):
            raise ValueError(f"spectra must be a {B}×{B} matrix (one row per band)")
        for i, r in enumerate(rows):
            for j, sp in enumerate(r):
                if sp is not None and not isinstance(sp, Alpha2F):
                    raise ValueError(f"spectra[{i}][{j}] must be an Alpha2F or None")
        if all(sp is None for r in rows for sp in r):
            raise ValueError("every α²F_ij is empty: no phonon coupling at all")
        object.__setattr__(self, "spectra", tuple(rows))
        mu = _matrix(self.mustar, "mustar", B)
        mu.setflags(write=False)
        object.__setattr__(self, "mustar", mu)
        if np.any(mu >= MUSTAR_MAX):
            raise ValueError(f"mustar (μ*_ij) elements must be in [0, {MUSTAR_MAX:g}) (README "
                             f"\"Limits\"), got {float(mu.max()):g}")
        for name in ("mustar_at_meV", "cutoff_meV"):
            v = getattr(self, name)
            if v is not None:
                object.__setattr__(self, name, check_energy(v, name))
        if self.dos is not None:
            d = np.asarray(self.dos, dtype=float).reshape(-1)
            if d.size != B or not np.all(np.isfinite(d)) or np.any(d <= 0):
                raise ValueError(f"dos must hold {B} finite values > 0 (one per band)")
            object.__setattr__(self, "dos", tuple(float(x) for x in d))
            for name, m in (("lambda", self.lambda_matrix), ("mustar", mu)):
                v, (i, j) = _db_violation(d, m)
                if v > DETAILED_BALANCE_RTOL:
                    raise ValueError(
                        f"detailed balance N_i {name}_ij = N_j {name}_ji is violated by "
                        f"{100 * v:.3g} % for bands {i + 1},{j + 1} (N = {d[i]:g}, {d[j]:g}; "
                        f"{name}_{i + 1}{j + 1} = {m[i, j]:g}, {name}_{j + 1}{i + 1} = "
                        f"{m[j, i]:g}); tolerance {100 * DETAILED_BALANCE_RTOL:g} %")
        labels = tuple(str(x) for x in self.labels) if self.labels else tuple(
            str(i + 1) for i in range(B))
        if len(labels) != B or len(set(labels)) != B:
            raise ValueError(f"labels must be {B} distinct names (one per band)")
        object.__setattr__(self, "labels", labels)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def einstein(cls, omega_meV, lam, mustar, **kw) -> "MultibandProblem":
        """Einstein modes: λ_ij(ν) = λ_ij Ω_ij²/(Ω_ij² + ν²) (exact delta functions).

        ``omega_meV`` is one energy [meV] for every pair or a B×B matrix; ``lam`` the B×B
        coupling matrix λ_ij ≥ 0 (0: no coupling)."""
        lm = _matrix(lam, "lambda")
        B = lm.shape[0]
        om = np.asarray(omega_meV, dtype=float)
        om = np.full((B, B), float(om)) if om.ndim == 0 else _matrix(om, "einstein_meV", B)
        if np.any(om <= 0):
            raise ValueError("einstein_meV must be > 0")
        spectra = [[einstein(float(om[i, j]), float(lm[i, j])) if lm[i, j] > 0 else None
                    for j in range(B)] for i in range(B)]
        kw.setdefault("source", "Einstein modes")
        return cls(spectra, mustar, **kw)

    # ------------------------------------------------------------------ derived data
    @property
    def bands(self) -> int:
        return len(self.spectra)

    @property
    def lambda_matrix(self) -> np.ndarray:
        """λ_ij = 2∫α²F_ij/Ω dΩ, shape (B, B)."""
        return np.array([[sp.lam if sp is not None else 0.0 for sp in r] for r in self.spectra])

    @property
    def omega_log_matrix_meV(self) -> np.ndarray:
        """ω_log of every α²F_ij [meV] (NaN where there is no coupling)."""
        return np.array([[sp.omega_log_meV if sp is not None else math.nan for sp in r]
                         for r in self.spectra])

    @property
    def omega_max_meV(self) -> float:
        """Top of all spectra [meV] (largest Ω_max of the α²F_ij)."""
        return max(sp.omega_max_meV for r in self.spectra for sp in r if sp is not None)

    def weights(self) -> np.ndarray | None:
        """N_i used to symmetrise: ``dos`` if given, else inferred from detailed balance of λ
        and μ*, else approximate weights from λ alone (rounded inputs; the operator then uses
        the non-symmetric solver); None when λ_ij = 0 ≠ λ_ji for some pair."""
        if self.dos is not None:
            return np.array(self.dos)
        w = detailed_balance_weights(self.lambda_matrix, self.mustar)
        if w is None:  # rounded inputs: approximate weights from λ (conditioning only)
            w = detailed_balance_weights(self.lambda_matrix, check=False)
        return w

    def resolve(self, cutoff_meV: float | None = None) -> tuple[float, float, np.ndarray]:
        """(ω_c [meV], ω_ref [meV], μ*(ω_c) matrix) after the defaults and matrix rescaling."""
        om = self.omega_max_meV
        cut = float(cutoff_meV) if cutoff_meV is not None else (
            self.cutoff_meV if self.cutoff_meV is not None else 10.0 * om)
        at = self.mustar_at_meV if self.mustar_at_meV is not None else om
        return cut, at, rescale_mustar_matrix(self.mustar, at, cut)

    def _kernel(self, i: int, j: int):
        key = (i, j)
        if key not in self._kernels:
            sp = self.spectra[i][j]
            self._kernels[key] = (SpectrumKernel(sp) if sp is not None
                                  else (ZeroKernel() if i == j else None))
        return self._kernels[key]

    def operator(self, cutoff_meV: float | None = None, grid="full") -> LinearizedOperator:
        """THE linearized operator (:class:`~tcpredict.eliashberg.operator.LinearizedOperator`)
        of these bands at the cutoff (default: :meth:`resolve`)."""
        cut, _, mu_c = self.resolve(cutoff_meV)
        B = self.bands
        diag = [self._kernel(i, i) for i in range(B)]
        if B == 1:
            return LinearizedOperator(diag, [float(mu_c[0, 0])], cut, grid=grid)
        coupling = [[None if i == j else self._kernel(i, j) for j in range(B)]
                    for i in range(B)]
        w = self.weights()
        return LinearizedOperator(diag, mu_c, cut, np.zeros(B - 1),
                                  np.ones(B) if w is None else w, grid=grid, coupling=coupling)

    def band_alone(self, i: int) -> "MultibandProblem":
        """Band i on its own: α²F_ii and μ*_ii (same ω_ref and cutoff)."""
        return MultibandProblem([[self.spectra[i][i]]], [[self.mustar[i, i]]],
                                self.mustar_at_meV if self.mustar_at_meV is not None
                                else self.omega_max_meV,
                                self.resolve()[0], None, (self.labels[i],),
                                f"band {self.labels[i]} of {self.source}")

    def parameters(self) -> dict:
        """Resolved inputs for provenance (docs/glossary.md)."""
        cut, at, mu_c = self.resolve()
        return {"bands": self.bands, "labels": list(self.labels),
                "lambda": self.lambda_matrix.tolist(),
                "omega_log_meV": self.omega_log_matrix_meV.tolist(),
                "spectra": [[sp.source if sp is not None else None for sp in r]
                            for r in self.spectra],
                "mustar": self.mustar.tolist(), "mustar_at_meV": at,
                "mustar_at_cutoff": mu_c.tolist(), "mustar_rescaling": "matrix",
                "cutoff_meV": cut, "cutoff_given": self.cutoff_meV is not None,
                "dos": None if self.dos is None else list(self.dos), "source": self.source}


# ================================================================================ Tc
@dataclass(frozen=True)
class MultibandTcResult:
    """Tc of B coupled bands (``tc_K`` None: no superconductivity above ``t_min_K``).

    ``band_tc_alone_K[i]``: Tc of band i alone (α²F_ii, μ*_ii rescaled as a scalar; None when
    below T_min or the band has no intraband coupling). ``symmetric``: detailed balance holds
    exactly with ``weights`` and the symmetric eigensolver was used.
    """

    tc_K: float | None
    t_min_K: float
    bands: int
    labels: tuple
    lambda_matrix: tuple
    omega_log_meV: tuple
    mustar: tuple
    mustar_at_meV: float
    mustar_at_cutoff: tuple
    cutoff_meV: float
    rtol: float
    n_matsubara: int
    eigen_method: str
    evaluations: int
    eigen_residual: float
    symmetric: bool
    weights: tuple | None
    detailed_balance_violation: float
    band_tc_alone_K: tuple
    grid: str = "full"
    n_nodes: int = 0
    converged: bool = True
    notes: tuple = ()
    mustar_rescaling: str = "matrix: μ*(ω_c) = [1 + μ*(ω_ref) ln(ω_ref/ω_c)]⁻¹ μ*(ω_ref)"
    cutoff_convention: str = "gap sum over |ω_m| < ω_c; Z from the exact normal-state sum"

    def to_dict(self) -> dict:
        """JSON-ready dict with unit-bearing keys (``lambda`` for λ_ij)."""
        d = asdict(self)
        d["lambda"] = d.pop("lambda_matrix")
        for k in ("labels", "notes"):
            d[k] = list(d[k])
        return d


def _to_tuple(m) -> tuple:
    return tuple(tuple(float(x) for x in r) for r in np.asarray(m))


def _guess_K(problem: MultibandProblem, mu_c: np.ndarray) -> float:
    """Start of the bracket: Allen–Dynes with λ_eff = largest eigenvalue of λ_ij and the
    smallest ω_log (a start value only; the root search brackets automatically)."""
    lam = problem.lambda_matrix
    lam_eff = float(np.max(np.linalg.eigvals(lam).real))
    wl = np.nanmin(problem.omega_log_matrix_meV)
    mu = float(np.min(np.diag(problem.mustar)))
    ad = float(allen_dynes_tc_K(lam_eff, wl, wl, mu)) if lam_eff > 0 else 0.0
    return ad if ad > 0 else wl / K_B_MEV_PER_K / 50.0


def solve_multiband_tc(problem: MultibandProblem, *, t_min_K: float = 0.01, rtol: float = 1e-4,
                       grid: str = "full", t_guess_K: float | None = None,
                       band_tc: bool = True) -> MultibandTcResult:
    """Critical temperature [K] of coupled bands from the linearized equations (docs/multiband.md).

    Parameters
    ----------
    problem : MultibandProblem
    t_min_K : float
        Lowest temperature searched [K]; below it ``tc_K`` is None ("no superconductivity above
        T_min"), not an error.
    rtol : float
        Relative accuracy of Tc (default 1e-4, as :func:`tcpredict.eliashberg.tc.solve_tc`).
    grid : {"full", "compressed"}
        Matsubara grid of the operator.
    t_guess_K : float, optional
        Start of the bracket search.
    band_tc : bool
        Also solve each band alone (``band_tc_alone_K``).

    Notes
    -----
    Tc is the root of ρ(T) = 1, ρ the largest real eigenvalue of the operator of
    :mod:`tcpredict.eliashberg.operator` with off-diagonal kernels λ_ij and the μ* matrix at ω_c
    (matrix Morel–Anderson rescaling). With one band this is exactly
    :func:`tcpredict.eliashberg.tc.solve_tc` (same operator, defaults and cutoff extension).
    The default cutoff is checked as in ``solve_tc`` (≥ 12 Matsubara frequencies at Tc).
    """
    if not isinstance(problem, MultibandProblem):
        raise TypeError("problem must be a MultibandProblem")
    if not (0 < rtol < 0.1):
        raise ValueError("rtol must be in (0, 0.1)")
    check_temperature(t_min_K, "t_min_K")
    if grid not in GRIDS:
        raise ValueError(f"unknown grid {grid!r}; valid: {', '.join(GRIDS)}")
    cut, at, mu_c = problem.resolve()
    t_min_K = check_search(t_min_K, cut)
    if t_guess_K is None:
        t_guess_K = _guess_K(problem, mu_c)
    op = problem.operator(cut, grid)
    tc, info = find_tc(op, t_guess_K, t_min_K, rtol)
    notes = []
    if problem.cutoff_meV is None:  # the default cutoff is checked, as in solve_tc
        cut0 = cut
        for _ in range(8):
            if tc is None or n_matsubara(tc, cut) >= N_MIN_AT_TC:
                break
            try:
                new_cut = max(_cutoff_for_n(tc, N_MIN_AT_TC), 2 * cut)
                _, _, mu_c = problem.resolve(new_cut)
            except ValueError as exc:
                notes.append(f"default cutoff could not be extended: {exc}")
                break
            cut = new_cut
            op = problem.operator(cut, grid)
            tc, info = find_tc(op, tc, t_min_K, rtol)
        if cut != cut0:
            notes.append(f"default cutoff 10 Ω_max = {cut0:.4g} meV extended to {cut:.4g} meV "
                         f"so that ≥ {N_MIN_AT_TC} Matsubara frequencies lie below it at Tc")
    problems = cutoff_problems(tc, cut, problem.omega_max_meV)
    notes.extend(f"not converged: {p}" for p in problems)
    if tc is None:
        notes.append(f"no superconductivity above T_min = {t_min_K:g} K")
    if not op.symmetric and op.layers > 1:
        v = max(_db_violation(op.weights, problem.lambda_matrix)[0],
                _db_violation(op.weights, problem.mustar)[0])
        notes.append(f"detailed balance N_iλ_ij = N_jλ_ji, N_iμ*_ij = N_jμ*_ji does not hold "
                     f"exactly (largest relative violation {v:.2g}): non-symmetric "
                     "eigensolver (largest real eigenvalue)")
    alone = []
    for i in range(problem.bands):
        if not band_tc or problem.bands == 1 or problem.spectra[i][i] is None:
            alone.append(tc if problem.bands == 1 else None)
            continue
        sub = problem.band_alone(i)
        sop = sub.operator(cut, grid)
        sp = problem.spectra[i][i]
        mu_i = rescale_mustar(float(problem.mustar[i, i]), at, cut)
        ad = float(allen_dynes_tc_K(sp.lam, sp.omega_log_meV, sp.omega2_meV, mu_i))
        alone.append(find_tc(sop, ad if ad > 0 else sp.omega_log_meV / K_B_MEV_PER_K / 50,
                             t_min_K, rtol)[0])
    w = op.weights if problem.bands > 1 else np.ones(1)
    viol = max(_db_violation(w, problem.lambda_matrix)[0], _db_violation(w, problem.mustar)[0])
    return MultibandTcResult(
        tc_K=tc, t_min_K=float(t_min_K), bands=problem.bands, labels=problem.labels,
        lambda_matrix=_to_tuple(problem.lambda_matrix),
        omega_log_meV=tuple(tuple(None if not math.isfinite(x) else float(x) for x in r)
                            for r in problem.omega_log_matrix_meV),
        mustar=_to_tuple(problem.mustar), mustar_at_meV=float(at),
        mustar_at_cutoff=_to_tuple(mu_c), cutoff_meV=float(cut), rtol=rtol,
        n_matsubara=int(info["n_matsubara"]), eigen_method=str(info["method"]),
        evaluations=int(info["evaluations"]),
        eigen_residual=float(info.get("residual", math.nan)),
        symmetric=bool(op.symmetric),
        weights=tuple(float(x) for x in w) if problem.bands > 1 else None,
        detailed_balance_violation=float(viol), band_tc_alone_K=tuple(alone),
        grid=str(info.get("grid", grid)), n_nodes=int(info.get("n_nodes", info["n_matsubara"])),
        converged=not problems, notes=tuple(notes))


# ================================================================================ gaps
def solve_multiband_gap(problem: MultibandProblem, temperature_K: float, *,
                        tc_K: float | None = None, start=None, cutoff_meV: float | None = None,
                        tol: float = 1e-10, maxiter: int = 2000, grid=None):
    """Δ_i(iω_n) [meV] and Z_i(iω_n) of every band at ``temperature_K`` [K].

    The nonlinear equations of the module docstring, solved by
    :func:`tcpredict.eliashberg.gap.solve_gap_stack` on the operator of ``problem`` (``grid``
    as there: by default on the compressed nodes where that pays, checked and finished on the
    full grid; "full" for the full grid throughout; the result is on the full grid).
    ``start`` (a previous :class:`~tcpredict.eliashberg.gap.GapResult`) warm-starts; otherwise
    the cold start uses a BCS-like amplitude from ``tc_K`` (solved if not given).

    Returns
    -------
    GapResult
        ``delta_meV`` and ``z`` of shape (B, N); ``labels`` the band names, ``component`` "band".
    """
    from tcpredict.eliashberg.gap import bcs_gap_guess_meV, solve_gap_stack

    check_temperature(temperature_K, "temperature_K")
    op = problem.operator(cutoff_meV, "full")
    if start is not None:
        res = solve_gap_stack(op, temperature_K, start.delta_meV,
                              omega_start_meV=start.omega_n_meV, tol=tol, maxiter=maxiter,
                              start="warm", grid=grid)
    else:
        if tc_K is None:
            tc_K = solve_multiband_tc(problem, band_tc=False).tc_K or 0.0
        d0 = max(bcs_gap_guess_meV(tc_K, temperature_K), 1.764 * K_B_MEV_PER_K * tc_K * 0.3,
                 1e-6)
        res = solve_gap_stack(op, temperature_K, np.full(problem.bands, d0), tol=tol,
                              maxiter=maxiter, start="cold", grid=grid)
    return replace(res, labels=problem.labels, component="band",
                   mustar_matrix_at_cutoff=_to_tuple(op.mustar_matrix),
                   dos_weights=tuple(float(x) for x in op.weights))


def multiband_gap_sweep(problem: MultibandProblem, temperatures_K, *, tc_K: float | None = None,
                        cutoff_meV: float | None = None, tol: float = 1e-10,
                        grid=None) -> list:
    """Gaps at every temperature (sweeping downward, each point warm-started from the previous
    one); results in the order of ``temperatures_K``; ``grid`` as in
    :func:`solve_multiband_gap`."""
    from tcpredict.eliashberg.gap import sweep_downward

    temps = check_temperatures(temperatures_K)
    if tc_K is None:
        tc_K = solve_multiband_tc(problem, band_tc=False).tc_K or 0.0
    return sweep_downward(temps, lambda T, warm: solve_multiband_gap(
        problem, T, tc_K=tc_K, start=warm, cutoff_meV=cutoff_meV, tol=tol, grid=grid))


# ================================================================================ TOML files
#: Keys of a multiband TOML file (all top level).
TOML_KEYS = ("cutoff_meV", "mustar_at_meV", "einstein_meV", "lambda", "a2f", "a2f_order",
             "unit", "column", "mustar", "dos", "labels", "t_min_K")
#: Largest integer accepted anywhere in a file (resource bound; larger integers are refused
#: before any conversion).
_MAX_INT = 10 ** 6


@dataclass(frozen=True, eq=False)
class MultibandFile:
    """A parsed multiband file: the problem and the run options."""

    path: str
    problem: MultibandProblem
    t_min_K: float


def _scalar(src, ln, key, v, *, minimum=None, positive=False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise located_error(src, ln.top(key), f"{key} must be a number, got {type(v).__name__} {v!r}")
    if isinstance(v, int) and abs(v) > _MAX_INT:
        raise located_error(src, ln.top(key), f"{key}: integer {v} is out of range (|x| ≤ {_MAX_INT})")
    x = float(v)
    if not math.isfinite(x):
        raise located_error(src, ln.top(key), f"{key} must be finite, got {v!r}")
    if positive and x <= 0:
        raise located_error(src, ln.top(key), f"{key} must be > 0, got {x:g}")
    if minimum is not None and x < minimum:
        raise located_error(src, ln.top(key), f"{key} must be ≥ {minimum:g}, got {x:g}")
    return x


def _num_matrix(src, ln, key, v, bands=None, *, positive=False) -> np.ndarray:
    if not isinstance(v, list) or not v or not all(isinstance(r, list) for r in v):
        raise located_error(src, ln.top(key), f"{key} must be a B×B matrix written as [[...], [...]], "
                                     f"got {v!r}")
    B = len(v)
    if bands is not None and B != bands:
        raise located_error(src, ln.top(key), f"{key} has {B} rows; the other matrices have {bands} "
                                     "(one row per band)")
    if B > MAX_BANDS:
        raise located_error(src, ln.top(key), f"{key}: {B} bands exceed the limit of {MAX_BANDS}")
    for i, r in enumerate(v):
        if len(r) != B:
            raise located_error(src, ln.top(key), f"{key} row {i + 1} has {len(r)} entries, expected "
                                         f"{B} (a square matrix)")
    out = np.array([[_scalar(src, ln, key, x, minimum=0.0) for x in r] for r in v])
    if positive and np.any(out <= 0):
        raise located_error(src, ln.top(key), f"{key} entries must be > 0")
    return out


def _string(src, ln, key, v) -> str:
    if not isinstance(v, str):
        raise located_error(src, ln.top(key), f"{key} must be a string, got {type(v).__name__} {v!r}")
    return v.strip()


def _load_a2f(src, ln, base: Path, name: str, unit, column: int):
    from tcpredict.materials.loaders import SpectrumFileError, load_alpha2f

    p = Path(name)
    if not p.is_absolute():
        p = base / p
    try:
        return load_alpha2f(p, unit=unit, column=column)
    except SpectrumFileError as exc:
        if "has no α²F > 0" in str(exc):
            return None  # an all-zero column: no coupling
        raise located_error(src, ln.top("a2f"), str(exc)) from None
    except (ValueError, OSError) as exc:
        raise located_error(src, ln.top("a2f"), f"{p}: {exc}") from None


def parse_multiband_text(text: str, source: str = "<multiband>", base_dir=".") -> MultibandFile:
    """Parse a multiband TOML text (format: docs/multiband.md §4).

    Raises
    ------
    ValueError
        Naming ``source``, the line and the problem (unknown key, wrong type or shape, a
        non-finite or out-of-range number, a missing or contradictory key, a file error).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: TOML syntax error: {exc}") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer literal beyond any range
        raise ValueError(f"{source}: {exc}") from None
    ln = TomlLines(text)
    src = source
    for k, v in data.items():
        if k not in TOML_KEYS:
            raise located_error(src, ln.top(k), f"unknown key {k!r}; valid keys: {', '.join(TOML_KEYS)}")
        if isinstance(v, dict):
            raise located_error(src, ln.top(k), f"{k} must be a value, not a table")
    has = data.__contains__
    if has("einstein_meV") == has("a2f"):
        key = "a2f" if has("a2f") else "lambda"
        raise located_error(src, ln.top(key) if has(key) else 0,
                    "give the spectra either as einstein_meV + lambda or as a2f (+ unit)")
    lam = None
    spectra = None
    if has("einstein_meV"):
        if not has("lambda"):
            raise located_error(src, ln.top("einstein_meV"), "einstein_meV needs 'lambda' (the B×B "
                                                    "matrix λ_ij)")
        for k in ("unit", "column", "a2f_order"):
            if has(k):
                raise located_error(src, ln.top(k), f"{k} belongs to a2f, not to einstein_meV")
        lam = _num_matrix(src, ln, "lambda", data["lambda"])
        ev = data["einstein_meV"]
        om = (_num_matrix(src, ln, "einstein_meV", ev, lam.shape[0], positive=True)
              if isinstance(ev, list) else _scalar(src, ln, "einstein_meV", ev, positive=True))
        B = lam.shape[0]
    else:
        if has("lambda"):
            raise located_error(src, ln.top("lambda"), "lambda contradicts a2f (λ_ij follows from the "
                                              "spectra)")
        unit = _string(src, ln, "unit", data["unit"]) if has("unit") else None
        column = 1
        if has("column"):
            c = data["column"]
            if isinstance(c, bool) or not isinstance(c, int) or not (1 <= c <= 10_000):
                raise located_error(src, ln.top("column"), f"column must be an integer in 1 … 10000, "
                                                  f"got {c!r}")
            column = c
        a2f = data["a2f"]
        base = Path(base_dir)
        if isinstance(a2f, str):  # one file, B² α²F columns
            if has("column"):
                raise located_error(src, ln.top("column"), "column applies to a matrix of files; a single "
                                                  "a2f file holds one column per pair")
            order = _string(src, ln, "a2f_order", data["a2f_order"]) if has("a2f_order") \
                else "row-major"
            if order not in ("row-major", "ebmb"):
                raise located_error(src, ln.top("a2f_order"), f"a2f_order must be 'row-major' or 'ebmb' "
                                                     f"(column-major), got {order!r}")
            ncols = _count_columns(src, ln, base, a2f)
            B = int(round(math.sqrt(ncols)))
            if B * B != ncols or B < 1:
                raise located_error(src, ln.top("a2f"), f"{a2f}: {ncols} α²F columns is not B² for any "
                                               "number of bands B")
            if B > MAX_BANDS:
                raise located_error(src, ln.top("a2f"), f"{B} bands exceed the limit of {MAX_BANDS}")
            spectra = [[None] * B for _ in range(B)]
            for i in range(B):
                for j in range(B):
                    col = i * B + j + 1 if order == "row-major" else j * B + i + 1
                    spectra[i][j] = _load_a2f(src, ln, base, a2f, unit, col)
        elif isinstance(a2f, list) and a2f and all(isinstance(r, list) for r in a2f):
            if has("a2f_order"):
                raise located_error(src, ln.top("a2f_order"), "a2f_order applies to a single a2f file")
            B = len(a2f)
            if B > MAX_BANDS:
                raise located_error(src, ln.top("a2f"), f"{B} bands exceed the limit of {MAX_BANDS}")
            spectra = []
            for i, r in enumerate(a2f):
                if len(r) != B:
                    raise located_error(src, ln.top("a2f"), f"a2f row {i + 1} has {len(r)} entries, "
                                                   f"expected {B} (a square matrix)")
                row = []
                for x in r:
                    name = _string(src, ln, "a2f", x)
                    row.append(None if name == "" else _load_a2f(src, ln, base, name, unit,
                                                                  column))
                spectra.append(row)
        else:
            raise located_error(src, ln.top("a2f"), "a2f must be a file name or a B×B matrix of file "
                                           "names ('' for no coupling)")
    if not has("mustar"):
        raise located_error(src, 0, "missing key 'mustar' (the B×B matrix μ*_ij; zeros for none)")
    mv = data["mustar"]
    if isinstance(mv, list) and mv and not any(isinstance(x, list) for x in mv):
        if len(mv) != B:
            raise located_error(src, ln.top("mustar"), f"mustar as a list is the diagonal: it needs {B} "
                                              f"values, got {len(mv)}")
        mu = np.diag([_scalar(src, ln, "mustar", x, minimum=0.0) for x in mv])
    else:
        mu = _num_matrix(src, ln, "mustar", mv, B)
    opts = {}
    for k in ("cutoff_meV", "mustar_at_meV"):
        if has(k):
            opts[k] = _scalar(src, ln, k, data[k], positive=True)
    if has("dos"):
        dv = data["dos"]
        if not isinstance(dv, list) or len(dv) != B:
            raise located_error(src, ln.top("dos"), f"dos must be a list of {B} values (one per band)")
        opts["dos"] = tuple(_scalar(src, ln, "dos", x, positive=True) for x in dv)
    if has("labels"):
        lv = data["labels"]
        if not isinstance(lv, list) or len(lv) != B or not all(isinstance(x, str) and x.strip()
                                                               for x in lv):
            raise located_error(src, ln.top("labels"), f"labels must be a list of {B} non-empty strings")
        opts["labels"] = tuple(x.strip() for x in lv)
    tmin = _scalar(src, ln, "t_min_K", data["t_min_K"], positive=True) if has("t_min_K") \
        else 0.01
    try:
        check_temperature(tmin, "t_min_K")
    except ValueError as exc:
        raise located_error(src, ln.top("t_min_K"), str(exc)) from None
    try:
        if spectra is None:
            prob = MultibandProblem.einstein(om, lam, mu, source=str(source), **opts)
        else:
            prob = MultibandProblem(spectra, mu, source=str(source), **opts)
        prob.resolve()  # μ* rescaling must be possible at the (default) cutoff
    except ValueError as exc:
        key = next((k for k in ("dos", "mustar", "lambda", "a2f", "einstein_meV")
                    if k in str(exc) and has(k)), None)
        raise located_error(src, ln.top(key) if key else 0, str(exc)) from None
    return MultibandFile(str(source), prob, tmin)


def _count_columns(src, ln, base: Path, name: str) -> int:
    """Number of α²F columns of a plain multi-column file (first data row)."""
    p = Path(name)
    if not p.is_absolute():
        p = base / p
    try:
        with open(p, encoding="utf-8") as fh:
            for k, line in enumerate(fh, start=1):
                if k > 100_000:  # no data row in the first 10⁵ lines: not an α²F table
                    break
                s = line.split("#", 1)[0].split()
                if not s:
                    continue
                try:
                    [float(x) for x in s]
                except ValueError:
                    continue  # a label line
                if len(s) < 2:
                    raise located_error(src, ln.top("a2f"), f"{p}, line {k}: need Ω and at least one "
                                                   "α²F column")
                return len(s) - 1
    except OSError as exc:
        raise located_error(src, ln.top("a2f"), f"{p}: {exc.strerror or exc}") from None
    raise located_error(src, ln.top("a2f"), f"{p}: no numeric data rows")


def load_multiband_file(path) -> MultibandFile:
    """Read and validate a multiband TOML file (errors name the file and line)."""
    p = Path(path)
    text = read_text(p, "multiband file")
    return parse_multiband_text(text, str(p), p.parent)
