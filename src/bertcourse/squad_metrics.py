"""Exact match and F1 for extractive question answering, as the official
SQuAD v1.1 evaluation script defines them (``evaluate-v1.1.py``,
Rajpurkar et al. 2016).

`evaluate.load("squad")` downloads that script at run time, which fails
offline; this is the same definition in a few lines:

- both answers are normalised: lower case, ASCII punctuation removed,
  the articles a/an/the removed, runs of white space folded into one
  space;
- exact match is 1 when the normalised strings are equal;
- F1 compares the normalised answers as bags of tokens (split on white
  space): the overlap counts each token as often as it occurs in both (a
  Counter intersection);
- a prediction is scored against every gold answer and keeps its best
  score;
- the dataset scores are the means over questions, as percentages.

As in v1.1, F1 is 0 when the two answers share no token, even when both
normalise to nothing (SQuAD v2.0 changed that case for its "no answer"
questions).
"""

import re
import string
from collections import Counter

from .errors import CourseError

__all__ = ["exact_match", "f1", "normalize_answer", "squad_scores"]

# ASCII only, as in the official script
_PUNCTUATION = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text):
    """Lower case, strip punctuation, remove a/an/the, fold white
    space."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _gold_list(gold_answers):
    if isinstance(gold_answers, str):
        return [gold_answers]
    golds = list(gold_answers)
    if not golds or not all(isinstance(g, str) for g in golds):
        raise CourseError(
            "Gold answers must be a string or a non-empty list of "
            f"strings; got {gold_answers!r}. Fix: pass e.g. "
            "example['answers']['text']."
        )
    return golds


def _check_prediction(prediction):
    if not isinstance(prediction, str):
        raise CourseError(
            f"A prediction must be a string (the answer text); got "
            f"{type(prediction).__name__}. Fix: map each "
            "prediction to its text."
        )


def _exact_match_one(prediction, gold):
    return float(normalize_answer(prediction) == normalize_answer(gold))


def _f1_one(prediction, gold):
    predicted = normalize_answer(prediction).split()
    expected = normalize_answer(gold).split()
    same = sum((Counter(predicted) & Counter(expected)).values())
    if same == 0:
        return 0.0
    precision = same / len(predicted)
    recall = same / len(expected)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction, gold_answers):
    """1.0 when the prediction matches one of the gold answers after
    normalisation, else 0.0."""
    _check_prediction(prediction)
    return max(
        _exact_match_one(prediction, g)
        for g in _gold_list(gold_answers)
    )


def f1(prediction, gold_answers):
    """Token-overlap F1 (0 to 1) against the best-matching gold
    answer."""
    _check_prediction(prediction)
    return max(_f1_one(prediction, g) for g in _gold_list(gold_answers))


def squad_scores(predictions, gold_answers):
    """{'exact_match': ..., 'f1': ...}, each the mean over questions in
    percent.

    `predictions` is a list of answer texts; `gold_answers` a list of
    the same length whose items are each question's gold answers (a list
    of strings).
    """
    predictions, gold_answers = list(predictions), list(gold_answers)
    if len(predictions) != len(gold_answers):
        raise CourseError(
            f"{len(predictions)} predictions for {len(gold_answers)} "
            "questions. Fix: pass one prediction per question, in the "
            "same order."
        )
    if not predictions:
        raise CourseError(
            "No questions to score. Fix: pass at least one prediction."
        )
    n = len(predictions)
    return {
        "exact_match": 100
        * sum(
            exact_match(p, g) for p, g in zip(predictions, gold_answers)
        )
        / n,
        "f1": 100
        * sum(f1(p, g) for p, g in zip(predictions, gold_answers))
        / n,
    }
