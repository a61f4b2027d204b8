r"""Read and write Eliashberg spectral functions α²F(Ω) from text files.

Supported layouts (docs/eliashberg.md §1):

``columns``
    Plain columns separated by whitespace or by commas (CSV): Ω, then one or more α²F columns
    (one per smearing); an empty field between two commas is an error.
    Lines starting with ``#`` are comments; lines before the first data row whose first field is
    not a number are label lines (e.g. ``E(THz) 0.005 0.010 …`` in the IsoME files shipped in
    ``tcpredict/materials/data/``). The energy unit is given by the caller; a unit written in the first label
    (``E(THz)``, ``w[meV]``) is used when the caller gives none and must agree when both exist.
``epw``
    EPW ``prefix.a2f``: a header line ``w[meV] a2f and integrated 2*a2f/w for N smearing
    values``, rows ``Ω[meV] α²F_1 … α²F_N [λ_1(Ω) … λ_N(Ω)]`` (newer EPW versions append the
    cumulative λ(Ω) columns, older ones do not; both are recognised), then a footer starting with
    ``Integrated el-ph coupling`` followed by ``#  λ_1 … λ_N``, the phonon smearings, electron
    smearing, Fermi window and summed coupling. The footer λ of the chosen column is compared
    with the λ computed here and a :class:`SpectrumFileWarning` is issued if they differ by more
    than ``lambda_rtol``.
``qe``
    Quantum ESPRESSO ``matdyn.x`` ``a2F.dosN``: comment lines starting with ``#`` (``frequencies
    in Rydberg``), rows ``Ω[Ry] α²F_total α²F_mode1 …`` and a footer line
    ``lambda = λ   Delta = ΔE``. ``column=1`` is the total α²F (default), ``column=k+1`` the
    k-th mode. The footer λ is checked against the total column. (Very old QE versions wrapped the
    mode columns over several lines; that layout is rejected with a message.)

Every problem raises :class:`SpectrumFileError` (a ``ValueError``) whose message names the file,
the line number (1-based) and the problem: also a NUL or other control character anywhere in the
file (never a silently skipped row) and more than :data:`tcpredict.limits.MAX_A2F_POINTS` rows.

Points with Ω ≤ ``omega_min_meV`` (default 0.01 meV, the convention of the Al reference values in
docs/eliashberg.md §4) are dropped before the spectrum is built; how many were dropped is recorded in
``Alpha2F.source``.
"""

from __future__ import annotations

import logging
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tcpredict.eliashberg.spectra import Alpha2F
from tcpredict.limits import MAX_A2F_POINTS
from tcpredict.units import ENERGY_TO_MEV, energy_factor_to_meV

__all__ = [
    "SpectrumFileError",
    "SpectrumFileWarning",
    "load_alpha2f",
    "write_alpha2f",
    "FORMATS",
]

log = logging.getLogger(__name__)

#: Accepted values of the ``format`` argument of :func:`load_alpha2f`.
FORMATS = ("auto", "columns", "epw", "qe")

#: Marker of a delta-function line written by :func:`write_alpha2f`.
_DELTA_TAG = "#% tcpredict delta"
_EPW_HEADER = re.compile(r"a2f\s+and\s+integrated.*?for\s+(\d+)\s+smearing", re.IGNORECASE)
_EPW_FOOTER = "integrated el-ph coupling"
_QE_FOOTER = re.compile(r"^\s*lambda\s*=\s*(\S+)", re.IGNORECASE)
#: Control characters that never belong in a text table (tab, CR, LF, FF, VT are whitespace).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LABEL_UNIT = re.compile(r"[\(\[]\s*([A-Za-z0-9^\-/⁻¹]+)\s*[\)\]]")


class SpectrumFileError(ValueError):
    """An α²F file could not be read; the message names the file, line and problem."""


class SpectrumFileWarning(UserWarning):
    """An α²F file was read, but something in it deserves attention (e.g. its own λ disagrees)."""


@dataclass
class _Row:
    lineno: int
    values: list[float]


@dataclass
class _Parsed:
    rows: list[_Row] = field(default_factory=list)
    labels: list[str] | None = None
    label_line: int | None = None
    footer_lambdas: list[float] | None = None
    footer_line: int | None = None
    header_n: int | None = None
    deltas: list[tuple[int, float, float, str]] = field(default_factory=list)
    unit_in_file: str | None = None
    unit_line: int | None = None
    skipped: tuple[int, str] | None = None  # first non-numeric line before the data (a label?)


def _err(path: Path, lineno: int | None, msg: str) -> SpectrumFileError:
    where = f"{path}" if lineno is None else f"{path}, line {lineno}"
    return SpectrumFileError(f"{where}: {msg}")


def _is_number(tok: str) -> bool:
    try:
        float(tok)
    except ValueError:
        return False
    return True


def _parse_numbers(path: Path, lineno: int, tokens: list[str]) -> list[float]:
    vals = []
    for k, tok in enumerate(tokens, start=1):
        try:
            v = float(tok.replace("D", "E").replace("d", "e"))
        except ValueError:
            raise _err(path, lineno, f"field {k} ({tok!r}) is not a number") from None
        if math.isnan(v) or math.isinf(v):
            raise _err(path, lineno, f"field {k} is {tok!r} (NaN or infinite values are not "
                                     "allowed)")
        vals.append(v)
    return vals


def _normalise_unit(unit: str, path: Path, lineno: int | None = None) -> str:
    try:
        factor = energy_factor_to_meV(unit)
    except ValueError:
        raise _err(path, lineno, f"unknown energy unit {unit!r}; valid units: "
                                 f"{', '.join(ENERGY_TO_MEV)}") from None
    for name, f in ENERGY_TO_MEV.items():
        if f == factor:
            return name
    raise AssertionError("unreachable")  # pragma: no cover


def _detect_format(path: Path, lines: list[str]) -> str:
    for raw in lines[:50]:
        if _EPW_HEADER.search(raw):
            return "epw"
        low = raw.lower()
        if "frequencies in rydberg" in low or "eliashberg function a2f" in low:
            return "qe"
    for raw in lines:
        if raw.strip().lower().startswith(_EPW_FOOTER):
            return "epw"
    return "columns"


def _read_lines(path: Path) -> list[str]:
    if not path.exists():
        raise SpectrumFileError(f"{path}: file not found")
    if path.is_dir():
        raise SpectrumFileError(f"{path}: is a directory, not an α²F file")
    try:
        lines = path.read_text(encoding="utf-8", errors="strict").splitlines()
    except UnicodeDecodeError as exc:
        raise SpectrumFileError(f"{path}: not a UTF-8 text file ({exc.reason} at byte "
                                f"{exc.start})") from None
    except OSError as exc:
        raise SpectrumFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for lineno, raw in enumerate(lines, start=1):
        m = _CONTROL.search(raw)
        if m:  # a NUL or other control byte: never a silently skipped or truncated row
            raise _err(path, lineno, f"control character {m.group()!r} at column "
                                     f"{m.start() + 1} (a binary or corrupted file?)")
    return lines


def _tokens(path: Path, lineno: int, s: str) -> list[str]:
    """Fields of a data line: separated by whitespace or by commas (CSV); an empty
    comma-separated field is an error."""
    if "," not in s:
        return s.split()
    parts = [t.strip() for t in s.split(",")]
    for k, t in enumerate(parts, start=1):
        if not t:
            raise _err(path, lineno, f"empty field {k} between commas")
    return [tok for t in parts for tok in t.split()]


def _add_row(path: Path, p: "_Parsed", lineno: int, tokens: list[str]) -> None:
    if len(p.rows) >= MAX_A2F_POINTS:
        raise _err(path, lineno, f"more than {MAX_A2F_POINTS} data rows (the limit of README "
                                 "\"Limits\"; thin the table)")
    p.rows.append(_Row(lineno, _parse_numbers(path, lineno, tokens)))


# ---------------------------------------------------------------------------- parsers
def _parse_columns(path: Path, lines: list[str]) -> _Parsed:
    p = _Parsed()
    last_label: tuple[int, list[str]] | None = None
    for lineno, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not s:
            continue
        if s.startswith(_DELTA_TAG):
            p.deltas.append(_parse_delta(path, lineno, s))
            continue
        if s.startswith("#"):
            body = s.lstrip("#").split()
            # a comment line whose first token is non-numeric and that has further tokens may be
            # the column-label line (IsoME: "# E(THz) 0.005 0.010 ..."); the last one before data
            if not p.rows and len(body) >= 2 and not _is_number(body[0]):
                last_label = (lineno, body)
            continue
        tokens = _tokens(path, lineno, s)
        if not p.rows and not _is_number(tokens[0]):
            last_label = (lineno, tokens)
            if p.skipped is None:
                p.skipped = (lineno, s)
            continue
        _add_row(path, p, lineno, tokens)
    if last_label is not None:
        p.label_line, p.labels = last_label
        m = _LABEL_UNIT.search(p.labels[0])
        if m:
            try:
                p.unit_in_file = _normalise_unit(m.group(1), path, p.label_line)
                p.unit_line = p.label_line
            except SpectrumFileError:
                p.unit_in_file = None
    return p


def _parse_delta(path: Path, lineno: int, s: str) -> tuple[int, float, float, str]:
    # "#% tcpredict delta omega=<x> weight=<w> unit=<u>"
    fields = dict(kv.split("=", 1) for kv in s[len(_DELTA_TAG):].split() if "=" in kv)
    try:
        om = float(fields["omega"])
        w = float(fields["weight"])
        unit = fields["unit"]
    except (KeyError, ValueError):
        raise _err(path, lineno, "malformed delta-function line; expected "
                                 f"'{_DELTA_TAG} omega=<Ω> weight=<w> unit=<unit>'") from None
    if not (math.isfinite(om) and math.isfinite(w)) or om <= 0 or w < 0:
        raise _err(path, lineno, f"delta function needs Ω > 0 and weight ≥ 0, got Ω={om}, "
                                 f"weight={w}")
    return lineno, om, w, _normalise_unit(unit, path, lineno)


def _parse_epw(path: Path, lines: list[str]) -> _Parsed:
    p = _Parsed(unit_in_file="meV")
    in_footer = False
    expect_lambdas = False
    for lineno, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not s:
            continue
        m = _EPW_HEADER.search(s)
        if m and not p.rows:
            p.header_n = int(m.group(1))
            p.unit_line = lineno
            continue
        if s.lower().startswith(_EPW_FOOTER):
            in_footer = True
            expect_lambdas = True
            continue
        if in_footer:
            if expect_lambdas:
                body = s.lstrip("#").split()
                p.footer_lambdas = _parse_numbers(path, lineno, body)
                p.footer_line = lineno
                expect_lambdas = False
            continue  # remaining footer records (smearings, Fermi window, ...) are not needed
        if s.startswith("#"):
            continue
        tokens = s.split()
        if not p.rows and not _is_number(tokens[0]):
            continue  # any other header text before the data
        _add_row(path, p, lineno, tokens)
    if p.footer_lambdas is None and in_footer:
        raise _err(path, len(lines), "EPW footer 'Integrated el-ph coupling' is not followed by "
                                     "a line of λ values")
    return p


def _parse_qe(path: Path, lines: list[str]) -> _Parsed:
    p = _Parsed(unit_in_file="Ry")
    for lineno, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not s:
            continue
        if s.startswith("#"):
            if p.unit_line is None and "rydberg" in s.lower():
                p.unit_line = lineno
            continue
        m = _QE_FOOTER.match(s)
        if m:
            tok = m.group(1)
            p.footer_lambdas = _parse_numbers(path, lineno, [tok])
            p.footer_line = lineno
            continue
        if p.footer_line is not None:
            raise _err(path, lineno, "data after the 'lambda =' footer line")
        _add_row(path, p, lineno, s.split())
    return p


# ---------------------------------------------------------------------------- main entry
def load_alpha2f(path, unit: str | None = None, column: int = 1, *, format: str = "auto",
                 omega_min_meV: float = 0.01, lambda_rtol: float = 0.02) -> Alpha2F:
    r"""Load α²F(Ω) from a text file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    unit : str, optional
        Energy unit of the Ω column: one of ``meV, eV, THz, Ry, Ha, cm-1, K``
        (:func:`tcpredict.units.energy_factor_to_meV`). Default (None): the unit the format
        defines (EPW: meV; QE: Ry), else the unit written in the column label (``E(THz)``), else
        meV. A unit that contradicts the file (an EPW or QE file, or a label) is an error.
    column : int
        Which α²F column to use, counting from 1 after the energy column (EPW: smearing index;
        QE: 1 = total, k+1 = mode k; IsoME files: smearing index).
    format : {"auto", "columns", "epw", "qe"}
        File layout; ``auto`` recognises EPW by its header/footer and QE by its comment header.
    omega_min_meV : float
        Points with Ω ≤ this [meV] are dropped (default 0.01 meV, docs/eliashberg.md §4).
    lambda_rtol : float
        Relative tolerance for the check of the file's own λ (EPW/QE footers) against the λ
        computed here; a larger difference issues a :class:`SpectrumFileWarning`.

    Returns
    -------
    Alpha2F
        Tabulated spectrum with Ω in meV; ``source`` records file, format, column (and its label
        when the file has one), unit, and how many points were dropped.

    Raises
    ------
    SpectrumFileError
        Missing file; non-numeric, NaN or infinite field; negative α²F; Ω not strictly
        increasing; rows of unequal length; column out of range; unknown unit; empty spectrum.
        The message names the file, the line and the problem.

    Notes
    -----
    Moments and kernel of the loaded table are computed with the trapezoid rule by
    :class:`tcpredict.eliashberg.spectra.Alpha2F` (docs/eliashberg.md §1). EPW and QE compute their footer λ with
    a rectangle/midpoint sum, so small differences (well below 1 % for reasonable grids) are
    expected; ``lambda_rtol`` sets when a difference is reported.
    """
    path = Path(path)
    if format not in FORMATS:
        raise SpectrumFileError(f"{path}: unknown format {format!r}; valid formats: "
                                f"{', '.join(FORMATS)}")
    if isinstance(column, bool) or not isinstance(column, (int, np.integer)):
        raise SpectrumFileError(f"{path}: column must be an integer ≥ 1, got {column!r}")
    if not (np.isfinite(omega_min_meV) and omega_min_meV >= 0):
        raise SpectrumFileError(f"{path}: omega_min_meV must be ≥ 0, got {omega_min_meV}")
    user_unit = None if unit is None else _normalise_unit(unit, path)
    lines = _read_lines(path)
    fmt = _detect_format(path, lines) if format == "auto" else format
    parser = {"columns": _parse_columns, "epw": _parse_epw, "qe": _parse_qe}[fmt]
    parsed = parser(path, lines)

    # ---- unit
    if user_unit is not None and parsed.unit_in_file is not None \
            and user_unit != parsed.unit_in_file:
        what = {"epw": "EPW .a2f files give Ω in meV",
                "qe": "QE a2F.dos files give Ω in Ry"}.get(fmt, "the column label says "
                                                          f"{parsed.unit_in_file}")
        raise _err(path, parsed.unit_line,
                   f"unit {user_unit!r} contradicts the file ({what}); omit the unit or fix it")
    file_unit = user_unit or parsed.unit_in_file or "meV"
    factor = ENERGY_TO_MEV[file_unit]

    # ---- table shape
    if not parsed.rows and not parsed.deltas:
        why = ""
        if parsed.skipped is not None:
            ln, txt = parsed.skipped
            why = (f" (line {ln}, {txt[:40]!r}, was read as a column label: fields must be "
                   "numbers separated by spaces, tabs or commas)")
        raise _err(path, None, f"empty spectrum: no numeric data rows found{why}")
    ncols = len(parsed.rows[0].values) if parsed.rows else 0
    for r in parsed.rows:
        if len(r.values) != ncols:
            extra = (" (this looks like the old wrapped QE layout, which is not supported; "
                     "re-run matdyn.x from a recent QE)" if fmt == "qe" else "")
            raise _err(path, r.lineno, f"has {len(r.values)} fields but line "
                                       f"{parsed.rows[0].lineno} has {ncols}{extra}")
    if parsed.rows and ncols < 2:
        raise _err(path, parsed.rows[0].lineno, "needs at least two columns (Ω and α²F)")

    n_a2f, col_desc = _a2f_columns(path, fmt, parsed, ncols)
    if parsed.rows and not 1 <= column <= n_a2f:
        raise _err(path, parsed.rows[0].lineno,
                   f"column {column} is out of range: the file has {n_a2f} α²F column"
                   f"{'s' if n_a2f != 1 else ''} after the energy column ({col_desc})")

    # ---- values
    omega_meV = np.zeros(0)
    vals = np.zeros(0)
    dropped = dropped_neg = 0
    if parsed.rows:
        data = np.array([r.values for r in parsed.rows], dtype=float)
        linenos = np.array([r.lineno for r in parsed.rows])
        om_file = data[:, 0]
        a2f = data[:, column]
        bad = np.flatnonzero(np.diff(om_file) <= 0)
        if bad.size:
            i = int(bad[0]) + 1
            raise _err(path, int(linenos[i]),
                       f"Ω = {om_file[i]:g} {file_unit} is not larger than Ω = {om_file[i - 1]:g}"
                       f" on line {linenos[i - 1]} (Ω must be strictly increasing)")
        neg = np.flatnonzero(a2f < 0)
        if neg.size:
            i = int(neg[0])
            raise _err(path, int(linenos[i]), f"negative α²F = {a2f[i]:g} in column {column}")
        om_all = om_file * factor
        keep = om_all > omega_min_meV
        dropped = int(np.count_nonzero(~keep))
        dropped_neg = int(np.count_nonzero((om_all < 0) & (a2f > 0)))
        if dropped_neg:
            msg = (f"{path}: {dropped_neg} point(s) with Ω < 0 and α²F > 0 were dropped "
                   "(unstable/imaginary phonon modes in the calculation?)")
            warnings.warn(msg, SpectrumFileWarning, stacklevel=2)
            log.warning(msg)
        omega_meV, vals = om_all[keep], a2f[keep]
        if omega_meV.size < 2 or not np.any(vals > 0):
            raise _err(path, None, f"empty spectrum: column {column} has no α²F > 0 at "
                                   f"Ω > {omega_min_meV:g} meV ({omega_meV.size} points kept, "
                                   f"{dropped} dropped)")

    d_om = np.array([d[1] * ENERGY_TO_MEV[d[3]] for d in parsed.deltas])
    d_w = np.array([d[2] * ENERGY_TO_MEV[d[3]] for d in parsed.deltas])

    label = ""
    if parsed.labels is not None and len(parsed.labels) == n_a2f + 1:
        label = f" (label {parsed.labels[column]!r})"
    src = (f"file {path.name} [{fmt}], α²F column {column}{label}, Ω unit {file_unit}; "
           f"{dropped} point(s) with Ω ≤ {omega_min_meV:g} meV dropped")
    if parsed.deltas:
        src += f"; {len(parsed.deltas)} exact delta function(s) restored from the file"
    try:
        spec = Alpha2F(omega_meV, vals, d_om, d_w, source=src)
    except ValueError as exc:  # e.g. λ = 0
        raise _err(path, None, f"not a valid spectrum: {exc}") from None

    _check_footer(path, fmt, parsed, column, spec, lambda_rtol)
    log.info("loaded α²F from %s: %r", path, spec)
    return spec


def _a2f_columns(path: Path, fmt: str, parsed: _Parsed, ncols: int) -> tuple[int, str]:
    """Number of α²F columns in the table and a description for error messages."""
    m = ncols - 1
    if fmt == "epw":
        k = len(parsed.footer_lambdas) if parsed.footer_lambdas else parsed.header_n
        if k and m == 2 * k:
            return k, f"EPW layout: {k} α²F columns followed by {k} cumulative-λ columns"
        if k and m == k:
            return k, f"EPW layout: {k} α²F columns"
        if m == 2 and parsed.rows:
            # newer EPW writes a single smearing (α²F, cumulative λ) whatever the header says
            lam_col = np.array([r.values[2] for r in parsed.rows])
            if np.all(np.diff(lam_col) >= -1e-12):
                return 1, "EPW layout: 1 α²F column followed by its cumulative λ"
        if parsed.rows:
            raise _err(path, parsed.rows[0].lineno,
                       f"EPW table has {m} columns after Ω, which fits neither {k} α²F columns "
                       f"nor {k} α²F + {k} cumulative-λ columns (k from the header/footer)")
        return 0, "no data"
    if fmt == "qe":
        return m, f"QE layout: column 1 = total α²F, columns 2–{m} = {m - 1} phonon modes"
    return m, f"{m} α²F column{'s' if m != 1 else ''}"


def _check_footer(path: Path, fmt: str, parsed: _Parsed, column: int, spec: Alpha2F,
                  rtol: float) -> None:
    if not parsed.footer_lambdas:
        return
    if fmt == "qe":
        if column != 1:
            return  # the footer λ is that of the total α²F
        reported = parsed.footer_lambdas[0]
    else:
        if column > len(parsed.footer_lambdas):
            return
        reported = parsed.footer_lambdas[column - 1]
    # points dropped by omega_min carry negligible weight for any sensible omega_min
    lam = spec.lam
    if reported <= 0 or abs(lam - reported) > rtol * reported:
        msg = (f"{path}, line {parsed.footer_line}: the file reports λ = {reported:.6g} for "
               f"column {column}, but integrating the table gives λ = {lam:.6g} "
               f"(relative difference {abs(lam - reported) / max(reported, 1e-300):.2%}, "
               f"tolerance {rtol:.1%}); check the column and the unit")
        warnings.warn(msg, SpectrumFileWarning, stacklevel=3)
        log.warning(msg)


# ---------------------------------------------------------------------------- writer
def write_alpha2f(path, spectrum: Alpha2F, unit: str = "meV", *, deltas: str = "error") -> Path:
    r"""Write the tabulated α²F to a two-column text file readable by :func:`load_alpha2f`.

    Parameters
    ----------
    path : str or pathlib.Path
        Output file (overwritten).
    spectrum : Alpha2F
        The spectrum to write.
    unit : str
        Energy unit of the Ω column (``meV, eV, THz, Ry, Ha, cm-1, K``); written into the label
        line ``# E(<unit>) a2F`` so the reader recovers it without being told.
    deltas : {"error", "comment"}
        Exact delta functions (Einstein modes) have no tabulated representation. ``"error"``
        (default) refuses to write a spectrum that has any. ``"comment"`` writes each as a line
        ``#% tcpredict delta omega=<Ω> weight=<w> unit=<unit>`` that :func:`load_alpha2f`
        restores exactly; other programs will treat it as a comment and MISS that weight, which
        the file header says in plain words.

    Returns
    -------
    pathlib.Path
        The path written.

    Notes
    -----
    Numbers are written with 17 significant digits, so a write/read round trip in meV returns
    the same grid bit-for-bit and the same moments to ~1e-15.
    """
    if not isinstance(spectrum, Alpha2F):
        raise TypeError(f"spectrum must be an Alpha2F, got {type(spectrum).__name__}")
    if deltas not in ("error", "comment"):
        raise ValueError(f"deltas must be 'error' or 'comment', got {deltas!r}")
    unit = _normalise_unit(unit, Path(path))
    f = ENERGY_TO_MEV[unit]
    has_d = spectrum.delta_omega_meV.size > 0
    if has_d and deltas == "error":
        raise ValueError(
            f"the spectrum contains {spectrum.delta_omega_meV.size} exact delta function(s) "
            "(Einstein modes), which cannot be written as a table; pass deltas='comment' to store "
            "them as '#% tcpredict delta' lines (restored by tcpredict, ignored by other "
            "programs), or replace them by narrow peaks (spectra.gaussian_peak)")
    if spectrum.omega_meV.size == 0 and not has_d:  # pragma: no cover - Alpha2F forbids λ = 0
        raise ValueError("nothing to write: empty spectrum")
    path = Path(path)
    out = ["# Eliashberg spectral function alpha^2F (dimensionless), written by tcpredict",
           f"# source: {spectrum.source}",
           f"# moments: lambda = {spectrum.lam:.10g}, omega_log = {spectrum.omega_log_meV:.10g} "
           f"meV, omega2 = {spectrum.omega2_meV:.10g} meV"]
    if has_d:
        out.append("# WARNING: this spectrum includes exact delta functions listed on '#%' lines "
                   "below; they are NOT part of the table and programs other than tcpredict "
                   "will miss them.")
        for om, w in zip(spectrum.delta_omega_meV, spectrum.delta_weight_meV):
            out.append(f"{_DELTA_TAG} omega={om / f:.17g} weight={w / f:.17g} unit={unit}")
    out.append(f"# E({unit}) a2F")
    for om, v in zip(spectrum.omega_meV, spectrum.values):
        out.append(f"{om / f:.17g} {v:.17g}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
