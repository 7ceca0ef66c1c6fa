"""The course profile on paper (bertcourse.gpu_budget): one row checked
by hand, the 20-minute rule on a Colab T4, and the instructor page's
copy of the table."""

import re
from pathlib import Path

import pytest

from bertcourse import gpu_budget, registry
from bertcourse.gpu_budget import GPUS, Work, course_work, flops, shape

ROOT = Path(__file__).resolve().parents[1]


def test_weights_per_token_leave_out_lookup_tables_and_repeat_albert_s_layer():  # noqa: E501
    # BERT-base: 12 layers of 4 x 768^2 + 2 x 768 x 3072 weights, plus
    # biases and layer norms
    weights, layers, width = shape("bert-base")
    assert (layers, width) == (12, 768)
    per_layer = (
        4 * 768 * 768
        + 4 * 768
        + 2 * 768 * 3072
        + 3072
        + 768
        + 2 * 2 * 768
    )
    # + the embeddings' layer norm
    assert weights == 12 * per_layer + 2 * 768
    # ALBERT has 12M parameters but multiplies as many weights per token
    # as BERT
    albert = shape("albert-base-v2")[0]
    assert albert == pytest.approx(weights, rel=0.01)
    assert shape("distilbert-base")[0] == pytest.approx(
        weights / 2, rel=0.01
    )


def test_one_row_by_hand_chapter_6_training():
    # RoBERTa on 20,000 SST-2 sentences x 2 epochs x 64 positions,
    # training: 6 x N per token, plus 3 x 4 x n x d x L for attention
    n_weights = shape("roberta-base")[0]
    tokens = 20_000 * 2 * 64
    by_hand = tokens * (6 * n_weights + 3 * 4 * 64 * 768 * 12)
    train = course_work()["notebooks/06_sentiment_sst2_roberta"][0]
    assert (train.examples, train.passes, train.tokens) == (
        20_000,
        2,
        64,
    )
    assert train.flops == pytest.approx(by_hand)
    # 2.56 M tokens x 517.7 M operations each = 1.32e15: 102 s on a T4
    # at 20 % of 65 TFLOP/s
    assert by_hand == pytest.approx(1.325e15, rel=0.01)
    assert gpu_budget.seconds([train], "Colab T4") == pytest.approx(
        102, abs=1
    )
    assert gpu_budget.seconds([train], "Colab T4") == pytest.approx(
        by_hand / (65e12 * 0.20)
    )


def test_inference_costs_a_third_of_training():
    inference = flops("bert-base", 10, 128, training=False)
    assert flops("bert-base", 10, 128, training=True) == 3 * inference


def test_the_cpu_rate_reproduces_its_measurement():
    ref = gpu_budget.CPU_REFERENCE
    work = Work(
        "reference",
        ref["architecture"],
        ref["batch"],
        1,
        ref["tokens"],
        False,
        "cpu",
    )
    assert gpu_budget.seconds([work], "Colab T4") == pytest.approx(
        ref["seconds"]
    )


def test_every_notebook_fits_twenty_minutes_on_a_t4():
    for row in gpu_budget.table():
        minutes = row["minutes"]["Colab T4"]
        assert row["fits"], (
            f"{row['notebook']}: {minutes:.1f} min on paper, over the "
            "T4 budget"
        )
        assert minutes * 60 <= gpu_budget.BUDGET_S


def test_the_rule_would_catch_a_notebook_that_does_not_fit(monkeypatch):
    # the grid before this check
    thirty = {**registry.BENCHMARK["course"], "repeats": 30}
    monkeypatch.setitem(registry.BENCHMARK, "course", thirty)
    row = next(
        r
        for r in gpu_budget.table()
        if r["notebook"] == "notebooks/10_benchmarking"
    )
    assert not row["fits"]


def test_every_executed_notebook_is_counted_or_called_negligible():
    from bertcourse.notebooks import (
        NOTEBOOK_FOLDERS,
        is_lab_template,
        notebook_sources,
    )

    sources = notebook_sources([ROOT / f for f in NOTEBOOK_FOLDERS])
    names = {
        md.with_suffix("").as_posix()
        for md in sources
        if not is_lab_template(md)
    }
    names = {str(Path(n).relative_to(ROOT)) for n in names}
    listed = set(course_work()) | set(gpu_budget.NEGLIGIBLE)
    assert names == listed


def test_the_gpus_are_the_guide_s_peaks():
    peaks = {gpu: spec["peak"] / 1e12 for gpu, spec in GPUS.items()}
    assert peaks == {"Colab T4": 65, "A100": 312, "H100 SXM": 989}


def test_the_instructor_page_shows_the_current_tables():
    page = (ROOT / "book" / "instructors.md").read_text()
    for marker, block in gpu_budget.instructor_blocks().items():
        found = re.search(
            rf"<!-- {marker} -->\n(.*?)<!-- /{marker} -->",
            page,
            re.DOTALL,
        )
        assert found, (
            f"book/instructors.md lost its <!-- {marker} --> block"
        )
        assert found.group(1) == block, (
            f"book/instructors.md's {marker} block is stale: "
            "run `python -m bertcourse.gpu_budget --write`"
        )


def test_chapter_10_s_target_rounds_are_counted_as_it_runs_them():
    source = (ROOT / "notebooks" / "10_benchmarking.md").read_text()
    found = re.findall(
        r'calls = (\d+) \* grid\["round_repeats"\]', source
    )
    assert found == [str(gpu_budget.TARGET_CALLS_PER_REPEAT)], (
        "chapter 10's target rounds changed: update "
        "gpu_budget.TARGET_CALLS_PER_REPEAT and run "
        "`python -m bertcourse.gpu_budget --write`"
    )
