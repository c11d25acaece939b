import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(autouse=True, scope="session")
def _converter_cache(tmp_path_factory):
    """The commands' rerun records go to a folder of the test session's, not the user's cache."""
    from episodekit.batch import CACHE_ENV

    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("converter-cache"))


def run_cli(program: str, *args, cwd=None, env=None, timeout=900) -> subprocess.CompletedProcess:
    """Run ``python -m program args`` the way a user runs the command."""
    full_env = {k: v for k, v in os.environ.items() if k != "CONVERTER_TRACEBACK"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", program, *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, env=full_env, timeout=timeout,
    )


@pytest.fixture
def cli():
    return run_cli
