"""Run profiles: how big a run is, and how the profile of a run is chosen."""

import os

from .errors import CourseError

PROFILES = {
    "smoke": "CPU, offline, about a minute a notebook: a small pretrained BERT, tiny "
             "random models and the course's own mini datasets. Proves the code runs; its "
             "numbers are not results on the real datasets.",
    "course": "one GPU with internet (a Colab T4 is enough): the real checkpoints and "
              "datasets, subsets sized for about 20 minutes a notebook.",
    "full": "one GPU with internet: the whole datasets and the papers' settings.",
}
DEFAULT_PROFILE = "smoke"
PROFILE_ENV = "BERTCOURSE_PROFILE"


def resolve_profile(profile=None):
    """The profile to run: the notebook's `profile` parameter if set, else the
    BERTCOURSE_PROFILE environment variable, else "smoke" (runs anywhere, offline)."""
    chosen = profile or os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE
    name = str(chosen).strip().lower()
    if name not in PROFILES:
        source = "profile parameter" if profile else f"{PROFILE_ENV} environment variable"
        valid = "\n".join(f"  {key}: {text}" for key, text in PROFILES.items())
        raise CourseError(
            f"Unknown profile {chosen!r} (from the {source}). Valid profiles:\n{valid}"
        )
    return name
