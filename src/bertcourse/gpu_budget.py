"""The `course` profile on paper: how much work each notebook does, and
how long that takes on a Colab T4, an A100 and an H100, before anyone
spends a GPU hour on it.

    python -m bertcourse.gpu_budget          # instructors.md's table
    python -m bertcourse.gpu_budget --write  # rewrites its tables

The work comes from the registry (split sizes, epochs, the benchmark
grid) and from what each notebook does with it (how many trainings,
evaluations and predictions; listed in `WORK` below, notebook by
notebook). Floating-point operations follow the usual count (Kaplan et
al. 2020, section 2.1): a token costs 2 x N in a forward pass and 6 x N
in a training step (forward, then a backward pass that costs twice the
forward), where N is the number of weights multiplied per token;
attention adds 4 x n x d per token and layer in the forward pass (n
tokens in the sequence, width d), three times that in training.

N is counted on the registry's reference architecture built on the
`meta` device (no download): every weight except the lookup tables
(word, position and token-type embeddings are read, not multiplied), and
ALBERT's shared layer counted once for each of the 12 times it is
applied. ALBERT-base has 9 times fewer weights than BERT-base but does
the same work per token (chapter 3).

Time = operations / (peak x efficiency) + a fixed allowance per notebook
for what is not arithmetic on the GPU (downloads, tokenisation,
checkpoints): see GPUS and ALLOWANCE_S. Chapter 10 measures CPU latency,
so its work is timed at the CPU rate measured on the course's build
machines (CPU_RATE).
"""

import math
from dataclasses import dataclass
from functools import cache

from . import registry

# --------------------------------------------------------- the machines
# Dense fp16/bf16 tensor-core peaks (no sparsity) from NVIDIA's data
# sheets: T4 65 TFLOP/s, A100 312, H100 SXM 989 (see the course guide).
# The notebooks train in fp16 on a T4 and bf16 on the others
# (run.precision_args()).
#
# Efficiency: the share of that peak a fine-tuning run sustains, an
# assumption. Large, carefully tuned pre-training runs reach 20 % to 46
# % of peak (Chowdhery et al. 2022, PaLM, Table 3: GPT-3 21.3 %,
# Megatron-Turing NLG 30.2 %, PaLM 46.2 %). The course's runs are far
# less favourable: a 66M to 125M-parameter model, short dynamically
# padded batches (a few thousand tokens a step), eager PyTorch through
# `Trainer`, an optimizer step over every weight after each batch,
# evaluation every epoch. The T4 gets 20 %: its 70 W power cap holds its
# clocks under the boost clock its peak assumes. The larger GPUs get
# less, because a step of these batches is only milliseconds of matrix
# products there, and the fixed costs of each step (kernel launches, the
# optimizer's pass over the weights) weigh more: 15 % on the A100, 10 %
# on the H100. Replace these with measured figures once a course edition
# has run (the status page records each notebook's run time).
GPUS = {
    "Colab T4": dict(peak=65e12, efficiency=0.20),
    "A100": dict(peak=312e12, efficiency=0.15),
    "H100 SXM": dict(peak=989e12, efficiency=0.10),
}
BUDGET_GPU = "Colab T4"
# every notebook must fit 20 minutes on a Colab T4 (course guide)
BUDGET_S = 20 * 60

# What a notebook spends besides arithmetic, assumed: downloading a
# checkpoint (500 MB for roberta-base) and a dataset, tokenising 20,000
# examples on Colab's two CPU cores, and writing a checkpoint (weights
# and optimizer state, about 1.5 GB for roberta-base) after each epoch.
# Two minutes a notebook.
ALLOWANCE_S = 120

# Chapter 10 times the models on the CPU. The course guide measured
# roberta-base at batch 32, 128 tokens, fp32 in 4.41 s on two threads of
# the build machine (Colab also gives two CPU threads); CPU_RATE is the
# operations of that forward pass divided by 4.41 s.
CPU_REFERENCE = dict(
    architecture="roberta-base", batch=32, tokens=128, seconds=4.41
)

# Chapter 10's target rounds take this many calls per variant and round
# for each of the registry's round_repeats (its cell `calls = 20 *
# grid["round_repeats"]`; tests/test_gpu_budget.py holds the two
# together).
TARGET_CALLS_PER_REPEAT = 20

# ------------------------------------------------------------- the data
# Whole splits (the registry's None means the whole split): SST-2 from
# GLUE (Wang et al. 2018), CoNLL-2003 and SQuAD v1.1 as on the hub
# (course guide).
FULL_SPLITS = {
    "sst2": {"train": 67_349, "validation": 872},
    "conll2003": {"train": 14_041, "validation": 3_250, "test": 3_453},
    "squad": {"train": 87_599, "validation": 10_570},
}

# Token positions the GPU computes per example, padding included, and
# why (an assumption per dataset). Dynamic padding pads each batch to
# its longest example, so the cost of an example is the longest length
# in its batch, not its own length.
TOKENS = {
    "sst2": (
        64,
        (
            "dynamic padding: SST-2's training phrases and "
            "validation sentences are mostly under 30 tokens, but a "
            "batch of 32 is padded to its longest (up to about 60); "
            "half of max_length (128) is an upper-side estimate"
        ),
    ),
    "conll2003": (
        64,
        (
            "dynamic padding: CoNLL-2003 sentences average 14.5 "
            "words (203,621 training tokens in 14,041 sentences), "
            "about 20 sub-word pieces; a batch of 16 is padded to "
            "its longest; half of max_length (128)"
        ),
    ),
    "squad": (
        384 * 88_729 / 87_599,
        (
            "windows of max_length 384 padded to it; 87,599 training "
            "questions make 88,729 windows at stride 128 and 10,570 "
            "validation questions 10,822 (Hugging Face course, "
            "chapter 7, question answering): 1.3 % more windows than "
            "questions"
        ),
    ),
}
SQUAD_VALIDATION_WINDOWS = 10_822 / 10_570


def split_size(dataset, split, profile="course"):
    """How many examples of a split a profile uses (the registry's
    subset or the whole)."""
    size = registry.SPLIT_SIZES[profile].get(dataset, {}).get(split)
    return FULL_SPLITS[dataset][split] if size is None else size


def tokens_per_example(dataset, split="train"):
    tokens = TOKENS[dataset][0]
    if dataset == "squad" and split != "train":
        tokens = 384 * SQUAD_VALIDATION_WINDOWS
    return tokens


# ----------------------------------------------------------- the models
# Chapter 2's tiny RoBERTa (bertcourse.assets.TINY_SIZE) with its
# masked-LM head, over the 1,585-token vocabulary of the course's own
# byte-level BPE (counted on the trained tokenizer).
TINY = "tiny-roberta (chapter 2)"
TINY_VOCABULARY = 1_585


@cache
def shape(architecture):
    """(weights multiplied per token, layers, width) of a reference
    architecture."""
    import torch
    from transformers import AutoModel

    if architecture == TINY:
        from .assets import TINY_SIZE

        h, layers, inner = (
            TINY_SIZE["hidden"],
            TINY_SIZE["layers"],
            TINY_SIZE["intermediate"],
        )
        # per layer: Q, K, V, output (4 h x h) and the two feed-forward
        # matrices; then the masked-LM head's dense layer and its
        # projection onto the vocabulary
        return (
            layers * (4 * h * h + 2 * h * inner)
            + h * h
            + h * TINY_VOCABULARY,
            layers,
            h,
        )
    config = registry.reference_config(architecture)
    with torch.device("meta"):
        model = AutoModel.from_config(config)
    lookup = {
        id(m.weight)
        for m in model.modules()
        if isinstance(m, torch.nn.Embedding)
    }
    # ALBERT applies its one layer group num_hidden_layers /
    # num_hidden_groups times
    repeats = config.num_hidden_layers // getattr(
        config, "num_hidden_groups", 1
    )
    multiplied = 0
    for name, weight in model.named_parameters():
        # the pooler runs once per sequence
        if id(weight) in lookup or "pooler" in name:
            continue
        multiplied += weight.numel() * (
            repeats if "albert_layer_groups" in name else 1
        )
    return multiplied, config.num_hidden_layers, config.hidden_size


def flops(architecture, examples, tokens, training):
    """Operations of `examples` sequences of `tokens` positions,
    training or inference."""
    weights, layers, width = shape(architecture)
    per_token = 2 * weights + 4 * tokens * width * layers  # forward
    return examples * tokens * per_token * (3 if training else 1)


@cache
def cpu_rate():
    """FLOP/s of the CPU reference measurement (see CPU_REFERENCE)."""
    ref = CPU_REFERENCE
    return (
        flops(
            ref["architecture"],
            ref["batch"],
            ref["tokens"],
            training=False,
        )
        / ref["seconds"]
    )


# -------------------------------------------------- the notebooks' work
@dataclass(frozen=True)
class Work:
    """One piece of a notebook's work: `passes` passes over `examples`
    sequences."""

    what: str
    architecture: str
    examples: int
    passes: float
    tokens: float
    training: bool
    device: str = "gpu"  # "cpu": chapter 10's timings

    @property
    def flops(self):
        return flops(
            self.architecture,
            self.examples * self.passes,
            self.tokens,
            self.training,
        )


def _finetune(
    what,
    dataset,
    architecture,
    epochs,
    evaluations,
    extra_predictions=0,
):
    train_n, val_n = (
        split_size(dataset, "train"),
        split_size(dataset, "validation"),
    )
    return [
        Work(
            f"{what}: train",
            architecture,
            train_n,
            epochs,
            tokens_per_example(dataset, "train"),
            True,
        ),
        Work(
            f"{what}: evaluate",
            architecture,
            val_n,
            evaluations + extra_predictions,
            tokens_per_example(dataset, "validation"),
            False,
        ),
    ]


def course_work():
    """{notebook: [Work]} of the course profile, read off each
    notebook's cells."""
    train = registry.TRAINING["course"]
    distill = registry.DISTILLATION["course"]
    grid = registry.BENCHMARK["course"]
    pre = registry.EXPERIMENTS["course"]["pretraining"]
    arch = {
        task: registry.CHECKPOINT_ARCHITECTURE[checkpoint]
        for task, checkpoint in registry.FINETUNING.items()
    }
    teacher, student = (
        arch["sst2"],
        registry.CHECKPOINT_ARCHITECTURE[distill["student"]],
    )
    sst2_train = split_size("sst2", "train")
    work = {}

    # Chapter 2: static vs dynamic masking on a tiny RoBERTa over the
    # 598 blocks of 64 tokens packed from the first 300 mini documents
    # (counted by running its packing), 8 epochs per seed: a few
    # thousand optimizer steps of a tiny model, bound by kernel launches
    # rather than arithmetic.
    blocks = 598 if pre["train_blocks"] is None else pre["train_blocks"]
    work["notebooks/02_roberta"] = [
        Work(
            f"masking experiment: {len(pre['seeds'])} seeds x 8 epochs",
            TINY,
            blocks * len(pre["seeds"]),
            8,
            64,
            True,
        )
    ]

    s = train["sst2"]
    work["notebooks/06_sentiment_sst2_roberta"] = _finetune(
        "RoBERTa on SST-2",
        "sst2",
        teacher,
        s["epochs"],
        evaluations=s["epochs"],
        # predict, and the learning-rate-0 check's predict
        extra_predictions=2,
    ) + [
        Work(
            "padding recipes: 3 x 3 steps of batch 4 at up to 512 "
            "tokens",
            teacher,
            36,
            1,
            512,
            True,
        ),
        Work(
            "resume demo: 64 sentences, about 4 epochs in all",
            teacher,
            64,
            4,
            64,
            True,
        ),
    ]

    c = train["conll2003"]
    conll_train = split_size("conll2003", "train")
    work["notebooks/07_ner_conll_albert"] = _finetune(
        "ALBERT on CoNLL-2003, first piece labelled",
        "conll2003",
        arch["conll2003"],
        c["epochs"],
        # evaluate, predict, frozen evaluate
        evaluations=c["epochs"],
        extra_predictions=3,
    ) + [
        Work(
            "ALBERT, every piece labelled: train",
            arch["conll2003"],
            conll_train,
            c["epochs"],
            tokens_per_example("conll2003"),
            True,
        ),
        Work(
            "ALBERT, every piece labelled: predict",
            arch["conll2003"],
            split_size("conll2003", "validation"),
            1,
            tokens_per_example("conll2003", "validation"),
            False,
        ),
    ]

    q = train["squad"]
    work["notebooks/08_qa_squad_distilbert"] = _finetune(
        "DistilBERT on SQuAD",
        "squad",
        arch["squad"],
        q["epochs"],
        evaluations=q["epochs"],
        extra_predictions=1,
    ) + [  # the untrained model's predictions
        Work(
            "resume demo: 12 steps of 16 windows",
            arch["squad"],
            192,
            1,
            384,
            True,
        )
    ]

    sweep = len(distill["sweep_temperatures"]) * len(
        distill["sweep_alphas"]
    )
    val = split_size("sst2", "validation")
    work["notebooks/09_distillation"] = _finetune(
        "teacher (RoBERTa), when chapter 6's is not in "
        "BERTCOURSE_OUTPUT",
        "sst2",
        teacher,
        s["epochs"],
        evaluations=s["epochs"],
        extra_predictions=1,
    ) + [
        Work(
            "teacher logits on the training set",
            teacher,
            sst2_train,
            1,
            TOKENS["sst2"][0],
            False,
        ),
        Work(
            f"hard-label and distilled students: {distill['epochs']} "
            "epochs each",
            student,
            sst2_train,
            2 * distill["epochs"],
            TOKENS["sst2"][0],
            True,
        ),
        Work(
            f"sweep: {sweep} students, {distill['sweep_epochs']} "
            "epoch each",
            student,
            sst2_train,
            sweep * distill["sweep_epochs"],
            TOKENS["sst2"][0],
            True,
        ),
        Work(
            "students' predictions",
            student,
            val,
            2 + sweep,
            TOKENS["sst2"][0],
            False,
        ),
    ]
    # The shallower student: `layers` of the teacher's layers, so about
    # that share of the teacher's work per token (counted as passes of
    # the teacher), trained three ways (hard labels, logits, logits +
    # cosine); the two distilling recipes run the teacher on every
    # batch.
    shallow = distill["shallow"]
    share = shallow["layers"] / shape(teacher)[1]
    work["notebooks/09_distillation"] += [
        Work(
            f"shallower student ({shallow['layers']} layers): 3 "
            f"recipes, {shallow['epochs']} epochs each",
            teacher,
            sst2_train,
            3 * shallow["epochs"] * share,
            TOKENS["sst2"][0],
            True,
        ),
        Work(
            "the teacher's forward passes for 2 of those recipes",
            teacher,
            sst2_train,
            2 * shallow["epochs"],
            TOKENS["sst2"][0],
            False,
        ),
        Work(
            "shallower students' predictions",
            teacher,
            val,
            3 * share,
            TOKENS["sst2"][0],
            False,
        ),
    ]

    # Chapter 10 times on the CPU: the teacher's latency grid (2 warm-up
    # calls per point), the accuracy of the teacher and 4 student
    # variants on the validation set, and the head to head of the 4
    # architectures plus 2 int8 DistilBERTs (counted at fp32 cost, an
    # over-estimate), at batch 1 over the sequence lengths and at batch
    # 8, 128 tokens.
    cpu = []
    for n in grid["seq_lens"]:
        for b in grid["batch_sizes"]:
            cpu.append(
                Work(
                    f"teacher latency, batch {b}, {n} tokens",
                    teacher,
                    b,
                    grid["repeats"] + 2,
                    n,
                    False,
                    "cpu",
                )
            )
    cpu += [
        Work(
            "accuracy: teacher",
            teacher,
            val,
            1,
            TOKENS["sst2"][0],
            False,
            "cpu",
        ),
        Work(
            "accuracy: 4 student variants",
            student,
            val,
            4,
            TOKENS["sst2"][0],
            False,
            "cpu",
        ),
        Work(
            "accuracy: 2 shallower-student variants",
            teacher,
            val,
            2 * share,
            TOKENS["sst2"][0],
            False,
            "cpu",
        ),
    ]
    contenders = [
        *registry.CHECKPOINT_ARCHITECTURE.values(),
        student,
        student,
    ]
    for name in contenders:
        for n in grid["seq_lens"]:
            cpu.append(
                Work(
                    f"head to head: {name}, batch 1, {n} tokens",
                    name,
                    1,
                    grid["rounds"] * grid["round_repeats"] + 2,
                    n,
                    False,
                    "cpu",
                )
            )
        cpu.append(
            Work(
                f"head to head: {name}, batch 8, 128 tokens",
                name,
                8,
                grid["rounds"] + 1,
                128,
                False,
                "cpu",
            )
        )
    # The variants of the two students timed against the teacher: at
    # batch 1 and 128 tokens, all 7 variants in 2 x rounds interleaved
    # rounds of 20 x round_repeats calls; over the rest of the grid, the
    # teacher and each student's fp32 and int8 ONNX Runtime variants in
    # rounds of round_repeats calls. int8 counted at fp32 cost (an
    # over-estimate), the shallower student as its share of the teacher.
    target_calls = (
        2
        * grid["rounds"]
        * TARGET_CALLS_PER_REPEAT
        * grid["round_repeats"]
        + 2  # warm-up
    )
    variants = {
        teacher: 1,
        student: 4,  # fp32 and int8, in PyTorch and ONNX Runtime
    }
    cpu += [
        Work(
            f"target rounds: {arch}, batch 1, 128 tokens",
            arch,
            1,
            n * target_calls,
            128,
            False,
            "cpu",
        )
        for arch, n in variants.items()
    ]
    cpu.append(
        Work(
            "target rounds: shallower student (2 variants)",
            teacher,
            1,
            2 * share * target_calls,
            128,
            False,
            "cpu",
        )
    )
    for n in grid["seq_lens"]:
        for b in grid["batch_sizes"]:
            if (b, n) == (1, 128):
                continue  # the target rounds
            calls = grid["rounds"] * grid["round_repeats"] + 2
            cpu.append(
                Work(
                    f"variants' grid, batch {b}, {n} tokens",
                    teacher,
                    b,
                    calls * (1 + 2 * share),
                    n,
                    False,
                    "cpu",
                )
            )
            cpu.append(
                Work(
                    f"students' grid, batch {b}, {n} tokens",
                    student,
                    b,
                    2 * calls,
                    n,
                    False,
                    "cpu",
                )
            )
    work["notebooks/10_benchmarking"] = cpu

    # Chapter 11: ModernBERT fine-tuned on SST-2 with chapter 6's
    # recipe, and the CPU latency of full-size bert-base and
    # modernbert-base (bert-base only up to its 512 positions), warm-up
    # calls included.
    after = registry.SUCCESSORS["course"]
    latency = []
    for n in after["seq_lens"]:
        calls = after["rounds"] * after["repeats"] + after["warmup"]
        for name in ("bert-base", "modernbert-base"):
            if name == "bert-base" and n > after["bert_max_len"]:
                continue
            latency.append(
                Work(
                    f"latency: {name}, batch 1, {n} tokens",
                    name,
                    1,
                    calls,
                    n,
                    False,
                    "cpu",
                )
            )
    work["notebooks/11_what_came_next"] = (
        _finetune(
            "ModernBERT on SST-2 (chapter 6's recipe)",
            "sst2",
            "modernbert-base",
            s["epochs"],
            evaluations=s["epochs"],
            extra_predictions=1,
        )
        + latency
    )

    work["labs/solutions/03_sentiment_errors"] = _finetune(
        "RoBERTa on SST-2, 1 epoch",
        "sst2",
        teacher,
        1,
        evaluations=0,
        extra_predictions=1,
    )
    work["labs/solutions/06_distil_and_benchmark"] = _finetune(
        "teacher (RoBERTa), 1 epoch",
        "sst2",
        teacher,
        1,
        evaluations=0,
        extra_predictions=1,
    ) + [
        Work(
            "teacher logits on the training set",
            teacher,
            sst2_train,
            1,
            TOKENS["sst2"][0],
            False,
        ),
        Work(
            "half-depth student, 1 epoch (counted as DistilBERT)",
            student,
            sst2_train,
            1,
            TOKENS["sst2"][0],
            True,
        ),
        Work(
            "student's predictions",
            student,
            val,
            1,
            TOKENS["sst2"][0],
            False,
        ),
    ]
    return work


# Notebooks with no course-profile work worth counting, and why.
NEGLIGIBLE = {
    "notebooks/01_bert_in_five_minutes": (
        "tokenises and masks a few sentences; one forward pass of "
        "bert-base on a handful of them"
    ),
    "notebooks/03_albert": (
        "builds BERT and ALBERT from configs and times a few CPU "
        "forward passes at batch 1 and 8 (seconds)"
    ),
    "notebooks/04_distilbert": (
        "a loss on one batch and a few CPU forward passes"
    ),
    "notebooks/05_side_by_side": (
        "one CPU forward pass per model, 5 rounds of 2 at batch 1"
    ),
    "labs/solutions/01_masking_and_tokenizers": (
        "tokenisers and masking only"
    ),
    "labs/solutions/02_parameter_accounting": (
        "parameter counts on configs"
    ),
    "labs/solutions/04_ner_alignment": (
        "label alignment on a few sentences"
    ),
    "labs/solutions/05_qa_postprocessing": (
        "span post-processing of 50 questions"
    ),
}


def seconds(work, gpu):
    """Time of a list of Work on `gpu` (CPU work at CPU_RATE), without
    the allowance."""
    spec = GPUS[gpu]
    total = 0.0
    for item in work:
        rate = (
            cpu_rate()
            if item.device == "cpu"
            else spec["peak"] * spec["efficiency"]
        )
        total += item.flops / rate
    return total


def table():
    """One row per notebook: (notebook, operations on the GPU, CPU
    operations, minutes per GPU with the allowance, fits the T4 budget).
    """
    rows = []
    for notebook, work in course_work().items():
        gpu_flops = sum(w.flops for w in work if w.device == "gpu")
        cpu_flops = sum(w.flops for w in work if w.device == "cpu")
        minutes = {
            gpu: (seconds(work, gpu) + ALLOWANCE_S) / 60 for gpu in GPUS
        }
        rows.append(
            dict(
                notebook=notebook,
                gpu_flops=gpu_flops,
                cpu_flops=cpu_flops,
                minutes=minutes,
                fits=minutes[BUDGET_GPU] * 60 <= BUDGET_S,
            )
        )
    return rows


def _number(x):
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(x))
    return f"{x / 10**exponent:.1f}e{exponent}"


def markdown():
    """The table and its assumptions, as MyST markdown for
    book/instructors.md."""
    head = " | ".join(f"{gpu} (min)" for gpu in GPUS)
    lines = [
        (
            f"| notebook | GPU FLOPs | CPU FLOPs | {head} | fits "
            f"{BUDGET_S // 60} min on a T4 |"
        ),
        "|---|---:|---:|" + "---:|" * len(GPUS) + "---|",
    ]
    for row in table():
        times = " | ".join(f"{row['minutes'][gpu]:.1f}" for gpu in GPUS)
        lines.append(
            f"| {{doc}}`../{row['notebook']}` | "
            f"{_number(row['gpu_flops'])} "
            f"| {_number(row['cpu_flops'])} | {times} "
            f"| {'yes' if row['fits'] else '**no**'} |"
        )
    for notebook, why in NEGLIGIBLE.items():
        lines.append(
            f"| {{doc}}`../{notebook}` | negligible | | | | | {why} |"
        )
    assumptions = [
        "- **Efficiency** (share of the fp16/bf16 peak sustained): "
        + ", ".join(
            f"{gpu} {spec['efficiency']:.0%} of "
            f"{spec['peak'] / 1e12:g} TFLOP/s"
            for gpu, spec in GPUS.items()
        )
        + "; see `bertcourse.gpu_budget.GPUS` for the reasoning.",
        (
            f"- **Allowance**: {ALLOWANCE_S // 60} minutes a notebook "
            "for downloads, tokenisation and checkpoints, included "
            "in every time above."
        ),
        (
            "- **CPU work** (chapter 10's timings) at "
            f"{cpu_rate() / 1e9:.0f} GFLOP/s, the rate of the course "
            f"guide's measurement ({CPU_REFERENCE['architecture']}, "
            f"batch {CPU_REFERENCE['batch']}, "
            f"{CPU_REFERENCE['tokens']} tokens, "
            f"{CPU_REFERENCE['seconds']} s on two threads): the same "
            "on every GPU machine with two CPU threads; attention at "
            "512 tokens is extrapolated from that 128-token "
            "measurement with the formula above."
        ),
        *[
            f"- **Tokens per example, {name}**: {why}."
            for name, (_, why) in TOKENS.items()
        ],
        "- **Weights per token**: "
        + ", ".join(
            f"{a} {shape(a)[0] / 1e6:.1f} M"
            for a in dict.fromkeys(
                registry.CHECKPOINT_ARCHITECTURE.values()
            )
        )
        + (
            " (lookup tables left out; ALBERT's shared layer counted "
            "12 times)."
        ),
    ]
    return "\n".join(lines + [""] + assumptions) + "\n"


def check_course_minutes(gpu=BUDGET_GPU):
    """Minutes of `make check-course` on paper: chapters 6 to 9 one
    after the other, with chapter 9 reusing chapter 6's teacher (so its
    teacher's training is not counted)."""
    from .floors import NOTEBOOKS

    total = 0.0
    for notebook in NOTEBOOKS:
        work = [
            w
            for w in course_work()[f"notebooks/{notebook}"]
            if not (
                notebook == "09_distillation"
                and w.what.startswith("teacher (RoBERTa)")
            )
        ]
        total += seconds(work, gpu) + ALLOWANCE_S
    return total / 60


INSTRUCTOR_PAGE = "book/instructors.md"


def instructor_blocks():
    """{marker: markdown} of the generated parts of the instructor
    page."""
    from . import floors

    check = ", ".join(
        f"{gpu} {check_course_minutes(gpu):.0f} min" for gpu in GPUS
    )
    return {
        "gpu-budget": markdown(),
        "floors": floors.markdown(),
        "check-course": (
            f"On paper, `make check-course` takes: {check} (chapters "
            "6 to 9 in turn; chapter 9 reuses chapter 6's teacher).\n"
        ),
    }


def write_instructor_page(path=INSTRUCTOR_PAGE):
    """Rewrite the generated blocks (<!-- name --> ... <!-- /name -->)
    of the page."""
    import re
    from pathlib import Path

    page = Path(path)
    text = page.read_text()
    for marker, block in instructor_blocks().items():
        pattern = re.compile(
            rf"(<!-- {marker} -->\n).*?(<!-- /{marker} -->)", re.DOTALL
        )
        text = pattern.sub(
            lambda m, block=block: m.group(1) + block + m.group(2), text
        )
    page.write_text(text)


def main(argv=None):
    import sys

    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--write"]:
        write_instructor_page()
        print(f"wrote the generated blocks of {INSTRUCTOR_PAGE}")
    else:
        print(markdown())


if __name__ == "__main__":
    main()
