"""A benchmark harness that says where it ran.

Chapter 10 grows `PerformanceBenchmark` method by method, explaining
each measurement; this is the final version, which the concept chapters
(3 to 5) use too. Every variant of a model (PyTorch eager, int8, ONNX
Runtime, another precision) is wrapped in one `forward(input_ids,
attention_mask) -> logits` function on NumPy arrays, so the same
measurements run on every engine.
"""

import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import CourseError

THREADS = None  # set once by set_threads, used by every engine


# -------------------------------------------------- engines and threads


def set_threads(threads=None):
    """Use the same number of threads in PyTorch and ONNX Runtime
    (default: the cores this process may run on). Call it once, before
    timing anything."""
    import torch

    global THREADS
    threads = int(threads or len(os.sched_getaffinity(0)))
    if threads < 1:
        raise CourseError(f"threads must be at least 1; got {threads}.")
    torch.set_num_threads(threads)
    THREADS = threads
    return threads


def threads_in_use():
    import torch

    return THREADS or torch.get_num_threads()


def torch_forward(model):
    """forward(input_ids, attention_mask) -> logits (NumPy) of a PyTorch
    model, in eval mode on its own device; a sequence classifier gives
    its logits, an encoder its last hidden states."""
    import torch

    model.eval()
    device = next(model.parameters()).device

    def forward(input_ids, attention_mask):
        with torch.inference_mode():
            out = model(
                input_ids=torch.as_tensor(input_ids, device=device),
                attention_mask=torch.as_tensor(
                    attention_mask, device=device
                ),
            )
            result = (
                out.logits
                if hasattr(out, "logits")
                else out.last_hidden_state
            )
            return (
                result.float().cpu().numpy()
            )  # .cpu() waits for the GPU to finish

    forward.device = device.type
    # for measurements that load the variant in another process
    forward.model = model
    return forward


def onnx_session(path, threads=None):
    """An ONNX Runtime session on the CPU with the course's thread
    setting."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or threads_in_use()
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # errors only
    # Between calls, an idle session's threads spin by default, waiting
    # for the next call: while another model runs (the interleaved
    # rounds), they take its cores, and its time doubled in some rounds
    # on two cores. Sleeping threads cost a wake-up per call instead.
    options.add_session_config_entry(
        "session.intra_op.allow_spinning", "0"
    )
    return ort.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"]
    )


def onnx_forward(session):
    """forward(input_ids, attention_mask) -> first output of an ONNX
    Runtime session."""
    names = {i.name for i in session.get_inputs()}

    def forward(input_ids, attention_mask):
        feed = {
            "input_ids": np.asarray(input_ids, dtype=np.int64),
            "attention_mask": np.asarray(
                attention_mask, dtype=np.int64
            ),
        }
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
        return session.run(
            None, {k: v for k, v in feed.items() if k in names}
        )[0]

    forward.device = "cpu"
    return forward


def export_onnx(model, path, opset=17):
    """Export a PyTorch model with the TorchScript-based exporter
    (dynamo=False), with batch and sequence as dynamic axes: the dynamo
    exporter needs onnxscript, which the course does not install."""
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model.eval().cpu()
    ids = torch.ones((2, 16), dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    names = ["input_ids", "attention_mask"]
    # ONNX has no operator for PyTorch's fused attention (transformers'
    # default, "sdpa"): traced, it becomes a longer chain of operations,
    # which ONNX Runtime ran slower, and more unevenly across rounds, on
    # the course's CPU than the plain products and softmax of "eager".
    # Both compute the same numbers, up to rounding.
    attention = model.config._attn_implementation
    model.set_attn_implementation("eager")
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            # tracer warnings about Python control flow
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model,
                (),
                str(path),
                kwargs={
                    "input_ids": ids,
                    "attention_mask": torch.ones_like(ids),
                },
                input_names=names,
                output_names=["output"],
                dynamic_axes={name: axes for name in names}
                | {"output": {0: "batch"}},
                opset_version=opset,
                dynamo=False,
            )
    finally:
        model.set_attn_implementation(attention)
    return path


def quantize_torch(model):
    """int8 dynamic quantisation of every Linear layer (weights int8,
    activations quantised on the fly), with torch.ao while PyTorch still
    ships it."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # torch.ao.quantization is deprecated in favour of torchao
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(
            model.eval().cpu(), {torch.nn.Linear}, dtype=torch.qint8
        )


def quantize_onnx(source, target):
    """int8 dynamic quantisation of an ONNX model with ONNX Runtime's
    tools."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level, root.level = (
        root.level,
        logging.ERROR,
    )  # its advice to pre-process goes to the root logger
    try:
        quantize_dynamic(
            str(source), str(target), weight_type=QuantType.QInt8
        )
    finally:
        root.setLevel(level)
    return Path(target)


def size_mb(path):
    """Size on disk of a file, or of every file under a folder, in MB
    (10^6 bytes)."""
    path = Path(path)
    files = (
        [path]
        if path.is_file()
        else [p for p in path.rglob("*") if p.is_file()]
    )
    if not files:
        raise CourseError(f"Nothing on disk at {path}.")
    return sum(p.stat().st_size for p in files) / 1e6


def random_inputs(vocab_size, batch_size, seq_len, seed=0):
    """Random token ids (no special tokens) and a full attention mask:
    the values do not change the amount of work, so they time like real
    text."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(
        min(5, vocab_size - 1),
        vocab_size,
        size=(batch_size, seq_len),
        dtype=np.int64,
    )
    return ids, np.ones_like(ids)


# ---------------------------------------------------------- the harness


@dataclass
class PerformanceBenchmark:
    """Measures one variant of a model. `forward` is the variant's
    engine (see torch_forward, onnx_forward); `path` is what it is
    stored as on disk."""

    name: str
    forward: object
    vocab_size: int
    path: object = None
    parameters: int = None

    def time_forward(
        self, batch_size=1, seq_len=128, repeats=20, warmup=3, seed=0
    ):
        """Seconds of each of `repeats` calls, after `warmup` untimed
        calls (the first calls of a process set up thread pools, caches
        and, for compiled engines, code)."""
        inputs = random_inputs(
            self.vocab_size, batch_size, seq_len, seed
        )
        for _ in range(warmup):
            self.forward(*inputs)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            self.forward(*inputs)
            times.append(time.perf_counter() - start)
        return times

    def latency(self, batch_size=1, seq_len=128, repeats=20, warmup=3):
        """p50 and p95 latency in ms, and throughput in sequences per
        second."""
        times = np.array(
            self.time_forward(batch_size, seq_len, repeats, warmup)
        )
        return {
            "batch": batch_size,
            "sequence": seq_len,
            "p50 (ms)": 1000 * float(np.percentile(times, 50)),
            "p95 (ms)": 1000 * float(np.percentile(times, 95)),
            "throughput (seq/s)": batch_size
            * len(times)
            / float(times.sum()),
        }

    def latency_grid(
        self,
        batch_sizes=(1, 8, 32),
        seq_lens=(32, 128, 512),
        repeats=10,
        warmup=2,
    ):
        """latency() for every batch size and sequence length, as a
        table."""
        import pandas as pd

        rows = [
            {
                "variant": self.name,
                **self.latency(b, n, repeats, warmup),
            }
            for n in seq_lens
            for b in batch_sizes
        ]
        return pd.DataFrame(rows)

    def peak_memory_mb(self, batch_size=1, seq_len=128, repeats=3):
        """Peak memory of this variant alone. On a GPU,
        torch.cuda.max_memory_allocated. On a CPU, a fresh Python
        process loads the variant and runs it
        (memory_in_fresh_processes): in this process, the memory that
        earlier variants freed would be reused, and the resident set
        size (RSS) would not move."""
        if getattr(self.forward, "device", "cpu") == "cuda":
            import torch

            inputs = random_inputs(self.vocab_size, batch_size, seq_len)
            torch.cuda.reset_peak_memory_stats()
            for _ in range(repeats):
                self.forward(*inputs)
            peak = torch.cuda.max_memory_allocated() / 1e6
            return {
                "peak memory (MB)": peak,
                "measured as": "torch.cuda.max_memory_allocated",
            }
        return memory_in_fresh_processes(
            [self], batch_size, seq_len, repeats
        )[self.name]

    def size_mb(self):
        return (
            size_mb(self.path)
            if self.path is not None
            else float("nan")
        )

    def accuracy(
        self, tokenizer, texts, labels, batch_size=32, max_length=128
    ):
        """Share of `texts` whose highest logit is the label (each
        batch padded to its longest)."""
        correct = 0
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(
                list(texts[start : start + batch_size]),
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="np",
            )
            logits = self.forward(
                batch["input_ids"], batch["attention_mask"]
            )
            correct += int(
                (
                    logits.argmax(-1)
                    == np.asarray(labels[start : start + batch_size])
                ).sum()
            )
        return correct / len(texts)

    def summary(
        self,
        tokenizer,
        texts,
        labels,
        batch_size=1,
        seq_len=128,
        repeats=20,
    ):
        """The summary row of this variant: accuracy, parameters,
        size, latency, memory."""
        return {
            "variant": self.name,
            "accuracy": self.accuracy(tokenizer, texts, labels),
            "parameters": self.parameters,
            "size (MB)": self.size_mb(),
            **self.latency(batch_size, seq_len, repeats),
            "peak memory (MB)": self.peak_memory_mb(
                batch_size, seq_len
            )["peak memory (MB)"],
        }


# ------------------------------------- memory, one variant per process


def memory_in_fresh_processes(
    benchmarks, batch_size=1, seq_len=128, repeats=3, threads=None
):
    """Peak memory of each variant alone, in MB, each measured in a new
    Python process (measure_memory_here): the process's RSS before
    loading the variant (Python and the engine's libraries, with the
    model's code), what loading the variant added, the peak while
    running it and its increase over the loaded state (activations and
    the engine's working memory). A PyTorch variant (made by
    torch_forward) is pickled whole for its process to load; any other
    variant is loaded from its `path`, an ONNX file. The processes start
    together: they share no memory, so running side by side changes only
    the wall time, not what each one measures."""
    benchmarks = list(benchmarks)
    threads = threads or threads_in_use()
    code = (
        "import sys; from bertcourse.benchmark import "
        "measure_memory_here; measure_memory_here(*sys.argv[1:])"
    )
    with tempfile.TemporaryDirectory() as folder:
        running = []
        for i, bench in enumerate(benchmarks):
            model = getattr(bench.forward, "model", None)
            if model is not None:
                import torch

                source = Path(folder) / f"variant-{i}.pt"
                with warnings.catch_warnings():
                    warnings.simplefilter(
                        "ignore"
                    )  # pickling int8 modules warns about TypedStorage
                    torch.save(model, source)
                model_class = (
                    f"{type(model).__module__}:{type(model).__name__}"
                )
            elif bench.path is not None and str(bench.path).endswith(
                ".onnx"
            ):
                source, model_class = bench.path, "-"
            else:
                raise CourseError(
                    f"{bench.name}: a fresh process can load a PyTorch "
                    "variant (torch_forward) or an ONNX file; got "
                    f"path={bench.path!r}."
                )
            arguments = [
                source,
                model_class,
                bench.vocab_size,
                batch_size,
                seq_len,
                repeats,
                threads,
            ]
            # the new process sees the packages this one sees, whichever
            # way they were found
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
            }
            running.append(
                subprocess.Popen(
                    [sys.executable, "-c", code, *map(str, arguments)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        rows = {}
        for bench, process in zip(benchmarks, running):
            stdout, stderr = process.communicate(timeout=600)
            if process.returncode != 0:
                raise CourseError(
                    f"{bench.name}: the memory measurement failed in "
                    f"its own process:\n{stderr[-2000:]}"
                )
            rows[bench.name] = json.loads(
                stdout.strip().splitlines()[-1]
            )
    return rows


def measure_memory_here(
    source,
    model_class,
    vocab_size,
    batch_size,
    seq_len,
    repeats,
    threads,
):
    """What memory_in_fresh_processes runs in each new process; prints
    one JSON line. The peak is Linux's own high-water mark of the RSS
    (VmHWM in /proc/self/status), reset to the current RSS after loading
    by writing 5 to /proc/self/clear_refs; where that is not possible, a
    thread samples the RSS every millisecond instead."""
    import importlib

    import psutil

    process = psutil.Process()

    def rss_mb():
        return process.memory_info().rss / 1e6

    vocab_size, batch_size, seq_len, repeats, threads = map(
        int, (vocab_size, batch_size, seq_len, repeats, threads)
    )
    if str(source).endswith(".onnx"):
        import onnxruntime  # noqa: F401  (the engine's libraries count in the baseline)

        before = rss_mb()
        forward = onnx_forward(onnx_session(source, threads=threads))
    else:
        import torch

        module, name = model_class.split(":")
        getattr(
            importlib.import_module(module), name
        )  # the model's code too, before the baseline
        torch.set_num_threads(threads)
        before = rss_mb()
        forward = torch_forward(torch.load(source, weights_only=False))
    inputs = random_inputs(vocab_size, batch_size, seq_len)
    loaded = rss_mb()
    try:
        Path("/proc/self/clear_refs").write_text("5")
        sampler = None
    except OSError:
        peak, done = [loaded], threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], rss_mb())
                done.wait(0.001)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    for _ in range(repeats):
        forward(*inputs)
    if sampler is None:
        status = Path("/proc/self/status").read_text()
        highest = (
            int(
                re.search(
                    r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE
                ).group(1)
            )
            * 1024
            / 1e6
        )
        how = "peak RSS (VmHWM), fresh process"
    else:
        done.set()
        sampler.join()
        highest = max(peak[0], rss_mb())
        how = "RSS sampled every ms, fresh process"
    print(
        json.dumps(
            {
                "before loading (MB)": before,
                "loading added (MB)": loaded - before,
                "peak memory (MB)": highest,
                "running added (MB)": highest - loaded,
                "measured as": how,
            }
        )
    )


# ----------------------------------------------------- fair comparisons


def interleaved_latency(
    benchmarks, batch_size=1, seq_len=128, rounds=5, repeats=3, warmup=2
):
    """Median ms of `repeats` calls of each benchmark, in `rounds`
    rounds that take the models in turn (A B C, then C B A, ...): a slow
    spell of the machine hits every model, instead of the one that
    happened to run then. One row per round."""
    import pandas as pd

    benchmarks = list(benchmarks)
    for bench in benchmarks:
        bench.time_forward(
            batch_size, seq_len, repeats=0, warmup=warmup
        )
    rows = []
    for r in range(rounds):
        order = benchmarks if r % 2 == 0 else benchmarks[::-1]
        rows.append(
            {
                b.name: 1000
                * statistics.median(
                    b.time_forward(
                        batch_size, seq_len, repeats, warmup=0
                    )
                )
                for b in order
            }
        )
    return pd.DataFrame(
        rows, columns=[b.name for b in benchmarks]
    ).rename_axis("round")


def ratio_spread(times, numerator, denominator):
    """The ratio numerator / denominator of one round at a time: median,
    lowest and highest over the rounds (the spread shows how much the
    machine moved)."""
    ratios = times[numerator] / times[denominator]
    return {
        "ratio": float(ratios.median()),
        "low": float(ratios.min()),
        "high": float(ratios.max()),
        "rounds": len(ratios),
    }


def verdict(low, high, claim_low, claim_high=float("inf")):
    """'supported' when the measured range [low, high] lies inside the
    claimed range, 'contradicted' when it lies wholly outside, else 'not
    enough evidence'."""
    if claim_low <= low and high <= claim_high:
        return "supported"
    if high < claim_low or low > claim_high:
        return "contradicted"
    return "not enough evidence"


# --------------------------------------------------------- where it ran


def where_measured():
    """One line for every table and figure: hardware, versions,
    threads, date."""
    from .timing import machine_info

    try:
        import onnxruntime

        ort = f"onnxruntime {onnxruntime.__version__}"
    except ImportError:
        ort = "no onnxruntime"
    return (
        f"{machine_info()}, {ort}; {threads_in_use()} threads for "
        f"PyTorch and ONNX Runtime; {datetime.date.today().isoformat()}"
    )


def forward_flops(model, batch_size=1, seq_len=128):
    """Floating-point operations of one forward pass, counted by
    PyTorch's FlopCounterMode: the products with weight matrices, 2 per
    multiply-add. The attention products (2 x seq_len x hidden
    multiply-adds per token and layer, about 3 % of a base model's at
    128 tokens) are not counted: FlopCounterMode does not see inside the
    CPU's scaled-dot-product attention with a mask."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    ids = torch.ones(
        (batch_size, seq_len),
        dtype=torch.long,
        device=next(model.parameters()).device,
    )
    with (
        FlopCounterMode(display=False) as counter,
        torch.inference_mode(),
    ):
        model.eval()(input_ids=ids, attention_mask=torch.ones_like(ids))
    return counter.get_total_flops()


def cpu_peak_gflops(threads=None, cpuinfo="/proc/cpuinfo"):
    """An estimate of this CPU's peak GFLOP/s for the threads used, from
    its flags and clock: cores x GHz x SIMD lanes x 2 (a fused
    multiply-add counts two) x 2 FMA units per core (an assumption: true
    of recent server cores, not of every CPU; AMD's Zen 4 runs AVX-512
    on 256-bit units, so it counts 8 lanes). int8: x4 with VNNI (four
    8-bit products per 32-bit lane per instruction), else x2."""
    threads = threads or threads_in_use()
    text = Path(cpuinfo).read_text()
    flags = set(
        next(
            (
                line.split(":", 1)[1].split()
                for line in text.splitlines()
                if line.startswith("flags")
            ),
            [],
        )
    )
    mhz = max(
        (
            float(line.split(":", 1)[1])
            for line in text.splitlines()
            if line.startswith("cpu MHz")
        ),
        default=0.0,
    )
    if not mhz:
        raise CourseError(
            f"No clock frequency in {cpuinfo}: cannot estimate the "
            "peak."
        )
    field = {
        line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
        for line in reversed(text.splitlines())
        if ":" in line
    }
    zen4 = (
        field.get("vendor_id") == "AuthenticAMD"
        and field.get("cpu family") == "25"
    )
    lanes, isa = (
        (16, "AVX-512")
        if "avx512f" in flags
        else (8, "AVX2+FMA")
        if {"avx2", "fma"} <= flags
        else (4, "SSE")
    )
    if lanes == 16 and zen4:
        lanes, isa = (
            8,
            "AVX-512 on 256-bit units (AMD Zen 4)",
        )  # one 512-bit instruction takes two passes
    fma_units = 2
    fp32 = threads * mhz / 1000 * lanes * 2 * fma_units
    vnni = bool({"avx512_vnni", "avx_vnni"} & flags)
    return {
        "fp32 peak (GFLOP/s)": fp32,
        "int8 peak (GOP/s)": fp32 * (4 if vnni else 2),
        "how": (
            f"{threads} cores x {mhz / 1000:.2f} GHz x {lanes} fp32 "
            f"lanes ({isa}) x 2 (FMA) x {fma_units} FMA units "
            f"(assumed); int8 x{4 if vnni else 2} "
            f"({'VNNI' if vnni else 'no VNNI'})"
        ),
    }
