"""Materials data: elemental metals and α²F files (docs/materials.md).

- :mod:`~tcpredict.materials.elements` — the element table (``data/elements.csv``) with sources;
- :mod:`~tcpredict.materials.loaders` — α²F readers (EPW, Quantum ESPRESSO, plain columns);
- ``data/`` — the shipped data files and their provenance (``data/README.md``).
"""

from tcpredict._lazy import lazy_exports

_EXPORTS = {
    "Element": "elements",
    "get_element": "elements",
    "list_elements": "elements",
    "load_elements": "elements",
    "ELEMENTS_FILE": "elements",
    "SpectrumFileError": "loaders",
    "SpectrumFileWarning": "loaders",
    "load_alpha2f": "loaders",
    "write_alpha2f": "loaders",
    "FORMATS": "loaders",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
