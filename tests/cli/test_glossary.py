"""One name per quantity (issue 10 item 1): every key that the core, film, stack, BKT and bfm
commands print with ``--json`` or write with ``--out``, and every column of their tables, is a
key of a ``| key | unit | meaning |`` table of docs/glossary.md (the bfm keys: §6); every JSON
object carries the provenance keys (item 2). The commands run in-process on small inputs
(typer's CliRunner)."""

import json
import re
from pathlib import Path

import pytest
import xarray as xr
from typer.testing import CliRunner

import tcpredict
from tcpredict.cli.main import app

ROOT = Path(__file__).parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
AL_A2F = ROOT / "src" / "tcpredict" / "materials" / "data" / "Al_a2F_IsoME_EPW.dat"
STACK = ROOT / "examples" / "stack.toml"
runner = CliRunner()

#: Names that issue 10 replaced; none may come back (docs/glossary.md §3).
OLD_NAMES = {"bulk_tc_measured_K", "bulk_tc_experimental_K", "bulk_tc_K", "tc_bulk_K",
             "tc_bulk_a_K", "tc_bulk_b_K", "tc_model_bulk_a_K", "tc_model_bulk_b_K",
             "model_spectrum", "lam", "element_symbol"}


def glossary_sections() -> dict[str, set[str]]:
    """Keys of the ``| key | unit | meaning |`` tables, per top-level section ``## §N``."""
    out: dict[str, set[str]] = {}
    section, in_table = None, False
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        m = re.match(r"## §(\d+)", line)
        if m:
            section = m.group(1)
            out.setdefault(section, set())
            continue
        if line.startswith("| key |"):
            in_table = True
            continue
        if in_table and line.startswith("|"):
            first_cell = line.split("|")[1]
            out[section] |= set(re.findall(r"`([^`]+)`", first_cell))
        else:
            in_table = False
    return out


SECTIONS = glossary_sections()
BFM_SECTION = "6"
CORE_KEYS = set().union(*(k for s, k in SECTIONS.items() if s != BFM_SECTION))
BFM_KEYS = SECTIONS[BFM_SECTION]


def all_keys(obj, path="") -> dict[str, str]:
    """Every dict key of a JSON value, recursively, with where it was found."""
    found = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            found.setdefault(k, f"{path}.{k}")
            found.update({kk: p for kk, p in all_keys(v, f"{path}.{k}").items()
                          if kk not in found})
    elif isinstance(obj, list):
        for v in obj:
            found.update({kk: p for kk, p in all_keys(v, f"{path}[]").items()
                          if kk not in found})
    return found


def run_json(args):
    res = runner.invoke(app, args + ["--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_glossary_parses_and_has_no_old_names():
    assert len(CORE_KEYS) > 150 and len(BFM_KEYS) > 50
    assert not OLD_NAMES & CORE_KEYS, OLD_NAMES & CORE_KEYS


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The JSON of every core/film/stack command on small, fast inputs (a few seconds)."""
    tmp = tmp_path_factory.mktemp("glossary")
    cases = {
        "tc einstein": ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.12"],
        "tc element": ["tc", "--element", "Al"],
        "tc a2f": ["tc", "--a2f", str(AL_A2F), "--unit", "THz", "--column", "5",
                   "--mustar", "0.12"],
        "gap": ["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.12"],
        "gap msc": ["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.12",
                    "--real-axis", "msc"],
        "thermo": ["thermo", "--element", "Al", "--plot", str(tmp / "th.png")],
        "film": ["film", "--element", "Al", "--thickness", "0.3,0.5,1", "--threshold", "1.3",
                 "--out", str(tmp / "film.json")],
        "stack": ["stack", str(STACK)],
        "bilayer": ["bilayer", "--a", "Al:0.5", "--b", "Au:0.47"],
        "bilayer gamma": ["bilayer", "--a", "Al:0.5", "--b", "Zn:0.5", "--gamma", "5"],
        "map": ["map", "--a", "Al", "--b", "Zn", "--thickness-a", "0.4,0.8",
                "--thickness-b", "0.4,0.8", "--out", str(tmp / "map.json")],
        "elements": ["elements"],
        # the BKT keys (docs/glossary.md §2.10): each R_□ input form once, one thickness
        "tc bkt": ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.12",
                   "--sheet-resistance", "500"],
        "film bkt": ["film", "--element", "Al", "--thickness", "1", "--resistivity", "1",
                     "--no-peak", "--out", str(tmp / "film_bkt.nc")],
        "bilayer bkt": ["bilayer", "--a", "Al:0.5", "--b", "Zn:0.5", "--gamma", "5",
                        "--resistivity", "2,3"],
        # issues 11 and 12: bands, inverse problems, sweeps, multiband, μ* conventions
        "tc uncertainty": ["tc", "--element", "Sn", "--uncertainty", "--samples", "4",
                           "--threshold", "1"],
        "tc solve-for": ["tc", "--einstein", "10", "--lambda", "1",
                         "--solve-for", "mustar", "--target-tc", "7"],
        "gap sweep": ["gap", "--einstein", "10", "--lambda", "1", "--mustar", "0.12",
                      "--temperature", "1,3"],
        "multiband": ["multiband", str(ROOT / "examples" / "mgb2.toml"), "--temperature", "10"],
        "mustar": ["mustar", "--from", "isome", "--mustar", "0.12", "--element", "Al"],
        "validate": ["validate", "--quick", "--out", str(tmp / "validation")],
    }
    out = {name: run_json(args) for name, args in cases.items()}
    out["film --out"] = json.loads((tmp / "film.json").read_text())
    out["map --out"] = json.loads((tmp / "map.json").read_text())
    # the netCDF of a BKT film: its variable and attribute names are checked like JSON keys
    with xr.open_dataset(tmp / "film_bkt.nc", engine="scipy") as ds:
        names = set(ds.variables) | set(ds.attrs)
        for v in ds.variables.values():
            names |= set(v.attrs)
        out["film bkt --out .nc"] = {**{n: None for n in names},
                                     "tcpredict_version": ds.attrs["tcpredict_version"],
                                     "parameters": json.loads(ds.attrs["parameters"])}
    return out


def test_every_json_key_is_in_the_glossary(outputs):
    for name, d in outputs.items():
        keys = all_keys(d)
        # per-band values are objects keyed by the input file's band labels (glossary §9)
        missing = {k: p for k, p in keys.items() if k not in CORE_KEYS
                   and not re.search(r"\.(delta_iw0_meV|delta0_meV|two_delta0_over_kTc)\.", p)}
        assert not missing, f"{name}: keys not in docs/glossary.md: {missing}"


def test_every_json_object_carries_provenance(outputs):
    # the BKT inputs are parameters too: a film's R_□(L) model, a stack's per-layer resistivities
    p = outputs["film bkt"]["parameters"]
    assert p["sheet_resistance_model"]["model"] == "fuchs-sondheimer"
    assert p["vortex_dielectric"] == 1.0
    assert outputs["film bkt --out .nc"]["parameters"] == p
    assert outputs["bilayer bkt"]["parameters"]["resistivity_uohm_cm"] == [2.0, 3.0]
    for name, d in outputs.items():
        assert d["tcpredict_version"] == tcpredict.__version__, name
        assert isinstance(d["parameters"], dict) and d["parameters"], name
    # defaults are filled in: the cutoff and μ* reference actually used, not null
    p = outputs["tc einstein"]["parameters"]
    assert p["cutoff_meV"] == outputs["tc einstein"]["cutoff_meV"] and p["mustar_at_meV"] > 0
    assert outputs["gap"]["parameters"]["temperatures_K"] == [outputs["gap"]["temperature_K"]]
    assert outputs["film"]["parameters"]["thickness_nm"] == [0.3, 0.5, 1.0]
    assert outputs["map"]["parameters"]["thickness_a_nm"] == [0.4, 0.8]


def test_demo_bulk_rows_follow_the_glossary():
    from tcpredict.demo import bulk_summary

    rows = bulk_summary(("Al",))
    missing = set(all_keys(rows)) - CORE_KEYS
    assert not missing, missing


def test_table_columns_follow_the_glossary(tmp_path):
    import pandas as pd
    import xarray as xr

    from tcpredict.cli.materials import CSV_KEYS
    from tcpredict.films.film import BKT_ROW_KEYS, FRAME_KEYS, ROW_KEYS
    from tcpredict.stacks.maps import RESULT_COLUMNS

    for cols in (CSV_KEYS, FRAME_KEYS, ROW_KEYS, BKT_ROW_KEYS, RESULT_COLUMNS):
        assert not set(cols) - CORE_KEYS, set(cols) - CORE_KEYS
    for ext in ("csv", "parquet", "nc"):
        f = tmp_path / f"m.{ext}"
        res = runner.invoke(app, ["map", "--a", "Al", "--b", "Zn", "--thickness-a", "0.5",
                                  "--thickness-b", "0.5", "--out", str(f)])
        assert res.exit_code == 0, res.output
        if ext == "nc":
            with xr.open_dataset(f, engine="scipy") as ds:
                names = set(ds.variables) | set(ds.attrs)
                for v in ds.variables.values():
                    names |= set(v.attrs)
        else:
            df = pd.read_csv(f, comment="#") if ext == "csv" else pd.read_parquet(f)
            names = set(df.columns)
        assert not names - CORE_KEYS, (ext, names - CORE_KEYS)
    g = tmp_path / "f.nc"
    res = runner.invoke(app, ["film", "--element", "Al", "--thickness", "0.5,1", "--no-peak",
                              "--out", str(g)])
    assert res.exit_code == 0, res.output
    with xr.open_dataset(g, engine="scipy") as ds:
        names = set(ds.variables) | set(ds.attrs)
        for v in ds.variables.values():
            names |= set(v.attrs)
    assert not names - CORE_KEYS, names - CORE_KEYS


#: bfm keys renamed with their unit (docs/glossary.md §6); none may come back.
BFM_OLD_NAMES = {"g", "delta_b", "omega0", "mu", "mu_at_t_star", "mu_zero_T", "t_star", "tc",
                 "temperature", "gap_zero_T", "stiffness_zero_T", "ground_energy",
                 "excitation_gap", "lowest_energies", "ground_energy_change", "eps0", "eps_l",
                 "eps_m", "t_lm", "t_mm", "u_l", "csv"}


def test_bfm_glossary_has_only_unit_bearing_energies():
    assert not BFM_OLD_NAMES & BFM_KEYS, BFM_OLD_NAMES & BFM_KEYS


BFM_CASES = {
    "meanfield": ["bfm", "meanfield", "--g", "0.1", "--delta-b", "0", "--n-tot", "2"],
    "tc": ["bfm", "tc", "--g", "0.3", "--delta-b", "0", "--n-tot", "2", "--grid", "128"],
    "spectrum": ["bfm", "spectrum", "--g", "0.1", "--delta-b", "0", "--n-tot", "2",
                 "--temperature", "0.05", "--grid", "128"],
    "phase-diagram": ["bfm", "phase-diagram", "--g", "0.1,0.3", "--n-tot", "2",
                      "--grid", "128"],
    "site": ["bfm", "site", "--delta-b", "4", "--g", "0.5", "--alpha", "2", "--omega0", "1",
             "--mu", "0"],
    "cluster": ["bfm", "cluster", "--metal-sites", "2", "--alpha", "1.0"],
}


@pytest.mark.parametrize("name", list(BFM_CASES))
def test_bfm_keys_are_in_the_glossary(name):
    # the bfm keys are listed as they are (docs/glossary.md §6); a renamed bfm key must be
    # renamed there too
    keys = all_keys(run_json(BFM_CASES[name]))
    assert not BFM_OLD_NAMES & set(keys), BFM_OLD_NAMES & set(keys)
    missing = {k: p for k, p in keys.items() if k not in BFM_KEYS | CORE_KEYS}
    assert not missing, f"bfm {name}: keys not in docs/glossary.md §6: {missing}"
