"""Word labels to sub-token labels and back, for token classification
(NER).

A NER dataset labels words; the model reads sub-tokens.
`tokenizer(words, is_split_into_words=True)` keeps track of which word
each token came from (`encoding.word_ids()`: None for special tokens).
From that:

- `align_labels` gives each token its label: the first piece of a word
  carries the word's label, the other pieces -100 (ignored by the loss),
  or, with `continuation=continuation_labels(names)`, the word's label
  with B- turned into I-;
- `tokenize_and_align` does it for a batch, for `Dataset.map(...,
  batched=True)`;
- `word_predictions` reads one prediction per word back from the token
  predictions (the first piece's), so entity scores are computed on
  words, as CoNLL scores them.

The notebook of the NER chapter builds the first one by hand before
importing these; tests/test_ner_alignment.py checks them on hard words
with three tokenizer families.
"""

IGNORE = -100  # the label value PyTorch's cross-entropy loss skips


def continuation_labels(label_names):
    """For each label id, the label id a continuation piece gets when
    every piece is labelled: B-X becomes I-X (a word is one entity,
    begun by its first piece), every other label stays the same."""
    ids = {name: i for i, name in enumerate(label_names)}
    return [
        ids[f"I-{name[2:]}"] if name.startswith("B-") else i
        for i, name in enumerate(label_names)
    ]


def align_labels(word_ids, word_labels, continuation=None):
    """Token labels for one sequence from its `word_ids` and its word
    labels.

    Special tokens (word id None) get -100. The first piece of each word
    gets the word's label. Its other pieces get -100, or
    `continuation[label]` when a continuation table (see
    `continuation_labels`) is given.
    """
    labels, previous = [], None
    for word in word_ids:
        if word is None:
            labels.append(IGNORE)
        elif word != previous:
            labels.append(word_labels[word])
        else:
            labels.append(
                IGNORE
                if continuation is None
                else continuation[word_labels[word]]
            )
        previous = word
    return labels


def tokenize_and_align(
    batch,
    tokenizer,
    max_length,
    continuation=None,
    words="tokens",
    tags="ner_tags",
):
    """Tokenise a batch of word lists and add aligned `labels`; for
    `Dataset.map(batched=True)`.

    Words beyond `max_length` tokens are cut off (truncation), and so
    are their labels.
    """
    encoding = tokenizer(
        batch[words],
        is_split_into_words=True,
        truncation=True,
        max_length=max_length,
    )
    encoding["labels"] = [
        align_labels(encoding.word_ids(i), word_labels, continuation)
        for i, word_labels in enumerate(batch[tags])
    ]
    return encoding


def word_predictions(word_ids, token_predictions, n_words, missing="O"):
    """One prediction per word: the prediction at the word's first
    piece.

    A word with no piece (cut off by truncation, or a word the
    tokenizer's normaliser removes entirely) gets `missing`, so the
    result always has `n_words` items and stays aligned with the gold
    labels.
    """
    out, previous = [missing] * n_words, None
    for word, prediction in zip(word_ids, token_predictions):
        if word is not None and word != previous:
            out[word] = prediction
        previous = word
    return out
