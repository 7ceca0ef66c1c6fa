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

SHALLOW_STUDENT = (
    "shallow-student"  # chapter 9's folder for the shallower student
)


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


def layer_student(teacher, kept):
    """A model of the teacher's class made of the teacher's layers
    `kept` (in that order), with its embeddings and head: chapter 4's
    initialisation (DistilBERT's) for any choice of layers."""
    kept = [int(k) for k in kept]
    if not kept or not all(
        0 <= k < teacher.config.num_hidden_layers for k in kept
    ):
        raise CourseError(
            f"Layers {kept} are not layers of a "
            f"{teacher.config.num_hidden_layers}-layer teacher."
        )
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


def alternate_layer_student(teacher, n_layers):
    """A model of the teacher's class with `n_layers` layers copied from
    the teacher's layers 0, 2, 4, ... (chapter 4's initialisation), with
    its embeddings and head."""
    return layer_student(
        teacher,
        list(range(0, teacher.config.num_hidden_layers, 2))[:n_layers],
    )


def spread_layers(teacher_layers, n_layers):
    """`n_layers` teacher layers spread evenly over its depth, first and
    last included (6 layers, 2 kept: 0 and 5; 12 layers, 3 kept: 0, 6
    and 11)."""
    if not 1 <= n_layers <= teacher_layers:
        raise CourseError(
            f"Cannot keep {n_layers} of {teacher_layers} layers."
        )
    if n_layers == 1:
        return [0]
    return sorted(
        {
            round(i * (teacher_layers - 1) / (n_layers - 1))
            for i in range(n_layers)
        }
    )


def hidden_state_loss(student_hidden, teacher_hidden, attention_mask):
    """DistilBERT's L_cos: 1 - cosine between the student's and the
    teacher's last hidden states, averaged over the real (unpadded)
    tokens of the batch."""
    real = attention_mask.bool()
    student_hidden, teacher_hidden = (
        student_hidden[real],
        teacher_hidden[real],
    )
    target = torch.ones(
        len(student_hidden), device=student_hidden.device
    )
    return F.cosine_embedding_loss(
        student_hidden, teacher_hidden, target
    )


class HiddenStateDistillationTrainer(DistillationTrainer):
    """DistilBERT's recipe for a classifier: the distillation loss on
    the logits plus `cosine_weight` x the cosine loss between the
    student's and the teacher's last hidden states at every real token.
    The teacher runs on every batch (hidden states are too large to
    cache), so it must share the student's tokenizer."""

    def __init__(self, *args, cosine_weight=1.0, **kwargs):
        super().__init__(*args, **kwargs)
        if self.teacher is None:
            raise CourseError(
                "The hidden-state loss needs the teacher itself: pass "
                "teacher=..."
            )
        self.cosine_weight = cosine_weight

    def compute_loss(
        self,
        model,
        inputs,
        return_outputs=False,
        num_items_in_batch=None,
    ):
        inputs = {
            k: v for k, v in inputs.items() if k != "teacher_logits"
        }  # the teacher runs anyway
        labels = inputs.pop("labels")
        outputs = model(**inputs, output_hidden_states=True)
        with torch.no_grad():
            teacher_outputs = self.teacher(
                **inputs, output_hidden_states=True
            )
        loss = distillation_loss(
            outputs.logits,
            teacher_outputs.logits,
            labels,
            self.alpha,
            self.temperature,
        )
        loss = loss + self.cosine_weight * hidden_state_loss(
            outputs.hidden_states[-1],
            teacher_outputs.hidden_states[-1],
            inputs["attention_mask"],
        )
        return (loss, outputs) if return_outputs else loss


def finished_checkpoint(folder, epochs):
    """The last checkpoint in `folder` if its training reached
    `epochs`, else None."""
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


def train_as_chapter_9(
    run, folder, students=("student", SHALLOW_STUDENT)
):
    """Chapter 9's teacher and distilled students, made the way chapter
    9 makes them, for a learner who opens chapter 10 first (Colab's
    first click): chapter 6's fine-tuned model as the teacher (trained
    here with chapter 6's code when it is missing, resuming from a
    partial run); for "student", the registry's student, the teacher's
    logits cached as a column, then the distillation loss; for
    SHALLOW_STUDENT, the registry's shallower student cut from the
    teacher, trained with DistilBERT's recipe (logits + hidden-state
    cosine loss). Saved in `folder` as chapter 9 saves them."""
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

    def arguments(name, epochs, learning_rate, **logging):
        # chapter 9's training_args
        return TrainingArguments(
            output_dir=str(folder / "runs" / name),
            num_train_epochs=epochs,
            per_device_train_batch_size=settings.batch_size,
            learning_rate=learning_rate,
            warmup_steps=0.1,
            weight_decay=0.01,
            seed=run.seed,
            save_strategy="no",
            report_to="none",
            disable_tqdm=False,
            remove_unused_columns=False,
            **run.precision_args(),
            **logging,
        )

    teacher.save_pretrained(folder / "teacher")
    teacher_tokenizer.save_pretrained(folder / "teacher")
    if SHALLOW_STUDENT in students:
        print(
            "distilling the shallower student with DistilBERT's "
            "recipe, as chapter 9 does"
        )
        shallow = distill["shallow"]
        set_seed(run.seed)
        student = layer_student(
            teacher,
            spread_layers(
                teacher.config.num_hidden_layers, shallow["layers"]
            ),
        )
        train = sst2["train"].map(
            sentiment.tokenize_function(
                teacher_tokenizer, settings.max_length
            ),
            batched=True,
            remove_columns=["sentence", "idx"],
        )
        HiddenStateDistillationTrainer(
            model=student,
            args=arguments(
                SHALLOW_STUDENT,
                shallow["epochs"],
                shallow["learning_rate"],
                logging_strategy="no",
            ),
            train_dataset=train,
            processing_class=teacher_tokenizer,
            data_collator=DataCollatorWithPadding(teacher_tokenizer),
            teacher=teacher,
            alpha=distill["alpha"],
            temperature=distill["temperature"],
            cosine_weight=shallow["cosine_weight"],
        ).train()
        student.save_pretrained(folder / SHALLOW_STUDENT)
        teacher_tokenizer.save_pretrained(folder / SHALLOW_STUDENT)
    if "student" not in students:
        return
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
    DistillationTrainer(
        model=student,
        args=arguments(
            "distilled",
            distill["epochs"],
            distill["learning_rate"],
            logging_strategy="epoch",
        ),
        train_dataset=train,
        processing_class=student_tokenizer,
        data_collator=DataCollatorWithPadding(student_tokenizer),
        alpha=distill["alpha"],
        temperature=distill["temperature"],
    ).train()
    student.save_pretrained(folder / "student")
    student_tokenizer.save_pretrained(folder / "student")


def teacher_and_student(run, student="student"):
    """(teacher, teacher tokenizer, student, student tokenizer) that
    chapter 9 saved under run.output_dir('distillation'); made here
    first, as chapter 9 makes them, when chapter 9 has not run in this
    profile (with the same BERTCOURSE_OUTPUT). `student` names the
    folder: "student" (the distilled student) or SHALLOW_STUDENT (the
    shallower student trained with DistilBERT's recipe)."""
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
    )

    if student not in ("student", SHALLOW_STUDENT):
        raise CourseError(
            "Chapter 9 saves the students 'student' and "
            f"{SHALLOW_STUDENT!r}, not {student!r}."
        )
    folder = run.output_dir("distillation")
    if not all(
        (folder / name / "config.json").exists()
        for name in ("teacher", student)
    ):
        print(
            f"chapter 9's teacher and {student} are not in {folder}: "
            "making them now (run notebooks/09_distillation to see "
            "how, and to keep them for next time)"
        )
        train_as_chapter_9(run, folder, students=(student,))
    loaded = []
    for name in ("teacher", student):
        loaded += [
            AutoModelForSequenceClassification.from_pretrained(
                folder / name
            ).eval(),
            AutoTokenizer.from_pretrained(folder / name),
        ]
    return tuple(loaded)
