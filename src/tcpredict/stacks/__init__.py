"""Proximity-coupled layers: bilayers, stacks, thickness maps and the screen (docs/proximity.md).

- :mod:`~tcpredict.stacks.proximity` — layers, interfaces, Stack.tc and Stack.gaps;
- :mod:`~tcpredict.stacks.stackfile` — the TOML stack file;
- :mod:`~tcpredict.stacks.maps` — Tc(d_A, d_B) of one pair and its optimum;
- :mod:`~tcpredict.stacks.screen` — every pair of elements, distributed with dask;
- :mod:`~tcpredict.stacks.report` — console report of a screen (rich).
"""

from tcpredict._lazy import lazy_exports

_EXPORTS = {
    "ScreenConfig": "maps",
    "TcMap": "maps",
    "tc_map": "maps",
    "screen_pair": "maps",
    "DEMO_ELEMENTS": "maps",
    "WEAK_TC_K": "maps",
    "RESULT_COLUMNS": "maps",
    "Layer": "proximity",
    "Interface": "proximity",
    "Stack": "proximity",
    "bilayer": "proximity",
    "KernelTable": "proximity",
    "CompressedStack": "proximity",
    "find_tc_warm": "proximity",
    "LayerReport": "proximity",
    "StackTcResult": "proximity",
    "StackGapResult": "proximity",
    "PARAMETRISATIONS": "proximity",
    "METHODS": "proximity",
    "DEFAULT_T_MIN_K": "proximity",
    "run_screen": "screen",
    "ScreenResult": "screen",
    "assemble": "screen",
    "StackFile": "stackfile",
    "load_stack_file": "stackfile",
    "parse_stack_text": "stackfile",
    "TOP_KEYS": "stackfile",
    "LAYER_KEYS": "stackfile",
    "INTERFACE_KEYS": "stackfile",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
