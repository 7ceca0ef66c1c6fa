"""Lab 3: metrics from a classifier's logits, its most confident
mistakes, and whether a group of sentences is wrong more often than the
rest."""

from ._core import (
    CheckFailed,
    call,
    fail,
    int_list,
    kind,
    named_mistake,
    number,
    passed,
)

# The smallest cases come first: a failure is shown on the first case
# that fails, and a small one can be printed whole. Every named mistake
# gives another value than the right answer on at least one case, and
# than every other named mistake on at least one case.
SMALL_LOGITS = [
    [1.0, 0.4],
    [0.2, 0.3],
    [2.0, -1.0],
    [0.1, 0.9],
    [0.6, 0.7],
    [1.5, 0.2],
]
SMALL_LABELS = [0, 1, 1, 1, 0, 0]


def _hidden_predictions(seed, n=40, classes=2):
    import numpy as np

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    logits = rng.normal(0, 1.5, (n, classes))
    # better than chance, not perfect
    logits[np.arange(n), labels] += 1.0
    # so that thresholding the positive logit at 0.5 or 0 gives other
    # answers
    logits[:, 0] += 2.0
    return logits, labels


def _metric_cases():
    import numpy as np

    cases = [(np.array(SMALL_LOGITS), np.array(SMALL_LABELS))]
    return cases + [_hidden_predictions(seed) for seed in (1, 2, 3)]


def _metric_variants(logits, labels):
    """(metrics, what, hint) of the right answer's typical mistakes on
    these logits."""
    from sklearn.metrics import accuracy_score, f1_score

    predictions = logits.argmax(axis=-1)

    def metrics(predicted, **f1_options):
        return {
            "accuracy": accuracy_score(labels, predicted),
            "f1": f1_score(
                labels, predicted, zero_division=0, **f1_options
            ),
        }

    right = metrics(predictions)
    threshold = (
        (
            "it gives each sentence the class 1 when one logit "
            "passes a threshold."
        ),
        (
            "logits are scores, not probabilities, and their scale "
            "is arbitrary: which class does a row of scores point "
            "to?"
        ),
    )
    return [
        (metrics((logits[:, 1] > 0.5).astype(int)), *threshold),
        (metrics((logits[:, 1] > 0).astype(int)), *threshold),
        (
            metrics(predictions, average="macro"),
            "its f1 is the average over both classes (macro).",
            (
                "SST-2 reports the F1 of the positive class (label "
                "1) only: see f1_score's `average`."
            ),
        ),
        (
            metrics(predictions, average="weighted"),
            "its f1 is the weighted average over both classes.",
            (
                "SST-2 reports the F1 of the positive class (label "
                "1) only: see f1_score's `average`."
            ),
        ),
        (
            metrics(predictions, average="micro"),
            "its f1 is the micro average, which equals the accuracy.",
            (
                "SST-2 reports the F1 of the positive class (label "
                "1) only: see f1_score's `average`."
            ),
        ),
        (
            metrics(predictions, pos_label=0),
            "its f1 is the negative class's (label 0).",
            (
                "the F1 of SST-2 is the positive class's, label 1: "
                "see f1_score's `pos_label`."
            ),
        ),
        (
            {key: 100 * value for key, value in right.items()},
            "it returns percentages.",
            "return fractions between 0 and 1; the book formats them.",
        ),
    ]


def _show(rows):
    return (
        "["
        + ", ".join(
            "[" + ", ".join(f"{x:g}" for x in row) + "]" for row in rows
        )
        + "]"
    )


def compute_metrics(function):
    """function(eval_pred) -> {"accuracy": ..., "f1": ...} as fractions;
    the positive class's f1."""
    from sklearn.metrics import accuracy_score, f1_score
    from transformers import EvalPrediction

    failures = []
    for logits, labels in _metric_cases():
        try:
            result = call(
                function,
                EvalPrediction(
                    predictions=logits.copy(), label_ids=labels.copy()
                ),
            )
        except CheckFailed as error:
            # scikit-learn's words for scores given as classes
            if "handle a mix of" in str(error):
                fail(
                    function,
                    "scikit-learn got the logits (two scores per "
                    "sentence) where it needs one class per "
                    "sentence.",
                    "turn each row of logits into the class it "
                    "predicts.",
                )
            if "inconsistent numbers of samples" in str(error):
                fail(
                    function,
                    f"its predictions and the {len(labels)} labels "
                    "differ in length.",
                    "one prediction per sentence: logits has one row "
                    "per sentence, one column per class.",
                )
            raise
        if not isinstance(result, dict) or not {
            "accuracy",
            "f1",
        } <= set(result):
            fail(
                function,
                f"it returned {kind(result)}; Trainer needs a dict "
                "with the keys 'accuracy' and 'f1'.",
                'return {"accuracy": ..., "f1": ...}.',
            )
        for key in ("accuracy", "f1"):
            if number(result[key]) is None:
                fail(
                    function,
                    f"its {key!r} is {kind(result[key])}, not one "
                    "number.",
                    "each metric is one number: with f1_score, "
                    "`average` decides how the per-class scores "
                    "become one (average=None keeps one per class).",
                )
        got = {key: number(result[key]) for key in ("accuracy", "f1")}
        variants = _metric_variants(logits, labels)
        predictions = logits.argmax(axis=-1)
        expected = {
            "accuracy": accuracy_score(labels, predictions),
            "f1": f1_score(labels, predictions, zero_division=0),
        }
        if any(abs(got[k] - expected[k]) > 1e-6 for k in expected):
            failures.append((logits, labels, got, expected, variants))
    if not failures:
        passed(
            function,
            "accuracy and F1 match scikit-learn on 4 sets of logits.",
        )
        return

    def same(a, b):
        return all(abs(a[k] - b[k]) < 1e-6 for k in ("accuracy", "f1"))

    for logits, labels, got, expected, variants in failures:
        mistake = named_mistake(got, variants, same)
        if mistake:
            fail(function, mistake[1], mistake[2])
    logits, labels, got, expected, _ = failures[0]
    where = (
        (
            f"on logits {_show(logits)} with labels "
            f"{list(map(int, labels))}"
        )
        if len(labels) <= 6
        else "on hidden logits"
    )
    fail(
        function,
        f"{where} it gives accuracy {got['accuracy']:.3f} and f1 "
        f"{got['f1']:.3f}; expected {expected['accuracy']:.3f} and "
        f"{expected['f1']:.3f}.",
        "work the small case by hand: one predicted class per row, "
        "then compare with the labels.",
    )


def _reference_errors(labels, probabilities, k):
    import numpy as np

    predicted = probabilities.argmax(axis=-1)
    confidence = probabilities.max(axis=-1)
    wrong = np.flatnonzero(predicted != labels)
    return [
        int(i)
        for i in wrong[np.argsort(-confidence[wrong], kind="stable")][
            :k
        ]
    ]


def _error_variants(labels, probabilities, k):
    """(indices, what, hint) of the typical mistakes on one case."""
    import numpy as np

    predicted = probabilities.argmax(axis=-1)
    confidence = probabilities.max(axis=-1)
    wrong = np.flatnonzero(predicted != labels)
    by_confidence = wrong[np.argsort(-confidence[wrong], kind="stable")]
    masked = np.where(predicted != labels, confidence, -1.0)
    true_label = probabilities[np.arange(len(labels)), labels]
    return [
        (
            np.argsort(-confidence, kind="stable")[:k],
            "its list contains predictions that are right.",
            (
                "a mistake is a sentence whose predicted class "
                "differs from its label."
            ),
        ),
        (
            np.argsort(-masked, kind="stable")[:k],
            (
                f"with fewer than k = {k} mistakes it fills the list "
                "up with right predictions."
            ),
            (
                "when there are fewer than k mistakes, return all of "
                "them and nothing else."
            ),
        ),
        (
            np.argsort(-confidence[wrong], kind="stable")[:k],
            (
                "it returns positions in the list of mistakes, not "
                "indices of the dataset."
            ),
            (
                "return indices into labels, so that labels[i] is "
                "that sentence's label."
            ),
        ),
        (
            by_confidence[::-1][:k],
            "it returns the least confident mistakes first.",
            (
                "most confident first: sort from the highest "
                "confidence down."
            ),
        ),
        (
            by_confidence[:k][::-1],
            "the right mistakes, in the wrong order.",
            (
                "most confident first: sort from the highest "
                "confidence down."
            ),
        ),
        (
            wrong[:k],
            (
                "its mistakes are in dataset order, not sorted by "
                "confidence."
            ),
            (
                "sort the mistakes by confidence, highest first, "
                "then keep k."
            ),
        ),
        (
            by_confidence,
            f"it returns every mistake, not the top k = {k}.",
            "cut the sorted list at k.",
        ),
        (
            wrong[np.argsort(true_label[wrong], kind="stable")][:k],
            (
                "its confidence is the probability of the true "
                "label, not of the predicted class."
            ),
            (
                "a prediction's confidence is the probability the "
                "model gives the class it predicts; with 3 classes "
                "that differs from 1 - p(true label)."
            ),
        ),
        (
            wrong[np.argsort(-probabilities[wrong, -1], kind="stable")][
                :k
            ],
            (
                "its confidence is the probability of the last "
                "class, whatever the model predicted."
            ),
            (
                "a prediction's confidence is the probability the "
                "model gives the class it predicts."
            ),
        ),
    ]


def _error_cases():
    import numpy as np

    small = [
        # 4 mistakes (0, 2, 3, 5), k = 2
        (
            [1, 0, 1, 1, 0, 0],
            [
                [0.9, 0.1],
                [0.8, 0.2],
                [0.6, 0.4],
                [0.7, 0.3],
                [0.55, 0.45],
                [0.35, 0.65],
            ],
            2,
        ),
        # 2 mistakes (1, 3), k = 3: fewer mistakes than k
        (
            [0, 1, 1, 0, 1],
            [
                [0.9, 0.1],
                [0.8, 0.2],
                [0.3, 0.7],
                [0.4, 0.6],
                [0.1, 0.9],
            ],
            3,
        ),
        # 3 classes: the most confident mistake is not the one with the
        # lowest p(true label)
        (
            [0, 1, 2, 0],
            [
                [0.1, 0.5, 0.4],
                [0.6, 0.3, 0.1],
                [0.2, 0.2, 0.6],
                [0.05, 0.55, 0.4],
            ],
            2,
        ),
    ]
    cases = [(np.array(y), np.array(p), k) for y, p, k in small]
    rng = np.random.default_rng(7)
    for classes, n, k in [(2, 60, 5), (3, 50, 4)]:
        logits = rng.normal(0, 2, (n, classes))
        probabilities = np.exp(logits) / np.exp(logits).sum(
            axis=-1, keepdims=True
        )
        cases.append((rng.integers(0, classes, n), probabilities, k))
    return cases


def confident_errors(function):
    """function(labels, probabilities, k) -> the indices of the k wrong
    predictions made with the highest confidence (probability of the
    predicted class), most confident first; all of them, most confident
    first, when there are fewer than k."""
    failures = []
    for labels, probabilities, k in _error_cases():
        raw = call(function, labels.copy(), probabilities.copy(), k)
        got = int_list(raw)
        if got is None:
            fail(
                function,
                f"it returned {kind(raw)}; expected a list of "
                "dataset indices (ints).",
                "return a list (or array) of the indices, most "
                "confident mistake first.",
            )
        expected = _reference_errors(labels, probabilities, k)
        if got != expected:
            failures.append((labels, probabilities, k, got, expected))
    if not failures:
        passed(
            function,
            "the right mistakes in the right order on 5 cases (2 and "
            "3 classes, fewer mistakes than k included).",
        )
        return
    for labels, probabilities, k, got, expected in failures:
        variants = [
            (int_list(v), what, hint)
            for v, what, hint in _error_variants(
                labels, probabilities, k
            )
        ]
        mistake = named_mistake(
            got,
            [v for v in variants if v[0] != expected],
            lambda a, b: a == b,
        )
        if mistake:
            fail(function, mistake[1], mistake[2])
    labels, probabilities, k, got, expected = failures[0]
    if len(labels) <= 6:
        where = (
            f"for labels {labels.tolist()}, probabilities "
            f"{_show(probabilities)} and k={k}"
        )
    else:
        where = (
            f"on a hidden case with {probabilities.shape[1]} classes "
            f"and k={k}"
        )
    fail(
        function,
        f"{where} it returned {got}; expected {expected}.",
        "work the case by hand: which predictions are wrong, and how "
        "sure was the model of each?",
    )


def _rates(wrong, in_group):
    import numpy as np

    wrong, in_group = (
        np.asarray(wrong, dtype=bool),
        np.asarray(in_group, dtype=bool),
    )
    a, b = wrong[in_group], wrong[~in_group]
    return a.mean(), b.mean(), len(a), len(b)


def _gap_variants(wrong, in_group):
    """(standard error, what, hint) of the typical mistakes, and the
    accepted answers."""
    import numpy as np

    p, q, n, m = _rates(wrong, in_group)
    pooled = (p * n + q * m) / (n + m)
    total = n + m
    right = [
        np.sqrt(p * (1 - p) / n + q * (1 - q) / m),
        np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m)),
        np.sqrt(p * (1 - p) / (n - 1) + q * (1 - q) / (m - 1))
        if min(n, m) > 1
        else None,
    ]
    mistakes = [
        (
            p * (1 - p) / n + q * (1 - q) / m,
            "its standard error is a variance (no square root).",
            "a standard error is the square root of a variance.",
        ),
        (
            np.sqrt(p * (1 - p) / n) + np.sqrt(q * (1 - q) / m),
            (
                "it adds the two standard errors; for a difference "
                "of independent rates, their variances add."
            ),
            "add the variances, then take the square root.",
        ),
        (
            np.sqrt(p * (1 - p) / total + q * (1 - q) / total),
            (
                "each rate's standard error uses every sentence's "
                "count, not its own group's."
            ),
            (
                "a rate measured on n sentences has the variance p(1 "
                "- p) / n, n its group's size."
            ),
        ),
        (
            np.sqrt(p * (1 - p) / n),
            "its standard error counts the group's rate only.",
            (
                "both rates are measured with noise: the difference "
                "carries the variance of both."
            ),
        ),
    ]
    return right, mistakes


def _gap_cases():
    import numpy as np

    rng = np.random.default_rng(21)
    cases = [
        (
            [True, False, False, True, False, False, False, True],
            [True, True, True, False, False, False, False, False],
        )
    ]
    # 1/0 instead of True/False: `~` on an array of ints gives -1 and
    # -2, not a negation
    cases.append(
        ([1, 0, 0, 1, 1, 0, 0, 0, 0, 1], [1, 1, 0, 0, 0, 0, 0, 0, 1, 0])
    )
    for n, share in [(300, 0.2), (120, 0.5)]:
        in_group = rng.random(n) < share
        wrong = rng.random(n) < np.where(in_group, 0.3, 0.15)
        cases.append(
            (wrong, in_group.astype(int) if share == 0.5 else in_group)
        )
    return cases


def compare_groups(function):
    """function(wrong, in_group) -> (rate_in, rate_out, standard_error):
    the error rates of the sentences in and out of a group, and the
    standard error of their difference."""
    import numpy as np

    for wrong, in_group in _gap_cases():
        raw = call(function, np.array(wrong), np.array(in_group))
        values = raw if isinstance(raw, (tuple, list)) else None
        got = (
            [number(v) for v in values]
            if values is not None and len(values) == 3
            else None
        )
        if got is None or None in got:
            fail(
                function,
                f"it returned {kind(raw)}; expected three numbers "
                "(rate_in, rate_out, standard_error).",
                "return rate_in, rate_out, standard_error.",
            )
        p, q, n, _m = _rates(wrong, in_group)
        small = len(wrong) <= 10
        where = (
            (
                f"for wrong={list(map(int, wrong))} and "
                f"in_group={list(map(int, in_group))}"
            )
            if small
            else "on a hidden set of sentences"
        )
        if abs(got[0] - p) > 1e-9 or abs(got[1] - q) > 1e-9:
            if (
                abs(got[0] - q) < 1e-9
                and abs(got[1] - p) < 1e-9
                and abs(p - q) > 1e-9
            ):
                fail(
                    function,
                    f"{where} its two rates are swapped.",
                    "rate_in is the error rate inside the group, "
                    "rate_out outside.",
                )
            if abs(got[0] - p * n) < 1e-9 and abs(p * n - p) > 1e-9:
                fail(
                    function,
                    f"{where} it returns counts of mistakes, not "
                    "rates.",
                    "a rate is the share of the group's sentences "
                    "that are wrong.",
                )
            fail(
                function,
                f"{where} it returned rates {got[0]:.3f} and "
                f"{got[1]:.3f}; expected {p:.3f} and {q:.3f}.",
                "in_group holds one truth value per sentence (True "
                "or 1 in the group); are your two groups the ones "
                "it marks? Try the small case by hand.",
            )
        right, mistakes = _gap_variants(wrong, in_group)
        if any(r is not None and abs(got[2] - r) < 1e-9 for r in right):
            continue
        mistake = named_mistake(
            got[2], mistakes, lambda a, b: abs(a - b) < 1e-9
        )
        if mistake:
            fail(function, f"{where} {mistake[1]}", mistake[2])
        fail(
            function,
            f"{where} its standard error is {got[2]:.4f}; expected "
            f"{right[0]:.4f}.",
            "each rate has the variance p(1 - p) / n over its own "
            "group; how does the variance of a difference of two "
            "independent estimates follow from theirs?",
        )
    passed(
        function,
        "rates and standard error right on 4 cases (True/False and "
        "1/0 groups).",
    )
