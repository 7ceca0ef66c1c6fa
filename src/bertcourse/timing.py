"""Wall-clock timing for benchmarks: warm up, repeat, report the
median."""

import statistics
import time


def median_seconds(fn, repeats=5, warmup=1):
    """Median wall time of fn() over `repeats` calls, after `warmup`
    untimed calls.

    The median, not the mean, because one slow call (a page fault,
    another process) should not move the figure.
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forward_latency(
    model, batch_size=1, seq_len=128, repeats=5, warmup=2, seed=0
):
    """Median seconds of one forward pass on random token ids (the
    values do not change the amount of work, so random ids and random
    weights time like real ones)."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    vocab = model.config.vocab_size
    device = next(model.parameters()).device
    input_ids = torch.randint(
        5, vocab, (batch_size, seq_len), generator=generator
    ).to(device)
    attention_mask = torch.ones_like(input_ids)
    model.eval()

    def forward():
        model(input_ids=input_ids, attention_mask=attention_mask)
        if device.type == "cuda":
            # GPU calls return before the work is done
            torch.cuda.synchronize()

    with torch.inference_mode():
        return median_seconds(forward, repeats=repeats, warmup=warmup)


def machine_info():
    """One line naming the hardware and versions, to print beside every
    timing."""
    import platform

    import torch
    import transformers

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                line.split(":", 1)[1].strip()
                for line in info
                if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    device = (
        torch.cuda.get_device_name(0)
        if torch.cuda.is_available()
        else "no GPU"
    )
    return (
        f"{cpu}, {torch.get_num_threads()} threads, {device}; python "
        f"{platform.python_version()}, torch {torch.__version__}, "
        f"transformers {transformers.__version__}"
    )
