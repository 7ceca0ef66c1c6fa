"""Every message quoted on the troubleshooting page is what today's
libraries say.

Each case reproduces one problem on a CPU, offline, and the page must
quote the message it produces word for word; when a library changes its
wording, this test fails and the page is updated.
"""

from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "book" / "troubleshooting.md").read_text()


def message(call):
    with pytest.raises(Exception) as caught:
        call()
    return f"{type(caught.value).__name__}: {caught.value}"


@pytest.mark.parametrize(
    "argument",
    [
        "evaluation_strategy",
        "gradient_clipping",
        "warmup_ratio",
        "no_cuda",
        "overwrite_output_dir",
        "logging_dir",
    ],
)
def test_removed_training_arguments(argument, tmp_path):
    from transformers import TrainingArguments

    text = message(
        lambda: TrainingArguments(
            output_dir=str(tmp_path), **{argument: 1}
        )
    )
    assert text == (
        "TypeError: TrainingArguments.__init__() got an unexpected "
        f"keyword argument '{argument}'"
    )
    if argument != "logging_dir":  # listed in the table only
        assert text in PAGE


def test_the_seeds_clipping_is_already_the_default(tmp_path):
    from transformers import TrainingArguments

    args = TrainingArguments(output_dir=str(tmp_path), warmup_steps=0.1)
    assert args.max_grad_norm == 1.0 and args.warmup_steps == 0.1
    assert "`max_grad_norm`, and its default is already 1.0" in PAGE


def test_trainer_tokenizer_argument(tmp_path):
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        Trainer,
        TrainingArguments,
    )

    model = BertForSequenceClassification(
        BertConfig(
            vocab_size=50,
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
        )
    )
    text = message(
        lambda: Trainer(
            model=model,
            args=TrainingArguments(output_dir=str(tmp_path)),
            tokenizer=None,
        )
    )
    assert text in PAGE


def test_fp16_overflow():
    big = torch.tensor([60000.0], dtype=torch.float16)
    same = torch.tensor([70000.0]).half()
    assert torch.isinf(big * 2).all() and torch.isnan(same - same).all()
    assert (
        "float16(60000) * 2 = inf" in PAGE
        and "float16(70000) - float16(70000) = nan" in PAGE
    )


def test_unaligned_ner_labels():
    from transformers import BertConfig, BertForTokenClassification

    model = BertForTokenClassification(
        BertConfig(
            vocab_size=50,
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            num_labels=3,
        )
    )
    # five tokens ([CLS], three pieces, [SEP]) against three word labels
    text = message(
        lambda: model(
            input_ids=torch.tensor([[1, 5, 6, 7, 2]]),
            labels=torch.tensor([[0, 1, 2]]),
        )
    )
    assert text in PAGE


def test_wordpiece_splits_a_rare_name():
    from transformers import AutoTokenizer

    from bertcourse.assets import offline_checkpoint

    # bert-base-uncased's vocabulary
    tokenizer = AutoTokenizer.from_pretrained(offline_checkpoint())
    assert tokenizer.tokenize("Washington Pericles") == [
        "washington",
        "per",
        "##icles",
    ]
    assert "splits `Pericles` into `per ##icles`" in PAGE


def test_byte_level_bpe_prefix():
    from tokenizers import ByteLevelBPETokenizer
    from transformers import RobertaTokenizerFast

    bpe = ByteLevelBPETokenizer()
    text = [
        "The cat sat on the mat.",
        "Hello world, the cats are sitting.",
        "New York is a city.",
    ] * 50
    bpe.train_from_iterator(
        text,
        vocab_size=300,
        min_frequency=1,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
    )
    tokenizer = RobertaTokenizerFast(tokenizer_object=bpe._tokenizer)
    in_text = tokenizer.tokenize("Hello world, New York")
    split = tokenizer(
        ["New", "York"],
        is_split_into_words=True,
        add_special_tokens=False,
    ).tokens()
    assert (
        f'"Hello world, New York"           -> {" ".join(in_text)}'
        in PAGE
    )
    assert (
        f'["New", "York"], split into words -> {" ".join(split)}'
        in PAGE
    )
    assert (
        tokenizer.decode(
            tokenizer("Hello world")["input_ids"],
            skip_special_tokens=True,
        )
        == "Hello world"
    )


def test_dataset_scripts_refused(tmp_path):
    import datasets

    folder = tmp_path / "conll2003"
    folder.mkdir()
    (folder / "conll2003.py").write_text("import datasets\n")
    assert message(lambda: datasets.load_dataset(str(folder))) in PAGE


def test_load_metric_is_gone():
    import datasets

    assert message(lambda: datasets.load_metric) in PAGE
