"""The documentation is self-contained (issue 10 item 8).

Every reference ``docs/NAME.md §N`` in the package sources, the docs, the README and the examples
resolves to a file of the repository and a numbered section of it (a heading ``## §N …``);
nothing cites the development specs (``shared/physics``) or a page without its ``docs/`` path;
every docs page has numbered sections; no private paths; the README lists every page; the
Python example of docs/proximity.md runs.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
SOURCES = sorted(p for p in (ROOT / "src").rglob("*")
                 if p.is_file() and p.suffix in (".py", ".md", ".csv", ".toml", ".txt"))
PAGES = sorted(DOCS.glob("*.md"))
CITING = SOURCES + PAGES + [ROOT / "README.md"] + sorted((ROOT / "examples").glob("*"))

#: ``docs/NAME.md §A`` or ``docs/NAME.md §A–§B`` (also ``§§A–B``, ``§A-B``).
CITATION = re.compile(r"docs/(\w+)\.md,?\s?§§?(\d+(?:\.\d+)*)(?:\s?[–-]\s?§?(\d+(?:\.\d+)*))?")
#: A page cited without its docs/ path ("eliashberg.md §2.1", "spec §3.2") or a development spec.
BARE = re.compile(r"(?<![/\w`])`?\w+\.md`?,?\s?§|\bspec,? §")
SPEC = re.compile(r"shared/(physics|data)")
HEADING = re.compile(r"^#{2,4} §(\d+(?:\.\d+)*)\b", re.M)


def sections(page: Path) -> set[str]:
    return set(HEADING.findall(page.read_text(encoding="utf-8")))


SECTIONS = {p.stem: sections(p) for p in PAGES}


def _rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_has_numbered_sections(page):
    assert len(SECTIONS[page.stem]) >= 3, f"{page.name}: no '## §N' headings"


@pytest.mark.parametrize("path", CITING, ids=_rel)
def test_citations_resolve_to_a_file_and_section(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    bad = []
    for m in CITATION.finditer(text):
        name, first, last = m.group(1), m.group(2), m.group(3)
        if name not in SECTIONS:
            bad.append(f"{m.group(0)!r}: no file docs/{name}.md")
            continue
        for sec in (first, last):
            if sec is not None and sec not in SECTIONS[name]:
                bad.append(f"{m.group(0)!r}: docs/{name}.md has no section §{sec}")
    rest = CITATION.sub("", text)
    bad += [f"citation without the docs/ path near {rest[max(m.start() - 30, 0):m.end() + 5]!r}"
            for m in BARE.finditer(rest)]
    bad += [f"development spec cited: {m.group(0)!r}" for m in SPEC.finditer(text)]
    assert not bad, f"{_rel(path)}: " + "; ".join(bad)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_local_section_references_exist(page):
    # "§5.3" inside a page (outside a docs/NAME.md citation) means a section of that page
    text = CITATION.sub("", page.read_text(encoding="utf-8"))
    text = re.sub(r"\(\d{4}\),?\s?§\d+", "", text)  # a section of a cited paper: "(2020), §6"
    missing = sorted({s for s in re.findall(r"§(\d+(?:\.\d+)*)", text)}
                     - SECTIONS[page.stem])
    assert not missing, f"{page.name}: §{', §'.join(missing)} not found"


def test_no_private_paths_in_docs():
    for p in PAGES + [ROOT / "README.md"]:
        text = p.read_text(encoding="utf-8")
        assert not re.search(r"/work/|/home/|/Users/", text), p.name


def test_readme_lists_every_docs_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"docs/(\w+)\.md", readme)) - {"NAME"}
    assert listed == {p.stem for p in PAGES}, (listed, {p.stem for p in PAGES})


def test_the_sections_the_code_relies_on_exist():
    # the sections named by the issue-8 code and by the CLI help texts
    assert {"1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "3", "4"} \
        <= SECTIONS["eliashberg"]
    assert {"1", "2", "3", "4", "5", "6"} <= SECTIONS["proximity"]
    assert {"1", "2", "3", "4", "5", "5.1", "5.2", "5.3", "6"} <= SECTIONS["confinement"]
    text = (DOCS / "eliashberg.md").read_text(encoding="utf-8")
    cut = text[text.index("### §2.2"):text.index("### §2.3")]
    assert "12" in cut and "2 Ω_max" in cut and "10 Ω_max" in cut
    prox = (DOCS / "proximity.md").read_text(encoding="utf-8")
    assert "10⁶ ω_c" in prox[prox.index("## §3"):prox.index("## §4")]


def test_proximity_python_example_runs(capsys):
    text = (DOCS / "proximity.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text[text.index("## §8"):], re.S).group(1)
    exec(compile(block, "docs/proximity.md §8", "exec"), {})
    out = capsys.readouterr().out.split()
    assert out[0].startswith("0.0926") and out[1] == "cooper-limit"  # the values quoted there
