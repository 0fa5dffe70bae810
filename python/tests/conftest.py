"""Shared fixtures: the built command-line tool (for the parity tests) and a scratch folder."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli():
    """Runs the built `momentum` (MOMENTUM_CLI, else build/momentum) with --json; returns
    (exit status, parsed JSON)."""
    path = os.environ.get("MOMENTUM_CLI", str(ROOT / "build" / "momentum"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"the command-line tool {path} is not built (set MOMENTUM_CLI)")

    def run(*args):
        p = subprocess.run([path, *map(str, args), "--json"], capture_output=True, text=True,
                           check=False)
        return p.returncode, json.loads(p.stdout)

    return run
