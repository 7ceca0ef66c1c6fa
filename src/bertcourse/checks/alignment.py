"""Lab 4: word-level NER labels aligned to sub-tokens."""

from ._core import call, fail, passed

IGNORE = -100
LABEL_NAMES = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

HIDDEN_TEXT = ("Jean-Pierre O'Neill flew from Zürich to the U.S.A. on 12,500.75 miles "
               "with Anti-disestablishmentarianism Ltd and Mr. X")

# word_ids as tokenizers return them (None = special token), including a word split
# into many pieces and a word whose piece is alone
SYNTHETIC = [
    [None, 0, 1, 1, 1, 2, 3, 3, None],
    [None, 0, 0, 0, 0, 0, 1, None, None, None],
    [None, 0, 1, 2, None],
]


def _word_labels(n_words, seed):
    import random

    rng = random.Random(seed)
    return [rng.randrange(len(LABEL_NAMES)) for _ in range(n_words)]


def _first_piece(word_ids, word_labels):
    labels, previous = [], None
    for word in word_ids:
        labels.append(IGNORE if word is None or word == previous else word_labels[word])
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


def _cases(tokenizers):
    cases = [("a made-up sentence", word_ids) for word_ids in SYNTHETIC]
    for name, tokenizer in tokenizers.items():
        cases.append((f"the {name} tokenizer on a hidden sentence", tokenizer(HIDDEN_TEXT).word_ids()))
    return [(where, word_ids, _word_labels(max(w for w in word_ids if w is not None) + 1, seed))
            for seed, (where, word_ids) in enumerate(cases)]


def _diagnose(function, where, word_ids, word_labels, got, expected, every_piece):
    if not isinstance(got, (list, tuple)) or len(got) != len(word_ids):
        fail(function, f"for {where} it returned {len(got) if hasattr(got, '__len__') else got!r} labels "
             f"for {len(word_ids)} tokens.", "one label per token: loop over word_ids.")
    got = [int(x) for x in got]
    specials = [i for i, w in enumerate(word_ids) if w is None]
    if any(got[i] != IGNORE for i in specials):
        fail(function, f"for {where} special tokens ([CLS], [SEP], <s>, ...) got a label other than -100.",
             "word_ids() gives None for special tokens: label them -100 so the loss skips them.")
    continuation = [i for i in range(1, len(word_ids)) if word_ids[i] is not None and word_ids[i] == word_ids[i - 1]]
    first = [i for i in range(len(word_ids)) if i not in continuation and word_ids[i] is not None]
    if any(got[i] != expected[i] for i in first):
        fail(function, f"for {where} the first piece of some word does not carry the word's label.",
             "the label of token i is word_labels[word_ids[i]] when word_ids[i] starts a new word "
             "(differs from word_ids[i - 1]).")
    if not every_piece:
        fail(function, f"for {where} continuation pieces (the 2nd, 3rd, ... piece of a word) are labelled; "
             "in this variant only the first piece is.", "give continuation pieces -100.")
    names = [LABEL_NAMES[got[i]] if 0 <= got[i] < len(LABEL_NAMES) else str(got[i]) for i in continuation]
    if any(name.startswith("B-") for name in names):
        fail(function, f"for {where} a continuation piece is labelled B-: the word would count as two entities.",
             "on a continuation piece B-X becomes I-X; other labels stay as they are.")
    if any(got[i] == IGNORE for i in continuation):
        fail(function, f"for {where} continuation pieces get -100; in this variant every piece is labelled.",
             "give a continuation piece its word's label, with B-X turned into I-X.")
    fail(function, f"for {where} a continuation piece has the wrong label.",
         "I-X and O stay as they are; only B-X becomes I-X.")


def align_labels(function, tokenizers):
    """function(word_ids, word_labels) -> one label per token: the word's label on its
    first piece, -100 on its other pieces and on special tokens."""
    cases = _cases(tokenizers)
    for where, word_ids, word_labels in cases:
        expected = _first_piece(word_ids, word_labels)
        got = call(function, list(word_ids), list(word_labels))
        if not isinstance(got, (list, tuple)) or [int(x) for x in got] != expected:
            _diagnose(function, where, word_ids, word_labels, got, expected, every_piece=False)
    passed(function, f"first-piece labels right on {len(cases)} hidden cases "
           f"({', '.join(tokenizers)} tokenizers included).")


def align_labels_every_piece(function, tokenizers):
    """function(word_ids, word_labels, label_names) -> one label per token: every piece
    labelled, B-X turned into I-X after a word's first piece; -100 on special tokens."""
    cases = _cases(tokenizers)
    for where, word_ids, word_labels in cases:
        expected = _every_piece(word_ids, word_labels, LABEL_NAMES)
        got = call(function, list(word_ids), list(word_labels), list(LABEL_NAMES))
        if not isinstance(got, (list, tuple)) or [int(x) for x in got] != expected:
            _diagnose(function, where, word_ids, word_labels, got, expected, every_piece=True)
    passed(function, f"every-piece labels right on {len(cases)} hidden cases "
           f"({', '.join(tokenizers)} tokenizers included).")
