# tcpredict: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install clean bench validate

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or: make PYTHON=python3 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/tcpredict demo --out results/demo

test: $(STAMP)
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(PY) -m pytest -n 2 -q

# regenerate docs/validation.md and docs/figures/validation_*.png from the data files
validate: $(STAMP)
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(VENV)/bin/tcpredict validate --out docs

# Benchmarks need BLAS on one thread (small dense matrices; threaded BLAS only oversubscribes)
BENCH_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

bench: $(STAMP)
	@echo "== environment: $$(uname -srm), $$(nproc) CPUs, $$($(PY) --version), $(BENCH_ENV)"
	@$(PY) -c "import numpy, scipy, tcpredict; print('numpy', numpy.__version__, 'scipy', scipy.__version__, 'tcpredict', tcpredict.__version__)"
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BENCH_ENV) $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) results .pytest_cache
