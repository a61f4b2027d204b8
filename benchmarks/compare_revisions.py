"""Before/after benchmark of two revisions in one run (issue 9, item 4).

Checks out ``--base`` (default: 321c4dd, the last commit before the issue-9 layout) into a
temporary git worktree and runs, for the base and for the working tree, each revision's own
``bench_tc.py``, ``bench_film.py`` and ``bench_bilayer.py`` (each with that revision's ``src`` on
PYTHONPATH, BLAS pinned to one thread), interleaved base/current so that machine load affects
both alike; prints both outputs one after the other.

Run:  .venv/bin/python benchmarks/compare_revisions.py [--base REV] [--film-points N]
      [--bilayer-elements N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(tree: Path, script: str, args: list[str]) -> str:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run([sys.executable, str(tree / "benchmarks" / script), *args], env=env,
                         capture_output=True, text=True, cwd=tree)
    if out.returncode:
        return f"FAILED ({out.returncode}):\n{out.stderr[-2000:]}"
    return out.stdout.rstrip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="321c4dd")
    ap.add_argument("--film-points", type=int, default=200)
    ap.add_argument("--bilayer-elements", type=int, default=10)
    a = ap.parse_args()
    rev = subprocess.run(["git", "rev-parse", "--short", a.base], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    benches = [("bench_tc.py", []), ("bench_film.py", ["--points", str(a.film_points)]),
               ("bench_bilayer.py", ["--elements", str(a.bilayer_elements)])]
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(wt), rev], cwd=ROOT,
                       check=True)
        try:
            print(f"base {rev} vs working tree (HEAD {head}); python {sys.version.split()[0]}, "
                  f"{os.cpu_count()} CPUs, BLAS on 1 thread")
            for script, args in benches:
                for label, tree in ((f"base {rev}", wt), ("current", ROOT)):
                    print(f"\n=== {script} {' '.join(args)} — {label}")
                    print(run(tree, script, args), flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(wt)], cwd=ROOT)


if __name__ == "__main__":
    main()
