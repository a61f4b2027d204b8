"""Tests for tcpredict.stacks.stackfile: the TOML format of the issue, strict line-numbered errors."""

import pytest

from tcpredict.stacks.proximity import Interface, Layer, Stack
from tcpredict.eliashberg.spectra import einstein
from tcpredict.stacks.stackfile import LAYER_KEYS, load_stack_file, parse_stack_text

ISSUE_EXAMPLE = """\
cutoff_meV = 250
[[layer]]
material = "Al"          # from the element data
thickness_nm = 0.5
confined = true
[[layer]]
einstein_meV = 10        # model layer
lambda = 1.0
mustar = 0.12
mustar_at_meV = 250
thickness_nm = 2.0
dos_per_spin = 1.0
confined = false
[[interface]]
gamma_meV = 1.0
"""

REFERENCE = """\
cutoff_meV = 250
[[layer]]
einstein_meV = 10
lambda = 1.0
mustar = 0.12
mustar_at_meV = 250
thickness_nm = 1.0
dos_per_spin = 1.0
[[layer]]
einstein_meV = 25
lambda = 0.45
mustar = 0.10
mustar_at_meV = 250
thickness_nm = 1.0
dos_per_spin = 1.0
[[interface]]
gamma_meV = 1.0
"""


def test_issue_example_parses():
    sf = parse_stack_text(ISSUE_EXAMPLE)
    st = sf.stack
    assert st.cutoff_meV == 250
    assert [la.material for la in st.layers][0] == "Al"
    assert st.layers[0].confined and not st.layers[1].confined
    assert st.interfaces[0].gamma_meV == 1.0


def test_reference_table_through_file():
    # proximity.md §3 reference: Γ = 1 meV → 7.302 K
    r = parse_stack_text(REFERENCE).stack.tc(layer_tc=False)
    assert r.tc_K == pytest.approx(7.302, rel=3e-3)


def test_file_equals_api(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(REFERENCE.replace("gamma_meV = 1.0", "cooper_limit = true"))
    a = load_stack_file(f).stack.tc(layer_tc=False).tc_K
    api = Stack([Layer(einstein(10, 1.0), 0.12, 250, 1.0, dos_per_spin=1.0),
                 Layer(einstein(25, 0.45), 0.10, 250, 1.0, dos_per_spin=1.0)],
                [Interface(cooper_limit=True)], 250).tc(layer_tc=False).tc_K
    assert a == api


def test_a2f_file_relative_path(tmp_path):
    import shutil

    import tcpredict
    from pathlib import Path
    src = Path(tcpredict.__file__).parent / "materials" / "data" / "Al_a2F_IsoME_EPW.dat"
    shutil.copy(src, tmp_path / "al.dat")
    (tmp_path / "s.toml").write_text(
        '[[layer]]\na2f_file = "al.dat"\nunit = "THz"\ncolumn = 5\nmustar = 0.12\n'
        'thickness_nm = 1\ndos_per_spin = 1\n')
    st = load_stack_file(tmp_path / "s.toml").stack
    assert st.layers[0].spectrum.lam == pytest.approx(0.418, rel=2e-3)  # eliashberg.md §4


def _line(text, exc):
    return str(exc.value).split("line ")[1].split(":")[0]


@pytest.mark.parametrize("mutate, line, words", [
    # unknown key → listed valid keys, line of the key
    (lambda t: t.replace("thickness_nm = 2.0", "thicknes_nm = 2.0"), "11", "unknown key"),
    # missing thickness → line of the [[layer]] header
    (lambda t: t.replace("thickness_nm = 0.5\n", ""), "2", "thickness_nm"),
    # contradictory: material + einstein
    (lambda t: t.replace('material = "Al"', 'material = "Al"\neinstein_meV = 3'), "4",
     "contradict"),
    # confined + dos_per_spin
    (lambda t: t.replace("confined = true", "confined = true\ndos_per_spin = 2"), "6",
     "contradicts confined"),
    # interface with both
    (lambda t: t + "cooper_limit = true\n", "16", "contradict"),
    # interface with neither
    (lambda t: t.replace("gamma_meV = 1.0", ""), "14", "missing"),
    # einstein without lambda
    (lambda t: t.replace("lambda = 1.0\n", ""), "6", "lambda"),
    # model layer without mustar
    (lambda t: t.replace("mustar = 0.12\n", ""), "6", "mustar"),
    # wrong type
    (lambda t: t.replace("thickness_nm = 0.5", 'thickness_nm = "thin"'), "4", "number"),
    # negative Γ
    (lambda t: t.replace("gamma_meV = 1.0", "gamma_meV = -1"), "15", "≥ 0"),
    # unknown element
    (lambda t: t.replace('"Al"', '"Xx"'), "3", "unknown element"),
    # rule on an unconfined layer
    (lambda t: t.replace("confined = false", 'confined = false\nlambda_rule = "constant"'),
     "14", "only applies"),
])
def test_line_numbered_errors(mutate, line, words):
    text = mutate(ISSUE_EXAMPLE)
    with pytest.raises(ValueError) as exc:
        parse_stack_text(text, "f.toml")
    assert str(exc.value).startswith("f.toml, line ")
    assert _line(text, exc) == line, str(exc.value)
    assert words in str(exc.value)


def test_unknown_key_lists_valid_keys():
    with pytest.raises(ValueError) as exc:
        parse_stack_text(ISSUE_EXAMPLE.replace("confined = false", "confind = false"), "f")
    for k in LAYER_KEYS:
        assert k in str(exc.value)


def test_interface_count_and_syntax():
    with pytest.raises(ValueError, match="need 1 \\[\\[interface\\]\\]"):
        parse_stack_text(ISSUE_EXAMPLE.replace("[[interface]]\ngamma_meV = 1.0\n", ""), "f")
    with pytest.raises(ValueError, match="TOML syntax error"):
        parse_stack_text("[[layer]\n", "f")
    with pytest.raises(ValueError, match="unknown key 'cutof_meV'"):
        parse_stack_text("cutof_meV = 3\n" + ISSUE_EXAMPLE[17:], "f")
    with pytest.raises(ValueError, match="no \\[\\[layer\\]\\]"):
        parse_stack_text("cutoff_meV = 3\n", "f")
    with pytest.raises(ValueError, match="not found"):
        load_stack_file("/nonexistent/x.toml")
