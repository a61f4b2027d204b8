"""Validation against measurements: bulk ratios, film Tc(L), bilayer proximity Tc
(docs/validation.md).

- :mod:`~tcpredict.validation.datasets` — the measured data and their provenance (``data/*.csv``);
- :mod:`~tcpredict.validation.bulk`, :mod:`~tcpredict.validation.films`,
  :mod:`~tcpredict.validation.bilayers` — pure comparison functions returning rows;
- :mod:`~tcpredict.validation.report` — ``tcpredict validate``: the report and its figures.
"""

__all__ = ["datasets", "bulk", "films", "bilayers", "report"]
