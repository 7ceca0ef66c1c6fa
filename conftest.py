"""Run each notebook in the profile its stored outputs were made with.

At the root, so that its hooks reach notebooks/ and labs/ too (a conftest.py applies
only to the folder it is in).

`make execute PROFILE=...` records the profile in the notebook's metadata. nbval
starts a fresh kernel for each notebook, and the kernel inherits our environment, so
setting BERTCOURSE_PROFILE just before the notebook's first cell is enough: an
instructor who executed the course edition on a GPU gets the course profile here.
"""

import os

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
