"""Shell completion (issue 10 item 5): the script is printed, and completion requests through
``_TCPREDICT_COMPLETE`` see every command (lazy loading loads them all) and their options."""

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _run(args, **env):
    e = {**os.environ, "PYTHONPATH": SRC, "SHELL": "/bin/bash", **env}
    return subprocess.run([sys.executable, "-m", "tcpredict", *args], capture_output=True,
                          text=True, env=e, timeout=120)


def test_show_completion_prints_the_script():
    # typer detects the shell from the parent process: run it from bash (CI may use plain sh)
    e = {**os.environ, "PYTHONPATH": SRC, "SHELL": "/bin/bash"}
    r = subprocess.run(["bash", "-c", f'"{sys.executable}" -m tcpredict --show-completion; exit $?'],
                       capture_output=True, text=True, env=e, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "_TCPREDICT_COMPLETE" in r.stdout and "complete" in r.stdout
    assert "Traceback" not in r.stderr


def test_completion_request_sees_every_command_and_option():
    r = _run([], _TCPREDICT_COMPLETE="complete_bash", COMP_WORDS="tcpredict ", COMP_CWORD="1")
    assert r.returncode == 0, r.stderr
    words = set(r.stdout.split())
    assert {"tc", "gap", "thermo", "film", "bilayer", "map", "screen", "bfm"} <= words
    # a command whose module is not the first loaded: its options complete too
    r = _run(["tc"], _TCPREDICT_COMPLETE="complete_bash", COMP_WORDS="tcpredict film --lambda-r",
             COMP_CWORD="2")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["--lambda-rule"]
