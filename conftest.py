"""Run each notebook in the profile its stored outputs were made with;
leave the lab templates to tests/test_labs.py.

This file sits at the root so that its hooks reach notebooks/ and labs/
(a conftest.py applies only to the tests under its own folder).

`make execute PROFILE=...` records the profile in the notebook's
metadata. nbval starts a fresh kernel for each notebook, and the kernel
inherits our environment, so setting BERTCOURSE_PROFILE just before the
notebook's first cell is enough: an instructor who executed the course
edition on a GPU gets the course profile here.
"""

import os
from pathlib import Path

import pytest
from nbval import plugin as nbval_plugin

from bertcourse.notebooks import METADATA_KEY, same_but_last_digits
from bertcourse.profiles import PROFILE_ENV, PROFILES


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    notebook = getattr(item.parent, "nb", None)
    if notebook is None:  # not an nbval cell
        return
    profile = notebook.metadata.get(METADATA_KEY, {}).get("profile")
    if profile not in PROFILES:
        pytest.fail(
            f"{item.parent.path} records no valid profile "
            f"({profile!r}): run `make execute`",
            pytrace=False,
        )
    os.environ[PROFILE_ENV] = profile


LABS = Path(__file__).resolve().parent / "labs"


def pytest_ignore_collect(collection_path, config):
    """The labs themselves are templates that stop at their first check
    by design: nbval leaves them out. Their solved copies in
    labs/solutions/ run under nbval like the chapters, and
    tests/test_labs.py proves that each template stops with the intended
    message."""
    path = Path(collection_path).resolve()
    if path.suffix == ".ipynb" and path.parent == LABS:
        return True
    return None


# --------------------------------------------- another CPU's last digit
# The stored outputs were made on one CPU; another one (AVX-512 instead
# of AVX2, another vendor) sums floats in another order, and a printed
# value that sits on a rounding edge can come out one unit lower or
# higher in its last digit (0.039 for 0.040). Strict nbval would fail
# the notebook for that. So two outputs that differ only in decimals,
# each by at most one unit in its last printed digit, count as equal;
# any other difference (a word, a whole number, two units, a sign) still
# fails. This holds for printed text, a value's text and a DataFrame's
# HTML.
def _allow_last_digits(compare_outputs):
    def compare(self, test, ref, skip_compare=None):
        for out, stored in zip(test, ref):
            if out.get("output_type") != stored.get("output_type"):
                continue
            if out.get("output_type") == "stream" and out.get(
                "name"
            ) == stored.get("name"):
                pairs = [(out, stored, "text")]
            else:
                # a DataFrame shows the same numbers as text and as HTML
                mine, theirs = out.get("data", {}), stored.get("data")
                pairs = [
                    (mine, theirs, key)
                    for key in ("text/plain", "text/html")
                    if key in mine and key in (theirs or {})
                ]
            for mine, theirs, key in pairs:
                if same_but_last_digits(
                    self.sanitize(theirs[key]), self.sanitize(mine[key])
                ):
                    mine[key] = theirs[key]
        return compare_outputs(self, test, ref, skip_compare)

    return compare


nbval_plugin.IPyNbCell.compare_outputs = _allow_last_digits(
    nbval_plugin.IPyNbCell.compare_outputs
)
