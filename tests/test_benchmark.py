"""The benchmark harness and the distillation helpers, on a tiny
random model."""

import numpy as np
import pandas as pd
import pytest
import torch
import transformers

from bertcourse import assets, benchmark, distillation
from bertcourse.errors import CourseError


@pytest.fixture(scope="module")
def tokenizer():
    return assets.trained_tokenizer("wordpiece")


@pytest.fixture(scope="module")
def classifier(tokenizer):
    torch.manual_seed(0)
    config = assets.tiny_config("bert", tokenizer)
    config.num_labels = 2
    return transformers.AutoModelForSequenceClassification.from_config(
        config
    ).eval()


def test_set_threads_is_used_by_torch_and_onnx_runtime(
    classifier, tmp_path
):
    assert (
        benchmark.set_threads(1) == 1 and torch.get_num_threads() == 1
    )
    session = benchmark.onnx_session(
        benchmark.export_onnx(classifier, tmp_path / "m.onnx")
    )
    assert session.get_session_options().intra_op_num_threads == 1
    assert (
        "1 threads for PyTorch and ONNX Runtime"
        in benchmark.where_measured()
    )
    with pytest.raises(CourseError):
        benchmark.set_threads(-1)


def test_latency_warms_up_then_reports_percentiles_and_throughput(
    monkeypatch,
):
    calls = []
    bench = benchmark.PerformanceBenchmark(
        "fake",
        lambda ids, mask: calls.append(ids.shape),
        vocab_size=100,
    )
    # perf_counter readings: the four timed calls take 1, 2, 3 and 10
    # seconds.
    clock = iter([0, 1, 1, 3, 3, 6, 6, 16])
    monkeypatch.setattr(
        benchmark.time, "perf_counter", lambda: next(clock)
    )
    row = bench.latency(batch_size=2, seq_len=5, repeats=4, warmup=3)
    assert len(calls) == 7 and calls[0] == (
        2,
        5,
    )  # 3 untimed warm-up calls, 4 timed
    assert row["p50 (ms)"] == 2500 and row["p95 (ms)"] == pytest.approx(
        1000 * (3 + 0.85 * 7)
    )
    assert row["throughput (seq/s)"] == pytest.approx(2 * 4 / 16)


def test_random_inputs_avoid_special_tokens_and_are_reproducible():
    ids, mask = benchmark.random_inputs(50, 3, 7, seed=1)
    assert (
        ids.shape == mask.shape == (3, 7)
        and ids.min() >= 5
        and ids.max() < 50
        and mask.all()
    )
    assert (benchmark.random_inputs(50, 3, 7, seed=1)[0] == ids).all()


def test_accuracy_counts_the_argmax_against_the_labels(tokenizer):
    # A fake engine that says "positive" exactly when the first token
    # after [CLS] is even.
    def forward(ids, mask):
        positive = (ids[:, 1] % 2 == 0).astype(float)
        return np.stack([1 - positive, positive], axis=1)

    texts = [
        "the film",
        "a dull plot",
        "great acting",
        "it is bad",
        "wonderful",
    ]
    first = [tokenizer(t)["input_ids"][1] for t in texts]
    labels = [int(f % 2 == 0) for f in first]
    bench = benchmark.PerformanceBenchmark(
        "fake", forward, vocab_size=len(tokenizer)
    )
    assert bench.accuracy(tokenizer, texts, labels, batch_size=2) == 1.0
    assert (
        bench.accuracy(
            tokenizer, texts, [1 - y for y in labels], batch_size=2
        )
        == 0.0
    )


def test_onnx_export_matches_pytorch_and_int8_variants_stay_close(
    classifier, tokenizer, tmp_path
):
    benchmark.set_threads(1)
    path = benchmark.export_onnx(classifier, tmp_path / "m.onnx")
    batch = tokenizer(
        ["a short one", "a much longer sentence with more words in it"],
        padding=True,
        return_tensors="np",
    )
    reference = benchmark.torch_forward(classifier)(
        batch["input_ids"], batch["attention_mask"]
    )
    onnx = benchmark.onnx_forward(benchmark.onnx_session(path))(
        batch["input_ids"], batch["attention_mask"]
    )
    assert (
        reference.shape == (2, 2)
        and np.abs(onnx - reference).max() < 1e-4
    )
    int8_path = benchmark.quantize_onnx(path, tmp_path / "m-int8.onnx")
    assert benchmark.size_mb(int8_path) < 0.6 * benchmark.size_mb(path)
    onnx_int8 = benchmark.onnx_forward(
        benchmark.onnx_session(int8_path)
    )(batch["input_ids"], batch["attention_mask"])
    torch_int8 = benchmark.torch_forward(
        benchmark.quantize_torch(classifier)
    )(batch["input_ids"], batch["attention_mask"])
    for quantised in (onnx_int8, torch_int8):
        assert (
            0 < np.abs(quantised - reference).max() < 0.05
        )  # rounded, but close
    assert isinstance(
        classifier.classifier, torch.nn.Linear
    )  # quantize_torch left the original alone


def test_size_on_disk(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"x" * 1_500_000)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.bin").write_bytes(b"x" * 500_000)
    assert (
        benchmark.size_mb(tmp_path / "a.bin") == 1.5
        and benchmark.size_mb(tmp_path) == 2.0
    )
    with pytest.raises(CourseError):
        benchmark.size_mb(tmp_path / "missing")


def test_memory_of_each_variant_is_measured_in_its_own_process(
    classifier, tmp_path
):
    benchmark.set_threads(1)
    onnx_path = benchmark.export_onnx(classifier, tmp_path / "m.onnx")
    c = classifier.config
    batch, seq = 16, c.max_position_embeddings
    variants = [
        benchmark.PerformanceBenchmark(
            "torch", benchmark.torch_forward(classifier), c.vocab_size
        ),
        benchmark.PerformanceBenchmark(
            "onnx",
            benchmark.onnx_forward(benchmark.onnx_session(onnx_path)),
            c.vocab_size,
            onnx_path,
        ),
    ]
    rows = benchmark.memory_in_fresh_processes(
        variants, batch, seq, repeats=1
    )
    # running holds at least one layer's feed-forward activations
    # (batch x seq x intermediate fp32)
    at_least = batch * seq * c.intermediate_size * 4 / 1e6
    for name in ("torch", "onnx"):
        row = rows[name]
        assert row["running added (MB)"] > at_least, (
            name,
            row,
            at_least,
        )
        assert row["peak memory (MB)"] == pytest.approx(
            row["before loading (MB)"]
            + row["loading added (MB)"]
            + row["running added (MB)"],
            abs=0.01,
        )
        assert row["loading added (MB)"] > 0
    # the PyTorch process holds torch; the ONNX Runtime process does not
    assert (
        rows["torch"]["before loading (MB)"]
        > rows["onnx"]["before loading (MB)"] + 50
    )
    in_memory_only = benchmark.PerformanceBenchmark(
        "lambda", lambda ids, mask: None, vocab_size=10
    )
    with pytest.raises(CourseError):
        benchmark.memory_in_fresh_processes([in_memory_only])


def test_interleaved_rounds_ratio_and_verdict():
    slow = benchmark.PerformanceBenchmark(
        "slow", lambda ids, mask: sum(range(200_000)), vocab_size=10
    )
    fast = benchmark.PerformanceBenchmark(
        "fast", lambda ids, mask: None, vocab_size=10
    )
    times = benchmark.interleaved_latency(
        [slow, fast], rounds=3, repeats=2, warmup=1
    )
    assert list(times.columns) == ["slow", "fast"] and len(times) == 3
    spread = benchmark.ratio_spread(times, "slow", "fast")
    assert (
        spread["low"] <= spread["ratio"] <= spread["high"]
        and spread["low"] > 1
    )
    made_up = pd.DataFrame({"a": [2.0, 2.2, 1.8], "b": [1.0, 1.0, 1.0]})
    assert benchmark.ratio_spread(made_up, "a", "b") == {
        "ratio": 2.0,
        "low": 1.8,
        "high": 2.2,
        "rounds": 3,
    }
    assert benchmark.verdict(1.6, 1.8, 1.5, 1.9) == "supported"
    assert benchmark.verdict(1.0, 1.2, 1.5, 1.9) == "contradicted"
    assert (
        benchmark.verdict(1.4, 1.8, 1.5, 1.9) == "not enough evidence"
    )
    assert benchmark.verdict(6.5, 7.0, 6) == "supported"


def test_flops_of_a_forward_pass_follow_the_matrix_products(classifier):
    c = classifier.config
    flops = benchmark.forward_flops(classifier, batch_size=1, seq_len=8)
    H, I, n, L = (
        c.hidden_size,
        c.intermediate_size,
        8,
        c.num_hidden_layers,
    )
    # chapter 3's count without the attention products (scaled
    # dot-product attention with a mask is not counted on the CPU), 2
    # FLOPs per multiply-add; + pooler + classifier on [CLS]
    per_layer = 2 * n * (4 * H * H + 2 * H * I)
    assert flops == L * per_layer + 2 * H * H + 2 * H * c.num_labels


def test_cpu_peak_estimate_from_flags(tmp_path):
    def cpuinfo(vendor, family, flags):
        path = tmp_path / f"{vendor}{family}"
        path.write_text(
            f"vendor_id\t: {vendor}\ncpu family\t: {family}\ncpu "
            f"MHz\t\t: 2000.0\nflags\t\t: {flags}\n"
        )
        return path

    intel = benchmark.cpu_peak_gflops(
        2, cpuinfo("GenuineIntel", 6, "fma avx2 avx512f avx512_vnni")
    )
    assert (
        intel["fp32 peak (GFLOP/s)"] == 2 * 2.0 * 16 * 2 * 2
        and intel["int8 peak (GOP/s)"] == 4 * 256
    )
    zen4 = benchmark.cpu_peak_gflops(
        2, cpuinfo("AuthenticAMD", 25, "fma avx2 avx512f avx512_vnni")
    )
    assert zen4["fp32 peak (GFLOP/s)"] == 128
    avx2 = benchmark.cpu_peak_gflops(
        1, cpuinfo("GenuineIntel", 6, "fma avx2")
    )
    assert (
        avx2["fp32 peak (GFLOP/s)"] == 64
        and avx2["int8 peak (GOP/s)"] == 128
    )
    no_clock = tmp_path / "no-clock"
    no_clock.write_text("flags\t\t: fma avx2\n")
    with pytest.raises(CourseError):
        benchmark.cpu_peak_gflops(1, no_clock)


def test_distillation_loss_mixes_hard_and_soft_terms():
    torch.manual_seed(0)
    student, teacher, labels = (
        torch.randn(4, 2),
        torch.randn(4, 2),
        torch.tensor([0, 1, 1, 0]),
    )
    ce = torch.nn.functional.cross_entropy(student, labels)
    assert torch.isclose(
        distillation.distillation_loss(
            student, teacher, labels, 1.0, 3.0
        ),
        ce,
    )
    # alpha = 0 and teacher == student: nothing left to learn
    assert (
        distillation.distillation_loss(
            student, student, labels, 0.0, 2.0
        ).abs()
        < 1e-6
    )
    soft_only = distillation.distillation_loss(
        student, teacher, labels, 0.0, 2.0
    )
    p, q = (
        torch.softmax(teacher / 2, -1),
        torch.softmax(student / 2, -1),
    )
    assert torch.isclose(
        soft_only, 4 * (p * (p / q).log()).sum(-1).mean(), atol=1e-6
    )


def test_alternate_layer_student_copies_layers_0_2_4(classifier):
    config = classifier.config
    config_six = type(config)(
        **{**config.to_dict(), "num_hidden_layers": 6}
    )
    teacher = type(classifier)(config_six).eval()
    student = distillation.alternate_layer_student(teacher, 3)
    assert (
        student.config.num_hidden_layers == 3
        and teacher.config.num_hidden_layers == 6
    )
    for i, k in enumerate((0, 2, 4)):
        assert torch.equal(
            student.bert.encoder.layer[i].output.dense.weight,
            teacher.bert.encoder.layer[k].output.dense.weight,
        )
    assert torch.equal(
        student.classifier.weight, teacher.classifier.weight
    )


def test_spread_layers_keeps_first_and_last_and_refuses_impossible_cuts():  # noqa: E501
    assert distillation.spread_layers(6, 2) == [0, 5]
    assert distillation.spread_layers(12, 3) == [0, 6, 11]
    assert distillation.spread_layers(6, 6) == list(range(6))
    with pytest.raises(CourseError):
        distillation.spread_layers(6, 7)


def test_layer_student_copies_the_chosen_layers(classifier):
    config = classifier.config
    teacher = type(classifier)(
        type(config)(**{**config.to_dict(), "num_hidden_layers": 6})
    ).eval()
    student = distillation.layer_student(teacher, [0, 5])
    assert student.config.num_hidden_layers == 2
    assert torch.equal(
        student.bert.encoder.layer[1].attention.self.query.weight,
        teacher.bert.encoder.layer[5].attention.self.query.weight,
    )
    with pytest.raises(CourseError):
        distillation.layer_student(teacher, [0, 6])


def test_hidden_state_loss_ignores_padding_and_is_zero_for_the_same_direction():  # noqa: E501
    torch.manual_seed(0)
    student, teacher = torch.randn(2, 3, 8), torch.randn(2, 3, 8)
    mask = torch.tensor([[1, 1, 0], [1, 0, 0]])
    # same direction at the real tokens, anything at the padding: no
    # loss
    same = 2 * teacher.clone()
    same[0, 2], same[1, 1:] = torch.randn(8), torch.randn(2, 8)
    assert (
        distillation.hidden_state_loss(same, teacher, mask).abs() < 1e-6
    )
    cosine = torch.nn.functional.cosine_similarity(
        student, teacher, dim=-1
    )[mask.bool()]
    assert torch.isclose(
        distillation.hidden_state_loss(student, teacher, mask),
        (1 - cosine).mean(),
    )


def test_hidden_state_trainer_adds_the_weighted_cosine_loss(
    classifier, tmp_path
):
    teacher = classifier
    student = distillation.layer_student(teacher, [0])
    batch = {
        "input_ids": torch.randint(5, 100, (2, 6)),
        "attention_mask": torch.ones(2, 6, dtype=torch.long),
        "labels": torch.tensor([0, 1]),
    }
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path), report_to="none", use_cpu=True
    )
    losses = {}
    for weight in (0.0, 2.0):
        trainer = distillation.HiddenStateDistillationTrainer(
            model=student.eval(),
            args=args,
            teacher=teacher,
            alpha=0.5,
            temperature=2.0,
            cosine_weight=weight,
        )
        losses[weight] = trainer.compute_loss(
            student, dict(batch)
        ).item()
    with torch.no_grad():
        s = student(
            input_ids=batch["input_ids"],
            attention_mask=batch["attention_mask"],
            output_hidden_states=True,
        )
        t = teacher(
            input_ids=batch["input_ids"],
            attention_mask=batch["attention_mask"],
            output_hidden_states=True,
        )
    expected_kd = distillation.distillation_loss(
        s.logits, t.logits, batch["labels"], 0.5, 2.0
    ).item()
    cos = distillation.hidden_state_loss(
        s.hidden_states[-1],
        t.hidden_states[-1],
        batch["attention_mask"],
    ).item()
    assert np.isclose(losses[0.0], expected_kd, rtol=1e-5)
    assert np.isclose(losses[2.0], expected_kd + 2 * cos, rtol=1e-5)
    with pytest.raises(CourseError):
        distillation.HiddenStateDistillationTrainer(
            model=student, args=args
        )
