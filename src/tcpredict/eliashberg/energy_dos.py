r"""Eliashberg equations with an energy-dependent normal density of states (docs/eliashberg.md §3).

With ñ(ξ) = N(E_F + ξ)/N(E_F) on the band ξ ∈ [−B, W] (B = ``band_bottom_meV``, the depth of the
band below the Fermi level, E_F for a band starting at zero; W = ``band_top_meV``), the isotropic
equations on the Matsubara axis are (docs/eliashberg.md §3; e.g. W. E. Pickett, Phys. Rev. B 26, 1186
(1982); F. Marsiglio, Ann. Phys. 417, 168102 (2020), §6)

.. math::

    ω_nZ_n &= ω_n + k_BT\sum_{m∈ℤ} λ(ω_n−ω_m) \int dξ\, ñ(ξ)\, \frac{ω_mZ_m}{Θ_m(ξ)},\\
    χ_n &= −k_BT\sum_{m∈ℤ} λ(ω_n−ω_m) \int dξ\, ñ(ξ)\, \frac{ξ + χ_m − δμ}{Θ_m(ξ)},\\
    φ_n &= k_BT\sum_{|ω_m|<ω_c} [λ(ω_n−ω_m) − μ^*] \int dξ\, ñ(ξ)\, \frac{φ_m}{Θ_m(ξ)},\\
    Θ_m(ξ) &= (ω_mZ_m)^2 + (ξ + χ_m − δμ)^2 + φ_m^2, \qquad Δ_n = φ_n/Z_n .

Notation used below: a_m = ω_mZ_m (odd in m), c_m = χ_m − δμ (even), E_m² = a_m² + φ_m², and

.. math::

    I_0(m) = \int dξ\, \frac{ñ(ξ)}{Θ_m(ξ)}, \qquad I_1(m) = \int dξ\, ñ(ξ)\frac{ξ + c_m}{Θ_m(ξ)} ,

so the Z sum reads Σ_m λ(n−m) a_m I_0(m), the χ sum Σ_m λ(n−m) I_1(m), the pairing weight of the
linearized (Tc) problem is w_n = k_BT I_0(n) with φ = 0, and for ñ ≡ 1 on an infinite band
a_m I_0(m) = π ω_m/√(ω_m²+Δ_m²), I_1 = 0 (the constant-DOS equations of docs/eliashberg.md §2).

Numerical method (all vectorised over m):

* ξ integrals: substitution ξ + c_m = E_m sinh s, which turns the Lorentzian factors into
  ds/cosh s (I_0, times 1/E_m) and tanh s ds (I_1), smooth and bounded; the s interval of each
  segment of the band (split at the kinks ``breakpoints_meV`` of ñ) is cut into panels of length
  ≤ 4 with 12-point Gauss–Legendre rules (relative error ~1e-8 for analytic ñ). This resolves
  |ξ| ~ ω_mZ_m near the Fermi level and the band edges alike.
* Z sum over all m: the ñ ≡ 1 part is summed exactly by the telescoping identity
  (:func:`tcpredict.eliashberg.matsubara.normal_state_zomega_meV`); only the deviation a_m I_0(m) − π is summed
  explicitly, on m < M with M = ⌈``tail_factor``·N⌉ (N frequencies below ω_c), plus a tail
  m ≥ M integrated on a geometric grid up to far beyond the band, with the asymptotic kernel
  λ(ν) → λω̄₂²/ν² (exact leading order, constant taken from the last computed kernel value) and the
  local approximation a_m ≈ ω_m + (a_{M−1} − ω_{M−1}), c_m ≈ −δμ − κ I_1(m), κ = k_BT Σ_k λ(ν_k)
  (= ∫α²F dΩ). The χ sum uses the same grid and tail. Tests check convergence in
  ``tail_factor``.
* δμ (``conserve_number=True``): the electron number per spin in units of N(E_F),
  ν = ∫ñ/2 − 2k_BT Σ_{m≥0} I_1(m), must equal that of the bare band at the same T,
  ν₀ = ∫ñ(ξ) f(ξ) dξ; the difference is summed as Σ_m [I_1(m) − I_1^{(0)}(m)] (the same sum with
  a = ω_m, c = 0) on the grid plus the tail, and δμ is updated by the Newton-like step
  δμ ← δμ − (ν − ν₀)/ñ(δμ). Otherwise δμ = 0.
* Self-consistency: plain iteration for (a, c, δμ) (the corrections to the constant-DOS values
  are O(ω/E_F), the map is strongly contracting); the nonlinear gap uses Anderson mixing with the
  deflation of the Δ = 0 solution as in :mod:`tcpredict.eliashberg.gap` (its :class:`~tcpredict.eliashberg.gap._Anderson`
  mixer is reused). Convergence data are returned; non-convergence raises
  :class:`~tcpredict.eliashberg.tc.ConvergenceError`.

Proximity-coupled stacks: the normal-state callable :class:`DOSNormalState` handles Γ = 0 only
(it does not add the Γ terms of docs/proximity.md §1); use it with a single layer or with zero Γ.

All energies in meV, temperatures in K.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from numpy.polynomial.legendre import leggauss

from tcpredict.eliashberg.operator import LinearizedOperator
from tcpredict.eliashberg.tc import (
    ConvergenceError,
    TcResult,
    find_tc,
    resolve_coupling,
)
from tcpredict.eliashberg.closed_forms import allen_dynes_tc_K
from tcpredict.eliashberg.gap import _Anderson, bcs_gap_guess_meV
from tcpredict.eliashberg.matsubara import (
    ToeplitzHankel,
    fermion_frequencies_meV,
    kernel_sequence,
    n_matsubara,
    normal_state_zomega_meV,
)
from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.units import K_B_MEV_PER_K

log = logging.getLogger(__name__)

__all__ = [
    "EnergyDOS",
    "NormalStateDOS",
    "solve_normal_state_dos",
    "DOSNormalState",
    "solve_tc_dos",
    "GapDOSResult",
    "solve_gap_dos",
]

_GL_X, _GL_W = leggauss(12)
#: Longest panel in the sinh variable s (poles of 1/cosh s at ±iπ/2 ⇒ GL error ~ 2^-24 per panel).
_PANEL_S = 4.0
_TAIL_X, _TAIL_W = leggauss(8)


# ============================================================================ the DOS
#: Largest band edge |ξ| [meV] of an energy-dependent DOS (squares stay far below overflow).
MAX_BAND_MEV = 1e12

@dataclass(frozen=True, eq=False)
class EnergyDOS:
    r"""Normalised energy-dependent density of states ñ(ξ) = N(E_F+ξ)/N(E_F) on [−B, W].

    Parameters
    ----------
    ntilde : callable
        ``ntilde(xi_meV: ndarray) -> ndarray``, vectorised, ñ ≥ 0, ñ(0) = 1; ξ [meV] from E_F.
        Only called inside the band.
    band_bottom_meV : float
        B > 0 [meV]: the band runs from ξ = −B (E_F for a band starting at zero energy).
    band_top_meV : float
        W > 0 [meV]: upper band edge ξ = W.
    breakpoints_meV : tuple of float
        Interior kinks of ñ [meV] (quadrature panels are split there).
    name : str
        Description carried into results.
    table : tuple of ndarray, optional
        (ξ_k [meV], ñ_k): ñ is piecewise linear between these nodes (a DOS read from a file,
        :meth:`from_table`, :meth:`from_file`); the ξ integrals are then evaluated in closed
        form segment by segment (exact for the piecewise-linear ñ).
    """

    ntilde: Callable = field(repr=False)
    band_bottom_meV: float
    band_top_meV: float
    breakpoints_meV: tuple = ()
    name: str = "custom"
    table: tuple | None = field(default=None, repr=False)

    def __post_init__(self):
        for nm in ("band_bottom_meV", "band_top_meV"):
            v = float(getattr(self, nm))
            if not (math.isfinite(v) and 0 < v <= MAX_BAND_MEV):
                raise ValueError(f"{nm} must be > 0 meV and ≤ {MAX_BAND_MEV:g} meV (the "
                                 f"closed-form ξ integrals square it), got "
                                 f"{getattr(self, nm)!r}")
            object.__setattr__(self, nm, v)
        if not callable(self.ntilde):
            raise ValueError("ntilde must be a callable ñ(ξ_meV)")
        bp = tuple(sorted(float(b) for b in self.breakpoints_meV
                          if -self.band_bottom_meV < float(b) < self.band_top_meV))
        object.__setattr__(self, "breakpoints_meV", bp)
        probe = np.linspace(-self.band_bottom_meV, self.band_top_meV, 257)
        vals = np.asarray(self.ntilde(probe), dtype=float)
        if vals.shape != probe.shape or not np.all(np.isfinite(vals)) or np.any(vals < 0):
            raise ValueError("ñ(ξ) must return finite values ≥ 0 of the input shape on the band")
        n0 = float(np.asarray(self.ntilde(np.zeros(1)), dtype=float)[0])
        if abs(n0 - 1.0) > 1e-8:
            raise ValueError(f"ñ(0) must be 1 (normalised at the Fermi level), got {n0:.10g}")

    # ---------------------------------------------------------------- constructors
    @classmethod
    def flat(cls, band_bottom_meV: float, band_top_meV: float | None = None) -> "EnergyDOS":
        """ñ ≡ 1 on [−B, W] (W = B if not given): the constant-DOS limit on a finite band."""
        top = band_bottom_meV if band_top_meV is None else band_top_meV
        return cls(lambda xi: np.ones_like(np.asarray(xi, dtype=float)), band_bottom_meV, top,
                   name=f"flat on [-{band_bottom_meV:g}, {top:g}] meV")

    @classmethod
    def linear(cls, slope: float, fermi_meV: float, band_top_meV: float | None = None
               ) -> "EnergyDOS":
        """ñ(ξ) = 1 + a ξ/E_F on [−E_F, W] (W = E_F if not given), a = ``slope`` (docs/eliashberg.md §3)."""
        a = float(slope)
        ef = float(fermi_meV)
        top = ef if band_top_meV is None else float(band_top_meV)
        if not (math.isfinite(a) and 1.0 - a >= 0 and 1.0 + a * top / ef >= 0):
            raise ValueError(f"ñ = 1 + {a:g} ξ/E_F is negative inside the band")
        return cls(lambda xi: 1.0 + a * np.asarray(xi, dtype=float) / ef, ef, top,
                   name=f"1 + {a:g} ξ/E_F, E_F = {ef:g} meV, band top {top:g} meV")

    @classmethod
    def from_film(cls, film, thickness_nm: float, band_top_meV: float | None = None
                  ) -> "EnergyDOS":
        r"""ñ(ξ; L) of a free-electron film (docs/confinement.md §4) on [−E_F(L), W].

        Parameters
        ----------
        film : tcpredict.films.confinement.FreeElectronFilm
        thickness_nm : float
            Film thickness L [nm].
        band_top_meV : float, optional
            Upper edge W of the ξ window [meV]; default W = E_F(L) (a window symmetric about the
            Fermi level: the free-electron band is unbounded above, and the χ integral ∫ñ ξ/Θ
            grows like √W; its ξ-independent part is a chemical-potential shift).

        Notes
        -----
        The kink of g at ε*(L) (docs/confinement.md §2) is a quadrature breakpoint.
        """
        L = float(thickness_nm)
        ef = float(film.fermi_energy_meV(L))
        top = ef if band_top_meV is None else float(band_top_meV)
        e_star = float(film.eps_star_meV(L))
        kink = e_star - ef
        # g(ε; L) of docs/confinement.md §2 divided by g(E_F; L), with the constants precomputed
        # (the same formulas as FreeElectronFilm.dos_per_meV_nm3; checked against ntilde in tests)
        a = film.hbar2_over_2m_meV_nm2
        g_f = float(film.dos_per_meV_nm3(ef, L))
        c_lin = L / (4.0 * math.pi ** 3 * a * a) / g_f
        c_sqrt = 1.0 / (2.0 * math.pi ** 2 * a ** 1.5) / g_f

        def ntilde(xi):
            eps = np.maximum(ef + np.asarray(xi, dtype=float), 0.0)
            return np.where(eps <= e_star, c_lin * eps, c_sqrt * np.sqrt(eps))

        return cls(ntilde, ef, top,
                   breakpoints_meV=(kink,),
                   name=f"free-electron film ñ(ξ; L = {L:g} nm), E_F = {ef:.6g} meV, "
                        f"window [-E_F, {top:.6g}] meV")

    @classmethod
    def from_table(cls, energy_meV, dos, fermi_meV: float = 0.0,
                   name: str = "table") -> "EnergyDOS":
        r"""ñ(ξ) from a tabulated DOS N(ε), piecewise linear between the points.

        Parameters
        ----------
        energy_meV : array_like
            Strictly increasing energies ε [meV] (any zero).
        dos : array_like
            N(ε) ≥ 0 in any unit (only ratios matter; a spin factor cancels).
        fermi_meV : float
            E_F [meV] on the same energy axis; must lie strictly inside the table with
            N(E_F) > 0. ñ(ξ) = N(E_F + ξ)/N(E_F) on the band [ε_min − E_F, ε_max − E_F].

        Notes
        -----
        A node is inserted at E_F (value interpolated), so ñ(0) = 1 exactly and the
        piecewise-linear function is unchanged. The ξ integrals use the closed forms of
        :meth:`integrals` (no quadrature error).
        """
        from tcpredict.limits import as_float, as_float_array

        e = as_float_array(energy_meV, "energy_meV").reshape(-1)
        n = as_float_array(dos, "dos").reshape(-1)
        ef = as_float(fermi_meV, "fermi_meV")
        if e.size != n.size or e.size < 2:
            raise ValueError("a DOS table needs at least two (energy, DOS) points of equal "
                             "number")
        if not (np.all(np.isfinite(e)) and np.all(np.isfinite(n)) and math.isfinite(ef)):
            raise ValueError("DOS table values and the Fermi energy must be finite")
        if np.any(np.diff(e) <= 0):
            i = int(np.argmax(np.diff(e) <= 0))
            raise ValueError(f"DOS energies must be strictly increasing (point {i + 2})")
        if np.any(n < 0):
            raise ValueError(f"DOS must be ≥ 0 (point {int(np.argmax(n < 0)) + 1} is negative)")
        if not (e[0] < ef < e[-1]):
            raise ValueError(f"the Fermi energy {ef:g} meV lies outside the DOS table "
                             f"[{e[0]:g}, {e[-1]:g}] meV")
        nf = float(np.interp(ef, e, n))
        if nf <= 0:
            raise ValueError(f"N(E_F) = 0 at E_F = {ef:g} meV: ñ = N/N(E_F) is undefined")
        xi = e - ef
        if not np.any(xi == 0.0):
            k = int(np.searchsorted(xi, 0.0))
            xi = np.insert(xi, k, 0.0)
            n = np.insert(n, k, nf)
        nt = n / nf
        nt[xi == 0.0] = 1.0
        xi.setflags(write=False)
        nt.setflags(write=False)

        def ntilde(x):
            return np.interp(np.asarray(x, dtype=float), xi, nt)

        return cls(ntilde, float(-xi[0]), float(xi[-1]), (), name, (xi, nt))

    @classmethod
    def from_file(cls, path, unit: str | None = None, column: int = 1,
                  fermi: float | None = None) -> "EnergyDOS":
        r"""ñ(ξ) from a DOS file: energy, then DOS column(s), as ebmb's ``dos=`` and IsoME's
        ``dos_file`` take it (e.g. Quantum ESPRESSO ``dos.x`` output).

        Parameters
        ----------
        path : str or Path
        unit : str, optional
            Energy unit of the first column (meV, eV, THz, Ry, Ha, cm-1, K). Default: the unit
            in the header (``E (eV)``, ``[meV]``), else an error.
        column : int
            DOS column, counting from 1 after the energy (default 1; QE ``dos.x`` writes the
            integrated DOS in column 2).
        fermi : float, optional
            Fermi energy in the file's energy unit. Default: from a header ``EFermi = 17.85 eV``
            / ``ef = …`` (as QE ``dos.x`` writes it); give 0 when the energies are measured from
            E_F. Without either, an error.

        Raises
        ------
        ValueError
            Naming the file and line: non-numeric or non-finite fields, negative DOS, energies
            not strictly increasing, a missing column, an unknown or missing unit, no Fermi
            energy, E_F outside the table or N(E_F) = 0.
        """
        from pathlib import Path

        from tcpredict.units import energy_factor_to_meV

        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{p}: not a UTF-8 text file ({exc.reason} at byte {exc.start})"
                             ) from None
        except OSError as exc:
            raise ValueError(f"{p}: {exc.strerror or exc}") from None
        bad = re.search(r"[\x00-\x08\x0e-\x1f\x7f]", text)
        if bad:  # a NUL or other control byte: never a silently skipped row
            line = text.count("\n", 0, bad.start()) + 1
            raise ValueError(f"{p}, line {line}: control character {bad.group()!r} (a binary "
                             "or corrupted file?)")
        if isinstance(column, bool) or not isinstance(column, (int, np.integer)) or column < 1:
            raise ValueError(f"{p}: column must be an integer ≥ 1, got {column!r}")
        header_unit, header_ef = None, None
        rows, lines = [], []
        for k, raw in enumerate(text.splitlines(), start=1):
            body = raw.split("#", 1)
            content = body[0].strip()
            comment = body[1] if len(body) > 1 else ""
            for part in (comment, content if not rows else ""):
                m = _DOS_UNIT.search(part)
                if m and header_unit is None and not rows:
                    header_unit = m.group(1)
                m = _DOS_FERMI.search(part)
                if m and header_ef is None:
                    header_ef = (float(m.group(1)), m.group(2))
            if not content:
                continue
            toks = content.replace(",", " ").split()
            try:
                vals = [float(t) for t in toks]
            except ValueError:
                if not rows:
                    continue  # a label line before the data
                raise ValueError(f"{p}, line {k}: non-numeric field in {raw.strip()!r}") from None
            if not all(math.isfinite(v) for v in vals):
                raise ValueError(f"{p}, line {k}: NaN or infinite value")
            if len(vals) < column + 1:
                raise ValueError(f"{p}, line {k}: no DOS column {column} ({len(vals)} fields)")
            if rows and len(vals) != len(rows[0]):
                raise ValueError(f"{p}, line {k}: {len(vals)} fields, the first data row has "
                                 f"{len(rows[0])}")
            rows.append(vals)
            lines.append(k)
            if len(rows) > 2_000_000:
                raise ValueError(f"{p}: more than 2,000,000 rows")
        if len(rows) < 2:
            raise ValueError(f"{p}: a DOS file needs at least two data rows (energy, DOS)")
        a = np.array(rows)
        e, n = a[:, 0], a[:, column]
        bad = np.nonzero(np.diff(e) <= 0)[0]
        if bad.size:
            raise ValueError(f"{p}, line {lines[bad[0] + 1]}: energies must be strictly "
                             "increasing")
        neg = np.nonzero(n < 0)[0]
        if neg.size:
            raise ValueError(f"{p}, line {lines[neg[0]]}: negative DOS {n[neg[0]]:g}")
        u = unit if unit is not None else header_unit
        if u is None:
            raise ValueError(f"{p}: energy unit not given and not found in the header "
                             "(give the unit: meV, eV, THz, Ry, Ha, cm-1, K)")
        try:
            f = energy_factor_to_meV(u)
        except ValueError as exc:
            raise ValueError(f"{p}: {exc}") from None
        if fermi is not None:
            ef = float(fermi) * f
        elif header_ef is not None:
            v, eu = header_ef
            ef = v * (energy_factor_to_meV(eu) if eu else f)
        else:
            raise ValueError(f"{p}: no Fermi energy in the header (EFermi = …); give it in the "
                             "file's energy unit (0 if the energies are measured from E_F)")
        try:
            return cls.from_table(e * f, n, ef, name=f"DOS file {p.name}, column {column}, "
                                                    f"unit {u}, E_F = {ef:.6g} meV")
        except ValueError as exc:
            raise ValueError(f"{p}: {exc}") from None

    # ---------------------------------------------------------------- quadrature
    def integrals(self, a_meV, c_meV, phi2_meV2=0.0):
        r"""I_0 = ∫ñ/Θ [meV⁻¹] and I_1 = ∫ñ (ξ+c)/Θ (dimensionless), Θ = a² + (ξ+c)² + φ².

        Parameters
        ----------
        a_meV, c_meV : ndarray, shape (K,)
            a = ω Z > 0 and c = χ − δμ [meV].
        phi2_meV2 : ndarray or float
            φ² [meV²].

        Returns
        -------
        I0, I1 : ndarray, shape (K,)

        Notes
        -----
        Substitution ξ + c = E sinh s, E = √(a² + φ²): dξ/Θ = ds/(E cosh s) and
        (ξ + c) dξ/Θ = tanh s ds (module docstring); Gauss–Legendre panels in s.
        """
        a = np.asarray(a_meV, dtype=float)
        c = np.broadcast_to(np.asarray(c_meV, dtype=float), a.shape)
        E = np.sqrt(a * a + np.broadcast_to(np.asarray(phi2_meV2, dtype=float), a.shape))
        if self.table is not None:
            return _table_integrals(self.table[0], self.table[1], c, E)
        edges = [-self.band_bottom_meV, *self.breakpoints_meV, self.band_top_meV]
        s_edges = [np.arcsinh((e + c) / E) for e in edges]
        I0 = np.zeros_like(a)
        I1 = np.zeros_like(a)
        for s0, s1 in zip(s_edges[:-1], s_edges[1:]):
            length = s1 - s0
            P = max(1, int(np.ceil(float(np.max(length)) / _PANEL_S)))
            h = length / P  # (K,)
            # nodes (K, P, 12)
            starts = s0[:, None] + h[:, None] * np.arange(P)[None, :]
            s = starts[:, :, None] + 0.5 * h[:, None, None] * (_GL_X + 1.0)
            wts = 0.5 * h[:, None, None] * _GL_W
            ex = np.exp(-np.abs(s))  # overflow-safe sinh, 1/cosh, tanh from one exponential
            sg = np.sign(s)
            sech = 2.0 * ex / (1.0 + ex * ex)
            sinh = sg * (1.0 - ex * ex) / (2.0 * ex)
            tanh = sg * (1.0 - ex * ex) / (1.0 + ex * ex)
            xi = E[:, None, None] * sinh - c[:, None, None]
            nt = np.asarray(self.ntilde(xi.reshape(-1)), dtype=float).reshape(xi.shape)
            I0 += (wts * nt * sech).sum(axis=(1, 2)) / E
            I1 += (wts * nt * tanh).sum(axis=(1, 2))
        return I0, I1

    def number_below_fermi(self, temperature_K: float) -> float:
        """ν₀ = ∫ñ(ξ) f(ξ) dξ [meV] (electrons per spin per N(E_F) of the bare band at T)."""
        t = K_B_MEV_PER_K * temperature_K
        edges = [-self.band_bottom_meV, *self.breakpoints_meV, 0.0, self.band_top_meV]
        edges = sorted(set(e for e in edges if -self.band_bottom_meV <= e <= self.band_top_meV))
        tot = 0.0
        for lo, hi in zip(edges[:-1], edges[1:]):
            P = max(1, int(np.ceil((hi - lo) / max(10 * t, 1e-3 * (hi - lo)))))
            P = min(P, 2000)
            b = np.linspace(lo, hi, P + 1)
            x = (0.5 * (b[1:] - b[:-1])[:, None] * (_GL_X + 1) + b[:-1, None]).reshape(-1)
            w = (0.5 * (b[1:] - b[:-1])[:, None] * _GL_W).reshape(-1)
            f = 0.5 * (1.0 - np.tanh(x / (2 * t)))
            tot += float(np.sum(w * np.asarray(self.ntilde(x)) * f))
        return tot


#: Energy unit in a header label, e.g. ``E (eV)``, ``energy[meV]``.
_DOS_UNIT = re.compile(r"[\(\[]\s*(meV|eV|THz|Ry|Ha|cm-1|K)\s*[\)\]]", re.IGNORECASE)
#: Fermi energy in a header, e.g. QE dos.x ``EFermi =  17.850 eV``, ``ef = 5.1``.
_DOS_FERMI = re.compile(
    r"(?:E_?Fermi|\bE_?F\b|\bef\b|fermi[ _]energy)\s*[=:]?\s*([-+0-9.eEdD]+)\s*"
    r"(meV|eV|THz|Ry|Ha|cm-1|K)?\b", re.IGNORECASE)


def _x_minus_atan(x: np.ndarray) -> np.ndarray:
    """x − arctan x without cancellation for small |x| (Taylor series below 0.05)."""
    out = x - np.arctan(x)
    small = np.abs(x) < 0.05
    if np.any(small):
        xs = x[small]
        x2 = xs * xs
        out[small] = xs * x2 * (1 / 3 - x2 * (1 / 5 - x2 * (1 / 7 - x2 * (1 / 9 - x2 * (
            1 / 11 - x2 / 13)))))
    return out


def _table_integrals(xi: np.ndarray, nt: np.ndarray, c: np.ndarray, E: np.ndarray,
                     block: int = 256):
    r"""I_0 = ∫ñ/((ξ+c)² + E²) dξ and I_1 = ∫ñ(ξ+c)/((ξ+c)² + E²) dξ for piecewise-linear ñ.

    On a segment [ξ_k, ξ_{k+1}] with ñ = n_k + b_k(u − u_k), u = ξ + c:
    ∫ du/(u²+E²) = [arctan(u/E)]/E ≡ A, ∫ u du/(u²+E²) = ½ ln(u²+E²) ≡ B,
    ∫ u² du/(u²+E²) = E[(x − arctan x)], x = u/E ≡ G, so the segment adds
    n_kA + b_k(B − u_kA) to I_0 and n_kB + b_k(G − u_kB) to I_1. Differences of arctan use
    arctan x₁ − arctan x₀ = atan2(x₁ − x₀, 1 + x₀x₁) and of logs log1p, so far segments and
    the large-E tail lose no precision (log1p only where the ratio is near 1, the log of the
    ratio elsewhere). Exact for the tabulated ñ; vectorised in blocks of
    ``block`` frequencies (memory O(block × segments)).
    """
    xi0, xi1 = xi[:-1], xi[1:]
    n0 = nt[:-1]
    b = np.diff(nt) / np.diff(xi)
    I0 = np.empty(E.shape)
    I1 = np.empty(E.shape)
    cf, Ef = c.reshape(-1), E.reshape(-1)
    o0, o1 = I0.reshape(-1), I1.reshape(-1)
    for s in range(0, Ef.size, block):
        cc = cf[s:s + block, None]
        ee = Ef[s:s + block, None]
        u0, u1 = xi0[None, :] + cc, xi1[None, :] + cc
        x0, x1 = u0 / ee, u1 / ee
        A = np.arctan2(x1 - x0, 1.0 + x0 * x1) / ee
        den = u0 * u0 + ee * ee
        d = (u1 - u0) * (u1 + u0) / den  # r − 1, r = (u₁² + E²)/(u₀² + E²)
        with np.errstate(divide="ignore"):
            B = 0.5 * np.where(np.abs(d) < 0.5, np.log1p(d), np.log((u1 * u1 + ee * ee) / den))
        G = ee * (_x_minus_atan(x1) - _x_minus_atan(x0))
        o0[s:s + block] = (n0 * A + b * (B - u0 * A)).sum(axis=1)
        o1[s:s + block] = (n0 * B + b * (G - u0 * B)).sum(axis=1)
    return I0, I1


# ============================================================================ grid + sweeps
class _Grid:
    """Matsubara grid m < M, the tail nodes, kernel products and sweeps at one temperature."""

    def __init__(self, dos: EnergyDOS, lam_fn: Callable[[int], np.ndarray], temperature_K: float,
                 n_pair: int, tail_factor: float):
        if not (tail_factor >= 1.0):
            raise ValueError(f"tail_factor must be ≥ 1, got {tail_factor}")
        self.dos = dos
        self.T = float(temperature_K)
        self.t = K_B_MEV_PER_K * self.T
        self.N = int(n_pair)
        self.M = max(self.N + 1, int(math.ceil(tail_factor * self.N)))
        lam = np.asarray(lam_fn(2 * self.M), dtype=float)
        if lam.shape != (2 * self.M,):
            raise ValueError(f"kernel function returned shape {lam.shape}, expected {(2 * self.M,)}")
        self.lam = lam
        t, M = self.t, self.M
        self.wn = fermion_frequencies_meV(self.T, M)
        self.th = ToeplitzHankel(lam, M)
        self.zw_const = normal_state_zomega_meV(lam, self.T, M)
        kl = 2 * M - 1
        nu_last = 2 * np.pi * t * kl
        self.C2 = float(lam[-1] * nu_last ** 2)  # λ ω̄₂² from the asymptote λ(ν) → λω̄₂²/ν²
        self.kappa = float(t * (lam[0] + 2 * lam[1:].sum())
                           + 2 * t * self.C2 / (2 * np.pi * t) ** 2 / (2 * M - 0.5))
        # tail nodes: ∫_{M−½}^{m_max} dm on geometric GL panels (one per factor 10)
        width = dos.band_bottom_meV + dos.band_top_meV
        m_max = max(1e3 * M, 1e3 * width / (2 * np.pi * t))
        u0, u1 = math.log(M - 0.5), math.log(m_max)
        P = max(1, int(math.ceil((u1 - u0) / math.log(10.0))))
        b = np.linspace(u0, u1, P + 1)
        u = (0.5 * (b[1:] - b[:-1])[:, None] * (_TAIL_X + 1) + b[:-1, None]).reshape(-1)
        wu = (0.5 * (b[1:] - b[:-1])[:, None] * _TAIL_W).reshape(-1)
        self.mj = np.exp(u)
        self.wj = wu * self.mj
        self.wj_omega = np.pi * t * (2 * self.mj + 1)
        n = np.arange(M)[:, None]
        pre = self.C2 / (2 * np.pi * t) ** 2
        d1 = (self.mj[None, :] - n) ** -2
        d2 = (self.mj[None, :] + n + 1) ** -2
        self.k_minus = pre * (d1 - d2) * self.wj[None, :]  # (M, J), includes the weights
        self.k_plus = pre * (d1 + d2) * self.wj[None, :]
        # bare (non-interacting) I_1 on grid and tail, for the number equation
        self.I1_bare = dos.integrals(self.wn, np.zeros(M))[1]
        self.I1_bare_tail = dos.integrals(self.wj_omega, np.zeros_like(self.mj))[1]

    def tail(self, a_last_shift: float, dmu: float):
        """A − π and I_1 at the tail nodes (local approximation, module docstring)."""
        aj = self.wj_omega + a_last_shift
        _, b0 = self.dos.integrals(aj, np.full_like(aj, -dmu))
        cj = -dmu - self.kappa * b0
        i0, i1 = self.dos.integrals(aj, cj)
        return aj * i0 - np.pi, i1

    def sweep(self, a, c, phi2, dmu):
        """One application of the (a, c) equations; returns a_new, c_new, I0, I1, tail I1."""
        t = self.t
        I0, I1 = self.dos.integrals(a, c, phi2)
        dA_tail, I1_tail = self.tail(float(a[-1] - self.wn[-1]), dmu)
        a_new = (self.zw_const + t * self.th.matvec(a * I0 - np.pi, -1.0)
                 + t * (self.k_minus @ dA_tail))
        c_new = -dmu - t * self.th.matvec(I1, 1.0) - t * (self.k_plus @ I1_tail)
        return a_new, c_new, I0, I1, I1_tail

    def number_difference_meV(self, I1, I1_tail) -> float:
        """ν − ν₀ = −2k_BT Σ_{m≥0} [I_1(m) − I_1^{(0)}(m)] [meV] (grid + tail)."""
        s = float(np.sum(I1 - self.I1_bare) + np.sum(self.wj * (I1_tail - self.I1_bare_tail)))
        return -2.0 * self.t * s


def _phi2(grid: _Grid, delta, a):
    """φ_m² = (Δ_m a_m/ω_m)² on m < N (zero beyond, and everywhere when Δ is None)."""
    phi2 = np.zeros(grid.M)
    if delta is not None:
        n = delta.size
        phi2[:n] = (delta * a[:n] / grid.wn[:n]) ** 2
    return phi2


def _solve_ac(grid: _Grid, delta, a, c, dmu, conserve_number: bool, tol: float, maxiter: int):
    """Iterate the (a, c[, δμ]) equations at fixed Δ (φ = Δa/ω) to relative change < tol."""
    scale_c = max(grid.t, 1e-300)
    res = np.inf
    for it in range(1, maxiter + 1):
        a_new, c_new, I0, I1, I1_tail = grid.sweep(a, c, _phi2(grid, delta, a), dmu)
        dn = 0.0
        if conserve_number:
            dn = grid.number_difference_meV(I1, I1_tail)
            comp = float(np.asarray(grid.dos.ntilde(np.array([dmu])), dtype=float)[0])
            dmu_new = dmu - dn / max(comp, 1e-3)
        else:
            dmu_new = 0.0
        res = max(float(np.max(np.abs(a_new - a) / a_new)),
                  float(np.max(np.abs(c_new - c))) / (scale_c + float(np.max(np.abs(c_new)))),
                  abs(dmu_new - dmu) / (scale_c + abs(dmu_new)))
        a, c, dmu = a_new, c_new, dmu_new
        if res < tol:
            break
    else:
        raise ConvergenceError(
            f"normal-state (Z, χ{', δμ' if conserve_number else ''}) iteration did not converge "
            f"at T = {grid.T:g} K: relative change {res:.2e} after {maxiter} sweeps (tol {tol:g})")
    # final integrals consistent with the returned (a, c, δμ)
    I0, I1 = grid.dos.integrals(a, c, _phi2(grid, delta, a))
    _, I1_tail = grid.tail(float(a[-1] - grid.wn[-1]), dmu)
    dn = grid.number_difference_meV(I1, I1_tail) if conserve_number else 0.0
    return a, c, dmu, I0, it, res, dn


# ============================================================================ normal state
@dataclass(frozen=True, eq=False)
class NormalStateDOS:
    """Normal state with an energy-dependent DOS at one temperature (φ = 0).

    Attributes
    ----------
    temperature_K : float
    omega_n_meV : ndarray, shape (M,)
        ω_n [meV] of the explicit grid (M = ⌈tail_factor·N⌉).
    zomega_meV : ndarray, shape (M,)
        ω_nZ_n [meV].
    chi_meV : ndarray, shape (M,)
        χ_n [meV].
    delta_mu_meV : float
        δμ [meV] (0 unless number conservation was requested).
    weights : ndarray, shape (N,)
        Pairing weights w_n = k_BT ∫ñ/Θ_n (dimensionless), n < N (ω_n < ω_c).
    n_pairing : int
        N.
    iterations : int
    residual : float
        Last relative change of the (a, c, δμ) iteration.
    number_residual_meV : float
        ν − ν₀ at the solution [meV] (0 when δμ is not solved for).
    tail_factor : float
    """

    temperature_K: float
    omega_n_meV: np.ndarray
    zomega_meV: np.ndarray
    chi_meV: np.ndarray
    delta_mu_meV: float
    weights: np.ndarray
    n_pairing: int
    iterations: int
    residual: float
    number_residual_meV: float
    tail_factor: float

    @property
    def z(self) -> np.ndarray:
        """Z_n = ω_nZ_n/ω_n on the explicit grid."""
        return self.zomega_meV / self.omega_n_meV


def solve_normal_state_dos(dos: EnergyDOS, lam_fn: Callable[[int], np.ndarray],
                           temperature_K: float, n_pairing: int, *, tail_factor: float = 4.0,
                           conserve_number: bool = False, tol: float = 1e-12,
                           maxiter: int = 200) -> NormalStateDOS:
    r"""Solve the normal-state Z_n, χ_n (and δμ) equations of docs/eliashberg.md §3 with φ = 0.

    Parameters
    ----------
    dos : EnergyDOS
        ñ(ξ) and its band.
    lam_fn : callable
        ``lam_fn(kmax) -> λ(ν_k), k < kmax`` at this temperature (bosonic ν_k = 2πk k_BT).
    temperature_K : float
        T [K] > 0.
    n_pairing : int
        N, the number of frequencies ω_n < ω_c of the pairing problem.
    tail_factor : float
        The explicit grid holds M = ⌈tail_factor·N⌉ frequencies; the rest of the sums is the
        asymptotic tail of the module docstring.
    conserve_number : bool
        Fix δμ by particle-number conservation (else δμ = 0).
    tol, maxiter : convergence control of the plain (a, c, δμ) iteration.

    Returns
    -------
    NormalStateDOS

    Notes
    -----
    Equations and method: module docstring (docs/eliashberg.md §3). For ñ ≡ 1 on a band much wider
    than ω_c this returns the telescoped constant-DOS ω_nZ_n, χ = 0 and w_n = πk_BT/(ω_nZ_n).
    """
    if not np.isfinite(temperature_K) or temperature_K <= 0:
        raise ValueError(f"temperature must be > 0 K, got {temperature_K}")
    if int(n_pairing) < 1:
        raise ValueError("n_pairing must be ≥ 1")
    grid = _Grid(dos, lam_fn, temperature_K, int(n_pairing), tail_factor)
    a, c, dmu, I0, it, res, dn = _solve_ac(grid, None, grid.zw_const.copy(), np.zeros(grid.M),
                                           0.0, conserve_number, tol, maxiter)
    N = grid.N
    return NormalStateDOS(grid.T, grid.wn, a, c + dmu, float(dmu), grid.t * I0[:N], N, it, res,
                          float(dn), float(tail_factor))


class DOSNormalState:
    r"""``normal_state_fn`` for :class:`~tcpredict.eliashberg.operator.LinearizedOperator` (docs/eliashberg.md §3).

    Returns, per layer j with an :class:`EnergyDOS`, the normal-state (ω_nZ_n, w_n) of
    :func:`solve_normal_state_dos`; layers with ``None`` keep the constant-DOS values.

    Parameters
    ----------
    dos : sequence of EnergyDOS or None
        One entry per layer.
    kernel_fn : callable
        ``kernel_fn(j, temperature_K, kmax) -> λ_j(ν_k)`` (the same signature as the
        ``kernel_fn`` hook of LinearizedOperator; the normal state needs kmax = 2M > 2N values).
    tail_factor, conserve_number, tol, maxiter :
        As in :func:`solve_normal_state_dos`.

    Notes
    -----
    Supports Γ = 0 only: the proximity terms of a stack are NOT added to ω_nZ_n or the weights.
    The last solution per layer is kept in :attr:`last` (for reporting δμ, iterations).
    """

    def __init__(self, dos: Sequence[EnergyDOS | None], kernel_fn: Callable, *,
                 tail_factor: float = 4.0, conserve_number: bool = False, tol: float = 1e-12,
                 maxiter: int = 200):
        self.dos = list(dos)
        self.kernel_fn = kernel_fn
        self.tail_factor = float(tail_factor)
        self.conserve_number = bool(conserve_number)
        self.tol, self.maxiter = tol, maxiter
        self.last: dict[int, NormalStateDOS] = {}

    def __call__(self, j: int, temperature_K: float, n: int, lam_seq):
        d = self.dos[j]
        if d is None:
            return None
        ns = solve_normal_state_dos(d, lambda kmax: self.kernel_fn(j, temperature_K, kmax),
                                    temperature_K, n, tail_factor=self.tail_factor,
                                    conserve_number=self.conserve_number, tol=self.tol,
                                    maxiter=self.maxiter)
        self.last[j] = ns
        return ns.zomega_meV[:n], ns.weights


def solve_tc_dos(spectrum: Alpha2F, mustar: float, dos: EnergyDOS, *,
                 mustar_at_meV: float | None = None, cutoff_meV: float | None = None,
                 conserve_number: bool = False, tail_factor: float = 4.0,
                 t_min_K: float = 0.01, rtol: float = 1e-4,
                 t_guess_K: float | None = None, sensitivity: bool = True) -> TcResult:
    r"""Tc [K] of the linearized Eliashberg equations with an energy-dependent DOS (docs/eliashberg.md §3).

    Parameters
    ----------
    spectrum : Alpha2F
        α²F(Ω).
    mustar : float
        μ* defined at ``mustar_at_meV`` (default Ω_max), rescaled to the cutoff (Morel–Anderson).
    dos : EnergyDOS
        ñ(ξ) on its band.
    cutoff_meV : float, optional
        ω_c [meV] (default 10 Ω_max).
    conserve_number : bool
        Solve δμ from particle-number conservation at each temperature (else δμ = 0).
    tail_factor : float
        Explicit Matsubara grid for the Z, χ sums: ⌈tail_factor·N⌉ frequencies.
    t_min_K, rtol, t_guess_K :
        As in :func:`tcpredict.eliashberg.tc.solve_tc`.
    sensitivity : bool
        Also compute ∂ln Tc/∂λ and ∂ln Tc/∂μ* at Tc (docs/uncertainty.md §2; ∂ρ/∂λ by a central
        difference at fixed T, since the normal state is self-consistent).

    Returns
    -------
    TcResult
        ``notes`` name the DOS, δμ at Tc and the tail factor.

    Notes
    -----
    ρ(T) is the largest algebraic eigenvalue of √w [λ(n−m) + λ(n+m+1) − 2μ*] √w with the
    ñ-weighted w_n = k_BT∫ñ/Θ_n (φ = 0) and the self-consistent ω_nZ_n, χ_n of
    :func:`solve_normal_state_dos`; Tc is the root of ρ = 1 (:func:`~tcpredict.eliashberg.tc.find_tc`).
    """
    if not isinstance(spectrum, Alpha2F):
        raise TypeError("spectrum must be an Alpha2F")
    if not isinstance(dos, EnergyDOS):
        raise TypeError("dos must be an EnergyDOS")
    cs = resolve_coupling(spectrum, mustar, mustar_at_meV, cutoff_meV)
    if dos.band_bottom_meV < cs.cutoff_meV or dos.band_top_meV < cs.cutoff_meV:
        log.warning("the band [-%g, %g] meV is narrower than the cutoff %g meV",
                    dos.band_bottom_meV, dos.band_top_meV, cs.cutoff_meV)
    ns = DOSNormalState([dos], lambda j, T, k: kernel_sequence(spectrum, T, k),
                        tail_factor=tail_factor, conserve_number=conserve_number)
    prob = LinearizedOperator([spectrum], [cs.mustar_at_cutoff], cs.cutoff_meV, normal_state_fn=ns)
    lam, wlog, w2 = spectrum.lam, spectrum.omega_log_meV, spectrum.omega2_meV
    ad = float(allen_dynes_tc_K(lam, wlog, w2, mustar))
    if t_guess_K is None:
        t_guess_K = ad if ad > 0 else wlog / K_B_MEV_PER_K / 50.0
    tc, info = find_tc(prob, t_guess_K, t_min_K, rtol)
    notes = [f"energy-dependent DOS: {dos.name}", f"tail_factor = {tail_factor:g}",
             f"number conservation: {'on' if conserve_number else 'off (δμ = 0)'}"]
    if tc is not None:
        last = prob.normal_state_fn.last.get(0)
        if last is not None:
            notes.append(f"δμ at the last evaluated T = {last.delta_mu_meV:.6g} meV; "
                         f"χ(iω_0) = {last.chi_meV[0]:.6g} meV")
    sens = None
    if sensitivity and tc is not None:
        from tcpredict.eliashberg.sensitivity import tc_sensitivity

        sens = tc_sensitivity(prob, tc, lam, cs.mustar, cs.mustar_at_cutoff)
    return TcResult(
        tc_K=tc, t_min_K=t_min_K, lam=lam, omega_log_meV=wlog, omega2_meV=w2,
        allen_dynes_K=ad, mustar=cs.mustar, mustar_at_meV=cs.mustar_at_meV,
        mustar_at_cutoff=cs.mustar_at_cutoff, cutoff_meV=cs.cutoff_meV, rtol=rtol,
        n_matsubara=info["n_matsubara"], eigen_method=info["method"],
        evaluations=info["evaluations"], eigen_residual=float(info.get("residual", math.nan)),
        spectrum_source=spectrum.source, notes=tuple(notes), sensitivity=sens)


# ============================================================================ nonlinear gap
@dataclass(frozen=True, eq=False)
class GapDOSResult:
    """Self-consistent gap with an energy-dependent DOS at one temperature.

    Attributes
    ----------
    temperature_K : float
    omega_n_meV : ndarray, shape (N,)
        ω_n [meV], ω_n < ω_c.
    delta_meV : ndarray, shape (N,)
        Δ(iω_n) = φ_n/Z_n [meV] (gauge Δ(iω_0) ≥ 0).
    z : ndarray, shape (N,)
        Z(iω_n).
    chi_meV : ndarray, shape (N,)
        χ(iω_n) [meV].
    delta_mu_meV : float
        δμ [meV].
    iterations, residual, tol : convergence data (max|ΔΔ|/max|Δ| < tol).
    superconducting : bool
        False when the iteration collapsed to Δ = 0.
    cutoff_meV, mustar_at_cutoff : float
    dos_name : str
    """

    temperature_K: float
    omega_n_meV: np.ndarray
    delta_meV: np.ndarray
    z: np.ndarray
    chi_meV: np.ndarray
    delta_mu_meV: float
    iterations: int
    residual: float
    tol: float
    superconducting: bool
    cutoff_meV: float
    mustar_at_cutoff: float
    dos_name: str

    def to_dict(self) -> dict:
        return {"temperature_K": self.temperature_K, "n_matsubara": int(self.omega_n_meV.size),
                "delta_iw0_meV": float(self.delta_meV[0]), "z_iw0": float(self.z[0]),
                "chi_iw0_meV": float(self.chi_meV[0]), "delta_mu_meV": self.delta_mu_meV,
                "iterations": self.iterations, "residual": self.residual, "tol": self.tol,
                "superconducting": self.superconducting, "dos": self.dos_name}


def solve_gap_dos(spectrum: Alpha2F, mustar: float, temperature_K: float, dos: EnergyDOS, *,
                  mustar_at_meV: float | None = None, cutoff_meV: float | None = None,
                  start: GapDOSResult | None = None, tc_K: float | None = None,
                  conserve_number: bool = False, tail_factor: float = 4.0,
                  tol: float = 1e-10, maxiter: int = 2000) -> GapDOSResult:
    r"""Nonlinear Eliashberg equations with an energy-dependent DOS (docs/eliashberg.md §3).

    Parameters
    ----------
    spectrum : Alpha2F
    mustar : float
        μ* at ``mustar_at_meV`` (default Ω_max), rescaled to the cutoff (default 10 Ω_max).
    temperature_K : float
        T [K] > 0.
    dos : EnergyDOS
    start : GapDOSResult, optional
        Warm start (Δ regridded in ω). Otherwise a cold start with the BCS-like amplitude of
        :func:`tcpredict.eliashberg.gap.bcs_gap_guess_meV` from ``tc_K`` (computed with
        :func:`solve_tc_dos` if not given).
    conserve_number, tail_factor :
        As in :func:`solve_normal_state_dos`.
    tol, maxiter :
        Stop when max|Δ_new − Δ|/max|Δ| < tol.

    Returns
    -------
    GapDOSResult

    Notes
    -----
    Unknown Δ_n on n < N (gap sum over |ω_m| < ω_c; φ_m = 0 beyond, as in :mod:`tcpredict.eliashberg.gap`).
    For each Δ the (a = ωZ, c = χ − δμ[, δμ]) equations with φ_m = Δ_m a_m/ω_m in Θ are iterated
    to convergence (warm-started), then φ_n = k_BT Σ_{m<N}[λ(n−m) + λ(n+m+1) − 2μ*] φ_m I_0(m) and
    Δ_new = φ ω/a. The outer fixed point uses Anderson mixing with deflation of Δ = 0.
    When the linearized problem at T has ρ(T) < 1 (T above Tc) the normal state Δ = 0 is
    returned without iterating (``superconducting=False``, ``iterations=0``).
    """
    if not np.isfinite(temperature_K) or temperature_K <= 0:
        raise ValueError(f"temperature must be > 0 K, got {temperature_K}")
    if not isinstance(dos, EnergyDOS):
        raise TypeError("dos must be an EnergyDOS")
    cs = resolve_coupling(spectrum, mustar, mustar_at_meV, cutoff_meV)
    N = n_matsubara(temperature_K, cs.cutoff_meV)
    grid = _Grid(dos, lambda k: kernel_sequence(spectrum, temperature_K, k), temperature_K, N,
                 tail_factor)
    t, M = grid.t, grid.M
    wn = grid.wn[:N]
    th_n = ToeplitzHankel(grid.lam[:2 * N], N)
    mu = cs.mustar_at_cutoff
    # T ≥ Tc (largest eigenvalue of the linearized problem with the same ñ below 1): Δ = 0
    lin = LinearizedOperator([spectrum], [mu], cs.cutoff_meV, normal_state_fn=DOSNormalState(
        [dos], lambda j, T, k: kernel_sequence(spectrum, T, k), tail_factor=tail_factor,
        conserve_number=conserve_number))
    rho, _, _ = lin.eigen(temperature_K)
    if rho < 1.0:
        ns = lin.normal_state_fn.last[0]
        return GapDOSResult(float(temperature_K), wn, np.zeros(N), ns.z[:N], ns.chi_meV[:N],
                            ns.delta_mu_meV, 0, 0.0, tol, False, cs.cutoff_meV, mu, dos.name)
    if start is not None:
        x = np.interp(wn, start.omega_n_meV, start.delta_meV)
    else:
        if tc_K is None:
            tc_K = solve_tc_dos(spectrum, mustar, dos, mustar_at_meV=mustar_at_meV,
                                cutoff_meV=cutoff_meV, conserve_number=conserve_number,
                                tail_factor=tail_factor, sensitivity=False).tc_K or 0.0
        d0 = max(bcs_gap_guess_meV(tc_K, temperature_K), 1.764 * K_B_MEV_PER_K * tc_K * 0.3, 1e-6)
        x = d0 * spectrum.omega_log_meV ** 2 / (spectrum.omega_log_meV ** 2 + wn ** 2)
    state = {"a": grid.zw_const.copy(), "c": np.zeros(M), "dmu": 0.0}

    def G(delta):
        a, c, dmu, I0, _, _, _ = _solve_ac(grid, delta, state["a"], state["c"], state["dmu"],
                                           conserve_number, 1e-13, 200)
        state.update(a=a, c=c, dmu=dmu)
        phi = delta * a[:N] / wn
        y = phi * I0[:N]
        phi_new = t * (th_n.matvec(y, 1.0) - 2.0 * mu * y.sum())
        return phi_new * wn / a[:N]

    mixer = _Anderson()
    best = np.inf
    res = np.inf
    a0 = max(float(np.abs(x).max()), 1e-12)
    for it in range(1, maxiter + 1):
        new = G(x)
        f = new - x
        scale = max(float(np.abs(new).max()), 1e-300)
        res = float(np.abs(f).max() / scale)
        if res < tol:
            x = new
            break
        amp = max(float(np.abs(x).max()), 1e-300)
        prop = mixer.step(x, f * (a0 / amp))
        if res > 100.0 * best or np.abs(prop).max() < 0.3 * scale:
            mixer = _Anderson()
            prop = new
        best = min(best, res)
        x = prop
    else:
        raise ConvergenceError(
            f"gap equations with energy-dependent DOS did not converge at T = {temperature_K:g} K:"
            f" relative residual {res:.2e} after {maxiter} iterations (tol {tol:g})")
    G(x)  # make (a, c, δμ) consistent with the final Δ
    sc = bool(np.abs(x).max() > 1e-8 * wn[0])
    if sc and x[0] < 0:
        x = -x
    if not sc:
        x = np.zeros_like(x)
    a, c, dmu = state["a"], state["c"], state["dmu"]
    return GapDOSResult(float(temperature_K), wn, x, a[:N] / wn, c[:N] + dmu, float(dmu), it, res,
                        tol, sc, cs.cutoff_meV, cs.mustar_at_cutoff, dos.name)
