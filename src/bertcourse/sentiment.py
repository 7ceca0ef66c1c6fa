"""SST-2 fine-tuning code shared by chapter 6 and
`scripts/finetune_sst2.py`, so the notebook and the multi-process script
train through exactly the same lines."""

import json
from importlib import resources

CHALLENGE_FILE = "sst2_challenge.jsonl"


def challenge_set():
    """The course's hand-written SST-2 challenge sentences, as a Dataset
    in the SST-2 schema (sentence, label negative/positive, idx).
    Shipped inside the package."""
    from datasets import ClassLabel, Dataset, Features, Value

    from .minidata import SST2_LABELS

    text = (
        resources.files("bertcourse")
        .joinpath("data", CHALLENGE_FILE)
        .read_text(encoding="utf-8")
    )
    rows = [
        json.loads(line) for line in text.splitlines() if line.strip()
    ]
    features = Features(
        {
            "sentence": Value("string"),
            "label": ClassLabel(names=SST2_LABELS),
            "idx": Value("int32"),
        }
    )
    return Dataset.from_list(rows, features=features)


def tokenize_function(tokenizer, max_length):
    """For `Dataset.map(batched=True)`: token ids without padding (the
    collator pads each batch to its own longest sentence); longer
    sentences are cut at max_length."""

    def tokenize(batch):
        return tokenizer(
            batch["sentence"], truncation=True, max_length=max_length
        )

    return tokenize


def compute_metrics(eval_prediction):
    """Accuracy and F1 of the positive class, with scikit-learn."""
    from sklearn.metrics import accuracy_score, f1_score

    logits, labels = eval_prediction
    predictions = logits.argmax(axis=-1)
    return {
        "accuracy": accuracy_score(labels, predictions),
        "f1": f1_score(labels, predictions),
    }


def training_arguments(run, output_dir, **overrides):
    """TrainingArguments from the run's settings (registry) and
    hardware; `overrides` replace any of them (e.g. max_steps,
    learning_rate, train_sampling_strategy)."""
    from transformers import TrainingArguments

    settings = run.settings
    arguments = dict(
        output_dir=str(output_dir),
        num_train_epochs=settings.epochs,
        per_device_train_batch_size=settings.batch_size,
        per_device_eval_batch_size=2 * settings.batch_size,
        learning_rate=settings.learning_rate,
        weight_decay=0.01,
        # a float below 1 is a share of the training steps
        warmup_steps=0.1,
        eval_strategy="epoch",
        # a checkpoint per epoch: training can resume after a disconnect
        save_strategy="epoch",
        save_total_limit=2,
        logging_strategy="steps",
        # a float below 1 is a share of the steps: 20 points on the loss
        # curve
        logging_steps=0.05,
        seed=run.seed,
        # The classification loss is already a mean over sentences. With
        # this left on (the default), transformers 5.23 multiplies it by
        # the number of processes under DDP: the logged loss doubles on
        # two GPUs and gradient clipping bites earlier.
        average_tokens_across_devices=False,
        report_to="none",
        # setup() quiets transformers' logging, which would also hide
        # the bars
        disable_tqdm=False,
        **run.precision_args(),
    )
    arguments.update(overrides)
    return TrainingArguments(**arguments)


def quiet(trainer):
    """Silence `trainer` from now on: no progress bar, no printed log
    lines, no metrics table. It still returns its results and keeps
    every log in `trainer.state.log_history`.

    For a demo run (a resume demo, a learning-rate-0 check, a timing
    loop), which then prints one summary line of its own; and for the
    main training's `evaluate`/`predict` after `train`, whose per-epoch
    table already shows the scores. Chapters 6, 7 and 8 use it.
    `disable_tqdm=True` alone would swap the bar for a printed
    dictionary per log (transformers' PrinterCallback); this removes
    both kinds of callback."""
    from transformers.trainer_callback import (
        PrinterCallback,
        ProgressCallback,
    )

    kinds = [PrinterCallback, ProgressCallback]
    try:  # the bar and table shown in Jupyter and Colab (needs IPython)
        from transformers.utils.notebook import NotebookProgressCallback

        kinds.append(NotebookProgressCallback)
    except ImportError:
        pass
    callbacks = trainer.callback_handler.callbacks
    for kind in kinds:
        while any(isinstance(callback, kind) for callback in callbacks):
            trainer.remove_callback(kind)
    return trainer


def make_trainer(
    run,
    tokenizer,
    train,
    evaluation,
    output_dir,
    model=None,
    callbacks=None,
    quiet_run=False,
    **overrides,
):
    """A Trainer for SST-2: a fresh classification head on
    run.checkpoint (unless `model` is given), dynamic padding per batch,
    accuracy and F1. `quiet_run=True`: no progress bar and no printed
    logs (`quiet`), for demo runs."""
    from transformers import (
        AutoModelForSequenceClassification,
        DataCollatorWithPadding,
        Trainer,
        set_seed,
    )

    from .minidata import SST2_LABELS

    if model is None:
        # the new head's random start is the same for every run
        set_seed(run.seed)
        model = AutoModelForSequenceClassification.from_pretrained(
            run.checkpoint,
            num_labels=len(SST2_LABELS),
            id2label=dict(enumerate(SST2_LABELS)),
            label2id={n: i for i, n in enumerate(SST2_LABELS)},
        )
    trainer = Trainer(
        model=model,
        args=training_arguments(run, output_dir, **overrides),
        train_dataset=train,
        eval_dataset=evaluation,
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=compute_metrics,
        callbacks=callbacks,
    )
    return quiet(trainer) if quiet_run else trainer


def majority_baseline(train_labels, eval_labels):
    """(class, accuracy): predict the most frequent training label for
    every example."""
    from collections import Counter

    majority = Counter(train_labels).most_common(1)[0][0]
    return majority, sum(
        label == majority for label in eval_labels
    ) / len(eval_labels)


def wilson_interval(successes, trials, confidence=0.95):
    """Wilson score interval for a proportion (e.g. an accuracy on
    `trials` sentences)."""
    from scipy.stats import norm

    z = norm.ppf(0.5 + confidence / 2)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = (
        z
        * (
            (p * (1 - p) / trials + z * z / (4 * trials * trials))
            ** 0.5
        )
        / (1 + z * z / trials)
    )
    return centre - half, centre + half
