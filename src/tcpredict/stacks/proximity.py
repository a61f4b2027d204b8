r"""Proximity-coupled layers: bilayers and stacks with confinement (docs/proximity.md).

Each layer j has its own Eliashberg function α²F_j, Coulomb pseudopotential μ*_j, thickness d_j
and Fermi-level density of states per spin N_j. Neighbouring layers are coupled by the elastic
proximity rates Γ (docs/proximity.md §1):

.. math::

    ω_n Z_j(n) &= ω_n + πT\sum_m λ_j(ω_n−ω_m)\,N^Z_j(m) + Γ_{j←k} N^Z_k(n),\\
    Z_j(n)Δ_j(n) &= πT\sum_{|ω_m|<ω_c}[λ_j(ω_n−ω_m) − μ^*_j]\,N^Δ_j(m) + Γ_{j←k} N^Δ_k(n),

with detailed balance Γ_{j←k} d_j N_j = Γ_{k←j} d_k N_k at every interface (docs/proximity.md §2).
A confined layer (docs/confinement.md) uses α²F_L = f(L) α²F_bulk (λ rule), μ*(L) (μ* rule) and
N_j = g(E_F(L), L)/2, all at its own thickness.

Parametrisations of an interface (the user always sees which one was used):

``"gamma"``
    Γ_{i←i+1} given in meV (felt by the first layer of the pair), the reverse rate from
    detailed balance.
``"cooper-limit"``
    Γ → ∞ (transparent, thin layers): the layers of the interface become one superconductor
    with (docs/proximity.md §3) α²F_eff = Σ w_j α²F_j, μ*_eff = Σ w_j μ*_j (μ* at the same cutoff),
    w_j = d_jN_j / Σ_k d_kN_k. This is exact: in the limit the equations force Δ_j = Δ_k and
    the weighted sum of the layer equations (weights d_jN_j) cancels the Γ terms.
``"decoupled"``
    Γ = 0; Tc = max_j Tc_j.

All layers share one Matsubara cutoff ω_c (default 10 × the largest Ω_max); every μ* is rescaled
to it with Morel–Anderson (:func:`tcpredict.eliashberg.matsubara.rescale_mustar`).

Numerical method
----------------
Every stack is solved by the one linearized operator of the package,
:class:`tcpredict.eliashberg.operator.LinearizedOperator` (each Cooper-limit group becomes one
channel with the summed kernel). ``method="compressed"`` (the default) uses interpolated kernel
tables (:class:`~tcpredict.eliashberg.kernels.TableKernel`) on compressed Matsubara nodes
(:class:`~tcpredict.eliashberg.operator.CompressedGrid`): node count ∝ ln(ω_c/T) + ω_c/ω_log,
so a 0.05 K Tc costs about as much as a 5 K one. ``method="exact"`` uses the quadrature kernels
on every Matsubara frequency below ω_c (the reference; agreement ≲ 2e-4 relative with the
default panels, tests/stacks/test_proximity.py).

Units: energies meV, temperatures K, thicknesses nm.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace

import numpy as np

from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.films.confinement import FreeElectronFilm
from tcpredict.eliashberg.kernels import SpectrumKernel, SumKernel, TableKernel
from tcpredict.eliashberg.matsubara import rescale_mustar
from tcpredict.eliashberg.operator import CompressedGrid, LinearizedOperator
from tcpredict.eliashberg.tc import check_search, cutoff_problems, find_tc, find_tc_warm
from tcpredict.limits import (MAX_LAYERS, as_float, check_energy, check_mustar, check_temperature,
                              check_thickness)
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.films.thickness_rules import (
    DEFAULT_LAMBDA_RULE,
    DEFAULT_MUSTAR_RULE,
    FilmContext,
    get_lambda_rule,
    get_mustar_rule,
)
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

__all__ = [
    "Layer",
    "stack_sensitivity",
    "Interface",
    "Stack",
    "bilayer",
    "LayerReport",
    "StackTcResult",
    "StackGapResult",
    "PARAMETRISATIONS",
    "METHODS",
    "DEFAULT_T_MIN_K",
]

#: Interface parametrisations (docs/proximity.md §2).
PARAMETRISATIONS = ("gamma", "cooper-limit", "decoupled")
#: Linearized solvers.
METHODS = ("compressed", "exact")
#: Default lowest temperature searched [K].
DEFAULT_T_MIN_K = 0.01
#: An interface whose two rates Γ_{i←i+1}, Γ_{i+1←i} both exceed this multiple of the cutoff is
#: solved in its exact Cooper limit (docs/proximity.md §3). The finite-Γ correction to Tc is of
#: relative order ω_c/Γ ≤ 1e-6 there, while the finite-Γ matrix loses the pairing information
#: (its layer blocks are O(ω/Γ) beside O(1) coupling blocks) to round-off once Γ/ω_c ≳ 1e12.
GAMMA_COOPER_LIMIT_OVER_CUTOFF = 1e6


# ================================================================================ layers
def _rule_name(rule) -> str:
    """Name of a thickness rule given as a string or a rule object (for reprs)."""
    return rule if isinstance(rule, str) else str(getattr(rule, "name", rule))


@dataclass(frozen=True, eq=False)
class Layer:
    r"""One layer of a stack (immutable).

    Parameters
    ----------
    spectrum : Alpha2F
        Bulk α²F(Ω) of the layer's material.
    mustar : float
        Bulk μ* ≥ 0, defined at ``mustar_at_meV``.
    mustar_at_meV : float, optional
        Energy [meV] at which μ* is defined (default Ω_max of the spectrum).
    thickness_nm : float
        d_j [nm] > 0.
    dos_per_spin : float, optional
        N_j(E_F) per spin (any unit consistent across the stack; only ratios d_jN_j matter).
        Required for an unconfined layer without ``film``; for a layer with ``film`` the bulk
        free-electron value g₀/2 [meV⁻¹ nm⁻³] is the default. Ignored (and forbidden) when the
        layer is confined: then N_j = g(E_F(d_j), d_j)/2 [meV⁻¹ nm⁻³] (docs/confinement.md §2–§3),
        and every other layer's ``dos_per_spin`` must be in meV⁻¹ nm⁻³ too.
    confined : bool
        Apply the confinement model at ``thickness_nm`` (needs ``film``).
    film : FreeElectronFilm, optional
        Free-electron kinematics of the material.
    lambda_rule, mustar_rule : str or rule object
        Thickness rules (docs/confinement.md §5); used only when ``confined``.
    material : str
        Label carried into results.
    debye_meV : float, optional
        ħω_D [meV] (``thomas-fermi`` μ* rule only).
    tc_measured_K : float, optional
        Measured bulk Tc [K] (reported only).
    ranges : tcpredict.uncertainty.ParameterRanges, optional
        Uncertainty ranges of the material's λ, ω_log, ω̄₂ and μ* (set by :meth:`from_element`
        from the element data; None: no parametric uncertainty; docs/uncertainty.md §4).
    kernel : Kernel, optional
        λ(ν) of ``spectrum`` for the compressed method (default: an interpolated table of
        ``spectrum``, built once). It must be the kernel of ``spectrum``; the uncertainty
        samples pass the exact stretched kernel of the bulk table here.
    """

    spectrum: Alpha2F
    mustar: float
    mustar_at_meV: float | None = None
    thickness_nm: float = 1.0
    dos_per_spin: float | None = None
    confined: bool = False
    film: FreeElectronFilm | None = None
    lambda_rule: object = DEFAULT_LAMBDA_RULE
    mustar_rule: object = DEFAULT_MUSTAR_RULE
    material: str = "model"
    debye_meV: float | None = None
    tc_measured_K: float | None = None
    ranges: object = None
    kernel: object = None

    def __post_init__(self):
        if not isinstance(self.spectrum, Alpha2F):
            raise ValueError("layer spectrum must be an Alpha2F")
        tag = f"layer {self.material!r}"
        mu = check_mustar(self.mustar, f"{tag}: mustar")
        object.__setattr__(self, "mustar", mu)
        at = self.spectrum.omega_max_meV if self.mustar_at_meV is None else self.mustar_at_meV
        at = check_energy(at, f"{tag}: mustar_at_meV")
        object.__setattr__(self, "mustar_at_meV", at)
        d = check_thickness(self.thickness_nm, f"{tag}: thickness_nm")
        object.__setattr__(self, "thickness_nm", d)
        if self.confined:
            if self.film is None:
                raise ValueError(f"layer {self.material!r}: a confined layer needs the "
                                 "free-electron density (film)")
            if self.dos_per_spin is not None:
                raise ValueError(f"layer {self.material!r}: dos_per_spin contradicts "
                                 "confined = true (N is g(E_F(L), L)/2 from the model)")
        if self.dos_per_spin is not None:
            v = as_float(self.dos_per_spin, f"layer {self.material!r}: dos_per_spin")
            if not math.isfinite(v) or v <= 0:
                raise ValueError(f"layer {self.material!r}: dos_per_spin must be > 0")
            object.__setattr__(self, "dos_per_spin", v)

    @classmethod
    def from_element(cls, symbol: str, thickness_nm: float, *, confined: bool = True,
                     lambda_rule=DEFAULT_LAMBDA_RULE, mustar_rule=DEFAULT_MUSTAR_RULE,
                     mustar: float | None = None, mustar_at_meV: float | None = None
                     ) -> "Layer":
        """Layer of an element of the shipped data (:func:`tcpredict.materials.elements.get_element`).

        N(E_F) is the free-electron value, bulk g₀/2 or confined g(E_F(L), L)/2
        [meV⁻¹ nm⁻³]. μ* defaults to the element's (at its ``mustar_at_meV``). The layer
        carries the element's uncertainty ranges (``ranges``; a μ* given here has none).
        """
        from tcpredict.materials.elements import get_element
        from tcpredict.uncertainty import ParameterRanges

        el = get_element(symbol)
        film = FreeElectronFilm(el.n_per_nm3)
        given_mu = (el.mustar if mustar is None else mustar) if (
            mustar is not None or mustar_at_meV is not None) else None
        return cls(spectrum=el.alpha2f(),
                   mustar=el.mustar if mustar is None else mustar,
                   mustar_at_meV=el.mustar_at_meV if mustar_at_meV is None else mustar_at_meV,
                   thickness_nm=thickness_nm, confined=confined, film=film,
                   lambda_rule=lambda_rule, mustar_rule=mustar_rule, material=el.symbol,
                   debye_meV=K_B_MEV_PER_K * el.debye_K, tc_measured_K=el.tc_measured_K,
                   ranges=ParameterRanges.from_element(el, mustar=given_mu))

    def __repr__(self) -> str:
        extra = ""
        if self.confined:
            extra = f", lambda_rule={_rule_name(self.lambda_rule)!r}, " \
                    f"mustar_rule={_rule_name(self.mustar_rule)!r}"
        elif self.dos_per_spin is not None:
            extra = f", dos_per_spin={self.dos_per_spin:.4g}"
        return (f"Layer({self.material!r}, thickness_nm={self.thickness_nm:g}, "
                f"confined={self.confined}, λ_bulk={self.spectrum.lam:.4g}, "
                f"mustar={self.mustar:.4g} at {self.mustar_at_meV:.4g} meV{extra})")

    def with_thickness(self, thickness_nm: float) -> "Layer":
        """Copy at another thickness."""
        return replace(self, thickness_nm=thickness_nm)

    def couplings(self) -> dict:
        """λ-rule factor, μ*(d) at ``mustar_at_meV``, N(E_F) per spin and rule names.

        Unconfined layers keep the bulk α²F and μ* (rules ``"none"``). Computed once per Layer
        object (a map or screen reuses its layers at every grid point); a fresh dict is returned.
        """
        cached = self.__dict__.get("_couplings")
        if cached is None:
            cached = self._compute_couplings()
            object.__setattr__(self, "_couplings", cached)
        return dict(cached)

    def _compute_couplings(self) -> dict:
        d = self.thickness_nm
        if self.confined:
            ctx = FilmContext(self.film, self.spectrum.lam, self.mustar, self.mustar_at_meV,
                              self.debye_meV)
            lrule = get_lambda_rule(self.lambda_rule)
            mrule = get_mustar_rule(self.mustar_rule)
            factor = float(np.asarray(lrule(np.array([d]), ctx)).reshape(-1)[0])
            mu = float(np.asarray(mrule(np.array([d]), ctx)).reshape(-1)[0])
            ef = float(self.film.fermi_energy_meV(d))
            dos = float(self.film.dos_per_spin_per_meV_nm3(ef, d))
            return {"lambda_factor": factor, "mustar_at_ref": mu, "dos_per_spin": dos,
                    "lambda_rule": lrule.name, "mustar_rule": mrule.name,
                    "dos_source": "confined g(E_F(L),L)/2 [1/(meV nm^3)]"}
        if self.dos_per_spin is not None:
            dos, src = self.dos_per_spin, "given"
        elif self.film is not None:
            dos, src = 0.5 * self.film.bulk_dos_per_meV_nm3, "bulk g0/2 [1/(meV nm^3)]"
        else:
            dos, src = None, "missing"
        return {"lambda_factor": 1.0, "mustar_at_ref": self.mustar, "dos_per_spin": dos,
                "lambda_rule": "none", "mustar_rule": "none", "dos_source": src}


@dataclass(frozen=True)
class Interface:
    """Coupling between layer i and i+1 (docs/proximity.md §2).

    Parameters
    ----------
    gamma_meV : float, optional
        Γ_{i←i+1} [meV] felt by the first layer of the pair (≥ 0; 0 = decoupled). The reverse
        rate follows from detailed balance.
    cooper_limit : bool
        Γ → ∞ (exact effective single superconductor, docs/proximity.md §3).
    """

    gamma_meV: float | None = None
    cooper_limit: bool = False

    def __post_init__(self):
        if self.cooper_limit and self.gamma_meV is not None:
            raise ValueError("an interface takes either gamma_meV or cooper_limit, not both")
        if not self.cooper_limit:
            if self.gamma_meV is None:
                raise ValueError("an interface needs gamma_meV or cooper_limit = true")
            g = as_float(self.gamma_meV, "gamma_meV")
            if not math.isfinite(g) or g < 0:
                raise ValueError(f"gamma_meV must be finite and ≥ 0, got {self.gamma_meV}")
            object.__setattr__(self, "gamma_meV", g)

    def __repr__(self) -> str:
        if self.cooper_limit:
            return "Interface(cooper_limit=True)"
        return f"Interface(gamma_meV={self.gamma_meV:g})"

    @classmethod
    def decoupled(cls) -> "Interface":
        """Γ = 0."""
        return cls(gamma_meV=0.0)

    @property
    def parametrisation(self) -> str:
        """``"cooper-limit"``, ``"decoupled"`` (Γ = 0) or ``"gamma"``."""
        if self.cooper_limit:
            return "cooper-limit"
        return "decoupled" if self.gamma_meV == 0 else "gamma"


# =============================================================================== results
@dataclass(frozen=True)
class LayerReport:
    """Per-layer data of a stack result (thickness-dependent couplings, Tc alone)."""

    material: str
    thickness_nm: float
    confined: bool
    tc_alone_K: float | None
    lambda_bulk: float
    lam: float
    lambda_factor: float
    omega_log_meV: float
    mustar: float
    mustar_at_meV: float
    mustar_at_cutoff: float
    dos_per_spin: float
    weight: float
    lambda_rule: str
    mustar_rule: str
    dos_source: str
    tc_measured_K: float | None

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["lambda"] = d.pop("lam")
        d["weight_d_times_N"] = d.pop("weight")
        return d


@dataclass(frozen=True)
class StackTcResult:
    """Critical temperature of a stack with its inputs, couplings and convergence data.

    ``tc_K`` is None when there is no superconductivity above ``t_min_K``.
    ``gammas_meV[i] = [Γ_{i←i+1}, Γ_{i+1←i}]``; None (JSON null) entries mean Γ → ∞ (Cooper
    limit). ``parametrisations[i]`` says which parametrisation interface i used.
    ``sensitivity`` (None when Tc is None or not asked for): ∂ln Tc/∂λ_j and ∂ln Tc/∂μ*_j per
    layer and summed over the layers (docs/uncertainty.md §2.3, :func:`stack_sensitivity`).
    ``uncertainty``: the band of :func:`tcpredict.uncertainty.stack_band` when asked for.
    """

    tc_K: float | None
    t_min_K: float
    cutoff_meV: float
    layers: tuple
    gammas_meV: tuple
    parametrisations: tuple
    method: str
    rtol: float
    evaluations: int
    n_matsubara: int
    n_nodes: int
    eigen_residual: float
    converged: bool
    dlnrho_dlnT: float = math.nan
    cutoff_convention: str = ("gap sum over |ω_m| < ω_c; Z from the exact normal-state sum; "
                              "μ* rescaled to ω_c (Morel–Anderson)")
    notes: tuple = field(default_factory=tuple)
    sensitivity: dict | None = None
    uncertainty: dict | None = None
    #: the last pairing eigenvector (nodes, shape): ``Stack.tc(eigen_start=...)`` of a
    #: neighbouring point starts from it (not part of the output)
    eigen_start: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def parametrisation(self) -> str:
        """One word for the whole stack (``"mixed"`` if the interfaces differ)."""
        p = set(self.parametrisations)
        return p.pop() if len(p) == 1 else "mixed"

    def to_dict(self) -> dict:
        return {
            "tc_K": self.tc_K, "t_min_K": self.t_min_K, "cutoff_meV": self.cutoff_meV,
            "parametrisation": self.parametrisation,
            "parametrisations": list(self.parametrisations),
            "gammas_meV": [[None if not math.isfinite(g) else g for g in pair]
                           for pair in self.gammas_meV],
            "layers": [lr.to_dict() for lr in self.layers],
            "method": self.method, "rtol": self.rtol, "evaluations": self.evaluations,
            "n_matsubara": self.n_matsubara, "n_nodes": self.n_nodes,
            "eigen_residual": self.eigen_residual, "converged": self.converged,
            "dlnrho_dlnT": self.dlnrho_dlnT,
            "cutoff_convention": self.cutoff_convention, "notes": list(self.notes),
            "sensitivity": self.sensitivity,
        } | ({} if self.uncertainty is None else {
            **_band_summary(self.uncertainty), "uncertainty": self.uncertainty})

    def to_dataframe(self):
        """One row per layer (``layer`` index, the :class:`LayerReport` columns) with the
        stack's ``tc_K``, ``parametrisation`` and ``converged`` repeated on every row, and the
        interface below the layer (``gamma_down_meV``, ``gamma_up_meV``: Γ_{i←i+1},
        Γ_{i+1←i}; NaN in the Cooper limit and for the last layer). ``attrs`` holds
        ``tcpredict_version``."""
        import pandas as pd

        from tcpredict.provenance import version

        rows = []
        for i, lr in enumerate(self.layers):
            g = self.gammas_meV[i] if i < len(self.gammas_meV) else (math.nan, math.nan)
            g = [math.nan if v is None or not math.isfinite(v) else float(v) for v in g]
            rows.append({"layer": i, **lr.to_dict(), "tc_K": self.tc_K,
                         "parametrisation": self.parametrisation, "converged": self.converged,
                         "gamma_down_meV": g[0], "gamma_up_meV": g[1]})
        df = pd.DataFrame(rows)
        df["tc_K"] = df["tc_K"].astype(float)
        df.attrs.update(tcpredict_version=version())
        return df


@dataclass(frozen=True, eq=False)
class StackGapResult:
    """Nonlinear gaps per layer at one temperature (from :func:`gap.solve_gap_stack`).

    ``delta_meV`` and ``z`` have shape (layers, N) in the order of the stack's layers (layers
    joined by a Cooper-limit interface share one gap).
    """

    temperature_K: float
    omega_n_meV: np.ndarray
    delta_meV: np.ndarray
    z: np.ndarray
    iterations: int
    residual: float
    superconducting: bool
    materials: tuple

    def to_dict(self) -> dict:
        return {"temperature_K": self.temperature_K, "materials": list(self.materials),
                "delta_iw0_meV": [float(v) for v in self.delta_meV[:, 0]],
                "z_iw0": [float(v) for v in self.z[:, 0]], "iterations": self.iterations,
                "residual": self.residual, "superconducting": self.superconducting,
                "n_matsubara": int(self.omega_n_meV.size)}


# ================================================================================ stacks
@dataclass
class _Channel:
    """An effective layer: one layer, or several joined by Cooper-limit interfaces."""

    members: list
    kernel: object        # fast λ(ν): interpolated tables (compressed grid)
    make_kernel_exact: object  # () -> λ(ν) by quadrature (full grid, the reference)
    make_spectrum: object  # () -> effective α²F (built only when needed: exact method, gaps)
    mustar: float         # at the cutoff
    weight: float
    lam: float
    omega_log_meV: float

    @property
    def spectrum(self) -> Alpha2F:
        return self.make_spectrum()

    @property
    def kernel_exact(self):
        """λ(ν) by quadrature (built on first use: only the exact method needs it)."""
        k = self.__dict__.get("_kernel_exact")
        if k is None:
            k = self.make_kernel_exact()
            self.__dict__["_kernel_exact"] = k
        return k


class Stack:
    r"""A stack of layers coupled at each interface (docs/proximity.md §4).

    Parameters
    ----------
    layers : sequence of Layer
        In stacking order.
    interfaces : sequence of Interface
        ``len(layers) − 1`` couplings, interface i between layer i and i+1.
    cutoff_meV : float, optional
        Common Matsubara cutoff ω_c [meV] (default 10 × the largest Ω_max).
    """

    def __init__(self, layers, interfaces=(), cutoff_meV: float | None = None):
        self.layers = tuple(layers)
        self.interfaces = tuple(interfaces)
        if not self.layers:
            raise ValueError("a stack needs at least one layer")
        if len(self.layers) > MAX_LAYERS:
            raise ValueError(f"a stack of {len(self.layers)} layers exceeds the limit of "
                             f"{MAX_LAYERS} layers (README \"Limits\")")
        if not all(isinstance(x, Layer) for x in self.layers):
            raise ValueError("layers must be Layer objects")
        if len(self.interfaces) != len(self.layers) - 1:
            raise ValueError(f"{len(self.layers)} layers need {len(self.layers) - 1} "
                             f"interfaces, got {len(self.interfaces)}")
        if not all(isinstance(x, Interface) for x in self.interfaces):
            raise ValueError("interfaces must be Interface objects")
        om = max(la.spectrum.omega_max_meV for la in self.layers)
        self.cutoff_meV = 10.0 * om if cutoff_meV is None else check_energy(cutoff_meV,
                                                                             "cutoff_meV")
        self._coup = [la.couplings() for la in self.layers]
        confined_any = any(la.confined for la in self.layers)
        for la, cp in zip(self.layers, self._coup):
            if cp["dos_per_spin"] is None:
                if len(self.layers) > 1:
                    raise ValueError(f"layer {la.material!r}: dos_per_spin is required (N(E_F) "
                                     "fixes the detailed-balance ratio of the Γ's)")
                cp["dos_per_spin"] = 1.0
            if confined_any and cp["dos_source"] == "given":
                log.info("layer %s: dos_per_spin taken to be in 1/(meV nm^3), as the "
                         "confined layers' N", la.material)
        self.mustar_at_cutoff = [rescale_mustar(cp["mustar_at_ref"], la.mustar_at_meV,
                                                self.cutoff_meV)
                                 for la, cp in zip(self.layers, self._coup)]
        self.weights = [la.thickness_nm * cp["dos_per_spin"]
                        for la, cp in zip(self.layers, self._coup)]
        self._kernels: dict = {}

    def __repr__(self) -> str:
        parts = [f"{la.material} {la.thickness_nm:g} nm" for la in self.layers]
        out = parts[0]
        for itf, p in zip(self.interfaces, parts[1:]):
            link = "Γ→∞" if itf.cooper_limit else f"Γ={itf.gamma_meV:g} meV"
            out += f" |{link}| {p}"
        return f"Stack({out}; cutoff_meV={self.cutoff_meV:g})"

    # ------------------------------------------------------------ construction helpers
    def _kernel(self, j: int, exact: bool = False):
        """λ_j(ν) of layer j with its thickness factor: an interpolated table (fast) or the
        quadrature of α²F (exact); built once per layer."""
        key = (j, exact)
        if key not in self._kernels:
            la = self.layers[j]
            sp = la.spectrum
            if exact:
                self._kernels[key] = SpectrumKernel(sp)
            else:
                self._kernels[key] = la.kernel if la.kernel is not None else TableKernel(sp)
        return self._kernels[key].scaled(self._coup[j]["lambda_factor"])

    def _layer_spectrum(self, j: int) -> Alpha2F:
        f = self._coup[j]["lambda_factor"]
        sp = self.layers[j].spectrum
        return sp if f == 1.0 else sp.scaled(f)

    def _effectively_cooper(self, i: int, itf) -> bool:
        """True when both rates of a finite-Γ interface exceed
        :data:`GAMMA_COOPER_LIMIT_OVER_CUTOFF` × ω_c (solved in the exact Cooper limit)."""
        if itf.gamma_meV is None or itf.cooper_limit:
            return False
        lim = GAMMA_COOPER_LIMIT_OVER_CUTOFF * self.cutoff_meV
        back = itf.gamma_meV * (self.weights[i] / self.weights[i + 1])
        return itf.gamma_meV >= lim and back >= lim

    def _channels(self, interfaces=None):
        """Group layers joined by Cooper-limit interfaces; return channels and Γ_fwd."""
        ifs = self.interfaces if interfaces is None else interfaces
        groups = [[0]]
        gam = []
        for i, itf in enumerate(ifs):
            if itf.cooper_limit or self._effectively_cooper(i, itf):
                groups[-1].append(i + 1)
            else:
                groups.append([i + 1])
                gam.append((i, itf.gamma_meV))
        chans = []
        for g in groups:
            s = np.array([self.weights[j] for j in g])
            w = s / s.sum()
            if len(g) == 1:
                j = g[0]
                k = self._kernel(j)
                kex = (lambda j=j: self._kernel(j, exact=True))
                sp = (lambda j=j: self._layer_spectrum(j))
                mu = self.mustar_at_cutoff[j]
            else:
                # docs/proximity.md §3: α²F_eff = Σ w_j α²F_j, μ*_eff = Σ w_j μ*_j at one cutoff
                k = SumKernel([(wj, self._kernel(j)) for wj, j in zip(w, g)])
                kex = (lambda g=g, w=w: SumKernel([(wj, self._kernel(j, exact=True))
                                                   for wj, j in zip(w, g)]))
                def sp(g=g, w=w):
                    out = self._layer_spectrum(g[0]).scaled(w[0])
                    for wj, j in zip(w[1:], g[1:]):
                        out = out + self._layer_spectrum(j).scaled(wj)
                    return out
                mu = float(sum(wj * self.mustar_at_cutoff[j] for wj, j in zip(w, g)))
            # moments of Σ w_j f_j α²F_j: λ = Σ w_j f_j λ_j, ln ω_log = Σ w_j f_j λ_j ln ω_log,j / λ
            lj = np.array([self.layers[j].spectrum.lam * self._coup[j]["lambda_factor"]
                           for j in g]) * w
            lnw = np.array([math.log(self.layers[j].spectrum.omega_log_meV) for j in g])
            lam = float(lj.sum())
            chans.append(_Channel(g, k, kex, sp, mu, float(s.sum()), lam,
                                  float(math.exp((lj * lnw).sum() / lam))))
        # Γ between channels: Γ_{G←H} = Γ_{i←k} s_i / s_G (the group equation is the
        # s-weighted mean of its members' equations), detailed balance is preserved.
        gf = []
        for ci, (i, g) in enumerate(gam):
            gf.append(g * self.weights[i] / chans[ci].weight)
        return chans, np.array(gf, dtype=float)

    def cooper_limit_spectrum(self):
        """(α²F_eff, μ*_eff(ω_c)) of the whole stack in the Cooper limit (docs/proximity.md §3)."""
        allc = tuple(Interface(cooper_limit=True) for _ in self.interfaces)
        ch, _ = self._channels(allc)
        return ch[0].spectrum, ch[0].mustar

    def problem(self, method: str = "compressed", interfaces=None, **kw):
        """The :class:`~tcpredict.eliashberg.operator.LinearizedOperator` of the stack.

        ``method="compressed"`` (interpolated kernels on compressed nodes; keywords
        ``panel_factor``, ``order``, ``panel_meV``, ``n_exact``, ``n_head`` of
        :class:`~tcpredict.eliashberg.operator.CompressedGrid`) or ``"exact"`` (quadrature
        kernels on the full Matsubara grid)."""
        chans, gf = self._channels(interfaces)
        return self._problem_from(chans, gf, method, **kw)

    def _problem_from(self, chans, gf, method, **kw):
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")
        s = [c.weight for c in chans]
        mus = [c.mustar for c in chans]
        if method == "compressed":
            return LinearizedOperator([c.kernel for c in chans], mus, self.cutoff_meV, gf, s,
                                      grid=CompressedGrid(**kw))
        return LinearizedOperator([c.kernel_exact for c in chans], mus, self.cutoff_meV, gf, s,
                                  grid="full")

    def _guess_K(self) -> float:
        sp, mu = self.cooper_limit_spectrum()
        ad = float(allen_dynes_tc_K(sp.lam, sp.omega_log_meV, sp.omega2_meV, mu))
        return ad if ad > 0 else 1.0

    # ------------------------------------------------------------------------ solve
    def tc(self, *, t_min_K: float = DEFAULT_T_MIN_K, rtol: float = 1e-4,
           method: str = "compressed", t_guess_K: float | None = None,
           layer_tc: bool = True, panel_factor: float = 2.0, order: int = 4, n_head: int = 64,
           slope_guess: float | None = None, sensitivity: bool = True,
           uncertainty=None, eigen_start=None) -> StackTcResult:
        """Linearized Tc [K] of the stack (docs/proximity.md §5), plus each layer's Tc alone.

        Parameters
        ----------
        t_min_K : float
            Lowest temperature searched [K]; below it ``tc_K`` is None.
        rtol : float
            Relative accuracy of Tc.
        method : {"compressed", "exact"}
            Grid (see module docstring).
        t_guess_K : float, optional
            Start of the root search (default Allen–Dynes of the Cooper-limit superconductor).
        layer_tc : bool
            Also solve each layer alone (``tc_alone_K``; same cutoff and thickness couplings).
        slope_guess : float, optional
            Start value of d ln ρ/d ln T for the secant search (e.g. ``dlnrho_dlnT`` of a
            neighbouring result); compressed method only.
        panel_factor, order : float, int
            Compressed grid: panel width ``panel_factor`` × min ω_log and Gauss order. The
            defaults (2, 4) agree with ``method="exact"`` to ≲ 2e-4 relative; the screen uses
            (2, 3), ≲ 1e-3 (tests/stacks/test_proximity.py).
        n_head : int
            Compressed grid: Matsubara indices kept exactly before the panels (64; the screen
            uses 32: no change of its accuracy measured, docs/proximity.md §9).
        sensitivity : bool
            Also compute ∂ln Tc/∂λ_j and ∂ln Tc/∂μ*_j of every layer from the eigen-problem at
            Tc (five more eigen-solves; docs/uncertainty.md §2–§3).
        eigen_start : optional
            ``eigen_start`` of a neighbouring result (a map's previous grid point): its pairing
            eigenvector starts the Lanczos eigen-solves (compressed method; checked by their
            residuals, docs/eliashberg.md §2.5).
        uncertainty : bool or tcpredict.uncertainty.Uncertainty, optional
            Propagate the layers' element data ranges and the spread over the shipped
            thickness rules to Tc (docs/uncertainty.md §5; :func:`~tcpredict.uncertainty.stack_band`).
        """
        if not (0 < rtol < 0.1):
            raise ValueError("rtol must be in (0, 0.1)")
        t_min_K = check_search(t_min_K, self.cutoff_meV)
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")
        gkw = ({"panel_factor": panel_factor, "order": order, "n_head": n_head}
               if method == "compressed" else {})
        chans, gf = self._channels()
        prob = self._problem_from(chans, gf, method, **gkw)
        if (eigen_start is not None and method == "compressed"
                and np.shape(eigen_start[1])[0] == prob.layers):
            prob._warm = eigen_start
        guess = self._guess_K() if t_guess_K is None else float(t_guess_K)
        tc, info = _solve(prob, guess, t_min_K, rtol, method, slope_guess)
        warm = getattr(prob, "_warm", None)
        alone = []
        for j in range(len(self.layers)):
            if not layer_tc:
                alone.append(None)
                continue
            sub = Stack([self.layers[j]], (), self.cutoff_meV)
            ch, _ = sub._channels()
            p1 = sub._problem_from(ch, np.zeros(0), method, **gkw)
            sp = ch[0].spectrum
            ad = float(allen_dynes_tc_K(sp.lam, sp.omega_log_meV, sp.omega2_meV, ch[0].mustar))
            alone.append(_solve(p1, ad if ad > 0 else 1.0, t_min_K, rtol, method)[0])
        reports = []
        for j, (la, cp) in enumerate(zip(self.layers, self._coup)):
            reports.append(LayerReport(
                material=la.material, thickness_nm=la.thickness_nm, confined=la.confined,
                tc_alone_K=alone[j], lambda_bulk=la.spectrum.lam,
                lam=la.spectrum.lam * cp["lambda_factor"], lambda_factor=cp["lambda_factor"],
                omega_log_meV=la.spectrum.omega_log_meV, mustar=cp["mustar_at_ref"],
                mustar_at_meV=la.mustar_at_meV, mustar_at_cutoff=self.mustar_at_cutoff[j],
                dos_per_spin=cp["dos_per_spin"], weight=self.weights[j],
                lambda_rule=cp["lambda_rule"], mustar_rule=cp["mustar_rule"],
                dos_source=cp["dos_source"], tc_measured_K=la.tc_measured_K))
        gam = []
        for i, itf in enumerate(self.interfaces):
            if itf.cooper_limit:
                gam.append((math.inf, math.inf))
            else:
                g = itf.gamma_meV
                gam.append((g, g * self.weights[i] / self.weights[i + 1]))
        notes = []
        if tc is None:
            notes.append(f"no superconductivity above T_min = {t_min_K} K")
        for i, itf in enumerate(self.interfaces):
            if self._effectively_cooper(i, itf):
                notes.append(f"interface {i}: Γ = {itf.gamma_meV:.3g} meV ≥ "
                             f"{GAMMA_COOPER_LIMIT_OVER_CUTOFF:g} ω_c: solved in the exact "
                             "Cooper limit (finite-Γ correction ≲ ω_c/Γ)")
        om = max(la.spectrum.omega_max_meV for la in self.layers)
        problems = cutoff_problems(tc, self.cutoff_meV, om)
        notes.extend(f"not converged: {x}" for x in problems)
        sens = None
        if sensitivity and tc is not None:
            sens = stack_sensitivity(prob, tc, chans, reports)
        res = StackTcResult(
            tc_K=tc, t_min_K=t_min_K, cutoff_meV=self.cutoff_meV, layers=tuple(reports),
            gammas_meV=tuple(gam),
            parametrisations=tuple(i.parametrisation for i in self.interfaces) or ("single",),
            method=method, rtol=rtol, evaluations=int(info.get("evaluations", 0)),
            n_matsubara=int(info.get("n_matsubara", 0)),
            n_nodes=int(info.get("n_nodes", info.get("n_matsubara", 0))),
            eigen_residual=float(info.get("residual", math.nan)), converged=not problems,
            dlnrho_dlnT=float(info.get("dlnrho_dlnT", math.nan)),
            notes=tuple(notes), sensitivity=sens, eigen_start=warm)
        from tcpredict.uncertainty import as_uncertainty, stack_band

        spec = as_uncertainty(uncertainty)
        if spec is None:
            return res
        band = stack_band(self, res, spec, t_min_K=t_min_K, rtol=rtol, method=method,
                          panel_factor=panel_factor, order=order, n_head=n_head)
        return replace(res, uncertainty=band.to_dict(), notes=res.notes + band.notes,
                       converged=res.converged and band.converged)

    def gaps(self, temperature_K: float, *, tc_K: float | None = None,
             tol: float = 1e-10) -> StackGapResult:
        """Nonlinear gaps Δ_j(iω_n) per layer at T [K] (docs/proximity.md §1; every Matsubara
        frequency, solved on the compressed nodes where that pays: docs/eliashberg.md §2.3).

        Uses :func:`tcpredict.eliashberg.gap.solve_gap_stack` on the exact operator (Cooper-limit groups
        solved as one layer whose gap is reported for each member).
        """
        from tcpredict.eliashberg.gap import bcs_gap_guess_meV, solve_gap_stack

        check_temperature(temperature_K, "temperature_K")
        chans, gf = self._channels()
        prob = self._problem_from(chans, gf, "exact")
        if tc_K is None:
            tc_K = self.tc(layer_tc=False, sensitivity=False).tc_K or 0.0
        d0 = bcs_gap_guess_meV(tc_K, temperature_K) if tc_K > temperature_K else 0.0
        res = solve_gap_stack(prob, temperature_K, np.full(len(chans), max(d0, 1e-3)), tol=tol)
        rows_d, rows_z = [], []
        for ci, c in enumerate(chans):
            for _ in c.members:
                rows_d.append(res.delta_meV[ci])
                rows_z.append(res.z[ci])
        return StackGapResult(temperature_K, res.omega_n_meV, np.vstack(rows_d),
                              np.vstack(rows_z), res.iterations, res.residual,
                              res.superconducting, tuple(la.material for la in self.layers))


def _band_summary(d):
    from tcpredict.uncertainty import band_summary

    return band_summary(d)


def stack_sensitivity(prob, tc_K: float, chans, reports) -> dict:
    r"""The ``sensitivity`` object of a stack's Tc (docs/uncertainty.md §2.3).

    For layer j: ``dlntc_dlambda`` = ∂ln Tc/∂λ_j for α²F_j → (1+ε)α²F_j (λ_j = f_jλ_bulk,j, its
    value at the layer's thickness), ``dlntc_dmustar`` = ∂ln Tc/∂μ*_j for μ*_j at its reference
    energy (after the thickness rule). A layer inside a Cooper-limit channel enters the channel
    kernel with weight w_j = d_jN_j/Σd_kN_k and its μ*(ω_c) with the same weight
    (docs/proximity.md §3), so its λ derivative is that of its part of the summed kernel and
    ∂ρ/∂μ*_j(ω_c) = w_j ∂ρ/∂μ*_channel. The stack-level keys sum over the layers:
    ``dlntc_dlambda`` = Σ_j ∂ln Tc/∂λ_j (every layer's λ raised by the same δλ),
    ``dlntc_dmustar`` = Σ_j ∂ln Tc/∂μ*_j, ``dlntc_dlnlambda`` = Σ_j λ_j ∂ln Tc/∂λ_j (every
    α²F scaled by the same 1 + ε).
    """
    from tcpredict.eliashberg.sensitivity import eigen_derivatives, mustar_chain

    ed = eigen_derivatives(prob, tc_K)
    per = [None] * len(reports)
    for ci, ch in enumerate(chans):
        s = np.array([reports[j].weight for j in ch.members])
        w = s / s.sum()
        parts = ed.drho_dlnlam_parts[ci]
        for k, j in enumerate(ch.members):
            drl = ed.drho_dlnlam[ci] if len(ch.members) == 1 else parts[k]
            lr = reports[j]
            dmu = (w[k] * ed.drho_dmustar_cutoff[ci]
                   * mustar_chain(lr.mustar, lr.mustar_at_cutoff))
            per[j] = {"material": lr.material,
                      "dlntc_dlambda": float(ed.dlntc(drl)) / lr.lam,
                      "dlntc_dmustar": float(ed.dlntc(dmu))}
    return {"dlntc_dlambda": float(sum(p["dlntc_dlambda"] for p in per)),
            "dlntc_dmustar": float(sum(p["dlntc_dmustar"] for p in per)),
            "dlntc_dlnlambda": float(sum(p["dlntc_dlambda"] * r.lam
                                         for p, r in zip(per, reports))),
            "dlnrho_dlnT": float(ed.drho_dlnT / ed.rho), "layers": per}


def _solve(prob, guess, t_min_K, rtol, method, slope=None):
    if method == "compressed":
        return find_tc_warm(prob, guess, t_min_K, rtol,
                            slope=-0.25 if slope is None or not slope < 0 else slope)
    return find_tc(prob, guess, t_min_K, rtol)


def bilayer(a: Layer, b: Layer, *, gamma_meV: float | None = None, cooper_limit: bool = False,
            decoupled: bool = False, cutoff_meV: float | None = None) -> Stack:
    """Bilayer A/B with one parametrisation of its interface (docs/proximity.md §2).

    At most one of ``gamma_meV`` (Γ_A in meV; Γ_B = Γ_A d_AN_A/(d_BN_B)), ``cooper_limit`` or
    ``decoupled`` may be given; with none, the interface is in the Cooper limit (Γ → ∞,
    docs/proximity.md §3), the default of ``tcpredict bilayer``.
    """
    given = [gamma_meV is not None, bool(cooper_limit), bool(decoupled)]
    if sum(given) > 1:
        raise ValueError("give at most one of gamma_meV, cooper_limit=True or decoupled=True "
                         "(none: the Cooper limit)")
    if cooper_limit or not any(given):
        itf = Interface(cooper_limit=True)
    elif decoupled:
        itf = Interface.decoupled()
    else:
        itf = Interface(gamma_meV=gamma_meV)
    return Stack([a, b], [itf], cutoff_meV)
