"""Word tags to sub-token labels and back (bertcourse.ner_alignment), on
hard words, with the three tokenizer families of the course: WordPiece
(the offline MiniLM, and the course-trained one), byte-level BPE
(RoBERTa's, course-trained) and SentencePiece Unigram (ALBERT's,
course-trained)."""

import pytest
from seqeval.metrics import precision_score, recall_score
from tokenizers import pre_tokenizers, processors
from transformers import AutoTokenizer

from bertcourse import assets
from bertcourse.minidata import NER_LABELS
from bertcourse.ner_alignment import (
    IGNORE,
    align_labels,
    continuation_labels,
    tokenize_and_align,
    word_predictions,
)

# One sentence of hard words, each with its tag.
HARD_WORDS = [
    ("Jean-Pierre", "B-PER"),  # hyphenated name
    ("O'Neill", "I-PER"),  # apostrophe inside a name
    ("of", "O"),
    ("Zürich", "B-ORG"),  # accent
    ("Łódź", "I-ORG"),  # non-ASCII letters
    ("paid", "O"),
    ("$", "O"),  # one-character word (a symbol)
    ("1,250.50", "O"),  # number with punctuation
    ("to", "O"),
    ("a", "O"),  # one-character word (a letter)
    ("U.S.", "B-LOC"),  # all-caps acronym with dots
    ("firm", "O"),
    ("Szczebrzeszynski", "B-PER"),  # splits into many pieces
    ("after", "O"),
    ("a", "O"),
    ("3-1", "O"),  # score with a hyphen
    ("win", "O"),
    ("in", "O"),
    ("São", "B-LOC"),  # accent on a multi-word entity
    ("Paulo", "I-LOC"),
    ("'s", "O"),  # apostrophe at the start of a word
    (".", "O"),  # punctuation alone
]
WORDS = [word for word, _ in HARD_WORDS]
TAGS = [NER_LABELS.index(tag) for _, tag in HARD_WORDS]
LONG_WORD = WORDS.index("Szczebrzeszynski")


def course_bpe_for_words():
    """The course's byte-level BPE set up as RoBERTa's tokenizer with
    add_prefix_space=True.

    The course tokenizer is a plain PreTrainedTokenizerFast, and for it
    the keyword `add_prefix_space=True` only sets an attribute: the
    backend's ByteLevel pre-tokenizer keeps add_prefix_space=False. So
    it is switched on in the backend itself, as RobertaTokenizer does in
    its __init__ (the post-processor's flag only trims offsets).
    """
    tokenizer = assets.trained_tokenizer("bpe")
    backend = tokenizer.backend_tokenizer
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(
        add_prefix_space=True
    )
    backend.post_processor = processors.RobertaProcessing(
        (tokenizer.sep_token, tokenizer.sep_token_id),
        (tokenizer.cls_token, tokenizer.cls_token_id),
        trim_offsets=True,
        add_prefix_space=True,
    )
    return tokenizer


TOKENIZERS = {
    "minilm-wordpiece": lambda: AutoTokenizer.from_pretrained(
        assets.offline_checkpoint()
    ),
    "course-wordpiece": lambda: assets.trained_tokenizer("wordpiece"),
    "course-bpe": course_bpe_for_words,
    "course-unigram": lambda: assets.trained_tokenizer("unigram"),
}


@pytest.fixture(scope="module", params=list(TOKENIZERS))
def tokenizer(request):
    return TOKENIZERS[request.param]()


def first_positions(word_ids):
    """Each word's first token position, found independently of the code
    under test."""
    first = {}
    for position, word in enumerate(word_ids):
        if word is not None:
            first.setdefault(word, position)
    return first


def test_the_hard_words_are_hard(tokenizer):
    """The test sentence keeps its point: the long word really splits,
    for every family."""
    word_ids = tokenizer(WORDS, is_split_into_words=True).word_ids()
    assert word_ids.count(LONG_WORD) >= 4
    assert sum(word_ids.count(w) > 1 for w in range(len(WORDS))) >= 5


def test_each_word_gets_exactly_one_labelled_piece_its_first(tokenizer):
    encoding = tokenizer(WORDS, is_split_into_words=True)
    word_ids = encoding.word_ids()
    labels = align_labels(word_ids, TAGS)

    first = first_positions(word_ids)
    assert sorted(first) == list(range(len(WORDS)))  # no word vanished
    expected = [IGNORE] * len(word_ids)
    for word, position in first.items():
        expected[position] = TAGS[word]
    assert labels == expected
    # the same facts, stated one by one
    labelled = [p for p, label in enumerate(labels) if label != IGNORE]
    assert len(labelled) == len(WORDS)
    assert [word_ids[p] for p in labelled] == list(range(len(WORDS)))
    assert all(
        labels[p] == IGNORE for p, w in enumerate(word_ids) if w is None
    )
    # a word's pieces are contiguous, so "first piece" is well defined
    words_in_order = [w for w in word_ids if w is not None]
    assert words_in_order == sorted(words_in_order)


def test_every_piece_variant_turns_b_into_i(tokenizer):
    word_ids = tokenizer(WORDS, is_split_into_words=True).word_ids()
    labels = align_labels(
        word_ids, TAGS, continuation_labels(NER_LABELS)
    )
    first = first_positions(word_ids)
    for position, word in enumerate(word_ids):
        if word is None:
            assert labels[position] == IGNORE
        elif position == first[word]:
            assert NER_LABELS[labels[position]] == HARD_WORDS[word][1]
        else:
            assert NER_LABELS[labels[position]] == HARD_WORDS[word][
                1
            ].replace("B-", "I-")
    long_word = [
        NER_LABELS[labels[p]]
        for p, w in enumerate(word_ids)
        if w == LONG_WORD
    ]
    assert long_word[0] == "B-PER" and set(long_word[1:]) == {"I-PER"}


def test_predictions_are_read_back_from_first_pieces(tokenizer):
    word_ids = tokenizer(WORDS, is_split_into_words=True).word_ids()
    # a prediction that is right on first pieces and wrong everywhere
    # else
    first = set(first_positions(word_ids).values())
    token_predictions = [
        HARD_WORDS[w][1] if p in first else "B-MISC"
        for p, w in enumerate(word_ids)
    ]
    assert word_predictions(
        word_ids, token_predictions, len(WORDS)
    ) == [tag for _, tag in HARD_WORDS]


def test_batched_alignment_matches_one_by_one(tokenizer):
    batch = {"tokens": [WORDS, WORDS[:5]], "ner_tags": [TAGS, TAGS[:5]]}
    encoded = tokenize_and_align(batch, tokenizer, max_length=128)
    for i, (words, tags) in enumerate(
        zip(batch["tokens"], batch["ner_tags"])
    ):
        one = tokenizer(
            words,
            is_split_into_words=True,
            truncation=True,
            max_length=128,
        )
        assert encoded["input_ids"][i] == one["input_ids"]
        assert encoded["labels"][i] == align_labels(
            one.word_ids(), tags
        )


def test_wordpiece_exact_tokens_and_labels():
    """The MiniLM's vocabulary is bert-base-uncased's: the exact pieces,
    by hand."""
    tokenizer = TOKENIZERS["minilm-wordpiece"]()
    words = ["O'Neill", "visited", "U.S.", "Szczebrzeszynski", "3-1"]
    tags = [
        NER_LABELS.index(t)
        for t in ["B-PER", "O", "B-LOC", "B-PER", "O"]
    ]
    encoding = tokenizer(words, is_split_into_words=True)
    assert encoding.tokens() == [
        "[CLS]",
        "o",
        "'",
        "neill",
        "visited",
        "u",
        ".",
        "s",
        ".",
        "s",
        "##zcz",
        "##eb",
        "##rz",
        "##es",
        "##zyn",
        "##ski",
        "3",
        "-",
        "1",
        "[SEP]",
    ]
    B_PER, B_LOC, O = (
        NER_LABELS.index(t) for t in ("B-PER", "B-LOC", "O")
    )
    I_PER, I_LOC = NER_LABELS.index("I-PER"), NER_LABELS.index("I-LOC")
    x = IGNORE
    assert align_labels(encoding.word_ids(), tags) == [
        x,
        B_PER,
        x,
        x,
        O,
        B_LOC,
        x,
        x,
        x,
        B_PER,
        x,
        x,
        x,
        x,
        x,
        x,
        O,
        x,
        x,
        x,
    ]
    assert align_labels(
        encoding.word_ids(), tags, continuation_labels(NER_LABELS)
    ) == [
        x,
        B_PER,
        I_PER,
        I_PER,
        O,
        B_LOC,
        I_LOC,
        I_LOC,
        I_LOC,
        B_PER,
        *[I_PER] * 6,
        O,
        O,
        O,
        x,
    ]


def test_byte_level_bpe_needs_the_prefix_space():
    """Without it each word is encoded as if glued to the previous one
    (no Ġ): pieces the model rarely saw in running text. With it, a
    word's pieces are those of ' word'."""
    plain, prefixed = (
        assets.trained_tokenizer("bpe"),
        course_bpe_for_words(),
    )
    words = ["The", "minister", "said"]
    plain_tokens = plain(
        words, is_split_into_words=True, add_special_tokens=False
    ).tokens()
    assert not any(t.startswith("Ġ") for t in plain_tokens)
    for word in WORDS:
        as_word = prefixed(
            [word], is_split_into_words=True, add_special_tokens=False
        ).tokens()
        in_text = prefixed(
            " " + word, add_special_tokens=False
        ).tokens()
        assert as_word == in_text
        assert as_word[0].startswith("Ġ")


def test_unigram_first_piece_may_be_the_bare_marker():
    """SentencePiece marks a word start with ▁; when the marker is a
    piece of its own it is the word's first piece and carries the word's
    tag."""
    tokenizer = TOKENIZERS["course-unigram"]()
    encoding = tokenizer(WORDS, is_split_into_words=True)
    tokens, labels = (
        encoding.tokens(),
        align_labels(encoding.word_ids(), TAGS),
    )
    firsts = [
        tokens[p] for p, label in enumerate(labels) if label != IGNORE
    ]
    assert all(t.startswith("▁") for t in firsts)
    assert "▁" in firsts


def test_a_word_the_normaliser_removes_gets_no_piece_but_a_prediction():
    """BERT's normaliser drops a zero-width space entirely: that word
    has no token, so no labelled piece; reading predictions back still
    gives one tag per word."""
    tokenizer = TOKENIZERS["minilm-wordpiece"]()
    words = ["Anna", "\u200b", "Silva"]
    word_ids = tokenizer(words, is_split_into_words=True).word_ids()
    assert 1 not in word_ids
    assert (
        align_labels(word_ids, [1, 0, 2]).count(IGNORE)
        == len(word_ids) - 2
    )
    predictions = [
        "O" if w is None else ["B-PER", "?", "I-PER"][w]
        for w in word_ids
    ]
    assert word_predictions(word_ids, predictions, len(words)) == [
        "B-PER",
        "O",
        "I-PER",
    ]


def test_truncated_words_get_the_missing_prediction():
    tokenizer = TOKENIZERS["minilm-wordpiece"]()
    encoding = tokenizer(
        WORDS, is_split_into_words=True, truncation=True, max_length=8
    )
    out = word_predictions(
        encoding.word_ids(), ["B-MISC"] * 8, len(WORDS), missing="O"
    )
    kept = len({w for w in encoding.word_ids() if w is not None})
    assert out == ["B-MISC"] * kept + ["O"] * (len(WORDS) - kept)


def test_continuation_labels_for_conll():
    assert [NER_LABELS[c] for c in continuation_labels(NER_LABELS)] == [
        "O",
        "I-PER",
        "I-PER",
        "I-ORG",
        "I-ORG",
        "I-LOC",
        "I-LOC",
        "I-MISC",
        "I-MISC",
    ]


def test_seqeval_takes_gold_first():
    """(y_true, y_pred): swapped arguments raise nothing and swap
    precision and recall."""
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    # one of two entities found, none wrong
    predicted = [["B-PER", "I-PER", "O", "O"]]
    assert precision_score(gold, predicted) == 1.0
    assert recall_score(gold, predicted) == 0.5
    # what the swap silently reports
    assert precision_score(predicted, gold) == 0.5
