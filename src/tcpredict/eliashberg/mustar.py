r"""μ* conventions of other Eliashberg codes, converted into tcpredict's (docs/eliashberg.md §8).

A Coulomb pseudopotential is meaningful only together with the energy at which it is defined. In
tcpredict a μ* travels as (value, ``mustar_at_meV``): the solver rescales it to the Matsubara
cutoff ω_c it uses by Morel–Anderson, 1/μ*(ω₂) = 1/μ*(ω₁) + ln(ω₁/ω₂) (P. Morel &
P. W. Anderson, Phys. Rev. 125, 1263 (1962)). Other codes quote "μ* = 0.1" at different energies:

``ebmb`` (J. Berges, ebmb manual, Eq. "cDOS rescaling" and the parameter table)
    ``muStar`` is μ*(ω_E), with ω_E the Einstein frequency or, for a tabulated α²F, the
    Allen–Dynes second moment ω̄₂; with ``rescale=true`` (default) it is rescaled to the
    Coulomb cutoff ω_{N_C} ≈ ``cutoffC`` × ω_E (default ``cutoff`` = 15 ω_E). ebmb rescales to the
    first Matsubara frequency above the cutoff, at most 2πk_BT above ω_c; the difference from
    rescaling to ω_c is O(μ*² 2πk_BT/ω_c) (≲ 1e-3 relative in μ* at the default cutoff) and is
    neglected here. With ``rescale=false`` the value is used as it is at the cutoff.
``epw`` (EPW documentation, isotropic Migdal–Eliashberg equations on the imaginary axis:
    Z Δ = πT Σ [λ(ω_j − ω_j') − μ*_c] …, sums up to ``wscut``)
    ``muc`` is μ*_c used unchanged in the equations, i.e. μ*(ω_c) with ω_c the Matsubara cutoff
    ``wscut`` of the run: the converter needs that cutoff.
``isome`` (IsoME documentation, "Pseudopotentials μ, μ*_AD & μ*_ME"; E. Kogler et al.,
    arXiv:2503.03559)
    ``muc_AD`` (kind ``ad``) is μ* at ω_ph = the largest Ω with α²F(Ω) > 0.01 (absolute
    threshold, as in IsoME's source), rescaled by Morel–Anderson to the Matsubara cutoff
    ``omega_c`` (default 7000 meV) to give ``muc_ME``; ``muc_ME`` (kind ``me``) is μ* at
    ``omega_c``; ``mu`` (kind ``mu``) is the bare μ at a typical electronic energy ``typEl``
    (default: the Fermi energy). IsoME replaces an unreasonable muc_ME (< 0, > 0.8 or > 3 muc_AD)
    by min(3 muc_AD, 0.8); the converter reports the Morel–Anderson value and flags the case.

tcpredict's own default (``--mustar-at`` omitted) is ω_ref = Ω_max, the largest Ω with α²F above
1 % of its peak (docs/eliashberg.md). All energies in meV.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from tcpredict.limits import check_energy, check_mustar
from tcpredict.eliashberg.matsubara import rescale_mustar
from tcpredict.eliashberg.spectra import Alpha2F

__all__ = ["CODES", "KINDS", "MustarConversion", "convert_mustar", "isome_omega_ph_meV",
           "EBMB_DEFAULT_CUTOFF_FACTOR", "ISOME_DEFAULT_CUTOFF_MEV"]

#: Codes whose convention can be converted.
CODES = ("ebmb", "epw", "isome")
#: Kinds of μ per code (the first is the default).
KINDS = {"ebmb": ("mustar",), "epw": ("muc",), "isome": ("ad", "me", "mu")}
#: ebmb's default ``cutoff`` in units of ω_E (ebmb manual, parameter table).
EBMB_DEFAULT_CUTOFF_FACTOR = 15.0
#: IsoME's default Matsubara cutoff ``omega_c`` [meV] (IsoME documentation, Input).
ISOME_DEFAULT_CUTOFF_MEV = 7000.0


@dataclass(frozen=True)
class MustarConversion:
    """A μ* quoted in another code's convention, in tcpredict's.

    Attributes
    ----------
    code, kind : str
        The source convention (``kind``: ebmb ``mustar``; epw ``muc``; isome ``ad``, ``me``,
        ``mu``).
    value : float
        The number as quoted in that code.
    mustar : float
        tcpredict's μ* (= ``value``: only the energy it refers to changes).
    mustar_at_meV : float
        The energy [meV] at which ``mustar`` is defined (tcpredict's ``--mustar-at``).
    cutoff_meV : float
        The other code's Matsubara cutoff [meV] (use it with ``--cutoff`` to reproduce its run;
        any converged cutoff gives the same Tc up to the cutoff convergence).
    mustar_at_cutoff : float
        μ* at ``cutoff_meV`` after Morel–Anderson rescaling (what that code puts in its
        equations).
    convention : str
        One line describing the source convention.
    notes : tuple of str
    """

    code: str
    kind: str
    value: float
    mustar: float
    mustar_at_meV: float
    cutoff_meV: float
    mustar_at_cutoff: float
    convention: str
    notes: tuple = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["notes"] = list(self.notes)
        return d

    def tc_arguments(self) -> dict:
        """Keyword arguments of :func:`tcpredict.eliashberg.tc.solve_tc` reproducing the run:
        ``mustar``, ``mustar_at_meV``, ``cutoff_meV``."""
        return {"mustar": self.mustar, "mustar_at_meV": self.mustar_at_meV,
                "cutoff_meV": self.cutoff_meV}


def isome_omega_ph_meV(spectrum: Alpha2F, threshold: float = 0.01) -> float:
    """IsoME's ω_ph [meV]: the largest Ω with α²F(Ω) > ``threshold`` (absolute; IsoME source,
    ``calcMucME``). Delta functions (Einstein modes) count at their position."""
    top = -math.inf
    if spectrum.omega_meV.size:
        above = spectrum.values > threshold
        if np.any(above):
            top = float(spectrum.omega_meV[above][-1])
    if spectrum.delta_omega_meV.size:
        top = max(top, float(spectrum.delta_omega_meV[spectrum.delta_weight_meV > 0]
                             .max(initial=-math.inf)))
    if not math.isfinite(top):
        raise ValueError(f"α²F never exceeds {threshold:g}: IsoME's ω_ph is undefined "
                         "(give omega_ref_meV)")
    return top


#: Largest bare Coulomb μ = N(E_F)W accepted by :func:`convert_mustar` (metals: 0.1–0.5).
MAX_BARE_MU = 10.0


def _pos(name: str, v) -> float:
    return check_energy(v, name)


def convert_mustar(code: str, value: float, *, kind: str | None = None,
                   spectrum: Alpha2F | None = None, cutoff_meV: float | None = None,
                   omega_ref_meV: float | None = None, rescale: bool = True
                   ) -> MustarConversion:
    r"""Convert a μ* quoted in ``code``'s convention into tcpredict's (value, energy, cutoff).

    Parameters
    ----------
    code : {"ebmb", "epw", "isome"}
    value : float
        The quoted μ* (or IsoME's bare μ for ``kind="mu"``), ≥ 0.
    kind : str, optional
        ebmb: ``mustar``; epw: ``muc``; isome: ``ad`` (default, muc_AD), ``me`` (muc_ME) or
        ``mu`` (bare μ).
    spectrum : Alpha2F, optional
        The α²F of the run: ebmb takes ω_E = ω̄₂ from it, IsoME ω_ph (largest Ω with
        α²F > 0.01). Not needed when ``omega_ref_meV`` is given.
    cutoff_meV : float, optional
        The run's Matsubara cutoff [meV]: ebmb default 15 ω_E, IsoME default 7000 meV; EPW
        (``wscut``) has no default here and must be given.
    omega_ref_meV : float, optional
        Override the reference energy: ebmb's ω_E (Einstein input), IsoME's ω_ph, or, for
        ``kind="mu"``, the typical electronic energy ``typEl`` / E_F (required then).
    rescale : bool
        ebmb's ``rescale`` (default true); false: ``value`` is μ* at the cutoff.

    Returns
    -------
    MustarConversion

    Notes
    -----
    The conversions (module docstring) only move the energy at which the number is defined;
    the Morel–Anderson flow 1/μ*(ω₂) = 1/μ*(ω₁) + ln(ω₁/ω₂) is the same in all four codes
    (ebmb manual; IsoME documentation, μ*_ME = μ*_AD/(1 + μ*_AD ln(ω_ph/ω_c))).
    """
    if code not in CODES:
        raise ValueError(f"unknown code {code!r}; valid: {', '.join(CODES)}")
    kinds = KINDS[code]
    kind = kinds[0] if kind is None else kind
    if kind not in kinds:
        raise ValueError(f"{code}: unknown kind {kind!r}; valid: {', '.join(kinds)}")
    if kind == "mu":  # IsoME's bare μ = N(E_F)W (0.1–0.5 in metals)
        v = float(value)
        if not (math.isfinite(v) and 0 <= v <= MAX_BARE_MU):
            raise ValueError(f"the bare μ must be in [0, {MAX_BARE_MU:g}], got {value!r}")
    else:
        v = check_mustar(value, "mustar")
    if spectrum is not None and not isinstance(spectrum, Alpha2F):
        raise TypeError("spectrum must be an Alpha2F")
    notes = []
    if code == "epw":
        if cutoff_meV is None:
            raise ValueError("EPW's muc is μ* at the Matsubara cutoff wscut of the run: give "
                             "cutoff_meV (wscut in meV)")
        wc = _pos("cutoff_meV", cutoff_meV)
        return MustarConversion(code, kind, v, v, wc, wc, v,
                                "EPW muc: μ*_c used unchanged up to the cutoff wscut", ())
    if code == "ebmb":
        if omega_ref_meV is not None:
            we = _pos("omega_ref_meV", omega_ref_meV)
        elif spectrum is not None:
            we = spectrum.omega2_meV if not spectrum.is_einstein else float(
                spectrum.delta_omega_meV[0])
        else:
            raise ValueError("ebmb's μ* is defined at ω_E: give the spectrum (ω̄₂ of α²F, or the "
                             "Einstein energy) or omega_ref_meV")
        wc = (EBMB_DEFAULT_CUTOFF_FACTOR * we if cutoff_meV is None
              else _pos("cutoff_meV", cutoff_meV))
        if not rescale:
            return MustarConversion(code, kind, v, v, wc, wc, v,
                                    "ebmb muStar with rescale=false: μ* used as it is at the "
                                    "cutoff", ())
        notes.append("ebmb rescales to the first Matsubara frequency above the cutoff (≤ 2πk_BT "
                     "higher); rescaling to the cutoff itself differs by O(μ*² 2πk_BT/ω_c)")
        return MustarConversion(code, kind, v, v, we, wc, rescale_mustar(v, we, wc),
                                "ebmb muStar: μ*(ω_E), ω_E = Einstein energy or ω̄₂ of α²F, "
                                "rescaled to the cutoff (Morel–Anderson)", tuple(notes))
    # IsoME
    wc = ISOME_DEFAULT_CUTOFF_MEV if cutoff_meV is None else _pos("cutoff_meV", cutoff_meV)
    if kind == "me":
        return MustarConversion(code, kind, v, v, wc, wc, v,
                                "IsoME muc_ME: μ* at the Matsubara cutoff omega_c", ())
    if kind == "mu":
        if omega_ref_meV is None:
            raise ValueError("IsoME's bare μ is defined at the typical electronic energy typEl "
                             "(default E_F): give omega_ref_meV")
        el = _pos("omega_ref_meV", omega_ref_meV)
        return MustarConversion(code, kind, v, v, el, wc, rescale_mustar(v, el, wc),
                                "IsoME mu: bare μ = N(E_F)W at the electronic energy typEl "
                                "(or E_F), μ*(ω) = μ/(1 + μ ln(typEl/ω))", ())
    if omega_ref_meV is not None:
        wph = _pos("omega_ref_meV", omega_ref_meV)
    elif spectrum is not None:
        wph = isome_omega_ph_meV(spectrum)
    else:
        raise ValueError("IsoME's muc_AD is defined at ω_ph (largest Ω with α²F > 0.01): give "
                         "the spectrum or omega_ref_meV")
    try:
        me = rescale_mustar(v, wph, wc)
    except ValueError:  # 1 + μ* ln(ω_ph/ω_c) ≤ 0: no finite μ* at the cutoff
        notes.append(f"Morel–Anderson diverges between ω_ph = {wph:.4g} meV and ω_c = "
                     f"{wc:.4g} meV; IsoME would use min(3 muc_AD, 0.8) = {min(3 * v, 0.8):.4g} "
                     "(its sanity clamp); no finite μ*(ω_c) exists")
        me = math.nan
    if math.isfinite(me) and (me < 0 or me > 0.8 or me > 3 * v):
        notes.append(f"IsoME would replace muc_ME = {me:.4g} by min(3 muc_AD, 0.8) = "
                     f"{min(3 * v, 0.8):.4g} (its sanity clamp); the Morel–Anderson value is "
                     "reported here")
    return MustarConversion(code, kind, v, v, wph, wc, me,
                            "IsoME muc_AD: μ* at ω_ph (largest Ω with α²F > 0.01), rescaled to "
                            "omega_c (Morel–Anderson) as muc_ME", tuple(notes))
