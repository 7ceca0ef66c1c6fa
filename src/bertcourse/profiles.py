"""Run profiles: how big a run is, and how the profile of a run is
chosen."""

import os
import sys

from .errors import CourseError

PROFILES = {
    "smoke": (
        "CPU, offline, about a minute a notebook: a small pretrained "
        "BERT, tiny random models and the course's own mini datasets. "
        "Proves the code runs; its numbers are not results on the "
        "real datasets."
    ),
    "course": (
        "one GPU with internet (a Colab T4): the real checkpoints and "
        "datasets, with the training sets subsampled (see the "
        "registry)."
    ),
    "full": (
        "one GPU with internet: the whole datasets and the papers' "
        "settings."
    ),
}
DEFAULT_PROFILE = "smoke"
PROFILE_ENV = "BERTCOURSE_PROFILE"


def in_colab():
    return "google.colab" in sys.modules


def choose_profile(profile=None, *, colab=None, gpu=None):
    """(profile, why it was chosen): the `profile` parameter if set,
    else the BERTCOURSE_PROFILE environment variable, else `course` in
    Colab with a GPU (what a Colab learner came for) and `smoke`
    everywhere else (runs anywhere, offline)."""
    if profile:
        chosen, why = profile, "the parameters cell"
    elif os.environ.get(PROFILE_ENV):
        chosen, why = (
            os.environ[PROFILE_ENV],
            f"the {PROFILE_ENV} variable",
        )
    else:
        colab = in_colab() if colab is None else colab
        if colab and gpu is None:
            import torch

            gpu = torch.cuda.is_available()
        if colab and gpu:
            chosen, why = "course", "the default in Colab with a GPU"
        elif colab:
            chosen, why = (
                DEFAULT_PROFILE,
                "the default in Colab without a GPU",
            )
        else:
            chosen, why = DEFAULT_PROFILE, "the default"
    name = str(chosen).strip().lower()
    if name not in PROFILES:
        valid = "\n".join(
            f"  {key}: {text}" for key, text in PROFILES.items()
        )
        raise CourseError(
            f"Unknown profile {chosen!r} (from {why}). Valid "
            f"profiles:\n{valid}"
        )
    return name, why


def resolve_profile(profile=None):
    """The profile to run (see `choose_profile`)."""
    return choose_profile(profile)[0]
