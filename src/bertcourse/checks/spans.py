"""Lab 5: from start/end logits over windows to the best answer span."""

from ._core import call, fail, passed

QUESTION = "Which river flows through the old town?"
CONTEXT = ("The old town lies on both banks of the river Aar , which flows north from the Alps . "
           "Its bridges were rebuilt in stone after the flood of 1852 , and the river is still "
           "used for swimming in the summer months .")


def _words(text):
    out, position = [], 0
    for word in text.split():
        start = text.index(word, position)
        out.append((start, start + len(word)))
        position = start + len(word)
    return out


def _window(first, last, rng):
    """Tokens [CLS] question [SEP] context words first..last [SEP]: offsets, sequence ids
    and random logits, as a tokenizer and a QA model would give them."""
    q, c = _words(QUESTION), _words(CONTEXT)[first:last]
    offsets = [(0, 0)] + q + [(0, 0)] + c + [(0, 0)]
    sequence_ids = [None] + [0] * len(q) + [None] + [1] * len(c) + [None]
    n = len(offsets)
    return {"start_logits": [float(x) for x in rng.normal(0, 1, n)],
            "end_logits": [float(x) for x in rng.normal(0, 1, n)],
            "offsets": offsets, "sequence_ids": sequence_ids}


def _context_index(window, word):
    """Token index of context word number `word` in a window that starts at context word `first`."""
    return window["sequence_ids"].index(1) + word


def _pairs(window, max_answer_length, in_context=True, ordered=True, limited=True):
    s, e, ids = window["start_logits"], window["end_logits"], window["sequence_ids"]
    n = len(s)
    for i in range(n):
        for j in range(n):
            if in_context and (ids[i] != 1 or ids[j] != 1):
                continue
            if ordered and j < i:
                continue
            if limited and j - i + 1 > max_answer_length:
                continue
            if not in_context and (ids[i] is None or ids[j] is None):
                continue
            yield s[i] + e[j], i, j


def _best(window, max_answer_length, **rules):
    pairs = list(_pairs(window, max_answer_length, **rules))
    if not pairs:
        return None
    score, i, j = max(pairs)
    offsets = window["offsets"]
    return score, offsets[i][0], offsets[j][1]


def _span_cases():
    import numpy as np

    rng = np.random.default_rng(11)
    cases = []
    # 1. the question holds the highest logits: a span that crosses into the question
    w = _window(0, 14, rng)
    w["start_logits"][2] += 9
    w["end_logits"][_context_index(w, 3)] += 6
    cases.append((w, 10))
    # 2. the highest end comes before the highest start
    w = _window(10, 26, rng)
    w["start_logits"][_context_index(w, 9)] += 8
    w["end_logits"][_context_index(w, 2)] += 8
    w["start_logits"][_context_index(w, 4)] += 4
    w["end_logits"][_context_index(w, 6)] += 4
    cases.append((w, 10))
    # 3. the best pair is longer than the maximum answer length
    w = _window(5, 25, rng)
    w["start_logits"][_context_index(w, 1)] += 8
    w["end_logits"][_context_index(w, 17)] += 8
    w["start_logits"][_context_index(w, 8)] += 5
    w["end_logits"][_context_index(w, 9)] += 5
    cases.append((w, 5))
    # 4. an ordinary window
    cases.append((_window(20, 38, rng), 8))
    return cases


def _as_span(result):
    if result is None:
        return None
    score, start, end = result
    return round(float(score), 6), int(start), int(end)


def _explain(function, got, window, max_answer_length):
    candidates = [
        (dict(in_context=False), "its span reaches outside the context (into the question or a special token).",
         "allow only tokens whose sequence id is 1 (the context) as start and end."),
        (dict(ordered=False), "its span ends before it starts.", "skip pairs with end < start."),
        (dict(limited=False), f"its span is longer than max_answer_length = {max_answer_length} tokens.",
         "skip pairs with end - start + 1 > max_answer_length."),
    ]
    for rules, what, hint in candidates:
        wrong = _best(window, max_answer_length, **rules)
        if wrong is not None and got is not None and got[1:] == _as_span(wrong)[1:]:
            fail(function, what, hint)
    s, e = window["start_logits"], window["end_logits"]
    i, j = max(range(len(s)), key=s.__getitem__), max(range(len(e)), key=e.__getitem__)
    if got is not None and got[1:] == (window["offsets"][i][0], window["offsets"][j][1]):
        fail(function, "it takes the best start and the best end separately.",
             "score every valid (start, end) pair by start_logit + end_logit and keep the best pair.")


def best_span(function):
    """function(start_logits, end_logits, offsets, sequence_ids, max_answer_length) ->
    (score, start_char, end_char) of the best valid span of one window, or None."""
    cases = _span_cases()
    for window, max_answer_length in cases:
        expected = _as_span(_best(window, max_answer_length))
        raw = call(function, list(window["start_logits"]), list(window["end_logits"]), list(window["offsets"]),
                   list(window["sequence_ids"]), max_answer_length)
        try:
            got = _as_span(raw)
        except (TypeError, ValueError):
            fail(function, f"it returned {raw!r:.60}; expected (score, start_char, end_char).",
                 "return a tuple of three numbers, or None when no span is valid.")
        if got is not None and got[1:] == expected[1:] and abs(got[0] - expected[0]) > 1e-4:
            fail(function, f"the span is right but its score {got[0]} is not start_logit + end_logit "
                 f"({expected[0]}).", "score = start_logits[i] + end_logits[j].")
        if got is None or got[1:] != expected[1:]:
            _explain(function, got, window, max_answer_length)
            fail(function, f"on a hidden window it chose characters {got and got[1:]}, expected {expected[1:]}.",
                 "valid pairs: both tokens in the context (sequence id 1), end >= start, at most "
                 "max_answer_length tokens; the answer is offsets[start][0] to offsets[end][1].")
    passed(function, f"best valid span on {len(cases)} hidden windows "
           "(traps: question tokens, end before start, too long).")


def _answer_cases():
    import numpy as np

    rng = np.random.default_rng(5)
    cases = []
    # the best span is in the second window; the first window has the highest single start logit
    a, b = _window(0, 16, rng), _window(10, 26, rng)
    a["start_logits"][_context_index(a, 2)] += 7
    b["start_logits"][_context_index(b, 5)] += 6
    b["end_logits"][_context_index(b, 7)] += 6
    cases.append(([a, b], 6))
    # three windows, the best in the first
    a, b, c = _window(0, 14, rng), _window(8, 24, rng), _window(18, 38, rng)
    a["start_logits"][_context_index(a, 9)] += 6
    a["end_logits"][_context_index(a, 10)] += 6
    cases.append(([a, b, c], 6))
    return cases


def best_answer(function):
    """function(context, windows, max_answer_length) -> the answer text: the best span
    over all windows, cut out of the context by its character offsets."""
    cases = _answer_cases()
    for windows, max_answer_length in cases:
        spans = [_best(w, max_answer_length) for w in windows]
        _, start, end = max(s for s in spans if s is not None)
        expected = CONTEXT[start:end]
        got = call(function, CONTEXT, [dict(w) for w in windows], max_answer_length)
        if got == expected:
            continue
        if not isinstance(got, str):
            fail(function, f"it returned {type(got).__name__}; expected the answer text (a str).",
                 "return context[start_char:end_char].")
        _, s0, e0 = spans[0]
        if got == CONTEXT[s0:e0]:
            fail(function, "it looked at the first window only.", "compare the best spans of all windows.")
        if got in (CONTEXT[start:end + 1], CONTEXT[start - 1:end], CONTEXT[start:end - 1]):
            fail(function, f"it returns {got!r}, one character off {expected!r}.",
                 "offsets are (start, end) with end exclusive: context[start_char:end_char].")
        fail(function, f"it returned {got!r}, expected {expected!r}.",
             "keep the span with the highest start_logit + end_logit over all windows.")
    passed(function, f"right answer text on {len(cases)} hidden examples with 2 and 3 windows.")
