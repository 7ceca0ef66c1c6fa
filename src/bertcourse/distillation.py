"""Knowledge distillation for sequence classification, as chapter 9 builds it.

Chapter 9 writes this code in its cells and checks that the package's version gives the
same loss; chapter 10 calls `teacher_and_student` to load the teacher and the distilled
student that chapter 9 saved.
"""

import copy
import re

import torch
import torch.nn.functional as F
from transformers import Trainer

from .errors import CourseError


def distillation_loss(student_logits, teacher_logits, labels, alpha, temperature):
    """alpha x cross-entropy on the hard labels + (1 - alpha) x T^2 x KL(teacher || student),
    both distributions softened by the temperature T (Hinton et al. 2015)."""
    hard = F.cross_entropy(student_logits, labels)
    soft = F.kl_div(F.log_softmax(student_logits / temperature, dim=-1),
                    F.softmax(teacher_logits / temperature, dim=-1), reduction="batchmean")
    return alpha * hard + (1 - alpha) * temperature**2 * soft


class DistillationTrainer(Trainer):
    """A Trainer whose loss mixes the hard labels with a teacher's soft targets. The
    teacher's logits come with the batch (`teacher_logits`, cached once) or, when they
    are missing, from the teacher itself, which then must share the student's tokenizer."""

    def __init__(self, *args, teacher=None, alpha=0.5, temperature=2.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.alpha, self.temperature = alpha, temperature
        self.teacher = teacher.to(self.model.device).eval() if teacher is not None else None

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        teacher_logits = inputs.pop("teacher_logits", None)
        outputs = model(**inputs)
        if teacher_logits is None:
            if self.teacher is None:
                raise CourseError("No teacher logits in the batch and no teacher: pass teacher=... "
                                  "or add a teacher_logits column.")
            with torch.no_grad():
                teacher_logits = self.teacher(**{k: v for k, v in inputs.items() if k != "labels"}).logits
        loss = distillation_loss(outputs.logits, teacher_logits, inputs["labels"],
                                 self.alpha, self.temperature)
        return (loss, outputs) if return_outputs else loss


def alternate_layer_student(teacher, n_layers):
    """A model of the teacher's class with `n_layers` layers copied from the teacher's
    layers 0, 2, 4, ... (chapter 4's initialisation), with its embeddings and head."""
    kept = list(range(0, teacher.config.num_hidden_layers, 2))[:n_layers]
    config = copy.deepcopy(teacher.config)
    config.num_hidden_layers = len(kept)
    student = type(teacher)(config)
    weights = teacher.state_dict()

    def source(key):  # "...encoder.layer.1.xxx" -> "...encoder.layer.<kept[1]>.xxx"
        return re.sub(r"encoder\.layer\.(\d+)\.", lambda m: f"encoder.layer.{kept[int(m.group(1))]}.", key)

    student.load_state_dict({key: weights[source(key)] for key in student.state_dict()})
    return student


def teacher_and_student(run):
    """(teacher, teacher tokenizer, student, student tokenizer) that chapter 9 saved under
    run.output_dir('distillation'); a clear error when chapter 9 has not run."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = run.output_dir("distillation")
    if not all((folder / name / "config.json").exists() for name in ("teacher", "student")):
        raise CourseError(f"The teacher and the distilled student of chapter 9 are not in {folder}. "
                          "Fix: run notebooks/09_distillation first, in the same profile and with the "
                          "same BERTCOURSE_OUTPUT (in Colab: the same Drive folder), then run this "
                          "notebook again.")
    loaded = []
    for name in ("teacher", "student"):
        loaded += [AutoModelForSequenceClassification.from_pretrained(folder / name).eval(),
                   AutoTokenizer.from_pretrained(folder / name)]
    return tuple(loaded)
