"""Lab 4: word-level NER labels aligned to sub-tokens."""

from ._core import call, fail, int_list, kind, named_mistake, passed

IGNORE = -100
LABEL_NAMES = [
    "O",
    "B-PER",
    "I-PER",
    "B-ORG",
    "I-ORG",
    "B-LOC",
    "I-LOC",
    "B-MISC",
    "I-MISC",
]

HIDDEN_TEXT = (
    "Jean-Pierre O'Neill flew from Zürich to the U.S.A. on 12,500.75 "
    "miles with Anti-disestablishmentarianism Ltd and Mr. X"
)

# word_ids as tokenizers return them (None = special token), including a
# word split into many pieces and a word whose piece is alone
SYNTHETIC = [
    [None, 0, 1, 1, 1, 2, 3, 3, None],
    [None, 0, 0, 0, 0, 0, 1, None, None, None],
    [None, 0, 1, 2, None],
    # no special tokens (add_special_tokens=False): the first token
    # starts a word
    [0, 0, 0],
]


def _word_labels(n_words, seed):
    import random

    rng = random.Random(seed)
    return [rng.randrange(len(LABEL_NAMES)) for _ in range(n_words)]


def _first_piece(word_ids, word_labels):
    labels, previous = [], None
    for word in word_ids:
        labels.append(
            IGNORE
            if word is None or word == previous
            else word_labels[word]
        )
        previous = word
    return labels


def _every_piece(word_ids, word_labels, label_names):
    ids = {name: i for i, name in enumerate(label_names)}
    labels, previous = [], None
    for word in word_ids:
        if word is None:
            labels.append(IGNORE)
        else:
            label = word_labels[word]
            name = label_names[label]
            if word == previous and name.startswith("B-"):
                label = ids["I-" + name[2:]]
            labels.append(label)
        previous = word
    return labels


# Another order of the same labels (the one tner/conll2003 uses): code
# that relies on CoNLL's order (B- odd, I- = B- + 1) instead of reading
# label_names gives other labels.
OTHER_ORDER = [
    "O",
    "B-ORG",
    "B-MISC",
    "B-PER",
    "I-PER",
    "B-LOC",
    "I-ORG",
    "I-MISC",
    "I-LOC",
]


def _cases(tokenizers):
    """(where, word_ids, word_labels, label_names), the made-up (small)
    ones first."""
    cases = [("a made-up sentence", word_ids) for word_ids in SYNTHETIC]
    for name, tokenizer in tokenizers.items():
        cases.append(
            (
                f"the {name} tokenizer on a hidden sentence",
                tokenizer(HIDDEN_TEXT).word_ids(),
            )
        )
    out = []
    for seed, (where, word_ids) in enumerate(cases):
        labels = _word_labels(
            max(w for w in word_ids if w is not None) + 1, seed
        )
        out.append((where, word_ids, labels, LABEL_NAMES))
    # the made-up sentences again, with the labels in another order; B-
    # labels on split words
    for seed, word_ids in enumerate(SYNTHETIC):
        n = max(w for w in word_ids if w is not None) + 1
        labels = [
            OTHER_ORDER.index(name)
            for name in (["B-PER", "B-ORG", "B-LOC", "B-MISC"] * 3)[
                seed : seed + n
            ]
        ]
        out.append(
            (
                "a made-up sentence with label_names in another order",
                word_ids,
                labels,
                OTHER_ORDER,
            )
        )
    return out


def _named(label, label_names):
    return (
        f"{label} ({label_names[label]})"
        if 0 <= label < len(label_names)
        else str(label)
    )


def _show_case(where, word_ids, word_labels, label_names):
    if "made-up" not in where:
        return f"for {where}"
    order = (
        ""
        if label_names == LABEL_NAMES
        else f", label_names {label_names}"
    )
    return f"for word_ids {word_ids}, word_labels {word_labels}{order}"


def _variants(word_ids, word_labels, label_names, every_piece):
    """(labels, what, hint) of the typical mistakes."""
    first = _first_piece(word_ids, word_labels)
    every = _every_piece(word_ids, word_labels, label_names)
    n = len(word_ids)
    last = [
        IGNORE
        if w is None or (i + 1 < n and word_ids[i + 1] == w)
        else word_labels[w]
        for i, w in enumerate(word_ids)
    ]
    all_pieces = [
        IGNORE if w is None else word_labels[w] for w in word_ids
    ]
    out = [
        (
            [
                0 if w is None else x
                for w, x in zip(
                    word_ids, first if not every_piece else every
                )
            ],
            (
                "special tokens ([CLS], [SEP], <s>, ...) got a label "
                "other than -100."
            ),
            (
                "what does word_ids() give for a special token, and "
                "what label does the loss skip?"
            ),
        ),
        (
            last,
            (
                "the label is on the last piece of each word, not "
                "the first."
            ),
            "which piece of a word comes first?",
        ),
    ]
    if not every_piece:
        out.append(
            (
                all_pieces,
                (
                    "continuation pieces (the 2nd, 3rd, ... piece of "
                    "a word) are labelled; in this variant only the "
                    "first piece is."
                ),
                (
                    "how can you tell a continuation piece from the "
                    "first piece of the next word?"
                ),
            )
        )
        return out
    # label % 2 / label + 1: CoNLL's order, whatever label_names says
    conll_order = []
    previous = None
    for w in word_ids:
        label = IGNORE if w is None else word_labels[w]
        if w is not None and w == previous and label % 2 == 1:
            label += 1
        conll_order.append(label)
        previous = w
    out += [
        (
            all_pieces,
            (
                "a continuation piece is labelled B-: the word would "
                "count as two entities."
            ),
            "inside a word, can an entity begin again?",
        ),
        (
            first,
            (
                "continuation pieces get -100; in this variant every "
                "piece is labelled."
            ),
            "every piece of a word belongs to the word's entity.",
        ),
        (
            conll_order,
            (
                "it relies on CoNLL's order of the labels (B-X odd, "
                "I-X = B-X + 1) instead of reading label_names."
            ),
            (
                "another dataset orders its labels differently: find "
                "I-X by its name in label_names."
            ),
        ),
    ]
    return out


def _check(function, tokenizers, every_piece):
    failures = []
    for where, word_ids, word_labels, label_names in _cases(tokenizers):
        args = (list(word_ids), list(word_labels)) + (
            (list(label_names),) if every_piece else ()
        )
        raw = call(function, *args)
        case = _show_case(where, word_ids, word_labels, label_names)
        expected = (
            _every_piece(word_ids, word_labels, label_names)
            if every_piece
            else _first_piece(word_ids, word_labels)
        )
        got = int_list(raw)
        if got is None:
            names = isinstance(raw, (list, tuple)) and any(
                isinstance(x, str) for x in raw
            )
            shown = (
                repr(list(raw)[:4])[:-1] + ", ...]"
                if names
                else kind(raw)
            )
            fail(
                function,
                f"{case} it returned {shown}; "
                "expected a label id (an int) per token.",
                "the model's labels are ids; label_names[i] is only "
                "their name."
                if names
                else "return a list of ints, one per token.",
            )
        if len(got) != len(word_ids):
            fail(
                function,
                f"{case} it returned {len(got)} labels for "
                f"{len(word_ids)} tokens.",
                "one label per token, special tokens included.",
            )
        if got != expected:
            failures.append(
                (
                    got,
                    where,
                    word_ids,
                    word_labels,
                    label_names,
                    expected,
                )
            )
    if not failures:
        return len(_cases(tokenizers))
    for (
        got,
        where,
        word_ids,
        word_labels,
        label_names,
        expected,
    ) in failures:
        variants = [
            v
            for v in _variants(
                word_ids, word_labels, label_names, every_piece
            )
            if v[0] != expected
        ]
        mistake = named_mistake(got, variants, lambda a, b: a == b)
        if mistake:
            case = _show_case(where, word_ids, word_labels, label_names)
            fail(function, f"{case}: {mistake[1]}", mistake[2])
    got, where, word_ids, word_labels, label_names, expected = failures[
        0
    ]
    if "made-up" in where:
        what = f"it returned {got}; expected {expected}."
    else:  # a long sentence: the first token that differs
        i = next(
            i for i, (a, b) in enumerate(zip(got, expected)) if a != b
        )
        piece = (
            "first"
            if i == 0 or word_ids[i - 1] != word_ids[i]
            else "later"
        )
        what = (
            f"token {i} (word {word_ids[i]}, a {piece} piece) got "
            f"{_named(got[i], label_names)}, expected "
            f"{_named(expected[i], label_names)}."
        )
    fail(
        function,
        f"{_show_case(where, word_ids, word_labels, label_names)} "
        f"{what}",
        "go through the tokens one by one: which word is each from, "
        "and is it that word's first piece?",
    )


def align_labels(function, tokenizers):
    """function(word_ids, word_labels) -> one label per token: the
    word's label on its first piece, -100 on its other pieces and on
    special tokens."""
    n = _check(function, tokenizers, every_piece=False)
    passed(
        function,
        f"first-piece labels right on {n} cases "
        f"({', '.join(tokenizers)} tokenizers included).",
    )


def align_labels_every_piece(function, tokenizers):
    """function(word_ids, word_labels, label_names) -> one label per
    token: every piece labelled, B-X turned into I-X after a word's
    first piece; -100 on special tokens."""
    n = _check(function, tokenizers, every_piece=True)
    passed(
        function,
        f"every-piece labels right on {n} cases "
        f"({', '.join(tokenizers)} tokenizers and two label orders "
        "included).",
    )
