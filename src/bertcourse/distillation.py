"""Knowledge distillation for sequence classification, as chapter 9
builds it.

Chapter 9 writes this code in its cells and checks that the package's
version gives the same loss; chapter 10 calls `teacher_and_student` to
load the teacher and the distilled student that chapter 9 saved.
"""

import copy
import re

import torch
import torch.nn.functional as F
from transformers import Trainer

from .errors import CourseError


def distillation_loss(
    student_logits, teacher_logits, labels, alpha, temperature
):
    """alpha x cross-entropy on the hard labels + (1 - alpha) x T^2 x
    KL(teacher || student), both distributions softened by the
    temperature T (Hinton et al. 2015)."""
    hard = F.cross_entropy(student_logits, labels)
    soft = F.kl_div(
        F.log_softmax(student_logits / temperature, dim=-1),
        F.softmax(teacher_logits / temperature, dim=-1),
        reduction="batchmean",
    )
    return alpha * hard + (1 - alpha) * temperature**2 * soft


class DistillationTrainer(Trainer):
    """A Trainer whose loss mixes the hard labels with a teacher's soft
    targets. The teacher's logits come with the batch (`teacher_logits`,
    cached once) or, when they are missing, from the teacher itself,
    which then must share the student's tokenizer."""

    def __init__(
        self, *args, teacher=None, alpha=0.5, temperature=2.0, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.alpha, self.temperature = alpha, temperature
        self.teacher = (
            teacher.to(self.model.device).eval()
            if teacher is not None
            else None
        )

    def compute_loss(
        self,
        model,
        inputs,
        return_outputs=False,
        num_items_in_batch=None,
    ):
        teacher_logits = inputs.pop("teacher_logits", None)
        outputs = model(**inputs)
        if teacher_logits is None:
            if self.teacher is None:
                raise CourseError(
                    "No teacher logits in the batch and no teacher: "
                    "pass teacher=... or add a teacher_logits column."
                )
            with torch.no_grad():
                teacher_logits = self.teacher(
                    **{k: v for k, v in inputs.items() if k != "labels"}
                ).logits
        loss = distillation_loss(
            outputs.logits,
            teacher_logits,
            inputs["labels"],
            self.alpha,
            self.temperature,
        )
        return (loss, outputs) if return_outputs else loss


def alternate_layer_student(teacher, n_layers):
    """A model of the teacher's class with `n_layers` layers copied from
    the teacher's layers 0, 2, 4, ... (chapter 4's initialisation), with
    its embeddings and head."""
    kept = list(range(0, teacher.config.num_hidden_layers, 2))[
        :n_layers
    ]
    config = copy.deepcopy(teacher.config)
    config.num_hidden_layers = len(kept)
    student = type(teacher)(config)
    weights = teacher.state_dict()

    # "...encoder.layer.1.xxx" -> "...encoder.layer.<kept[1]>.xxx"
    def source(key):
        return re.sub(
            r"encoder\.layer\.(\d+)\.",
            lambda m: f"encoder.layer.{kept[int(m.group(1))]}.",
            key,
        )

    student.load_state_dict(
        {key: weights[source(key)] for key in student.state_dict()}
    )
    return student


def finished_checkpoint(folder, epochs):
    """The last checkpoint in `folder` if its training reached `epochs`,
    else None."""
    from transformers import TrainerState
    from transformers.trainer_utils import get_last_checkpoint

    checkpoint = (
        get_last_checkpoint(folder) if folder.is_dir() else None
    )
    if (
        checkpoint
        and TrainerState.load_from_json(
            f"{checkpoint}/trainer_state.json"
        ).epoch
        >= epochs
    ):
        return checkpoint
    return None


def train_as_chapter_9(run, folder):
    """Chapter 9's teacher and distilled student, made the way chapter 9
    makes them, for a learner who opens chapter 10 first (Colab's first
    click): chapter 6's fine-tuned model as the teacher (trained here
    with chapter 6's code when it is missing, resuming from a partial
    run), the registry's student, the teacher's logits cached as a
    column, then the distillation loss. Saved in `folder` as chapter 9
    saves them."""
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        TrainingArguments,
        set_seed,
    )
    from transformers.trainer_utils import get_last_checkpoint

    from . import registry, sentiment

    settings, distill = run.settings, registry.DISTILLATION[run.profile]
    sst2 = run.datasets["sst2"]
    teacher_folder = run.output_dir("sst2")  # chapter 6's
    teacher_checkpoint = finished_checkpoint(
        teacher_folder, settings.epochs
    )
    if teacher_checkpoint is None:
        print(
            "fine-tuning the teacher with chapter 6's code "
            "(sentiment.make_trainer)"
        )
        tokenizer = AutoTokenizer.from_pretrained(run.checkpoint)
        encoded = sst2.map(
            sentiment.tokenize_function(tokenizer, settings.max_length),
            batched=True,
        )
        sentiment.make_trainer(
            run,
            tokenizer,
            encoded["train"],
            encoded["validation"],
            teacher_folder,
        ).train(
            resume_from_checkpoint=get_last_checkpoint(teacher_folder)
            if teacher_folder.is_dir()
            else None
        )
        teacher_checkpoint = finished_checkpoint(
            teacher_folder, settings.epochs
        )
    teacher = AutoModelForSequenceClassification.from_pretrained(
        teacher_checkpoint
    ).eval()
    teacher_tokenizer = AutoTokenizer.from_pretrained(
        teacher_checkpoint
    )

    def with_teacher_logits(batch):
        inputs = teacher_tokenizer(
            batch["sentence"],
            padding=True,
            truncation=True,
            max_length=settings.max_length,
            return_tensors="pt",
        ).to(teacher.device)
        with torch.no_grad():
            return {
                "teacher_logits": teacher(**inputs)
                .logits.float()
                .cpu()
                .tolist()
            }

    print("distilling the student as chapter 9 does")
    set_seed(run.seed)
    if distill["student"] is None:
        student, student_tokenizer = (
            alternate_layer_student(teacher, distill["student_layers"]),
            teacher_tokenizer,
        )
    else:
        checkpoint = registry.CHECKPOINTS[distill["student"]]
        student = AutoModelForSequenceClassification.from_pretrained(
            checkpoint,
            num_labels=teacher.config.num_labels,
            id2label=teacher.config.id2label,
            label2id=teacher.config.label2id,
        )
        student_tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    train = sst2["train"].map(
        with_teacher_logits, batched=True, batch_size=64
    )
    train = train.map(
        sentiment.tokenize_function(
            student_tokenizer, settings.max_length
        ),
        batched=True,
        remove_columns=["sentence", "idx"],
    )
    arguments = TrainingArguments(
        output_dir=str(folder / "runs" / "distilled"),
        num_train_epochs=distill["epochs"],
        per_device_train_batch_size=settings.batch_size,
        learning_rate=distill["learning_rate"],
        warmup_steps=0.1,
        weight_decay=0.01,
        seed=run.seed,
        save_strategy="no",
        logging_strategy="epoch",
        report_to="none",
        disable_tqdm=False,
        remove_unused_columns=False,
        **run.precision_args(),
    )
    DistillationTrainer(
        model=student,
        args=arguments,
        train_dataset=train,
        processing_class=student_tokenizer,
        data_collator=DataCollatorWithPadding(student_tokenizer),
        alpha=distill["alpha"],
        temperature=distill["temperature"],
    ).train()
    for name, model, tokenizer in [
        ("teacher", teacher, teacher_tokenizer),
        ("student", student, student_tokenizer),
    ]:
        model.save_pretrained(folder / name)
        tokenizer.save_pretrained(folder / name)


def teacher_and_student(run):
    """(teacher, teacher tokenizer, student, student tokenizer) that
    chapter 9 saved under run.output_dir('distillation'); made here
    first, as chapter 9 makes them, when chapter 9 has not run in this
    profile (with the same BERTCOURSE_OUTPUT)."""
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
    )

    folder = run.output_dir("distillation")
    if not all(
        (folder / name / "config.json").exists()
        for name in ("teacher", "student")
    ):
        print(
            "chapter 9's teacher and distilled student are not in "
            f"{folder}: making them now (run notebooks/09_distillation "
            "to see how, and to keep them for next time)"
        )
        train_as_chapter_9(run, folder)
    loaded = []
    for name in ("teacher", "student"):
        loaded += [
            AutoModelForSequenceClassification.from_pretrained(
                folder / name
            ).eval(),
            AutoTokenizer.from_pretrained(folder / name),
        ]
    return tuple(loaded)
