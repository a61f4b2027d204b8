"""The ``--uncertainty`` options shared by ``tc``, ``film``, ``bilayer``, ``stack``, ``map`` and
``screen`` (docs/uncertainty.md), and their console rows."""

from __future__ import annotations

import typer

from tcpredict.cli.common import UserError

__all__ = ["UncertaintyOpt", "SamplesOpt", "SeedOpt", "ThresholdOpt", "uncertainty_spec",
           "band_rows", "sensitivity_rows"]

UncertaintyOpt = typer.Option(
    False, "--uncertainty",
    help="Propagate the element data ranges (λ, ω_log, ω̄₂, μ*) to Tc by seeded Latin-hypercube "
         "draws, and for confined layers the spread over the shipped thickness rules: adds "
         "tc_p16_K, tc_p84_K (K), tc_model_min_K, tc_model_max_K (K) and, with --threshold, "
         "p_superconducting (docs/uncertainty.md).")
SamplesOpt = typer.Option(
    None, "--samples", help="Draws per element for --uncertainty (count, 2 to 1024; default 32).")
SeedOpt = typer.Option(
    None, "--seed", help="Seed of the --uncertainty draws (dimensionless integer ≥ 0; default "
                         "0; the same seed gives the same numbers).")
ThresholdOpt = typer.Option(
    None, "--threshold", help="With --uncertainty: also report p_superconducting = P(Tc ≥ this "
                              "value) over the draws (K).")


def uncertainty_spec(flag: bool, samples, seed, threshold, *, threshold_alone_ok=False):
    """The :class:`~tcpredict.uncertainty.Uncertainty` of the options, or None without
    ``--uncertainty`` (one-line errors for options that need it or bad values)."""
    if not flag:
        given = [n for n, v in (("--samples", samples), ("--seed", seed)) if v is not None]
        if threshold is not None and not threshold_alone_ok:
            given.append("--threshold")
        if given:
            raise UserError(f"{', '.join(given)} need --uncertainty")
        return None
    from tcpredict.uncertainty import DEFAULT_SAMPLES, Uncertainty

    try:
        return Uncertainty(samples=DEFAULT_SAMPLES if samples is None else samples,
                           seed=0 if seed is None else seed, threshold_K=threshold)
    except ValueError as exc:
        msg = str(exc).replace("samples", "--samples").replace("seed", "--seed").replace(
            "threshold_K", "--threshold")
        raise UserError(msg) from None


def _fmt(v, unit="K"):
    return "none above the floor" if v is None else f"{v:.4g} {unit}"


def band_rows(u: dict | None) -> list[tuple[str, str]]:
    """Console rows of an ``uncertainty`` object."""
    if not u:
        return []
    rows = [(f"Tc band 16–84 % ({u.get('samples')} draws, seed {u.get('seed')})",
             f"{_fmt(u.get('tc_p16_K'))} … {_fmt(u.get('tc_p84_K'))} "
             f"(median {_fmt(u.get('tc_p50_K'))})")]
    if u.get("threshold_K") is not None:
        p = u.get("p_superconducting")
        rows.append((f"P(Tc ≥ {u['threshold_K']:g} K)", "—" if p is None else f"{p:.3g}"))
    if "tc_model_min_K" in u:
        rows.append(("Tc over the shipped thickness rules",
                     f"{_fmt(u.get('tc_model_min_K'))} … {_fmt(u.get('tc_model_max_K'))}"))
    return rows


def sensitivity_rows(s: dict | None) -> list[tuple[str, str]]:
    """Console rows of a ``sensitivity`` object."""
    if not s:
        return []
    return [("∂ln Tc/∂λ", f"{s['dlntc_dlambda']:.4g}"),
            ("∂ln Tc/∂μ*", f"{s['dlntc_dmustar']:.4g}")]
