"""`make test-latest` builds its environment inside the repository: the
book must not read it as pages, git must not see it, and jupyter-book
must stay on its major version."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_the_latest_environment_is_outside_the_book_and_git():
    makefile = (ROOT / "Makefile").read_text()
    venv = re.search(
        r"^LATEST_VENV \?= (\S+)$", makefile, re.MULTILINE
    ).group(1)
    excluded = yaml.safe_load((ROOT / "_config.yml").read_text())[
        "exclude_patterns"
    ]
    assert any(
        Path(f"{venv}/x").match(pattern) for pattern in excluded
    ), excluded
    assert f"{venv}/" in (ROOT / ".gitignore").read_text().splitlines()


def test_jupyter_book_stays_below_2():
    makefile = (ROOT / "Makefile").read_text()
    packages = re.search(
        r"^LATEST_PACKAGES := (.*?)(?<!\\)$",
        makefile,
        re.MULTILINE | re.DOTALL,
    ).group(1)
    assert '"jupyter-book<2"' in packages
