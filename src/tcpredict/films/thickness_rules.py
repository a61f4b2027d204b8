r"""Pluggable rules for the thickness dependence of the couplings λ(L) and μ*(L).

docs/confinement.md §5 (models of Travaglino & Zaccone, J. Appl. Phys. 133, 033901 (2023), and
Zaccone & Fomin, arXiv:2312.13059). The rules are **not known exactly**; the defaults below are
the ones docs/confinement.md §5.1 describes, each rule carries a ``name`` so every result records which rule was used,
and a user rule (Python callable or table file) plugs in without changing anything else.

λ rules return the multiplicative factor ``f(L)`` applied to the bulk α²F,

.. math::  α^2F_L(Ω) = f(L)\, α^2F_{bulk}(Ω), \qquad λ(L) = f(L)\, λ_{bulk},

so ω_log is unchanged. μ* rules return μ*(L) defined at the same cutoff energy
``ctx.mustar_at_meV`` as the bulk value μ*_bulk.

==================  ======================================================================
λ rule              factor f(L)
==================  ======================================================================
``dos-scaling``     g(E_F(L); L)/g₀ (default)
``constant``        1
==================  ======================================================================

==================  ======================================================================
μ* rule             μ*(L) at ω_c = ``ctx.mustar_at_meV``
==================  ======================================================================
``constant``        μ*_bulk (default)
``morel-anderson``  μ(L) = μ_b g(E_F,L)/g₀, μ_b from μ*_bulk = μ_b/[1 + μ_b ln(E_F0/ω_c)],
                    μ*(L) = μ(L)/[1 + μ(L) ln(E_F(L)/ω_c)]
``thomas-fermi``    μ = (k_TF²/8k_F²) ln(1 + 4k_F²/k_TF²), k_TF² = e² g(E_F,L)/ε₀,
                    μ*(ħω_D) = μ/[1 + μ ln(E_F/ħω_D)], rescaled to ω_c with
                    1/μ*(ω_c) = 1/μ*(ħω_D) + ln(ħω_D/ω_c). Needs ``ctx.debye_meV``.
==================  ======================================================================

The ``thomas-fermi`` rule computes μ from the free-electron screening alone: its L → ∞ limit
(:meth:`ThomasFermiMustar.bulk_limit`) is in general **not** μ*_bulk of the material; results
should report that limit next to μ*_bulk.

Known tension (docs/confinement.md §5), stated plainly: with the default rules the enhancement of λ is
at most (4/3)^{1/3} − 1 ≈ 10 % (g(E_F)/g₀ ≤ 1.1006, reached at L = L_c). That is enough to lift
thin Al from 1.2 K to about 2 K (consistent with the rise of Tc seen in thin Al films) but not to
make Au superconduct at ~1 K, as the summary of Ummarino & Zaccone, arXiv:2406.16621, reports.
The published rule must therefore contain more than the DOS ratio; it is not known to us, and no
rule here is tuned to reproduce that number. When a user supplies a rule (callable or table),
nothing else in the machinery changes.

User rules
----------
A callable has the signature ``f(thickness_nm: ndarray, ctx: FilmContext) -> ndarray``: it
receives a 1-D float array of thicknesses [nm] and returns an array of the same length (or a
scalar). For λ it returns λ(L) itself by default (``returns="factor"`` in
:class:`CallableLambdaRule` makes it return the factor f(L)); for μ* it returns μ*(L) at
``ctx.mustar_at_meV``.

A table file has three columns ``thickness_nm lambda mustar`` (whitespace or comma separated,
``#`` starts a comment, an optional header line naming exactly these columns), thickness
strictly increasing. λ(L) is interpolated linearly in ln L and turned into the factor
λ_table(L)/λ_bulk; μ*(L) is interpolated the same way and taken as given at
``ctx.mustar_at_meV``. A thickness outside the table range raises ``ValueError``.
"""

from __future__ import annotations

import logging
import math
import os
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from tcpredict.textfile import read_text

from tcpredict.films.confinement import FreeElectronFilm, validate_thickness_nm
from tcpredict.limits import MAX_LAMBDA, MUSTAR_MAX
from tcpredict.units import E_CHARGE_C, EPS0_F_PER_M, EV_J

__all__ = [
    "FilmContext",
    "LambdaRule",
    "MustarRule",
    "DosScalingLambda",
    "ConstantLambda",
    "ConstantMustar",
    "MorelAndersonMustar",
    "ThomasFermiMustar",
    "CallableLambdaRule",
    "CallableMustarRule",
    "CouplingTable",
    "read_coupling_table",
    "TableLambdaRule",
    "TableMustarRule",
    "LAMBDA_RULE_NAMES",
    "MUSTAR_RULE_NAMES",
    "DEFAULT_LAMBDA_RULE",
    "DEFAULT_MUSTAR_RULE",
    "get_lambda_rule",
    "get_mustar_rule",
    "ThicknessCouplings",
    "evaluate_couplings",
    "thomas_fermi_wavevector_sq_per_nm2",
]

logger = logging.getLogger(__name__)

#: k_TF² [nm⁻²] per unit of g [meV⁻¹ nm⁻³]: e²/ε₀ in SI (J·m) times the conversion of g from
#: meV⁻¹ nm⁻³ to J⁻¹ m⁻³ (10²⁷/(10⁻³ eV)) and of k² from m⁻² to nm⁻² (10⁻¹⁸); CODATA 2018
#: constants from :mod:`tcpredict.units`. Numerically 4π·(e²/4πε₀) = 4π · 1439.96 meV·nm.
_KTF2_NM2_PER_DOS = E_CHARGE_C**2 / EPS0_F_PER_M * 1e27 / (1e-3 * EV_J) * 1e-18


def _finite(value, name: str, *, minimum: float | None = None, strict: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None:
        if strict and v <= minimum:
            raise ValueError(f"{name} must be > {minimum:g}, got {v!r}")
        if not strict and v < minimum:
            raise ValueError(f"{name} must be ≥ {minimum:g}, got {v!r}")
    return v


@dataclass(frozen=True)
class FilmContext:
    r"""The bulk material a thickness rule is applied to (immutable).

    Parameters
    ----------
    film : FreeElectronFilm
        Free-electron kinematics (density n, effective mass) of the metal.
    lambda_bulk : float
        Bulk electron–phonon coupling λ_bulk ≥ 0 (dimensionless).
    mustar_bulk : float
        Bulk Coulomb pseudopotential μ*_bulk ≥ 0, defined at the cutoff ``mustar_at_meV``.
    mustar_at_meV : float
        Cutoff energy ω_c [meV] > 0 at which μ*_bulk is defined; every μ* rule returns μ*(L)
        at this same energy.
    debye_meV : float or None, optional
        Debye energy ħω_D = k_B Θ_D [meV] > 0; required by the ``thomas-fermi`` μ* rule only.
    """

    film: FreeElectronFilm
    lambda_bulk: float
    mustar_bulk: float
    mustar_at_meV: float
    debye_meV: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.film, FreeElectronFilm):
            raise ValueError(
                f"film must be a FreeElectronFilm, got {type(self.film).__name__}"
            )
        object.__setattr__(self, "lambda_bulk", _finite(self.lambda_bulk, "lambda_bulk", minimum=0.0))
        object.__setattr__(self, "mustar_bulk", _finite(self.mustar_bulk, "mustar_bulk", minimum=0.0))
        object.__setattr__(
            self,
            "mustar_at_meV",
            _finite(self.mustar_at_meV, "mustar_at_meV", minimum=0.0, strict=True),
        )
        if self.debye_meV is not None:
            object.__setattr__(
                self, "debye_meV", _finite(self.debye_meV, "debye_meV", minimum=0.0, strict=True)
            )


def _check_output(values, L: np.ndarray, rule_name: str, quantity: str) -> np.ndarray:
    """Validate a rule's output: numeric, finite, ≥ 0, broadcastable to the shape of L."""
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"rule {rule_name!r} returned a non-numeric {quantity}") from None
    try:
        a = np.broadcast_to(a, L.shape).copy()
    except ValueError:
        raise ValueError(
            f"rule {rule_name!r} returned {quantity} of shape {a.shape}, expected {L.shape}"
        ) from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"rule {rule_name!r} returned a non-finite {quantity}")
    if np.any(a < 0.0):
        raise ValueError(f"rule {rule_name!r} returned a negative {quantity} ({a.min():g})")
    return a


# ====================================================================== base classes
class LambdaRule(ABC):
    """A thickness rule for the electron–phonon coupling.

    Calling ``rule(thickness_nm, ctx)`` returns the factor f(L) ≥ 0 that multiplies the bulk
    α²F (λ(L) = f(L) λ_bulk, ω_log unchanged), same shape as ``thickness_nm``.
    Subclasses set ``name`` and implement :meth:`_factor` on a validated float array.
    """

    name: str

    @abstractmethod
    def _factor(self, thickness_nm: np.ndarray, ctx: FilmContext) -> np.ndarray: ...

    def __call__(self, thickness_nm, ctx: FilmContext):
        """Factor f(L) on the bulk α²F (dimensionless), same shape as ``thickness_nm`` [nm]."""
        L = validate_thickness_nm(thickness_nm)
        return _check_output(self._factor(L, ctx), L, self.name, "lambda factor")[()]

    def lambda_of(self, thickness_nm, ctx: FilmContext):
        """λ(L) = f(L) λ_bulk (dimensionless), same shape as ``thickness_nm`` [nm]."""
        return (np.asarray(self(thickness_nm, ctx)) * ctx.lambda_bulk)[()]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class MustarRule(ABC):
    """A thickness rule for the Coulomb pseudopotential.

    Calling ``rule(thickness_nm, ctx)`` returns μ*(L) ≥ 0 defined at the cutoff
    ``ctx.mustar_at_meV``, same shape as ``thickness_nm``. Subclasses set ``name`` and implement
    :meth:`_mustar` on a validated float array.
    """

    name: str

    @abstractmethod
    def _mustar(self, thickness_nm: np.ndarray, ctx: FilmContext) -> np.ndarray: ...

    def __call__(self, thickness_nm, ctx: FilmContext):
        """μ*(L) at ``ctx.mustar_at_meV`` (dimensionless), same shape as ``thickness_nm`` [nm]."""
        L = validate_thickness_nm(thickness_nm)
        return _check_output(self._mustar(L, ctx), L, self.name, "mustar")[()]

    def bulk_limit(self, ctx: FilmContext) -> float | None:
        """L → ∞ limit of μ*(L) at ``ctx.mustar_at_meV``, or None if the rule does not define one.

        Equals ``ctx.mustar_bulk`` for ``constant`` and ``morel-anderson``; differs in general for
        ``thomas-fermi``.
        """
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


# ====================================================================== built-in λ rules
class DosScalingLambda(LambdaRule):
    r"""``dos-scaling`` (default): f(L) = g(E_F(L); L)/g₀ (docs/confinement.md §5).

    α²F_L(Ω) = [g(E_F(L), L)/g₀] α²F_bulk(Ω), so λ(L) = λ_bulk g(E_F, L)/g₀ and ω_log is
    unchanged; g(E_F)/g₀ from :meth:`FreeElectronFilm.dos_ratio` (docs/confinement.md §3), at most
    (4/3)^{1/3} = 1.1006.
    """

    name = "dos-scaling"

    def _factor(self, thickness_nm, ctx):
        return ctx.film.dos_ratio(thickness_nm)


class ConstantLambda(LambdaRule):
    """``constant``: f(L) = 1, λ(L) = λ_bulk (docs/confinement.md §5; isolates the ñ(ξ) effect)."""

    name = "constant"

    def _factor(self, thickness_nm, ctx):
        return np.ones_like(thickness_nm)


# ====================================================================== built-in μ* rules
class ConstantMustar(MustarRule):
    """``constant`` (default): μ*(L) = μ*_bulk at ``ctx.mustar_at_meV`` (docs/confinement.md §5)."""

    name = "constant"

    def _mustar(self, thickness_nm, ctx):
        return np.full_like(thickness_nm, ctx.mustar_bulk)

    def bulk_limit(self, ctx):
        return ctx.mustar_bulk


def _morel_anderson(mu, fermi_meV, cutoff_meV):
    r"""μ* = μ/[1 + μ ln(E_F/ω_c)] (Morel & Anderson, Phys. Rev. 125, 1263 (1962))."""
    return mu / (1.0 + mu * np.log(fermi_meV / cutoff_meV))


class MorelAndersonMustar(MustarRule):
    r"""``morel-anderson``: bare μ scaled with the Fermi-level DOS (docs/confinement.md §5).

    .. math::

        μ_b = \frac{μ^*_{bulk}}{1 - μ^*_{bulk}\ln(E_{F0}/ω_c)}, \qquad
        μ(L) = μ_b\, \frac{g(E_F, L)}{g_0}, \qquad
        μ^*(L) = \frac{μ(L)}{1 + μ(L)\ln(E_F(L)/ω_c)},

    with ω_c = ``ctx.mustar_at_meV`` (the first relation inverts
    μ*_bulk = μ_b/[1 + μ_b ln(E_F0/ω_c)]; Morel & Anderson, Phys. Rev. 125, 1263 (1962)).
    μ*(L) → μ*_bulk for L → ∞ (identity).

    Raises
    ------
    ValueError
        If ω_c ≥ E_F0, or μ*_bulk ln(E_F0/ω_c) ≥ 1 (no positive bare μ_b reproduces μ*_bulk).
    """

    name = "morel-anderson"

    @staticmethod
    def bare_mu_bulk(ctx: FilmContext) -> float:
        """Bulk bare Coulomb parameter μ_b (dimensionless) reproducing μ*_bulk at ω_c."""
        ef0 = ctx.film.bulk_fermi_energy_meV
        if ctx.mustar_at_meV >= ef0:
            raise ValueError(
                f"morel-anderson μ* rule: cutoff mustar_at_meV={ctx.mustar_at_meV:g} meV must be "
                f"below the bulk Fermi energy {ef0:g} meV"
            )
        denom = 1.0 - ctx.mustar_bulk * math.log(ef0 / ctx.mustar_at_meV)
        if denom <= 0.0:
            raise ValueError(
                f"morel-anderson μ* rule: mustar_bulk={ctx.mustar_bulk:g} at "
                f"{ctx.mustar_at_meV:g} meV implies an infinite or negative bare μ "
                f"(μ* ln(E_F0/ω_c) = {1.0 - denom:.4g} ≥ 1)"
            )
        return ctx.mustar_bulk / denom

    def _mustar(self, thickness_nm, ctx):
        mu = self.bare_mu_bulk(ctx) * ctx.film.dos_ratio(thickness_nm)
        return _morel_anderson(mu, ctx.film.fermi_energy_meV(thickness_nm), ctx.mustar_at_meV)

    def bulk_limit(self, ctx):
        self.bare_mu_bulk(ctx)  # validates the context
        return ctx.mustar_bulk


def thomas_fermi_wavevector_sq_per_nm2(dos_per_meV_nm3):
    r"""Thomas–Fermi screening wavevector squared k_TF² = e² g(E_F)/ε₀ [nm⁻²] (docs/confinement.md §5).

    Parameters
    ----------
    dos_per_meV_nm3 : float or array_like
        Fermi-level DOS g(E_F), both spins, per volume [meV⁻¹ nm⁻³].

    Returns
    -------
    float or ndarray
        k_TF² [nm⁻²] (SI formula; Ashcroft & Mermin Eq. 17.50 with 4πe² → e²/ε₀).
    """
    return (np.asarray(dos_per_meV_nm3, dtype=float) * _KTF2_NM2_PER_DOS)[()]


class ThomasFermiMustar(MustarRule):
    r"""``thomas-fermi``: μ from Thomas–Fermi screening with the film's E_F, k_F, g (docs/confinement.md §5).

    .. math::

        μ = \frac{k_{TF}^2}{8k_F^2}\ln\Big(1 + \frac{4k_F^2}{k_{TF}^2}\Big), \quad
        k_{TF}^2 = \frac{e^2 g(E_F, L)}{ε_0}, \quad
        μ^*(ħω_D) = \frac{μ}{1 + μ\ln(E_F/ħω_D)},

    evaluated with E_F(L), k_F(L), g(E_F, L) (Zaccone & Fomin, arXiv:2312.13059, as summarised
    in docs/confinement.md §5), then moved to the cutoff ω_c = ``ctx.mustar_at_meV`` with the
    Morel–Anderson relation 1/μ*(ω_c) = 1/μ*(ħω_D) + ln(ħω_D/ω_c).

    Notes
    -----
    The rule does not use ``ctx.mustar_bulk``: its L → ∞ limit (:meth:`bulk_limit`, the same
    formulas with E_F0, k_F0, g₀) generally differs from the material's μ*_bulk. Because the
    rescaling is exact Morel–Anderson, μ*(ω_c) = μ/[1 + μ ln(E_F/ω_c)]: the value at ω_c does not
    depend on ħω_D, which only fixes the rule's native reporting point
    (:meth:`mustar_at_debye`). The rule nevertheless requires ``ctx.debye_meV`` because it is
    defined at ħω_D (docs/confinement.md §5.1).
    """

    name = "thomas-fermi"

    @staticmethod
    def _debye(ctx: FilmContext) -> float:
        if ctx.debye_meV is None:
            raise ValueError(
                "thomas-fermi μ* rule needs the Debye energy: set FilmContext.debye_meV "
                "(ħω_D = k_B Θ_D in meV)"
            )
        return ctx.debye_meV

    @staticmethod
    def _mu(fermi_meV, kf_per_nm, dos):
        r = thomas_fermi_wavevector_sq_per_nm2(dos) / kf_per_nm**2  # k_TF²/k_F²
        return r / 8.0 * np.log1p(4.0 / r)

    def coulomb_mu(self, thickness_nm, ctx: FilmContext):
        """Bare Thomas–Fermi Coulomb parameter μ(L) (dimensionless), same shape as the input."""
        L = validate_thickness_nm(thickness_nm)
        f = ctx.film
        ef = np.asarray(f.fermi_energy_meV(L))
        return np.asarray(
            self._mu(ef, np.asarray(f.fermi_wavevector_per_nm(L)), np.asarray(f.dos_per_meV_nm3(ef, L)))
        )[()]

    def mustar_at_debye(self, thickness_nm, ctx: FilmContext):
        """μ*(L) at the rule's native cutoff ħω_D = ``ctx.debye_meV`` (dimensionless)."""
        wd = self._debye(ctx)
        L = validate_thickness_nm(thickness_nm)
        ef = np.asarray(ctx.film.fermi_energy_meV(L))
        if np.any(wd >= ef):
            raise ValueError(f"thomas-fermi μ* rule: debye_meV={wd:g} must be below E_F(L)")
        return np.asarray(_morel_anderson(np.asarray(self.coulomb_mu(L, ctx)), ef, wd))[()]

    def _rescale(self, mustar_debye, fermi_meV, ctx):
        wd = self._debye(ctx)
        wc = ctx.mustar_at_meV
        if np.any(wc >= fermi_meV):
            raise ValueError(
                f"thomas-fermi μ* rule: cutoff mustar_at_meV={wc:g} must be below E_F(L)"
            )
        # Morel–Anderson: 1/μ*(ω₂) = 1/μ*(ω₁) + ln(ω₁/ω₂), ω₁ = ħω_D, ω₂ = ω_c.
        return 1.0 / (1.0 / mustar_debye + math.log(wd / wc))

    def _mustar(self, thickness_nm, ctx):
        ef = np.asarray(ctx.film.fermi_energy_meV(thickness_nm))
        return self._rescale(np.asarray(self.mustar_at_debye(thickness_nm, ctx)), ef, ctx)

    def bulk_limit(self, ctx):
        """L → ∞ limit: the formulas with E_F0, k_F0, g₀, at ``ctx.mustar_at_meV``."""
        f = ctx.film
        ef0 = f.bulk_fermi_energy_meV
        wd = self._debye(ctx)
        mu = float(self._mu(ef0, f.bulk_fermi_wavevector_per_nm, f.bulk_dos_per_meV_nm3))
        return float(self._rescale(float(_morel_anderson(mu, ef0, wd)), ef0, ctx))


# ====================================================================== user callables
def _callable_name(func) -> str:
    q = getattr(func, "__qualname__", None) or type(func).__qualname__
    return f"callable:{q}"


def _call_user(func, L: np.ndarray, ctx: FilmContext):
    flat = np.array(L, dtype=float).reshape(-1)
    out = np.asarray(func(flat, ctx), dtype=float)
    if out.ndim == 0:
        return np.broadcast_to(out, L.shape)
    if out.shape != flat.shape:
        raise ValueError(
            f"rule {_callable_name(func)!r} returned shape {out.shape} for {flat.size} thicknesses"
        )
    return out.reshape(L.shape)


class CallableLambdaRule(LambdaRule):
    """User-supplied λ rule ``func(thickness_nm: ndarray, ctx: FilmContext) -> ndarray``.

    Parameters
    ----------
    func : callable
        Receives a 1-D float array of thicknesses [nm] and the :class:`FilmContext`; returns an
        array of the same length (or a scalar).
    returns : {"lambda", "factor"}, optional
        ``"lambda"`` (default): ``func`` returns λ(L), turned into the factor λ(L)/λ_bulk
        (needs λ_bulk > 0). ``"factor"``: ``func`` returns the factor f(L) on the bulk α²F.
    name : str, optional
        Rule name recorded in results; default ``callable:<qualname>``.
    """

    _RETURNS = ("lambda", "factor")

    def __init__(self, func: Callable, returns: str = "lambda", name: str | None = None):
        if not callable(func):
            raise ValueError(f"func must be callable, got {type(func).__name__}")
        if returns not in self._RETURNS:
            raise ValueError(f"returns must be one of {', '.join(self._RETURNS)}, got {returns!r}")
        self.func = func
        self.returns = returns
        self.name = name if name is not None else _callable_name(func)

    def _factor(self, thickness_nm, ctx):
        out = _call_user(self.func, thickness_nm, ctx)
        if self.returns == "factor":
            return out
        if ctx.lambda_bulk <= 0.0:
            raise ValueError(
                f"rule {self.name!r} returns λ(L); turning it into a factor needs lambda_bulk > 0"
            )
        return _check_output(out, thickness_nm, self.name, "lambda") / ctx.lambda_bulk


class CallableMustarRule(MustarRule):
    """User-supplied μ* rule ``func(thickness_nm: ndarray, ctx: FilmContext) -> ndarray``.

    ``func`` receives a 1-D float array of thicknesses [nm] and the :class:`FilmContext` and
    returns μ*(L) defined at ``ctx.mustar_at_meV`` (same length, or a scalar).

    Parameters
    ----------
    func : callable
    name : str, optional
        Rule name recorded in results; default ``callable:<qualname>``.
    """

    def __init__(self, func: Callable, name: str | None = None):
        if not callable(func):
            raise ValueError(f"func must be callable, got {type(func).__name__}")
        self.func = func
        self.name = name if name is not None else _callable_name(func)

    def _mustar(self, thickness_nm, ctx):
        return _call_user(self.func, thickness_nm, ctx)


# ====================================================================== table files
_TABLE_COLUMNS = ("thickness_nm", "lambda", "mustar")


@dataclass(frozen=True, eq=False)
class CouplingTable:
    """A table of λ(L), μ*(L) read from a file (see :func:`read_coupling_table`).

    Attributes
    ----------
    path : str
        File the table was read from (as given).
    thickness_nm : ndarray
        Strictly increasing thicknesses L > 0 [nm].
    lam : ndarray
        λ(L) ≥ 0 (dimensionless).
    mustar : ndarray
        μ*(L) ≥ 0 at the context's ``mustar_at_meV``.
    """

    path: str
    thickness_nm: np.ndarray = field(repr=False)
    lam: np.ndarray = field(repr=False)
    mustar: np.ndarray = field(repr=False)

    def interpolate(self, column: str, thickness_nm) -> np.ndarray:
        """Column ``"lam"`` or ``"mustar"`` interpolated linearly in ln L at ``thickness_nm`` [nm].

        Raises
        ------
        ValueError
            If a thickness lies outside [min, max] of the table.
        """
        L = validate_thickness_nm(thickness_nm)
        lo, hi = float(self.thickness_nm[0]), float(self.thickness_nm[-1])
        tol = 1e-12 * hi
        outside = (L < lo - tol) | (L > hi + tol)
        if np.any(outside):
            bad = float(L[outside].reshape(-1)[0])
            raise ValueError(
                f"thickness {bad:g} nm is outside the range [{lo:g}, {hi:g}] nm of table {self.path}"
            )
        logL = np.log(np.clip(L, lo, hi))
        return np.interp(logL, np.log(self.thickness_nm), getattr(self, column))


def read_coupling_table(path) -> CouplingTable:
    """Parse a thickness table ``thickness_nm lambda mustar`` (strict).

    Format: one row per line, three numbers separated by whitespace or by commas; ``#`` starts a
    comment (to the end of the line); blank lines are ignored; an optional first non-comment line
    may name the columns exactly ``thickness_nm lambda mustar``. Thickness [nm] must be > 0 and
    strictly increasing, 0 ≤ λ ≤ 1000 and 0 ≤ μ* < 1 (README "Limits"); at least two rows.

    Parameters
    ----------
    path : str or os.PathLike
        Table file.

    Returns
    -------
    CouplingTable

    Raises
    ------
    ValueError
        With ``<file>:<line>:`` and the reason for every malformed line, or naming the file if it
        cannot be read or has fewer than two rows.
    """
    p = Path(path)
    where = str(path)
    text = read_text(p, "thickness table")
    rows: list[tuple[float, float, float]] = []
    seen_content = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "," in line:
            tokens = [t.strip() for t in line.split(",")]
        else:
            tokens = line.split()
        if not seen_content and [t.lower() for t in tokens] == list(_TABLE_COLUMNS):
            seen_content = True
            continue
        seen_content = True
        if len(tokens) != 3:
            raise ValueError(
                f"{where}:{lineno}: expected 3 columns (thickness_nm lambda mustar), "
                f"got {len(tokens)}: {raw.strip()!r}"
            )
        vals = []
        for col, tok in zip(_TABLE_COLUMNS, tokens):
            if tok == "":
                raise ValueError(f"{where}:{lineno}: empty field in column {col}")
            if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", tok):
                raise ValueError(f"{where}:{lineno}: column {col}: {tok!r} is not a finite number")
            vals.append(float(tok))
        L, lam, mu = vals
        if L <= 0.0:
            raise ValueError(f"{where}:{lineno}: thickness_nm must be > 0, got {_fmt(L)}")
        if not 0.0 <= lam <= MAX_LAMBDA:
            raise ValueError(f"{where}:{lineno}: lambda must be in [0, {MAX_LAMBDA:g}], got "
                             f"{_fmt(lam)}")
        if not 0.0 <= mu < MUSTAR_MAX:
            raise ValueError(f"{where}:{lineno}: mustar must be in [0, {MUSTAR_MAX:g}), got "
                             f"{_fmt(mu)}")
        if rows and L <= rows[-1][0]:
            raise ValueError(
                f"{where}:{lineno}: thickness_nm must be strictly increasing "
                f"({_fmt(L)} after {_fmt(rows[-1][0])})"
            )
        rows.append((L, lam, mu))
    if len(rows) < 2:
        raise ValueError(f"thickness table {where} needs at least 2 data rows, found {len(rows)}")
    a = np.array(rows, dtype=float)
    logger.debug("read %d rows from thickness table %s", len(rows), where)
    return CouplingTable(path=where, thickness_nm=a[:, 0], lam=a[:, 1], mustar=a[:, 2])


def _fmt(v: float) -> str:
    """Compact number formatting for error messages."""
    return f"{v:g}"


class TableLambdaRule(LambdaRule):
    """λ rule from a table file: f(L) = λ_table(L)/λ_bulk, λ_table linear in ln L.

    Parameters
    ----------
    table : str, os.PathLike or CouplingTable
        File (parsed with :func:`read_coupling_table`) or an already parsed table.

    Notes
    -----
    Name ``table:<path>``. Needs ``ctx.lambda_bulk > 0``; thicknesses outside the table raise.
    """

    def __init__(self, table):
        self.table = table if isinstance(table, CouplingTable) else read_coupling_table(table)
        self.name = f"table:{self.table.path}"

    def _factor(self, thickness_nm, ctx):
        if ctx.lambda_bulk <= 0.0:
            raise ValueError(
                f"rule {self.name!r}: turning tabulated λ into a factor needs lambda_bulk > 0"
            )
        return self.table.interpolate("lam", thickness_nm) / ctx.lambda_bulk


class TableMustarRule(MustarRule):
    """μ* rule from a table file: μ*(L) linear in ln L, taken as given at ``ctx.mustar_at_meV``.

    Parameters
    ----------
    table : str, os.PathLike or CouplingTable
        File (parsed with :func:`read_coupling_table`) or an already parsed table.

    Notes
    -----
    Name ``table:<path>``; thicknesses outside the table raise.
    """

    def __init__(self, table):
        self.table = table if isinstance(table, CouplingTable) else read_coupling_table(table)
        self.name = f"table:{self.table.path}"

    def _mustar(self, thickness_nm, ctx):
        return self.table.interpolate("mustar", thickness_nm)


# ====================================================================== resolvers
_LAMBDA_RULES: dict[str, type[LambdaRule]] = {
    DosScalingLambda.name: DosScalingLambda,
    ConstantLambda.name: ConstantLambda,
}
_MUSTAR_RULES: dict[str, type[MustarRule]] = {
    ConstantMustar.name: ConstantMustar,
    MorelAndersonMustar.name: MorelAndersonMustar,
    ThomasFermiMustar.name: ThomasFermiMustar,
}
#: Names of the built-in λ rules.
LAMBDA_RULE_NAMES: tuple[str, ...] = tuple(_LAMBDA_RULES)
#: Names of the built-in μ* rules.
MUSTAR_RULE_NAMES: tuple[str, ...] = tuple(_MUSTAR_RULES)
#: Default λ rule (docs/confinement.md §5).
DEFAULT_LAMBDA_RULE = DosScalingLambda.name
#: Default μ* rule (docs/confinement.md §5).
DEFAULT_MUSTAR_RULE = ConstantMustar.name


def _resolve(spec, kind: str, base, other_base, registry, table_cls, callable_cls):
    if isinstance(spec, base):
        return spec
    if isinstance(spec, other_base):
        raise ValueError(f"{spec!r} is not a {kind} rule")
    valid = ", ".join(registry)
    if isinstance(spec, str):
        key = spec.strip().lower().replace("_", "-")
        if key in registry:
            return registry[key]()
        if spec.startswith("table:"):
            path_str = spec[len("table:"):]
            if not Path(path_str).is_file():
                raise ValueError(f"{kind} rule table file {path_str!r} does not exist")
            return table_cls(path_str)
        if spec and Path(spec).is_file():
            return table_cls(spec)
        raise ValueError(
            f"unknown {kind} rule {spec!r}; valid names: {valid} "
            "(or a path to an existing table file, or a Python callable)"
        )
    if isinstance(spec, os.PathLike):
        if not Path(spec).is_file():
            raise ValueError(f"{kind} rule table file {os.fspath(spec)!r} does not exist")
        return table_cls(spec)
    if callable(spec):
        return callable_cls(spec)
    raise ValueError(
        f"cannot make a {kind} rule from {type(spec).__name__}; give one of {valid}, "
        "a table path, a callable or a rule object"
    )


def get_lambda_rule(spec=DEFAULT_LAMBDA_RULE) -> LambdaRule:
    """Resolve a λ-rule specification.

    Parameters
    ----------
    spec : str, os.PathLike, callable or LambdaRule
        A built-in name (:data:`LAMBDA_RULE_NAMES`, case-insensitive, ``_`` ≡ ``-``); a path (or
        ``"table:<path>"``) to an existing table file; a callable
        ``f(thickness_nm: ndarray, ctx: FilmContext) -> ndarray`` returning λ(L)
        (wrap it in :class:`CallableLambdaRule` with ``returns="factor"`` to return the factor);
        or a :class:`LambdaRule` (returned unchanged).

    Returns
    -------
    LambdaRule

    Raises
    ------
    ValueError
        Unknown name (the message lists the valid names), missing file, malformed table, or an
        unusable object.
    """
    return _resolve(
        spec, "lambda", LambdaRule, MustarRule, _LAMBDA_RULES, TableLambdaRule, CallableLambdaRule
    )


def get_mustar_rule(spec=DEFAULT_MUSTAR_RULE) -> MustarRule:
    """Resolve a μ*-rule specification.

    Parameters
    ----------
    spec : str, os.PathLike, callable or MustarRule
        A built-in name (:data:`MUSTAR_RULE_NAMES`, case-insensitive, ``_`` ≡ ``-``); a path (or
        ``"table:<path>"``) to an existing table file; a callable
        ``f(thickness_nm: ndarray, ctx: FilmContext) -> ndarray`` returning μ*(L) at
        ``ctx.mustar_at_meV``; or a :class:`MustarRule` (returned unchanged).

    Returns
    -------
    MustarRule

    Raises
    ------
    ValueError
        Unknown name (the message lists the valid names), missing file, malformed table, or an
        unusable object.
    """
    return _resolve(
        spec, "mustar", MustarRule, LambdaRule, _MUSTAR_RULES, TableMustarRule, CallableMustarRule
    )


# ====================================================================== evaluation
@dataclass(frozen=True, eq=False)
class ThicknessCouplings:
    """Couplings and kinematics at a set of thicknesses, with the rule names that produced them.

    Attributes
    ----------
    thickness_nm, x, fermi_energy_meV, dos_ratio, lambda_factor, lam, mustar : ndarray
        L [nm], L/L_c, E_F(L) [meV], g(E_F)/g₀, f(L), λ(L), μ*(L), all 1-D of equal length.
    regime : ndarray of str
        ``"confined"`` (x < 1) or ``"bulk-like"`` (x ≥ 1).
    critical_thickness_nm : float
        L_c [nm].
    mustar_at_meV : float
        Cutoff ω_c [meV] at which every μ* value is defined.
    lambda_rule, mustar_rule : str
        Names of the rules used.
    mustar_rule_bulk_limit : float or None
        L → ∞ limit of the μ* rule (None if the rule defines none); compare with μ*_bulk.
    """

    thickness_nm: np.ndarray
    x: np.ndarray
    regime: np.ndarray
    fermi_energy_meV: np.ndarray
    dos_ratio: np.ndarray
    lambda_factor: np.ndarray
    lam: np.ndarray
    mustar: np.ndarray
    critical_thickness_nm: float
    mustar_at_meV: float
    lambda_rule: str
    mustar_rule: str
    mustar_rule_bulk_limit: float | None

    def rows(self) -> list[dict]:
        """One dict per thickness with unit-suffixed keys (JSON-ready Python scalars)."""
        return [
            {
                "thickness_nm": float(self.thickness_nm[i]),
                "x": float(self.x[i]),
                "regime": str(self.regime[i]),
                "fermi_energy_meV": float(self.fermi_energy_meV[i]),
                "dos_ratio": float(self.dos_ratio[i]),
                "lambda_factor": float(self.lambda_factor[i]),
                "lambda": float(self.lam[i]),
                "mustar": float(self.mustar[i]),
            }
            for i in range(self.thickness_nm.size)
        ]

    def to_dict(self) -> dict:
        """Plain-dict form: metadata and ``rows`` (see :meth:`rows`)."""
        return {
            "critical_thickness_nm": self.critical_thickness_nm,
            "mustar_at_meV": self.mustar_at_meV,
            "lambda_rule": self.lambda_rule,
            "mustar_rule": self.mustar_rule,
            "mustar_rule_bulk_limit": self.mustar_rule_bulk_limit,
            "rows": self.rows(),
        }


def evaluate_couplings(
    thickness_nm, ctx: FilmContext, lambda_rule=DEFAULT_LAMBDA_RULE, mustar_rule=DEFAULT_MUSTAR_RULE
) -> ThicknessCouplings:
    """Evaluate λ(L), μ*(L) and the kinematics at the given thicknesses.

    Parameters
    ----------
    thickness_nm : float or array_like
        Thicknesses L [nm] > 0 (flattened to 1-D).
    ctx : FilmContext
        Bulk material.
    lambda_rule, mustar_rule
        Anything :func:`get_lambda_rule` / :func:`get_mustar_rule` accept.

    Returns
    -------
    ThicknessCouplings
    """
    L = validate_thickness_nm(thickness_nm).reshape(-1)
    lrule = get_lambda_rule(lambda_rule)
    mrule = get_mustar_rule(mustar_rule)
    f = ctx.film
    factor = np.asarray(lrule(L, ctx), dtype=float)
    bulk_limit = mrule.bulk_limit(ctx)
    return ThicknessCouplings(
        thickness_nm=L,
        x=np.asarray(f.x(L)),
        regime=np.asarray(f.regime(L)),
        fermi_energy_meV=np.asarray(f.fermi_energy_meV(L)),
        dos_ratio=np.asarray(f.dos_ratio(L)),
        lambda_factor=factor,
        lam=factor * ctx.lambda_bulk,
        mustar=np.asarray(mrule(L, ctx), dtype=float),
        critical_thickness_nm=f.critical_thickness_nm,
        mustar_at_meV=ctx.mustar_at_meV,
        lambda_rule=lrule.name,
        mustar_rule=mrule.name,
        mustar_rule_bulk_limit=None if bulk_limit is None else float(bulk_limit),
    )
