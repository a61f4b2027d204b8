"""CLI start-up benchmark (issue 9, item 3).

Wall time, minimum of 5 runs each, measured in this one run:

- ``tcpredict tc --einstein 10 --lambda 1 --mustar 0.1 --json`` against
  ``python -c "import numpy, scipy.sparse.linalg"`` (goal: ratio ≤ 2);
- ``tcpredict --version`` against ``python -c "import numpy"`` (goal: ratio ≤ 1.5).

Run with the project's venv: ``.venv/bin/python benchmarks/bench_startup.py``.
"""

import os
import subprocess
import sys
import time


def best_of(cmd, n=5):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    py = sys.executable
    tcp = [py, "-m", "tcpredict"]
    rows = [
        ("tc --json", tcp + ["tc", "--einstein", "10", "--lambda", "1", "--mustar", "0.1",
                             "--json"],
         "import numpy, scipy.sparse.linalg", [py, "-c", "import numpy, scipy.sparse.linalg"],
         2.0),
        ("--version", tcp + ["--version"], "import numpy", [py, "-c", "import numpy"], 1.5),
    ]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, OPENBLAS_NUM_THREADS=1; "
          "wall time, minimum of 5 runs")
    for name, cmd, rname, ref, goal in rows:
        t, r = best_of(cmd), best_of(ref)
        print(f"tcpredict {name:10s} {t:6.3f} s   python -c '{rname}' {r:6.3f} s   "
              f"ratio {t / r:5.2f} (goal ≤ {goal})")


if __name__ == "__main__":
    main()
