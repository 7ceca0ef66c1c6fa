"""Tests for the offline mini datasets (schemas of the hub datasets,
determinism, sanity)."""

import time

import pytest
from datasets import ClassLabel, List, Value

from bertcourse import minidata

# The label names and order of the hub datasets, written out here on
# purpose: the tests must fail if someone edits the module's constants.
NER = [
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
POS = [
    '"',
    "''",
    "#",
    "$",
    "(",
    ")",
    ",",
    ".",
    ":",
    "``",
    "CC",
    "CD",
    "DT",
    "EX",
    "FW",
    "IN",
    "JJ",
    "JJR",
    "JJS",
    "LS",
    "MD",
    "NN",
    "NNP",
    "NNPS",
    "NNS",
    "NN|SYM",
    "PDT",
    "POS",
    "PRP",
    "PRP$",
    "RB",
    "RBR",
    "RBS",
    "RP",
    "SYM",
    "TO",
    "UH",
    "VB",
    "VBD",
    "VBG",
    "VBN",
    "VBP",
    "VBZ",
    "WDT",
    "WP",
    "WP$",
    "WRB",
]
CHUNK = [
    "O",
    "B-ADJP",
    "I-ADJP",
    "B-ADVP",
    "I-ADVP",
    "B-CONJP",
    "I-CONJP",
    "B-INTJ",
    "I-INTJ",
    "B-LST",
    "I-LST",
    "B-NP",
    "I-NP",
    "B-PP",
    "I-PP",
    "B-PRT",
    "I-PRT",
    "B-SBAR",
    "I-SBAR",
    "B-UCP",
    "I-UCP",
    "B-VP",
    "I-VP",
]


@pytest.fixture(scope="module")
def sst2():
    return minidata.sst2()


@pytest.fixture(scope="module")
def conll():
    return minidata.conll2003()


@pytest.fixture(scope="module")
def squad():
    return minidata.squad()


@pytest.fixture(scope="module")
def docs():
    return minidata.documents()


# -------------------------------------------------------------- schemas
def test_label_constants():
    assert minidata.NER_LABELS == NER
    assert minidata.POS_LABELS == POS and len(POS) == 47
    assert minidata.CHUNK_LABELS == CHUNK and len(CHUNK) == 23


def test_sst2_features(sst2):
    assert sst2["train"].features == {
        "sentence": Value("string"),
        "label": ClassLabel(names=["negative", "positive"]),
        "idx": Value("int32"),
    }
    assert list(sst2["train"].column_names) == [
        "sentence",
        "label",
        "idx",
    ]


def test_conll_features(conll):
    assert conll["train"].features == {
        "id": Value("string"),
        "tokens": List(Value("string")),
        "pos_tags": List(ClassLabel(names=POS)),
        "chunk_tags": List(ClassLabel(names=CHUNK)),
        "ner_tags": List(ClassLabel(names=NER)),
    }
    assert conll["train"].column_names == [
        "id",
        "tokens",
        "pos_tags",
        "chunk_tags",
        "ner_tags",
    ]


def test_squad_features(squad):
    assert squad["train"].features == {
        "id": Value("string"),
        "title": Value("string"),
        "context": Value("string"),
        "question": Value("string"),
        "answers": {
            "text": List(Value("string")),
            "answer_start": List(Value("int32")),
        },
    }
    assert squad["train"].column_names == [
        "id",
        "title",
        "context",
        "question",
        "answers",
    ]


@pytest.mark.parametrize("name", ["sst2", "conll2003", "squad"])
def test_split_sizes(name, request):
    ds = request.getfixturevalue({"conll2003": "conll"}.get(name, name))
    expected = {
        "sst2": {"train": 1000, "validation": 250, "test": 250},
        "conll2003": {"train": 800, "validation": 200, "test": 200},
        "squad": {"train": 800, "validation": 200},
    }[name]
    assert {split: ds[split].num_rows for split in ds} == expected
    assert {
        k: v
        for k, v in minidata.DATASHEET[name].items()
        if k in expected
    } == expected


# ---------------------------------------------------------- determinism
@pytest.mark.parametrize("name", ["sst2", "conll2003", "squad"])
def test_deterministic(name):
    make = getattr(minidata, name)
    a, b, c = make(0), make(0), make(1)
    for split in a:
        assert a[split].to_list() == b[split].to_list()
        # byte-level (Arrow) equality
        assert a[split].data.table.equals(b[split].data.table)
    assert a["train"].to_list() != c["train"].to_list()


def test_documents_deterministic(docs):
    assert minidata.documents(0) == docs
    assert minidata.documents(1) != docs


def test_generation_time():
    start = time.perf_counter()
    (
        minidata.sst2(),
        minidata.conll2003(),
        minidata.squad(),
        minidata.documents(),
    )
    assert time.perf_counter() - start < 2.0


# ---------------------------------------------------------------- SST-2
def test_sst2_balance_and_test_labels(sst2):
    for split in ("train", "validation"):
        labels = sst2[split]["label"]
        assert set(labels) == {0, 1}
        assert 0.4 <= sum(labels) / len(labels) <= 0.6
    assert set(sst2["test"]["label"]) == {-1}


def test_sst2_no_overlap(sst2):
    sentences = [s for split in sst2 for s in sst2[split]["sentence"]]
    assert len(sentences) == len(set(sentences))
    for split in sst2:
        assert list(sst2[split]["idx"]) == list(
            range(sst2[split].num_rows)
        )


def test_sst2_not_a_keyword_lookup(sst2):
    # Negation and contrast put "good" in negative sentences too.
    train = sst2["train"]
    labels = {
        lab
        for s, lab in zip(train["sentence"], train["label"])
        if " good" in s
    }
    assert labels == {0, 1}


def test_sst2_held_out_adjectives(sst2):
    held = set(minidata.POS_ADJ_HELD_OUT + minidata.NEG_ADJ_HELD_OUT)
    words = lambda split: {
        w for s in sst2[split]["sentence"] for w in s.split()
    }
    assert not held & words("train")
    assert held & words("validation") and held & words("test")


# ----------------------------------------------------------- CoNLL-2003
def _check_iob2(tags):
    prev = "O"
    for tag in tags:
        if tag.startswith("I-"):
            assert prev != "O" and prev[2:] == tag[2:], (prev, tag)
        prev = tag


def test_conll_lengths_and_iob2(conll):
    for split in conll:
        for row in conll[split]:
            n = len(row["tokens"])
            assert n > 0 and all(row["tokens"])
            assert (
                len(row["pos_tags"])
                == len(row["chunk_tags"])
                == len(row["ner_tags"])
                == n
            )
            _check_iob2([NER[t] for t in row["ner_tags"]])
            _check_iob2([CHUNK[t] for t in row["chunk_tags"]])


def test_iob2_checker_can_fail():
    with pytest.raises(AssertionError):
        _check_iob2(["O", "I-PER"])
    with pytest.raises(AssertionError):
        _check_iob2(["B-LOC", "I-PER"])


def test_conll_entities(conll):
    tags = {
        NER[t]
        for split in conll
        for row in conll[split]["ner_tags"]
        for t in row
    }
    assert tags == set(NER)  # every type, B- and I-


def _entities(ds):
    out = set()
    for tokens, tags in zip(ds["tokens"], ds["ner_tags"]):
        for i, t in enumerate(tags):
            if NER[t].startswith("B-"):
                j = i + 1
                while j < len(tags) and NER[tags[j]].startswith("I-"):
                    j += 1
                out.add((NER[t][2:], " ".join(tokens[i:j])))
    return out


def test_conll_held_out_names_and_ambiguity(conll):
    train, test = _entities(conll["train"]), _entities(conll["test"])
    # names never seen in train
    assert len(test - train) >= 0.1 * len(test)
    assert {("PER", "Jordan"), ("LOC", "Jordan")} <= train | test


def test_conll_no_overlap(conll):
    sentences = [
        tuple(t) for split in conll for t in conll[split]["tokens"]
    ]
    assert len(sentences) == len(set(sentences))


# ---------------------------------------------------------------- SQuAD
def test_squad_spans(squad):
    for split in squad:
        for row in squad[split]:
            answers = row["answers"]
            assert (
                len(answers["text"])
                == len(answers["answer_start"])
                >= 1
            )
            for text, start in zip(
                answers["text"], answers["answer_start"]
            ):
                assert (
                    text
                    and row["context"][start : start + len(text)]
                    == text
                )


def test_squad_answer_counts(squad):
    assert all(len(a["text"]) == 1 for a in squad["train"]["answers"])
    counts = [len(a["text"]) for a in squad["validation"]["answers"]]
    assert max(counts) <= 3 and max(counts) > 1


def test_squad_no_context_overlap(squad):
    assert not set(squad["train"]["context"]) & set(
        squad["validation"]["context"]
    )
    ids = list(squad["train"]["id"]) + list(squad["validation"]["id"])
    assert len(ids) == len(set(ids))


def test_squad_question_variety(squad):
    starts = {q.split()[0] for q in squad["train"]["question"]}
    assert {"Who", "When", "Where", "What", "How"} <= starts


# ------------------------------------------------------------ documents
def test_documents(docs):
    assert 350 <= len(docs) <= 450
    assert all(
        4 <= len(d) <= 12 and all(isinstance(s, str) and s for s in d)
        for d in docs
    )
    # Each topic has its own opening sentence: count the documents per
    # topic.
    openers = {
        t: lines.splitlines()[0].split("{")[0]
        for t, lines in minidata.TOPIC_SENTENCES.items()
    }
    per_topic = {
        t: sum(d[0].startswith(o) for d in docs)
        for t, o in openers.items()
    }
    assert len(per_topic) >= 8 and sum(per_topic.values()) == len(docs)
    assert min(per_topic.values()) >= len(docs) // len(per_topic) - 1


def test_documents_keep_story_order(docs):
    # Sentence-order prediction needs an order to predict: every
    # document follows its topic's line order, so a swapped pair is
    # detectable.
    subjects = {
        s: t
        for t, subs in minidata.TOPIC_SUBJECTS.items()
        for s in subs
    }
    for doc in docs:
        subject = next(
            s
            for s in sorted(subjects, key=len, reverse=True)
            if s in doc[0]
        )
        lines = minidata.TOPIC_SENTENCES[subjects[subject]].splitlines()
        cap = subject[0].upper() + subject[1:]
        order = [
            lines.index(
                next(
                    l
                    for l in lines
                    if l.format(s=subject, S=cap) == sent
                )
            )
            for sent in doc
        ]
        assert order == sorted(order) and order[0] == 0


def test_datasheet_figures_match_the_generated_data():
    """book/mini_datasets.md quotes counts; they must be those of the
    data (seed 0)."""
    from collections import Counter
    from pathlib import Path

    page = (
        Path(__file__).resolve().parents[1]
        / "book"
        / "mini_datasets.md"
    ).read_text()
    conll = minidata.conll2003()
    names = conll["train"].features["ner_tags"].feature.names
    for split in ("train", "validation", "test"):
        rows = conll[split]
        starts = Counter(
            names[t]
            for tags in rows["ner_tags"]
            for t in tags
            if names[t].startswith("B-")
        )
        cells = [
            f"{len(rows):,}",
            f"{sum(len(t) for t in rows['tokens']):,}",
            *(
                f"{starts[f'B-{kind}']:,}"
                for kind in ("PER", "ORG", "LOC", "MISC")
            ),
        ]
        assert f"| {split} | " + " | ".join(cells) + " |" in page, split

    sst2 = minidata.sst2()
    for split in ("train", "validation"):
        labels = Counter(sst2[split]["label"])
        assert f"| {split} | {labels[0]} | {labels[1]} |" in page, split

    answers = Counter(
        len(a["text"])
        for a in minidata.squad()["validation"]["answers"]
    )
    assert (
        f"({answers[1]} with one, {answers[2]} with two, "
        f"{answers[3]} with three)"
    ) in page

    documents = minidata.documents()
    sentences = [s for d in documents for s in d]
    assert (
        f"{len(documents)} documents ({len(sentences):,} sentences"
        in page
    )
    assert f"({len(set(sentences))} distinct sentences)" in page
