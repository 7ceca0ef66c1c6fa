"""Metric floors for the `course` profile: what chapters 6 to 9 must
reach on the real datasets before a cohort meets them, and the reader
that checks an executed notebook.

    python -m bertcourse.floors check OUTPUT_DIR

(after `make check-course` ran them).

Each floor is a published result on the same split minus a margin for
the course's shortened runs (subsampled training sets, fewer epochs: see
the registry), written out with its source, so a failing check says
which number it missed and why that number. The notebooks expose their
metrics with `myst_nb.glue(key, value, display=False)`.
"""

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import CourseError


@dataclass(frozen=True)
class Floor:
    """A published result minus a margin (or plus it, for a metric that
    must stay low)."""

    notebook: str  # the notebook's stem, under notebooks/
    key: str  # the glue key (a derived key is computed from DERIVED)
    metric: str
    published: float
    margin: float
    source: str
    why_margin: str
    # a ceiling: the value must not exceed published + margin
    at_most: bool = False

    @property
    def floor(self):
        bound = (
            self.published + self.margin
            if self.at_most
            else self.published - self.margin
        )
        return round(bound, 6)

    def passes(self, value):
        return (
            value <= self.floor if self.at_most else value >= self.floor
        )


FLOORS = [
    Floor(
        "06_sentiment_sst2_roberta",
        "sst2_accuracy",
        "accuracy on SST-2 validation (0-1)",
        0.948,
        0.030,
        "roberta.base, SST-2 dev 94.8: fairseq "
        "examples/roberta/README.md, 'Results on GLUE tasks (dev "
        "set, single model, single-task finetuning)' (Liu et al. "
        "2019 report only RoBERTa-large per task: Table 8, 96.4)",
        "the course trains on 20,000 of 67,349 sentences for 2 "
        "epochs (the fairseq result fine-tunes on all of them); "
        "872 sentences give a standard error of about 0.8 points "
        "at 94 %",
    ),
    Floor(
        "07_ner_conll_albert",
        "conll2003_entity_f1",
        "entity F1 on CoNLL-2003 validation (seqeval, 0-1)",
        0.9338,
        0.025,
        "albert-base-v2 fine-tuned on conll2003, evaluation "
        "(validation) F1 0.9338 after 3 epochs: model card "
        "ArBert/albert-base-v2-finetuned-ner on the Hugging Face "
        "hub (BERT-base: 96.4 dev F1 with document context, Devlin "
        "et al. 2018, Table 7)",
        "same data and epochs as the model card but another "
        "learning rate and batch size (5e-5 and 16 against 2e-5 "
        "and 8); ALBERT's fine-tuning varies between seeds",
    ),
    Floor(
        "08_qa_squad_distilbert",
        "squad_exact_match",
        "exact match on SQuAD v1.1 validation (0-100)",
        77.7,
        10.0,
        "DistilBERT, SQuAD v1.1 dev EM/F1 77.7/85.8: Sanh et al. "
        "2019, Table 2",
        "the course trains on 20,000 of 87,599 questions for 2 "
        "epochs and scores 2,000 validation questions; exact match "
        "falls faster than F1 with less training data",
    ),
    Floor(
        "08_qa_squad_distilbert",
        "squad_f1",
        "F1 on SQuAD v1.1 validation (0-100)",
        85.8,
        8.0,
        "DistilBERT, SQuAD v1.1 dev EM/F1 77.7/85.8: Sanh et al. "
        "2019, Table 2",
        "the course trains on 20,000 of 87,599 questions for 2 "
        "epochs and scores 2,000 validation questions",
    ),
    Floor(
        "09_distillation",
        "distilled_student_accuracy",
        "distilled DistilBERT's accuracy on SST-2 validation (0-1)",
        0.913,
        0.030,
        "DistilBERT, SST-2 dev 91.3 (fine-tuned on all of SST-2): "
        "Sanh et al. 2019, Table 1",
        "the course's student sees 20,000 sentences for 2 epochs, "
        "with a RoBERTa teacher trained on the same 20,000",
    ),
    Floor(
        "09_distillation",
        "distillation_drop",
        "teacher's minus distilled student's accuracy (0-1, at most)",
        0.035,
        0.020,
        "RoBERTa-base 94.8 (fairseq README, above) minus DistilBERT "
        "91.3 (Sanh et al. 2019, Table 1) on SST-2 dev: 3.5 points "
        "between independently fine-tuned models",
        "both models are trained on the course's 20,000 sentences; a "
        "drop of up to 2 points more than the published gap is "
        "allowed for the shorter runs",
        at_most=True,
    ),
]

# Keys computed from glued keys: name -> (minuend, subtrahend).
DERIVED = {
    "distillation_drop": (
        "teacher_accuracy",
        "distilled_student_accuracy",
    )
}
NOTEBOOKS = list(dict.fromkeys(f.notebook for f in FLOORS))

# myst_nb.ext.glue: display=False outputs
GLUE_PREFIX = "application/papermill.record/"
# np.float64(0.93) under numpy 2
NUMBER_IN_CALL = re.compile(r"^[\w.]+\((.*)\)$")


def _value(text):
    """The Python value of a glued text/plain repr (numbers, strings;
    numpy scalars too)."""
    text = text.strip()
    call = NUMBER_IN_CALL.match(text)
    if call:
        text = call.group(1)
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def glued_values(ipynb_path):
    """{key: value} of everything glued in an executed notebook
    (myst_nb's glue outputs carry metadata `scrapbook: {name,
    mime_prefix}`; the value is their text/plain)."""
    import nbformat

    notebook = nbformat.read(ipynb_path, as_version=4)
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            data = {
                key.removeprefix(prefix): value
                for key, value in output.get("data", {}).items()
            }
            if "text/plain" in data:
                values[meta["name"]] = _value(data["text/plain"])
    return values


@dataclass
class Result:
    floor: Floor
    value: object  # None when missing
    problem: str = ""

    @property
    def ok(self):
        return not self.problem

    def row(self):
        value = "missing" if self.value is None else f"{self.value:.4g}"
        sign = "<=" if self.floor.at_most else ">="
        return (
            f"{self.floor.notebook:<28} {self.floor.key:<28} "
            f"{value:>9} {sign} {self.floor.floor:<8g} "
            f"{'ok' if self.ok else 'FAIL'}"
        )


def compare(notebook, values, floors=FLOORS):
    """One Result per floor of `notebook`, given its glued `values`."""
    results = []
    for floor in (f for f in floors if f.notebook == notebook):
        parts = DERIVED.get(floor.key, (floor.key,))
        missing = [key for key in parts if key not in values]
        if missing:
            results.append(
                Result(
                    floor,
                    None,
                    (
                        f"{notebook}: {floor.metric}: glued key(s) "
                        f"{', '.join(map(repr, missing))} missing "
                        "from the executed notebook. Fix: the "
                        "notebook must call "
                        f"myst_nb.glue({missing[0]!r}, value, "
                        "display=False)"
                    ),
                )
            )
            continue
        try:
            numbers = [float(values[key]) for key in parts]
        except (TypeError, ValueError):
            results.append(
                Result(
                    floor,
                    None,
                    (
                        f"{notebook}: {floor.metric}: glued {parts!r} "
                        "is not a number: "
                        f"{[values[key] for key in parts]!r}"
                    ),
                )
            )
            continue
        value = (
            numbers[0] - numbers[1] if len(numbers) == 2 else numbers[0]
        )
        result = Result(floor, value)
        if not floor.passes(value):
            relation = (
                "above its ceiling"
                if floor.at_most
                else "below its floor"
            )
            result.problem = (
                f"{notebook}: {floor.metric} = {value:.4g} is "
                f"{relation} {floor.floor:g} (published "
                f"{floor.published:g} {'+' if floor.at_most else '-'} "
                f"margin {floor.margin:g}; {floor.source})"
            )
        results.append(result)
    return results


def check_folder(folder, floors=FLOORS):
    """Results for every floored notebook executed into `folder`
    (NN_topic.ipynb)."""
    results = []
    for notebook in dict.fromkeys(f.notebook for f in floors):
        path = Path(folder) / f"{notebook}.ipynb"
        if not path.exists():
            results += [
                Result(
                    f,
                    None,
                    f"{notebook}: no executed notebook at {path}",
                )
                for f in floors
                if f.notebook == notebook
            ]
            continue
        results += compare(notebook, glued_values(path), floors)
    return results


def report(results):
    lines = [
        (
            f"{'notebook':<28} {'metric':<28} {'value':>9}    "
            f"{'floor':<8} result"
        )
    ]
    lines += [r.row() for r in results]
    lines += [r.problem for r in results if not r.ok]
    return "\n".join(lines)


def markdown():
    """The floor table for book/instructors.md: a narrow table, then
    each floor's source and the reason for its margin (long texts read
    better as a list than in a column)."""
    rows = [
        "| glue key | published | margin | floor |",
        "|---|---:|---:|---:|",
    ]
    notes = []
    for f in FLOORS:
        bound = f"≤ {f.floor:g}" if f.at_most else f"{f.floor:g}"
        rows.append(
            f"| `{f.key}` | {f.published:g} | {f.margin:g} | {bound} |"
        )
        notes.append(
            f"- `{f.key}`, {{doc}}`../notebooks/{f.notebook}`: "
            f"{f.metric}. "
            f"**Source**: {f.source}. **Margin**: "
            f"{f.why_margin}."
        )
    return "\n".join(rows + [""] + notes) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "check":
        print(
            "usage: python -m bertcourse.floors check OUTPUT_DIR",
            file=sys.stderr,
        )
        return 2
    try:
        results = check_folder(argv[1])
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
