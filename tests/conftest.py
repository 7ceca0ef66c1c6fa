"""The built book, shared by the tests that read it (built once per test
session)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def book_html():
    """Build the whole book as `make book` does (-W: a warning fails the
    build)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    # no stale page from an older build is checked
    shutil.rmtree(HTML, ignore_errors=True)
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            "--all",
            str(ROOT),
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, (
        "the book does not "
        f"build:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return HTML
