"""Lab 6: the distillation loss, and timing a model the way a benchmark should."""

from ._core import call, fail, passed


def reference_loss(student_logits, teacher_logits, labels, alpha, temperature):
    import torch.nn.functional as F

    hard = F.cross_entropy(student_logits, labels)
    soft = F.kl_div(F.log_softmax(student_logits / temperature, dim=-1),
                    F.softmax(teacher_logits / temperature, dim=-1), reduction="batchmean")
    return alpha * hard + (1 - alpha) * temperature ** 2 * soft


def _variants(s, t, y, alpha, T):
    """Losses that typical mistakes compute, with what to say."""
    import torch.nn.functional as F

    hard = F.cross_entropy(s, y)

    def kl(student, teacher, reduction="batchmean"):
        return F.kl_div(F.log_softmax(student, dim=-1), F.softmax(teacher, dim=-1), reduction=reduction)

    return [
        (alpha * hard + (1 - alpha) * kl(s / T, t / T),
         "the soft term is not multiplied by T\u00b2.",
         "with temperature T the soft term's gradients shrink by 1/T\u00b2; multiply it by T**2."),
        (alpha * hard + (1 - alpha) * T ** 2 * kl(s, t / T),
         "the temperature softens the teacher only.",
         "divide both the student's and the teacher's logits by T."),
        ((1 - alpha) * hard + alpha * T ** 2 * kl(s / T, t / T),
         "alpha weighs the wrong term.", "alpha multiplies the hard-label cross-entropy, 1 - alpha the soft term."),
        (alpha * hard + (1 - alpha) * T ** 2 * kl(t / T, s / T),
         "the two distributions are swapped in the KL divergence.",
         "F.kl_div(log-probabilities of the student, probabilities of the teacher)."),
        (alpha * hard + (1 - alpha) * T ** 2 * kl(s / T, t / T, reduction="mean"),
         "the KL divergence is averaged over classes too (reduction='mean').",
         "use reduction='batchmean': the mean over the batch of the sum over classes."),
        (alpha * hard + (1 - alpha) * T ** 2 * F.kl_div(F.softmax(s / T, dim=-1), F.softmax(t / T, dim=-1),
                                                          reduction="batchmean"),
         "F.kl_div got the student's probabilities, not its log-probabilities.",
         "pass F.log_softmax(student_logits / T, dim=-1) as the first argument."),
    ]


def distillation_loss(function):
    """function(student_logits, teacher_logits, labels, alpha, temperature) -> a scalar
    tensor: alpha x CE(student, labels) + (1 - alpha) x T^2 x KL(teacher_T || student_T)."""
    import torch

    g = torch.Generator().manual_seed(3)
    cases = [(8, 2, 0.5, 2.0), (16, 3, 0.3, 4.0), (5, 2, 0.9, 1.5)]
    for batch, classes, alpha, T in cases:
        s = (torch.randn(batch, classes, generator=g) * 2).requires_grad_()
        t = torch.randn(batch, classes, generator=g) * 3
        y = torch.randint(0, classes, (batch,), generator=g)
        got = call(function, s, t.clone(), y.clone(), alpha, T)
        if not isinstance(got, torch.Tensor) or got.numel() != 1:
            fail(function, f"it returned {type(got).__name__} {getattr(got, 'shape', '')}; expected a tensor "
                 "with one number.", "return the loss as a scalar tensor (no .item(): Trainer needs its gradient).")
        if not got.requires_grad:
            fail(function, "its loss has no gradient with respect to the student's logits.",
                 "compute it with torch operations on student_logits, without .item() or .detach().")
        expected = reference_loss(s, t, y, alpha, T)
        if torch.allclose(got.detach(), expected.detach(), atol=1e-5):
            continue
        for wrong, what, hint in _variants(s, t, y, alpha, T):
            if torch.allclose(got.detach(), wrong.detach(), atol=1e-5):
                fail(function, f"{what} (alpha={alpha}, T={T})", hint)
        fail(function, f"for alpha={alpha}, T={T} on hidden logits it gives {got.item():.4f}, "
             f"expected {expected.item():.4f}.",
             "alpha * F.cross_entropy(s, y) + (1 - alpha) * T**2 * F.kl_div(F.log_softmax(s / T, -1), "
             "F.softmax(t / T, -1), reduction='batchmean').")
    passed(function, f"equals the reference loss for {len(cases)} hidden batches (2 and 3 classes, T from 1.5 to 4).")


class _SlowStart:
    """A stand-in model call: the first calls are slow (a cold cache), then 5 ms each."""

    def __init__(self, cold_calls=2, cold=0.06, warm=0.005):
        self.calls, self.cold_calls, self.cold, self.warm = 0, cold_calls, cold, warm

    def __call__(self, *args, **kwargs):
        import time

        self.calls += 1
        time.sleep(self.cold if self.calls <= self.cold_calls else self.warm)


def latencies_ms(function):
    """function(predict, warmup, repeats) -> a list of `repeats` times in milliseconds,
    one per call of predict(), measured after `warmup` untimed calls."""
    import statistics

    predict = _SlowStart()
    got = call(function, predict, 2, 20)
    try:
        times = [float(t) for t in got]
    except (TypeError, ValueError):
        fail(function, f"it returned {got!r:.60}; expected a list of times.",
             "append one time per timed call to a list and return the list.")
    if predict.calls != 22:
        fail(function, f"predict was called {predict.calls} times for warmup=2, repeats=20; expected 22.",
             "call it warmup times without timing, then repeats times, timing each call.")
    if len(times) != 20:
        fail(function, f"it returned {len(times)} times for repeats=20.", "one time per timed call.")
    median = statistics.median(times)
    if median < 1:
        fail(function, f"the median time is {median:.4f}: seconds, not milliseconds.",
             "multiply the seconds of time.perf_counter() differences by 1000.")
    if len(set(times)) == 1:
        fail(function, "all times are equal: it timed the whole loop once and divided.",
             "time each call on its own, so the spread (p95) can be seen.")
    if max(times) > 45:
        fail(function, "the slowest time is a warm-up call: the warm-up was timed.",
             "make the warm-up calls before starting to time.")
    if not 4 <= median <= 40:
        fail(function, f"the median is {median:.1f} ms for a call that sleeps 5 ms.",
             "time.perf_counter() just before and just after each call of predict().")
    passed(function, "20 calls timed one by one, in milliseconds, after 2 untimed warm-up calls.")
