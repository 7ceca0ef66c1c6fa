"""Lab 6: the distillation loss, and timing a model the way a benchmark
should."""

from ._core import call, fail, kind, named_mistake, number, passed


def reference_loss(
    student_logits, teacher_logits, labels, alpha, temperature
):
    import torch.nn.functional as F

    hard = F.cross_entropy(student_logits, labels)
    soft = F.kl_div(
        F.log_softmax(student_logits / temperature, dim=-1),
        F.softmax(teacher_logits / temperature, dim=-1),
        reduction="batchmean",
    )
    return alpha * hard + (1 - alpha) * temperature**2 * soft


def _variants(s, t, y, alpha, T):
    """Losses that typical mistakes compute, with what to say."""
    import warnings

    import torch.nn.functional as F

    hard = F.cross_entropy(s, y)

    def kl(student, teacher, reduction="batchmean", log=True):
        student = (
            F.log_softmax(student, dim=-1)
            if log
            else F.softmax(student, dim=-1)
        )
        return F.kl_div(
            student, F.softmax(teacher, dim=-1), reduction=reduction
        )

    # kl_div warns about reduction="mean": the mistake we model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_class = kl(s / T, t / T, reduction="mean")
    scale = (
        "with temperature T the soft targets' gradients shrink by "
        "1/T\u00b2; how must the soft term grow?"
    )
    return [
        (
            alpha * hard + (1 - alpha) * kl(s / T, t / T),
            "the soft term is not multiplied by T\u00b2.",
            scale,
        ),
        (
            alpha * hard + (1 - alpha) * T * kl(s / T, t / T),
            "the soft term is multiplied by T, not T\u00b2.",
            scale,
        ),
        (
            alpha * hard + (1 - alpha) * T**2 * kl(s, t / T),
            "the temperature softens the teacher only.",
            "both distributions are softened by the same temperature.",
        ),
        (
            alpha * hard + (1 - alpha) * T**2 * kl(s / T, t),
            "the temperature softens the student only.",
            "both distributions are softened by the same temperature.",
        ),
        (
            (1 - alpha) * hard + alpha * T**2 * kl(s / T, t / T),
            "alpha weighs the wrong term.",
            (
                "alpha is the weight of the hard labels; the soft term "
                "gets what is left."
            ),
        ),
        (
            alpha * hard + (1 - alpha) * T**2 * kl(t / T, s / T),
            "the two distributions are swapped in the KL divergence.",
            (
                "F.kl_div(input, target) computes KL(target \u2016 "
                "input): which model is the target?"
            ),
        ),
        (
            alpha * hard + (1 - alpha) * T**2 * by_class,
            (
                "the KL divergence is averaged over the classes too "
                "(reduction='mean')."
            ),
            (
                "a KL divergence is a sum over classes; average it "
                "over the batch only."
            ),
        ),
        (
            alpha * hard
            + (1 - alpha) * T**2 * kl(s / T, t / T, reduction="sum"),
            (
                "the KL divergence is summed over the batch, so the "
                "loss grows with the batch size."
            ),
            (
                "a KL divergence is a sum over classes; average it "
                "over the batch only."
            ),
        ),
        (
            alpha * hard
            + (1 - alpha) * T**2 * kl(s / T, t / T, log=False),
            (
                "F.kl_div got the student's probabilities, not its "
                "log-probabilities."
            ),
            "read what F.kl_div expects as its first argument.",
        ),
        (
            alpha * F.cross_entropy(s / T, y)
            + (1 - alpha) * T**2 * kl(s / T, t / T),
            "the hard-label term uses the softened logits.",
            (
                "the temperature belongs to the soft term; the hard "
                "labels see the raw logits."
            ),
        ),
    ]


def _loss_cases():
    """(student, teacher, labels, alpha, T), smallest first. With 2
    classes and T = 2, "T instead of T\u00b2" and "averaged over
    classes" give the same value: the 3-class cases tell them apart. The
    last case's logits are extreme, as a confident model's are."""
    import torch

    g = torch.Generator().manual_seed(3)
    cases = [
        (
            torch.tensor([[2.0, -1.0], [0.5, 1.5], [-1.0, 0.0]]),
            torch.tensor([[3.0, -2.0], [1.0, 2.0], [2.0, 1.0]]),
            torch.tensor([0, 1, 1]),
            0.5,
            2.0,
        )
    ]
    for batch, classes, alpha, T in [
        (8, 3, 0.3, 4.0),
        (16, 3, 0.5, 2.0),
        (5, 2, 0.9, 1.5),
    ]:
        cases.append(
            (
                torch.randn(batch, classes, generator=g) * 2,
                torch.randn(batch, classes, generator=g) * 3,
                torch.randint(0, classes, (batch,), generator=g),
                alpha,
                T,
            )
        )
    cases.append(
        (
            torch.tensor([[250.0, -250.0, 0.0], [-220.0, 230.0, 10.0]]),
            torch.tensor([[3.0, -2.0, 1.0], [-1.0, 4.0, 0.5]]),
            torch.tensor([0, 2]),
            0.5,
            2.0,
        )
    )
    return cases


def _show(x):
    return str(x.tolist()).replace(".0,", ",").replace(".0]", "]")


def distillation_loss(function):
    """function(student_logits, teacher_logits, labels, alpha,
    temperature) -> a scalar tensor: alpha x CE(student, labels) + (1 -
    alpha) x T^2 x KL(teacher_T || student_T), with the same gradient
    with respect to the student's logits as that formula."""
    import torch
    import torch.nn.functional as F

    failures = []
    for s0, t, y, alpha, T in _loss_cases():
        s = s0.clone().requires_grad_()
        got = call(function, s, t.clone(), y.clone(), alpha, T)
        if not isinstance(got, torch.Tensor) or got.numel() != 1:
            fail(
                function,
                f"it returned {kind(got)}; expected a tensor with one "
                "number.",
                "return the loss as a scalar tensor: Trainer calls "
                ".backward() on it.",
            )
        if not got.requires_grad:
            fail(
                function,
                "its loss has no gradient with respect to the "
                "student's logits.",
                "keep every step a torch operation on student_logits "
                "(no .item(), .detach(), numpy or torch.no_grad()).",
            )
        expected = reference_loss(s, t, y, alpha, T)
        where = (
            f"for student logits {_show(s0)}, teacher logits "
            f"{_show(t)}, labels {y.tolist()}, alpha={alpha}, T={T}"
        )
        if not torch.isfinite(got).item():
            fail(
                function,
                f"{where} it gives {got.item()} (the right loss is "
                f"{expected.item():.2f}): a confident model's "
                "probabilities round to 0, and log(0) is -inf.",
                "torch can compute log-probabilities without forming "
                "the probabilities first.",
            )
        if not torch.allclose(
            got.detach(), expected.detach(), atol=1e-4, rtol=1e-5
        ):
            failures.append(
                (
                    got.detach(),
                    s,
                    t,
                    y,
                    alpha,
                    T,
                    where,
                    expected.detach(),
                )
            )
            continue
        (gradient,) = torch.autograd.grad(got, s, allow_unused=True)
        (right,) = torch.autograd.grad(expected, s)
        if gradient is None or not torch.allclose(
            gradient, right, atol=1e-5
        ):
            hard = torch.autograd.grad(
                alpha * F.cross_entropy(s, y), s
            )[0]
            if gradient is not None and torch.allclose(
                gradient, hard, atol=1e-5
            ):
                fail(
                    function,
                    "its value is right, but only the hard-label term "
                    "has a gradient: the soft term is computed "
                    "without one.",
                    "the student learns from the teacher only through "
                    "the soft term's gradient; look for "
                    "torch.no_grad(), .detach() or .item() on the "
                    "student's side.",
                )
            fail(
                function,
                "its value is right but its gradient with respect to "
                "the student's logits is not the loss's.",
                "compute the loss from student_logits with torch "
                "operations only.",
            )
    if not failures:
        passed(
            function,
            "value and gradient equal the reference on "
            f"{len(_loss_cases())} batches (2 and 3 classes, T from "
            "1.5 to 4, extreme logits).",
        )
        return

    def same(a, b):
        return torch.allclose(a, b.detach(), atol=1e-4, rtol=1e-5)

    for got, s, t, y, alpha, T, where, _ in failures:
        mistake = named_mistake(got, _variants(s, t, y, alpha, T), same)
        if mistake:
            fail(
                function,
                f"{mistake[1]} (alpha={alpha}, T={T})",
                mistake[2],
            )
    got, *_, where, expected = failures[0]
    fail(
        function,
        f"{where} it gives {got.item():.4f}; expected "
        f"{expected.item():.4f}.",
        "compute the hard and the soft term on this case separately "
        "and compare each with what the text says it should be.",
    )


class _Recorded:
    """A stand-in model call that records how long each call really
    took: the first calls are slow (a cold cache), the others take 4 to
    10 ms, not all the same, and each uses a little CPU time besides
    waiting (as a call waiting on a GPU or on memory does)."""

    def __init__(self, cold_calls=2, cold=0.06):
        self.durations, self.cold_calls, self.cold = (
            [],
            cold_calls,
            cold,
        )

    def __call__(self, *args, **kwargs):
        import time

        start = time.perf_counter()
        n = len(self.durations)
        time.sleep(
            self.cold
            if n < self.cold_calls
            else (4 + (3 * n) % 7) / 1000
        )
        cpu = time.process_time()
        while time.process_time() - cpu < 0.0003:  # 0.3 ms of CPU work
            pass
        self.durations.append((time.perf_counter() - start) * 1000)


def _close(got, true):
    """Most times bracket the true duration: a little more (the timer's
    own calls, another process taking the CPU), never less."""
    import statistics

    # slack in the units of what is compared (ms, s, sums)
    scale = statistics.median(true)
    slack_below, slack_above = (
        min(0.05, 0.01 * scale),
        min(2, 0.3 * scale),
    )
    near = [
        t - slack_below <= g <= t * 1.2 + slack_above
        for g, t in zip(got, true)
    ]
    return sum(near) >= 0.8 * len(near)


def _distance(got, true):
    """The typical gap between two lists of times (their median absolute
    difference)."""
    import statistics

    return statistics.median(abs(g - t) for g, t in zip(got, true))


def latencies_ms(function, warmup=2, repeats=20):
    """function(predict, warmup, repeats) -> a list of `repeats` times
    in milliseconds, one per call of predict(), measured after `warmup`
    untimed calls."""
    import itertools

    predict = _Recorded(cold_calls=warmup)
    got = call(function, predict, warmup, repeats)
    times = [number(t) for t in got] if _is_sequence(got) else None
    if times is None or None in times:
        fail(
            function,
            f"it returned {kind(got)}; expected a list of times "
            "(numbers).",
            "append one time per timed call to a list and return the "
            "list.",
        )
    calls = len(predict.durations)
    if calls != warmup + repeats:
        fail(
            function,
            f"predict was called {calls} times for warmup={warmup}, "
            f"repeats={repeats}; expected {warmup + repeats}.",
            "warm-up calls first, untimed, then the timed ones.",
        )
    if len(times) != repeats:
        fail(
            function,
            f"it returned {len(times)} times for repeats={repeats}.",
            "one time per timed call.",
        )
    timed, first = (
        predict.durations[warmup:],
        predict.durations[:repeats],
    )
    cumulative = list(itertools.accumulate(timed))
    mistakes = [
        (
            [t / 1000 for t in timed],
            "its times are in seconds, not milliseconds.",
            "time.perf_counter() counts seconds.",
        ),
        (
            cumulative,
            (
                "each time counts from the start of the first timed "
                "call: the timer is never reset."
            ),
            "each call needs its own start time.",
        ),
        (
            first,
            (
                "its first times are the warm-up's: the warm-up calls "
                "were timed."
            ),
            "the warm-up calls come before any timing.",
        ),
        (
            [sum(timed) / repeats] * repeats,
            (
                "all times are equal: it timed the whole loop once and "
                "divided."
            ),
            (
                "time each call on its own, so that the spread (p95) "
                "can be seen."
            ),
        ),
    ]
    if 0.01 * sum(timed) < sum(times) < 0.5 * sum(timed):
        fail(
            function,
            f"its times add up to {sum(times):.1f} ms, but the calls "
            f"took {sum(timed):.1f} ms: it measures CPU time, not the "
            "time that passed.",
            "a call that waits (for a GPU, for memory) uses little "
            "CPU time; latency is wall-clock time: which clock of the "
            "time module measures that?",
        )
    if all(float(t).is_integer() for t in times) and _close(
        [t + 1 for t in times], timed
    ):
        fail(
            function,
            "its times are whole milliseconds: a 5.7 ms call is "
            "reported as 5.",
            "keep the fractions: the differences that p50 and p95 show "
            "are often below 1 ms.",
        )
    # The nearest reading wins: on a loaded machine every call's time
    # stretches, and a tolerance alone can take a shifted or averaged
    # list for the right one.
    expected, what, hint = min(
        mistakes, key=lambda mistake: _distance(times, mistake[0])
    )
    if _distance(times, expected) < _distance(times, timed):
        fail(function, what, hint)
    if _close(times, timed):
        passed(
            function,
            f"{repeats} calls timed one by one, in milliseconds, after "
            f"{warmup} untimed warm-up calls.",
        )
        return
    fail(
        function,
        "for calls that took "
        f"{', '.join(f'{t:.1f}' for t in timed[:3])}, ... ms it "
        f"returned {', '.join(f'{t:.1f}' for t in times[:3])}, ... .",
        "start a clock just before each call of predict() and read it "
        "just after.",
    )


def _is_sequence(value):
    """A list, tuple or array (not a str or dict): something to read
    times from."""
    return hasattr(value, "__len__") and not isinstance(
        value, (str, bytes, dict)
    )


def _speed_cases():
    """(teacher times, student times, the answer every sound rule gives,
    what the case is). Run-to-run noise is a few percent; an outlier is
    a call hit by another process."""
    import numpy as np

    rng = np.random.default_rng(17)

    def times(median, spread, n=30):
        return list(
            np.round(median * (1 + spread * rng.standard_normal(n)), 3)
        )

    same = times(10, 0.1, 60)
    other_run = same[30:]
    # the fastest single call is the student's
    other_run[0] = round(min(same[:30]) * 0.9, 3)
    slowed_teacher = times(8, 0.02)
    slowed_teacher[4] = 400.0
    slowed_student = times(5, 0.02)
    slowed_student[7] = 400.0
    return [
        (
            times(10, 0.03),
            times(5, 0.03),
            True,
            "a student twice as fast",
        ),
        (same[:30], other_run, False, "two samples of the same model"),
        (
            times(10, 0.15),
            times(9.8, 0.15),
            False,
            "a 2 % difference with a 15 % spread",
        ),
        (times(6, 0.03), times(9, 0.03), False, "a slower student"),
        (
            slowed_teacher,
            times(8, 0.02),
            False,
            "equal models, one slow call of the teacher",
        ),
        (
            times(8, 0.02),
            slowed_student,
            True,
            "a faster student with one slow call",
        ),
    ]


def clearly_faster(function):
    """function(teacher_ms, student_ms) -> True when the student is
    faster than the teacher by more than the noise of the measurement,
    else False."""
    import numpy as np

    for teacher, student, expected, what in _speed_cases():
        got = call(function, list(teacher), list(student))
        if not isinstance(got, (bool, np.bool_)):
            fail(
                function,
                f"it returned {kind(got)}; expected True or False.",
                "return the verdict; print the numbers that led to it "
                "if you like.",
            )
        if bool(got) != expected:
            fail(
                function,
                f"for {what} (teacher's median {_median(teacher):.1f} "
                f"ms, student's {_median(student):.1f} ms) it says "
                f"{bool(got)}; expected {expected}.",
                _speed_hint(what),
            )
    passed(
        function,
        f"the right verdict on {len(_speed_cases())} pairs of "
        "measurements (outliers and noise included).",
    )


def _median(values):
    import statistics

    return statistics.median(values)


def _speed_hint(what):
    if "slow call" in what:
        return (
            "one call delayed by another process moves the mean and "
            "the maximum, not the median."
        )
    if "same model" in what or "spread" in what:
        return (
            "two runs of one model never give identical times: call it "
            "faster only when the difference is larger than the spread "
            "of the times (p95 - p50, or p50's run-to-run change)."
        )
    if "slower" in what or "twice" in what:
        return (
            "which argument is the student's? The teacher's times come "
            "first."
        )
    return (
        "compare typical times (medians), and compare their difference "
        "with the spread."
    )
