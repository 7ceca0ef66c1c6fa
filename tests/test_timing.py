"""Timing and plot style helpers."""

import torch
import transformers

from bertcourse import assets, plotting, timing


def test_median_seconds_warms_up_then_takes_the_median(monkeypatch):
    calls = []
    # perf_counter readings: each timed call takes 1, 9 (an outlier) and
    # 2 seconds.
    clock = iter([0, 1, 10, 19, 20, 22])
    monkeypatch.setattr(
        timing.time, "perf_counter", lambda: next(clock)
    )
    assert (
        timing.median_seconds(
            lambda: calls.append(1), repeats=3, warmup=2
        )
        == 2
    )
    assert len(calls) == 5  # two untimed warm-up calls, three timed


def test_forward_latency_times_a_real_forward_pass():
    tokenizer = assets.trained_tokenizer("wordpiece")
    model = transformers.AutoModel.from_config(
        assets.tiny_config("bert", tokenizer)
    )
    seen = []
    model.register_forward_hook(
        lambda module, args, output: seen.append(
            output.last_hidden_state.shape
        )
    )
    seconds = timing.forward_latency(
        model, batch_size=2, seq_len=16, repeats=2, warmup=1
    )
    assert seconds > 0 and seen == [torch.Size([2, 16, 64])] * 3
    assert not model.training  # timed in eval mode: no dropout


def test_machine_info_names_the_versions():
    info = timing.machine_info()
    assert (
        f"torch {torch.__version__}" in info
        and f"transformers {transformers.__version__}" in info
    )
    assert "threads" in info


def test_course_style_and_one_colour_per_model():
    import matplotlib

    plotting.use_course_style()
    assert matplotlib.rcParams["axes.grid"] is True
    assert set(plotting.MODEL_COLORS) == {
        "bert",
        "roberta",
        "albert",
        "distilbert",
    }
    assert len(set(plotting.MODEL_COLORS.values())) == 4
