"""Lab 5: from start/end logits over windows to the best answer span."""

from ._core import (
    CheckFailed,
    call,
    fail,
    kind,
    name_of,
    named_mistake,
    passed,
)

QUESTION = "Which river flows through the old town?"
CONTEXT = (
    "The old town lies on both banks of the river Aar , which flows "
    "north from the Alps . Its bridges were rebuilt in stone after "
    "the flood of 1852 , and the river is still used for swimming in "
    "the summer months ."
)


def _words(text):
    out, position = [], 0
    for word in text.split():
        start = text.index(word, position)
        out.append((start, start + len(word)))
        position = start + len(word)
    return out


def _window(first, last, rng):
    """Tokens [CLS] question [SEP] context words first..last [SEP]:
    offsets, sequence ids and random logits, as a tokenizer and a QA
    model would give them."""
    q, c = _words(QUESTION), _words(CONTEXT)[first:last]
    offsets = [(0, 0)] + q + [(0, 0)] + c + [(0, 0)]
    sequence_ids = (
        [None] + [0] * len(q) + [None] + [1] * len(c) + [None]
    )
    n = len(offsets)
    return {
        "start_logits": [float(x) for x in rng.normal(0, 1, n)],
        "end_logits": [float(x) for x in rng.normal(0, 1, n)],
        "offsets": offsets,
        "sequence_ids": sequence_ids,
    }


def _context_index(window, word):
    """Token index of context word number `word` in a window that starts
    at context word `first`."""
    return window["sequence_ids"].index(1) + word


def _pairs(
    window,
    max_answer_length,
    in_context=True,
    ordered=True,
    limited=True,
    start_only=False,
    one_more=False,
):
    s, e, ids = (
        window["start_logits"],
        window["end_logits"],
        window["sequence_ids"],
    )
    n = len(s)
    longest = max_answer_length + 1 if one_more else max_answer_length
    for i in range(n):
        for j in range(n):
            if start_only:  # the start is checked, the end is not
                if ids[i] != 1:
                    continue
            elif (
                in_context
                and (ids[i] != 1 or ids[j] != 1)
                or not in_context
                and (ids[i] is None or ids[j] is None)
            ):
                continue
            if ordered and j < i:
                continue
            if limited and j - i + 1 > longest:
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
    # 1. the question holds the highest logits: a span that crosses into
    #    the question
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
    # and a question token: taking the best start and end apart differs
    w["start_logits"][1] += 10
    cases.append((w, 10))
    # 3. the best pair is longer than the maximum answer length
    w = _window(5, 25, rng)
    w["start_logits"][_context_index(w, 1)] += 8
    w["end_logits"][_context_index(w, 17)] += 8
    w["start_logits"][_context_index(w, 8)] += 5
    w["end_logits"][_context_index(w, 9)] += 5
    # and a question token: taking the best start and end apart differs
    w["start_logits"][3] += 10
    cases.append((w, 5))
    # 4. an ordinary window
    cases.append((_window(20, 38, rng), 8))
    # 5. the best pair is exactly one token longer than allowed
    #    (max_answer_length + 1)
    w = _window(0, 16, rng)
    w["start_logits"][_context_index(w, 3)] += 8
    w["end_logits"][_context_index(w, 7)] += 8
    w["start_logits"][_context_index(w, 10)] += 5
    w["end_logits"][_context_index(w, 11)] += 5
    # so that no length limit at all differs from L + 1
    w["end_logits"][_context_index(w, 13)] += 9
    cases.append((w, 4))
    # 6. the highest end logit is on the final special token ([SEP]),
    #    after the context
    w = _window(6, 20, rng)
    w["start_logits"][_context_index(w, 2)] += 7
    w["end_logits"][-1] += 9
    w["end_logits"][_context_index(w, 4)] += 5
    # and a question token: taking the best start and end apart differs
    w["start_logits"][1] += 10
    cases.append((w, 30))
    # 7. every score is negative, as in a window that does not hold the
    #    answer
    w = _window(12, 24, rng)
    w["start_logits"] = [x - 8 for x in w["start_logits"]]
    w["end_logits"] = [x - 8 for x in w["end_logits"]]
    cases.append((w, 6))
    return cases


def _as_span(result):
    if result is None:
        return None
    score, start, end = result
    return round(float(score), 6), int(start), int(end)


def _span_variants(window, max_answer_length):
    """(span, what, hint) of the typical mistakes on one window."""
    L = max_answer_length
    variants = [
        (
            dict(in_context=False),
            (
                "its span reaches outside the context (into the "
                "question or a special token)."
            ),
            (
                "which tokens may begin or end an answer? "
                "sequence_ids tells them apart."
            ),
        ),
        (
            dict(start_only=True),
            (
                "its span ends outside the context (on the question "
                "or a special token)."
            ),
            (
                "the end token must be in the context too, not only "
                "the start."
            ),
        ),
        (
            dict(ordered=False),
            "its span ends before it starts.",
            "an answer cannot end before it starts.",
        ),
        (
            dict(limited=False),
            f"its span is longer than max_answer_length = {L} tokens.",
            "count the tokens of a span from start to end.",
        ),
        (
            dict(one_more=True),
            (
                f"its span has {L + 1} tokens, one more than "
                f"max_answer_length = {L}."
            ),
            (
                "a span from token i to token j, both included, has "
                "how many tokens?"
            ),
        ),
    ]
    out = [
        (_as_span(_best(window, L, **rules)), what, hint)
        for rules, what, hint in variants
    ]
    s, e, offsets = (
        window["start_logits"],
        window["end_logits"],
        window["offsets"],
    )
    i, j = (
        max(range(len(s)), key=s.__getitem__),
        max(range(len(e)), key=e.__getitem__),
    )
    out.append(
        (
            (round(s[i] + e[j], 6), offsets[i][0], offsets[j][1]),
            "it takes the best start and the best end separately.",
            (
                "the best start and the best end need not make a "
                "valid pair: score the pairs."
            ),
        )
    )
    out.append(
        (
            (0.0, 0, 0),
            (
                "with every score negative it returned (0.0, 0, 0): "
                "a best that starts at 0 is never beaten."
            ),
            "what is the best span before any pair has been looked at?",
        )
    )
    return out


def _reordered(raw, expected):
    """raw holds the three numbers of `expected` in another order."""
    import itertools

    try:
        values = [float(x) for x in raw]
    except (TypeError, ValueError):
        return False
    if len(values) != 3 or all(
        abs(a - b) < 1e-4 for a, b in zip(values, expected)
    ):
        return False
    return any(
        all(abs(a - b) < 1e-4 for a, b in zip(p, expected))
        for p in itertools.permutations(values)
    )


def _same_span(a, b):
    return (
        a is not None
        and b is not None
        and a[1:] == b[1:]
        and abs(a[0] - b[0]) < 1e-4
    )


def _explain(function, failures):
    for got, window, max_answer_length, expected in failures:
        variants = [
            v
            for v in _span_variants(window, max_answer_length)
            if not _same_span(v[0], expected)
        ]
        mistake = named_mistake(got, variants, _same_span)
        if mistake:
            fail(function, mistake[1], mistake[2])


def best_span(function):
    """function(start_logits, end_logits, offsets, sequence_ids,
    max_answer_length) -> (score, start_char, end_char) of the best
    valid span of one window, or None."""
    cases = _span_cases()
    failures = []
    for window, max_answer_length in cases:
        expected = _as_span(_best(window, max_answer_length))
        raw = call(
            function,
            list(window["start_logits"]),
            list(window["end_logits"]),
            list(window["offsets"]),
            list(window["sequence_ids"]),
            max_answer_length,
        )
        if expected is not None and _reordered(raw, expected):
            fail(
                function,
                f"it returned {tuple(raw)}: the right numbers in "
                "another order.",
                "return the tuple (score, start_char, end_char), in "
                "that order.",
            )
        try:
            got = _as_span(raw)
        except (TypeError, ValueError):
            fail(
                function,
                f"it returned {kind(raw)}; expected (score, "
                "start_char, end_char).",
                "return a tuple of three numbers, or None when no "
                "span is valid.",
            )
        if (
            got is not None
            and got[1:] == expected[1:]
            and abs(got[0] - expected[0]) > 1e-4
        ):
            fail(
                function,
                f"the span is right but its score {got[0]} is not "
                f"the pair's score ({expected[0]}).",
                "a span's score is its start token's start logit "
                "plus its end token's end logit.",
            )
        if got != expected and not _same_span(got, expected):
            failures.append((got, window, max_answer_length, expected))
    if not failures:
        passed(
            function,
            f"best valid span on {len(cases)} hidden windows (traps: "
            "question tokens, [SEP], end before start, too long by "
            "one, every score negative).",
        )
        return
    _explain(function, failures)
    got, window, max_answer_length, expected = failures[0]
    fail(
        function,
        f"on a hidden window (max_answer_length={max_answer_length}) "
        f"it chose {got}, expected {expected} (score, start_char, "
        "end_char).",
        "print the tokens' sequence ids, the pair you chose and the "
        "one expected: which rule of a valid span separates them?",
    )


def _answer_cases():
    import numpy as np

    rng = np.random.default_rng(5)
    cases = []
    # the best span is in the second window; the first window has by far
    # the highest single start logit, but low end logits, so its best
    # span scores well below the second's
    a, b = _window(0, 16, rng), _window(10, 26, rng)
    a["start_logits"][_context_index(a, 2)] += 9
    a["end_logits"] = [x - 4 for x in a["end_logits"]]
    b["start_logits"][_context_index(b, 5)] += 6
    b["end_logits"][_context_index(b, 7)] += 6
    cases.append(([a, b], 6))
    # three windows, the best in the middle one
    a, b, c = (
        _window(0, 14, rng),
        _window(8, 24, rng),
        _window(18, 38, rng),
    )
    b["start_logits"][_context_index(b, 9)] += 6
    b["end_logits"][_context_index(b, 10)] += 6
    cases.append(([a, b, c], 6))
    # four windows: the best span in the first, the highest start logit
    # in the second, the highest end logit in the third: each way of
    # choosing a window gives another answer
    a, b, c, d = (
        _window(0, 12, rng),
        _window(8, 20, rng),
        _window(16, 28, rng),
        _window(24, 38, rng),
    )
    a["start_logits"][_context_index(a, 3)] += 6
    a["end_logits"][_context_index(a, 5)] += 6
    b["start_logits"][_context_index(b, 4)] += 9
    b["end_logits"] = [x - 4 for x in b["end_logits"]]
    c["end_logits"][_context_index(c, 6)] += 9
    c["start_logits"] = [x - 4 for x in c["start_logits"]]
    cases.append(([a, b, c, d], 6))
    # no window has a valid span: the answer is the empty string
    cases.append(([_window(0, 12, rng), _window(6, 18, rng)], 0))
    return cases


def _answer_variants(windows, max_answer_length):
    """(text, what, hint) of the typical mistakes on one example."""
    spans = [_best(w, max_answer_length) for w in windows]
    valid = [(k, s) for k, s in enumerate(spans) if s is not None]
    out = []
    if spans[0] is not None:
        out.append(
            (
                CONTEXT[spans[0][1] : spans[0][2]],
                "it looked at the first window only.",
                "the answer can be in any window.",
            )
        )
    if spans[-1] is not None:
        out.append(
            (
                CONTEXT[spans[-1][1] : spans[-1][2]],
                "it keeps the last window's span.",
                "the answer can be in any window: compare them.",
            )
        )
    for logits, name in (
        ("start_logits", "start"),
        ("end_logits", "end"),
    ):
        k = max(
            range(len(windows)), key=lambda k: max(windows[k][logits])
        )
        if spans[k] is not None:
            out.append(
                (
                    CONTEXT[spans[k][1] : spans[k][2]],
                    (
                        f"it picks the window with the highest {name} "
                        "logit, not the best span."
                    ),
                    (
                        "compare the windows by the score of their "
                        "best spans."
                    ),
                )
            )
    if valid:
        _, (_, start, end) = max(valid, key=lambda pair: pair[1][0])
        out += [
            (
                CONTEXT[start : end + 1],
                "one character too many at the end.",
                (
                    "offsets are (start, end) with end exclusive, as "
                    "Python slices are."
                ),
            ),
            (
                CONTEXT[start : end - 1],
                "one character too few at the end.",
                (
                    "offsets are (start, end) with end exclusive, as "
                    "Python slices are."
                ),
            ),
            (
                CONTEXT[start - 1 : end],
                "one character too many at the start.",
                (
                    "offsets are (start, end) with end exclusive, as "
                    "Python slices are."
                ),
            ),
        ]
    return out


def best_answer(function):
    """function(context, windows, max_answer_length) -> the answer text:
    the best span over all windows, cut out of the context by its
    character offsets; "" when no window has a valid span."""
    cases = _answer_cases()
    failures = []
    for windows, max_answer_length in cases:
        spans = [_best(w, max_answer_length) for w in windows]
        valid = [s for s in spans if s is not None]
        expected = (
            CONTEXT[max(valid)[1] : max(valid)[2]] if valid else ""
        )
        try:
            got = call(
                function,
                CONTEXT,
                [dict(w) for w in windows],
                max_answer_length,
            )
        except CheckFailed as error:
            if " raised " in str(error) and not valid:
                raised = (
                    str(error).split(" raised ")[-1].split(" Hint:")[0]
                )
                raised_here = CheckFailed(
                    f"{name_of(function)}: with no valid span in any "
                    f"window it raised {raised} Hint: some windows "
                    "have no valid span (best_span gives None): what "
                    "should the answer be when no window has one?"
                )
                break
            raise
        if not isinstance(got, str):
            what = (
                " when no window has a valid span" if not valid else ""
            )
            fail(
                function,
                f"it returned {kind(got)}{what}; expected the answer "
                f"text, a str{' (empty)' if not valid else ''}.",
                "return a slice of the context.",
            )
        if got != expected:
            failures.append((got, windows, max_answer_length, expected))
    else:
        raised_here = None
    if not failures and raised_here:
        raise raised_here
    if not failures:
        passed(
            function,
            f"right answer text on {len(cases)} hidden examples with "
            "2 to 4 windows (no valid span included).",
        )
        return
    for got, windows, max_answer_length, expected in failures:
        variants = [
            v
            for v in _answer_variants(windows, max_answer_length)
            if v[0] != expected
        ]
        mistake = named_mistake(got, variants, lambda a, b: a == b)
        if mistake:
            fail(
                function,
                f"it returned {got!r} where {expected!r} was "
                f"expected: {mistake[1]}",
                mistake[2],
            )
    if raised_here:
        raise raised_here
    got, windows, _, expected = failures[0]
    fail(
        function,
        f"on a hidden example with {len(windows)} windows it "
        f"returned {got!r}, expected {expected!r}.",
        "print each window's best span and its score: which one "
        "should win?",
    )


def _fits(
    offsets,
    sequence_ids,
    start_char,
    end_char,
    context_only=True,
    start_only=False,
    strict=False,
):
    span = [
        o
        for o, s in zip(offsets, sequence_ids)
        if s == 1 or (not context_only and s is not None)
    ]
    if not context_only:
        span = [o for o in span if o != (0, 0)] or span
    if not span:
        return False
    first, last = min(a for a, _ in span), max(b for _, b in span)
    if strict:
        return first < start_char and end_char < last
    return first <= start_char and (start_only or end_char <= last)


def _fit_cases():
    """(window, start_char, end_char, where): one window of the running
    example, and answers inside it, at its edges, across them, and in
    the question's character range."""
    import numpy as np

    w = _window(5, 15, np.random.default_rng(0))
    context = [
        o for o, s in zip(w["offsets"], w["sequence_ids"]) if s == 1
    ]
    first, last = context[0][0], context[-1][1]
    words = _words(CONTEXT)
    empty = {
        "offsets": [(0, 0)] + _words(QUESTION) + [(0, 0), (0, 0)],
        "sequence_ids": [None]
        + [0] * len(_words(QUESTION))
        + [None, None],
    }
    return [
        (w, *words[8], "an answer well inside the window"),
        (
            w,
            first,
            last,
            "an answer exactly as long as the window's context",
        ),
        (
            w,
            words[12][0],
            words[17][1],
            "an answer that starts inside and ends after the window",
        ),
        (
            w,
            words[2][0],
            words[6][1],
            "an answer that starts before the window and ends inside",
        ),
        (
            w,
            words[1][0],
            words[3][1],
            (
                "an answer before the window, in the question's "
                "character range"
            ),
        ),
        (
            w,
            first,
            words[6][1],
            "an answer that starts on the window's first character",
        ),
        (empty, *words[0], "a window with no context token"),
    ]


def answer_fits(function):
    """function(offsets, sequence_ids, start_char, end_char) -> True
    when the window's context tokens hold the whole answer (characters
    start_char to end_char, end exclusive)."""
    import numpy as np

    failures = []
    for window, start, end, where in _fit_cases():
        try:
            got = call(
                function,
                list(window["offsets"]),
                list(window["sequence_ids"]),
                start,
                end,
            )
        except CheckFailed as error:
            if (
                " raised " not in str(error)
                or 1 in window["sequence_ids"]
            ):
                raise
            raised = str(error).split(" raised ")[-1].split(" Hint:")[0]
            fail(
                function,
                f"for {where} it raised {raised}",
                "a window can hold only question tokens "
                "(a long question): such a window holds no answer.",
            )
        if not isinstance(got, (bool, np.bool_)):
            fail(
                function,
                f"for {where} it returned {kind(got)}; expected True "
                "or False.",
                "return whether the answer fits.",
            )
        expected = _fits(
            window["offsets"], window["sequence_ids"], start, end
        )
        if bool(got) != expected:
            failures.append(
                (bool(got), window, start, end, where, expected)
            )
    if not failures:
        passed(
            function,
            f"right on {len(_fit_cases())} answers: inside, across "
            "both edges, at the edges, in the question's characters, "
            "and a window without context.",
        )
        return
    variants = [
        (
            dict(context_only=False),
            (
                "the question's and special tokens' offsets count as "
                "if they were the context's."
            ),
            (
                "offsets of the question's tokens are characters of "
                "the question, not of the context: which tokens' "
                "offsets say where the window is in the context?"
            ),
        ),
        (
            dict(start_only=True),
            (
                "an answer that starts in the window but ends after "
                "it fits, it says."
            ),
            "the whole answer must be inside: its end too.",
        ),
        (
            dict(strict=True),
            (
                "an answer that starts or ends exactly on the "
                "window's edge does not fit, it says."
            ),
            (
                "offsets are (start, end), end exclusive: an answer "
                "may use the window's first and last character."
            ),
        ),
    ]
    for got, window, start, end, where, expected in failures:
        wrong = [
            (
                _fits(
                    window["offsets"],
                    window["sequence_ids"],
                    start,
                    end,
                    **rules,
                ),
                what,
                hint,
            )
            for rules, what, hint in variants
        ]
        mistake = named_mistake(
            got,
            [v for v in wrong if v[0] != expected],
            lambda a, b: a == b,
        )
        if mistake:
            fail(function, f"for {where}: {mistake[1]}", mistake[2])
    got, window, start, end, where, expected = failures[0]
    fail(
        function,
        f"for {where} (characters {start} to {end}) it says {got}; "
        f"expected {expected}.",
        "print the context tokens' offsets of the window next to the "
        "answer's characters.",
    )
