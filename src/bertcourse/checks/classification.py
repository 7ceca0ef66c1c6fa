"""Lab 3: metrics from a classifier's logits, and its most confident mistakes."""

from ._core import call, fail, passed


def _hidden_predictions(seed, n=40, classes=2):
    import numpy as np

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    logits = rng.normal(0, 1.5, (n, classes))
    logits[np.arange(n), labels] += 1.0  # better than chance, not perfect
    logits[:, 0] += 2.0  # so that thresholding the positive logit at 0.5 or 0 gives other answers
    return logits, labels


def compute_metrics(function):
    """function(eval_pred) -> {"accuracy": ..., "f1": ...} as fractions; f1 of the positive class."""
    from sklearn.metrics import accuracy_score, f1_score
    from transformers import EvalPrediction

    for seed in (1, 2, 3):
        logits, labels = _hidden_predictions(seed)
        result = call(function, EvalPrediction(predictions=logits, label_ids=labels))
        if not isinstance(result, dict) or not {"accuracy", "f1"} <= set(result):
            fail(function, f"it returned {result!r:.80}; Trainer needs a dict with the keys 'accuracy' and 'f1'.",
                 'return {"accuracy": ..., "f1": ...}.')
        predictions = logits.argmax(axis=-1)
        expected = {"accuracy": accuracy_score(labels, predictions), "f1": f1_score(labels, predictions)}
        got = {key: float(result[key]) for key in expected}
        if all(abs(got[k] - expected[k]) < 1e-6 for k in expected):
            continue
        if any(abs(got[k] - 100 * expected[k]) < 1e-4 for k in expected):
            fail(function, "it returns percentages.", "return fractions between 0 and 1; the book formats them.")
        if abs(got["f1"] - f1_score(labels, predictions, average="macro")) < 1e-6:
            fail(function, "its f1 is the macro average over both classes.",
                 "SST-2's F1 is the positive class's: f1_score(labels, predictions) (average='binary').")
        if abs(got["f1"] - f1_score(predictions, labels)) < 1e-6 and abs(got["f1"] - expected["f1"]) > 1e-6:
            fail(function, "its f1 has the arguments swapped.", "scikit-learn takes (y_true, y_pred).")
        fail(function, f"on hidden logits it gives accuracy {got['accuracy']:.3f} and f1 {got['f1']:.3f}; "
             f"expected {expected['accuracy']:.3f} and {expected['f1']:.3f}.",
             "the predicted class is the argmax of each row of logits (axis=-1); logits are not "
             "probabilities, so do not threshold them at 0.5.")
    passed(function, "accuracy and F1 match scikit-learn on 3 hidden sets of logits.")


def _reference_errors(labels, probabilities, k):
    import numpy as np

    predicted = probabilities.argmax(axis=-1)
    confidence = probabilities.max(axis=-1)
    wrong = np.flatnonzero(predicted != labels)
    return [int(i) for i in wrong[np.argsort(-confidence[wrong], kind="stable")][:k]]


def confident_errors(function):
    """function(labels, probabilities, k) -> the indices of the k wrong predictions made
    with the highest confidence (probability of the predicted class), most confident first."""
    import numpy as np

    rng = np.random.default_rng(7)
    cases = []
    for classes, n, k in [(2, 60, 5), (2, 30, 3), (3, 50, 4)]:
        logits = rng.normal(0, 2, (n, classes))
        probabilities = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
        labels = rng.integers(0, classes, n)
        cases.append((labels, probabilities, k))
    for labels, probabilities, k in cases:
        expected = _reference_errors(labels, probabilities, k)
        got = call(function, labels.copy(), probabilities.copy(), k)
        try:
            got = [int(i) for i in got]
        except (TypeError, ValueError):
            fail(function, f"it returned {got!r:.60}; expected a list of {k} indices.", "return a list of ints.")
        if got == expected:
            continue
        predicted = probabilities.argmax(axis=-1)
        if any(predicted[i] == labels[i] for i in got if 0 <= i < len(labels)):
            fail(function, "its list contains predictions that are right.",
                 "keep only the indices where the predicted class differs from the label.")
        if len(got) != min(k, len(expected)) and set(got) != set(expected):
            fail(function, f"it returned {len(got)} indices; expected the top k = {k}.", "cut the sorted list at k.")
        if got == expected[::-1] or sorted(got) == sorted(expected) and got != expected:
            fail(function, "the right mistakes, in the wrong order.", "sort by confidence, highest first.")
        fail(function, f"with {probabilities.shape[1]} classes it picked {got}, expected {expected}.",
             "confidence = the probability of the predicted class (probabilities.max(axis=-1)), "
             "not of the true label; sort the wrong ones by it, highest first.")
    passed(function, "the right mistakes in the right order on 3 hidden sets (2 and 3 classes).")
