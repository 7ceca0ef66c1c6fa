"""Run each notebook in the profile its stored outputs were made with; leave the lab
templates to tests/test_labs.py.

This file sits at the root so that its hooks reach notebooks/ and labs/ (a conftest.py
applies only to the tests under its own folder).

`make execute PROFILE=...` records the profile in the notebook's metadata. nbval
starts a fresh kernel for each notebook, and the kernel inherits our environment, so
setting BERTCOURSE_PROFILE just before the notebook's first cell is enough: an
instructor who executed the course edition on a GPU gets the course profile here.
"""

import os
from pathlib import Path

import pytest

from bertcourse.notebooks import METADATA_KEY
from bertcourse.profiles import PROFILE_ENV, PROFILES


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    notebook = getattr(item.parent, "nb", None)
    if notebook is None:  # not an nbval cell
        return
    profile = notebook.metadata.get(METADATA_KEY, {}).get("profile")
    if profile not in PROFILES:
        pytest.fail(f"{item.parent.path} records no valid profile ({profile!r}): run `make execute`",
                    pytrace=False)
    os.environ[PROFILE_ENV] = profile


LABS = Path(__file__).resolve().parent / "labs"


def pytest_ignore_collect(collection_path, config):
    """The labs themselves are templates that stop at their first check by design: nbval
    leaves them out. Their solved copies in labs/solutions/ run under nbval like the
    chapters, and tests/test_labs.py proves that each template stops with the intended
    message."""
    path = Path(collection_path).resolve()
    if path.suffix == ".ipynb" and path.parent == LABS:
        return True
    return None
