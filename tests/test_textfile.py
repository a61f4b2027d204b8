"""Text inputs: the shared TOML line locator and error convention (tcpredict.textfile)."""

from tcpredict.textfile import TomlLines, located_error

TEXT = """cutoff_meV = 300
'mustar' = 0.1

[[layer]]
material = "Al"
thickness_nm = 0.5

[[interface]]
gamma_meV = 2.0

[[layer]]
material = "Au"
"""


def test_toml_lines_finds_keys_and_tables():
    ln = TomlLines(TEXT)
    assert ln.top("cutoff_meV") == 1 and ln.top("mustar") == 2  # quoted keys too
    assert ln.top("material") == 0  # not a top-level key
    assert ln.table("layer", 0) == 4 and ln.table("layer", 1) == 11
    assert ln.table("interface", 0) == 8 and ln.table("layer", 5) == 0
    assert ln.key("layer", 0, "thickness_nm") == 6
    assert ln.key("layer", 1, "material") == 12
    assert ln.key("layer", 1, "thickness_nm") == 11  # absent: the table's header
    assert ln.key(None, 0, "absent") == 1


def test_located_error_names_file_and_line():
    assert str(located_error("s.toml", 6, "bad")) == "s.toml, line 6: bad"
    assert str(located_error("s.toml", 0, "bad")) == "s.toml: bad"
