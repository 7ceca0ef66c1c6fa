"""Shared plumbing for the course "BERT and its successors".

Only what several notebooks would otherwise copy lives here: profile
resolution, device and precision choice, seeding, the registry of
checkpoints and datasets, the offline assets of the smoke profile, plot
style and timing. The teaching code stays in the notebooks.
"""

from .errors import CourseError
from .profiles import DEFAULT_PROFILE, PROFILES, resolve_profile
from .runtime import Run, setup

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "CourseError",
    "Run",
    "resolve_profile",
    "setup",
]

import warnings as _warnings

# tqdm warns once per kernel that ipywidgets is missing and falls back
# to text bars, which is what we want in papermill and nbval; the
# warning would only be noise.
_warnings.filterwarnings("ignore", message="IProgress not found")
