"""Every lab check passes the solution and fails, with the intended
message, on wrong answers of the kind learners really write."""

import re
import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from bertcourse.checks import (
    CheckFailed,
    alignment,
    classification,
    distillation,
    masking,
    parameters,
    spans,
)


def fails_with(check, function, *args, match):
    """The check raises CheckFailed, in one line, naming the function,
    matching `match`."""
    with pytest.raises(CheckFailed) as error:
        check(function, *args)
    message = str(error.value)
    assert "\n" not in message, message
    assert message.startswith(function.__name__), message
    assert "Hint:" in message, message
    assert re.search(match, message), message
    assert error.value._render_traceback_() == [
        f"CheckFailed: {message}"
    ]


def passes(check, function, *args, capsys):
    check(function, *args)
    out = capsys.readouterr().out.strip()
    assert out.startswith("\u2714") and "\n" not in out, out


# ----------------------------------------------------- shared behaviour


def test_an_error_raised_by_the_learners_code_becomes_one_line():
    def mask_tokens(*args):
        return [][1]

    fails_with(
        masking.mask_tokens,
        mask_tokens,
        match=r"raised IndexError: list index out of range",
    )


def test_a_stub_is_reported_as_not_written_yet():
    def mask_tokens(*args):
        raise NotImplementedError

    fails_with(
        masking.mask_tokens, mask_tokens, match="not written yet"
    )


# ------------------------------------------------------- lab 1: masking


def mask_tokens_right(
    input_ids, special_tokens_mask, mask_token_id, vocab_size, generator
):
    masked = input_ids.clone()
    chosen = (
        torch.rand(input_ids.shape, generator=generator) < 0.15
    ) & (special_tokens_mask == 0)
    labels = torch.where(
        chosen, input_ids, torch.full_like(input_ids, -100)
    )
    roll = torch.rand(input_ids.shape, generator=generator)
    masked[chosen & (roll < 0.8)] = mask_token_id
    random_ids = torch.randint(
        vocab_size, input_ids.shape, generator=generator
    )
    swap = chosen & (roll >= 0.8) & (roll < 0.9)
    masked[swap] = random_ids[swap]
    return masked, labels


def test_masking_passes_the_solution(capsys):
    passes(masking.mask_tokens, mask_tokens_right, capsys=capsys)


def test_masking_of_padding_and_special_tokens_too_fails():
    def mask_tokens(
        input_ids,
        special_tokens_mask,
        mask_token_id,
        vocab_size,
        generator,
    ):
        return mask_tokens_right(
            input_ids,
            torch.zeros_like(special_tokens_mask),
            mask_token_id,
            vocab_size,
            generator,
        )

    fails_with(
        masking.mask_tokens,
        mask_tokens,
        match=r"special tokens or padding",
    )


def test_80_10_10_applied_to_every_token_fails():
    def mask_tokens(
        input_ids,
        special_tokens_mask,
        mask_token_id,
        vocab_size,
        generator,
    ):
        masked = input_ids.clone()
        chosen = (
            torch.rand(input_ids.shape, generator=generator) < 0.15
        ) & (special_tokens_mask == 0)
        labels = torch.where(
            chosen, input_ids, torch.full_like(input_ids, -100)
        )
        roll = torch.rand(input_ids.shape, generator=generator)
        real = special_tokens_mask == 0
        # every real token, not only the chosen
        masked[real & (roll < 0.8)] = mask_token_id
        return masked, labels

    fails_with(
        masking.mask_tokens,
        mask_tokens,
        match=r"not prediction targets .* were changed",
    )


def test_masking_every_chosen_token_as_mask_fails():
    def mask_tokens(
        input_ids,
        special_tokens_mask,
        mask_token_id,
        vocab_size,
        generator,
    ):
        chosen = (
            torch.rand(input_ids.shape, generator=generator) < 0.15
        ) & (special_tokens_mask == 0)
        labels = torch.where(
            chosen, input_ids, torch.full_like(input_ids, -100)
        )
        return torch.where(
            chosen, torch.full_like(input_ids, mask_token_id), input_ids
        ), labels

    fails_with(
        masking.mask_tokens,
        mask_tokens,
        match=r"100% became \[MASK\].*80/10/10",
    )


def test_masking_in_place_and_ignoring_the_generator_fail():
    def in_place(
        input_ids,
        special_tokens_mask,
        mask_token_id,
        vocab_size,
        generator,
    ):
        masked, labels = mask_tokens_right(
            input_ids,
            special_tokens_mask,
            mask_token_id,
            vocab_size,
            generator,
        )
        input_ids[:] = masked
        return input_ids, labels

    def no_generator(
        input_ids,
        special_tokens_mask,
        mask_token_id,
        vocab_size,
        generator,
    ):
        return mask_tokens_right(
            input_ids,
            special_tokens_mask,
            mask_token_id,
            vocab_size,
            torch.Generator(),
        )

    fails_with(
        masking.mask_tokens,
        in_place,
        match=r"changed the input_ids .*in place",
    )
    fails_with(
        masking.mask_tokens,
        no_generator,
        match=r"different seeds gave the same mask",
    )


def _random_ids_from_global_rng(
    input_ids, special_tokens_mask, mask_token_id, vocab_size, generator
):
    masked = input_ids.clone()
    chosen = (
        torch.rand(input_ids.shape, generator=generator) < 0.15
    ) & (special_tokens_mask == 0)
    labels = torch.where(
        chosen, input_ids, torch.full_like(input_ids, -100)
    )
    roll = torch.rand(input_ids.shape, generator=generator)
    masked[chosen & (roll < 0.8)] = mask_token_id
    swap = chosen & (roll >= 0.8) & (roll < 0.9)
    # no generator: not repeatable
    masked[swap] = torch.randint(vocab_size, input_ids.shape)[swap]
    return masked, labels


def test_masking_mistakes_more():
    def as_floats(
        input_ids,
        special_tokens_mask,
        mask_token_id,
        vocab_size,
        generator,
    ):
        masked, labels = mask_tokens_right(
            input_ids,
            special_tokens_mask,
            mask_token_id,
            vocab_size,
            generator,
        )
        return masked.float(), labels.float()

    def a_dict(
        input_ids,
        special_tokens_mask,
        mask_token_id,
        vocab_size,
        generator,
    ):
        masked, labels = mask_tokens_right(
            input_ids,
            special_tokens_mask,
            mask_token_id,
            vocab_size,
            generator,
        )
        return {"input_ids": masked, "labels": labels}

    fails_with(
        masking.mask_tokens,
        as_floats,
        match=r"torch.float32 .* whole numbers",
    )
    fails_with(
        masking.mask_tokens,
        a_dict,
        match=r"returned dict of 2 items, not a pair",
    )
    # subtle: the mask repeats with a seed, the replacement tokens do
    # not
    fails_with(
        masking.mask_tokens,
        _random_ids_from_global_rng,
        match=r"other masked_ids: some random",
    )


@pytest.fixture(scope="module")
def tokenizers():
    from transformers import AutoTokenizer

    from bertcourse import assets

    return {
        "bert": AutoTokenizer.from_pretrained(
            assets.offline_checkpoint()
        ),
        "roberta": assets.trained_tokenizer("bpe"),
        "albert": assets.trained_tokenizer("unigram"),
    }


def _tokens(tokenizer, text, **options):
    return len(tokenizer(text, **options)["input_ids"])


def test_tokens_per_word_passes_right_answers(tokenizers, capsys):
    def tokens_per_word(tokenizer, text):
        return _tokens(tokenizer, text, add_special_tokens=False) / len(
            text.split()
        )

    def tokens_per_word_tokenize(tokenizer, text):
        return np.float64(
            len(tokenizer.tokenize(text)) / len(text.split())
        )

    passes(
        masking.tokens_per_word,
        tokens_per_word,
        tokenizers,
        capsys=capsys,
    )
    passes(
        masking.tokens_per_word,
        tokens_per_word_tokenize,
        tokenizers,
        capsys=capsys,
    )


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda tok, text: _tokens(tok, text) / len(text.split()),
            "counts the special tokens",
        ),
        (
            lambda tok, text: len(text) / len(text.split()),
            "counts characters",
        ),
        (
            lambda tok, text: (
                len(text.split())
                / _tokens(tok, text, add_special_tokens=False)
            ),
            "the inverse",
        ),
        (
            lambda tok, text: (
                _tokens(tok, text, add_special_tokens=False)
                // len(text.split())
            ),
            "//",
        ),
        (
            lambda tok, text: (
                f"{_tokens(tok, text) / len(text.split()):.2f}"
            ),
            "returned str .*not a number",
        ),
        (
            lambda tok, text: tok.tokenize(text),
            "returned list of .* not a number",
        ),
        (
            lambda tok, text: float("nan"),
            "returned float nan, not a number",
        ),
        # subtle: right on every text without two spaces or a newline
        (
            lambda tok, text: (
                _tokens(tok, text, add_special_tokens=False)
                / len(text.split(" "))
            ),
            "single spaces",
        ),
    ],
    ids=[
        "specials",
        "characters",
        "inverse",
        "floor-division",
        "a-str",
        "a-list",
        "nan",
        "split-space",
    ],
)
def test_tokens_per_word_stops_each_mistake_with_its_message(
    tokenizers, mistake, match
):
    def tokens_per_word(tokenizer, text):
        return mistake(tokenizer, text)

    fails_with(
        masking.tokens_per_word,
        tokens_per_word,
        tokenizers,
        match=match,
    )


# ---------------------------------------------------- lab 2: parameters


def bert_layer(H, I):
    return 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H


def bert_right(c, pooler=True, biases=True):
    V, H, L, I, P, T = (
        c.vocab_size,
        c.hidden_size,
        c.num_hidden_layers,
        c.intermediate_size,
        c.max_position_embeddings,
        c.type_vocab_size,
    )
    return (
        V * H
        + P * H
        + T * H
        + 2 * H
        + L * bert_layer(H, I)
        + (H * H + H) * pooler
    )


def albert_right(c, factorised=True, shared=True):
    V, E, H, L, I, P, T = (
        c.vocab_size,
        c.embedding_size,
        c.hidden_size,
        c.num_hidden_layers,
        c.intermediate_size,
        c.max_position_embeddings,
        c.type_vocab_size,
    )
    if not factorised:  # BERT's embedding, V x H
        embeddings = V * H + P * H + T * H + 2 * H
    else:
        embeddings = V * E + P * E + T * E + 2 * E + E * H + H
    return (
        embeddings + (1 if shared else L) * bert_layer(H, I) + H * H + H
    )


def test_bert_parameters(capsys):
    def bert_parameters(config):
        return bert_right(config)

    # a numpy integer is a whole number too
    def bert_parameters_numpy(config):
        return np.int64(bert_right(config))

    def no_pooler(config):
        return bert_right(config, pooler=False)

    def no_biases(config):
        c = config
        H, I, L = (
            c.hidden_size,
            c.intermediate_size,
            c.num_hidden_layers,
        )
        return bert_right(c) - L * (4 * H + I + H) - H

    def no_position_embeddings(config):
        return (
            bert_right(config)
            - (config.max_position_embeddings + config.type_vocab_size)
            * config.hidden_size
        )

    def a_string(config):
        return f"{bert_right(config) / 1e6:.0f}M"

    # subtle: right for bert-base, whose intermediate_size is 4H
    def four_h(config):
        c = config
        H, I = c.hidden_size, c.intermediate_size
        return bert_right(c) - c.num_hidden_layers * 2 * (
            H * I + I - 4 * H * H - 4 * H
        )

    def no_token_types(config):  # subtle: only 2 x H for bert-base
        return (
            bert_right(config)
            - config.type_vocab_size * config.hidden_size
        )

    def layer_norm_one_vector(config):
        return bert_right(config) - config.hidden_size * (
            1 + 2 * config.num_hidden_layers
        )

    passes(parameters.bert_parameters, bert_parameters, capsys=capsys)
    passes(
        parameters.bert_parameters, bert_parameters_numpy, capsys=capsys
    )
    fails_with(parameters.bert_parameters, no_pooler, match="pooler")
    fails_with(
        parameters.bert_parameters,
        no_biases,
        match="biases are missing",
    )
    fails_with(
        parameters.bert_parameters,
        no_position_embeddings,
        match="position and segment",
    )
    fails_with(
        parameters.bert_parameters,
        a_string,
        match="returned str .*whole number",
    )
    fails_with(
        parameters.bert_parameters,
        four_h,
        match="feed-forward size is taken as 4 x H",
    )
    fails_with(
        parameters.bert_parameters,
        no_token_types,
        match="segment \\(token type\\) embeddings are missing",
    )
    fails_with(
        parameters.bert_parameters,
        layer_norm_one_vector,
        match="scale and a shift",
    )


def test_albert_parameters(capsys):
    def albert_parameters(config):
        return albert_right(config)

    def embedding_as_v_times_h(config):
        return albert_right(config, factorised=False)

    def layers_not_shared(config):
        return albert_right(config, shared=False)

    def no_projection(config):
        return (
            albert_right(config)
            - config.embedding_size * config.hidden_size
            - config.hidden_size
        )

    def a_float(config):
        return albert_right(config) * 1.001

    # subtle: H parameters out of millions
    def projection_without_bias(config):
        return albert_right(config) - config.hidden_size

    # subtle: the LayerNorm counted after the projection
    def embedding_norm_of_width_h(config):
        return (
            albert_right(config)
            - 2 * config.embedding_size
            + 2 * config.hidden_size
        )

    passes(
        parameters.albert_parameters, albert_parameters, capsys=capsys
    )
    fails_with(
        parameters.albert_parameters,
        embedding_as_v_times_h,
        match=r"counted as BERT.s, V x H",
    )
    fails_with(
        parameters.albert_parameters,
        layers_not_shared,
        match=r"shares one layer",
    )
    fails_with(
        parameters.albert_parameters,
        no_projection,
        match=r"E -> H projection after",
    )
    fails_with(
        parameters.albert_parameters, a_float, match=r"whole number"
    )
    fails_with(
        parameters.albert_parameters,
        projection_without_bias,
        match=r"projection's bias is missing",
    )
    fails_with(
        parameters.albert_parameters,
        embedding_norm_of_width_h,
        match=r"LayerNorm is counted with width H",
    )


# ------------------------------------------------ lab 3: classification


def metrics_from(
    eval_pred,
    to_classes=lambda logits: logits.argmax(axis=-1),
    **f1_options,
):
    from sklearn.metrics import accuracy_score, f1_score

    logits, labels = eval_pred
    predictions = to_classes(logits)
    return {
        "accuracy": accuracy_score(labels, predictions),
        "f1": f1_score(labels, predictions, **f1_options),
    }


def test_compute_metrics_passes_right_answers(capsys):
    def compute_metrics(eval_pred):
        return metrics_from(eval_pred)

    # numpy floats, the comparison written out
    def compute_metrics_numpy(eval_pred):
        logits, labels = eval_pred
        predictions = (logits[:, 1] > logits[:, 0]).astype(int)
        tp = np.sum((predictions == 1) & (labels == 1))
        return {
            "accuracy": np.mean(predictions == labels),
            "f1": 2
            * tp
            / (np.sum(predictions == 1) + np.sum(labels == 1)),
        }

    passes(
        classification.compute_metrics, compute_metrics, capsys=capsys
    )
    passes(
        classification.compute_metrics,
        compute_metrics_numpy,
        capsys=capsys,
    )


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda p: metrics_from(
                p, lambda x: (x[:, 1] > 0.5).astype(int)
            ),
            "class 1 when one logit passes a threshold",
        ),
        (
            lambda p: metrics_from(
                p, lambda x: (x[:, 1] > 0).astype(int)
            ),
            "class 1 when one logit passes a threshold",
        ),
        (
            lambda p: metrics_from(p, average="macro"),
            "average over both classes \\(macro\\)",
        ),
        (
            lambda p: metrics_from(p, average="weighted"),
            "weighted average",
        ),
        (
            lambda p: {k: 100 * v for k, v in metrics_from(p).items()},
            "percentages",
        ),
        (
            lambda p: {"accuracy": metrics_from(p)["accuracy"]},
            "'accuracy' and 'f1'",
        ),
        (
            lambda p: metrics_from(p, average=None),
            "'f1' is ndarray of shape \\(2,\\), not one number",
        ),
        (
            lambda p: metrics_from(p, lambda x: x),
            "got the logits .* where it needs one class per sentence",
        ),
        (
            lambda p: metrics_from(p, lambda x: x.argmax(axis=0)),
            "predictions and the 6 labels differ in length",
        ),
        (
            lambda p: [metrics_from(p)],
            "returned list of 1 items; Trainer needs a dict",
        ),
        # subtle: these look right and give plausible numbers
        (
            lambda p: metrics_from(p, pos_label=0),
            "negative class's \\(label 0\\)",
        ),
        (
            lambda p: metrics_from(p, average="micro"),
            "micro average, which equals the accuracy",
        ),
        (
            lambda p: metrics_from(
                p, lambda x: (x[:, 0] > x[:, 1]).astype(int)
            ),
            "on logits \\[\\[1, 0.4\\].*expected",
        ),
    ],
    ids=[
        "threshold-0.5",
        "threshold-0",
        "macro",
        "weighted",
        "percent",
        "only-accuracy",
        "average-none",
        "logits-as-classes",
        "argmax-axis-0",
        "a-list",
        "pos-label-0",
        "micro",
        "classes-swapped",
    ],
)
def test_compute_metrics_stops_each_mistake_with_its_message(
    mistake, match
):
    def compute_metrics(eval_pred):
        return mistake(eval_pred)

    fails_with(
        classification.compute_metrics, compute_metrics, match=match
    )


def errors_right(labels, probabilities, k):
    predicted = probabilities.argmax(axis=-1)
    wrong = np.flatnonzero(predicted != labels)
    return wrong[
        np.argsort(-probabilities.max(axis=-1)[wrong], kind="stable")
    ][:k]


def test_confident_errors_passes_right_answers(capsys):
    def confident_errors(labels, probabilities, k):
        return errors_right(labels, probabilities, k).tolist()

    # an array is as good as a list
    def confident_errors_array(labels, probabilities, k):
        return errors_right(labels, probabilities, k)

    def confident_errors_sorted_tuples(labels, probabilities, k):
        pairs = [
            (-max(p), i)
            for i, (y, p) in enumerate(zip(labels, probabilities))
            if np.argmax(p) != y
        ]
        return [i for _, i in sorted(pairs)[:k]]

    for function in (
        confident_errors,
        confident_errors_array,
        confident_errors_sorted_tuples,
    ):
        passes(classification.confident_errors, function, capsys=capsys)


def _masked_top_k(labels, probabilities, k):
    confidence = np.where(
        probabilities.argmax(-1) != labels, probabilities.max(-1), -1
    )
    return np.argsort(-confidence, kind="stable")[:k].tolist()


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda y, p, k: np.argsort(-p.max(-1), kind="stable")[
                :k
            ].tolist(),
            "contains predictions that are right",
        ),
        (
            lambda y, p, k: errors_right(y, p, k)[::-1].tolist(),
            "the wrong order|least confident mistakes first",
        ),
        (
            lambda y, p, k: errors_right(y, p, len(y))[::-1][
                :k
            ].tolist(),
            "least confident mistakes first",
        ),
        (
            lambda y, p, k: np.flatnonzero(p.argmax(-1) != y)[
                :k
            ].tolist(),
            "dataset order, not sorted by confidence",
        ),
        (
            lambda y, p, k: errors_right(y, p, len(y)).tolist(),
            "every mistake, not the top k",
        ),
        (
            lambda y, p, k: {int(i) for i in errors_right(y, p, k)},
            "returned set of .* expected a list",
        ),
        (
            lambda y, p, k: None,
            "returned NoneType None; expected a list",
        ),
        (
            lambda y, p, k: np.argsort(
                -p.max(-1)[p.argmax(-1) != y], kind="stable"
            )[:k].tolist(),
            (
                "positions in the list of mistakes, not indices of the "
                "dataset"
            ),
        ),
        (
            lambda y, p, k: (
                lambda w: w[np.argsort(-p[w, -1], kind="stable")][
                    :k
                ].tolist()
            )(np.flatnonzero(p.argmax(-1) != y)),
            "probability of the last class",
        ),
        (
            lambda y, p, k: (
                lambda w: w[np.argsort(p[w, y[w]], kind="stable")][
                    :k
                ].tolist()
            )(np.flatnonzero(p.argmax(-1) != y)),
            "probability of the true label",
        ),
        # subtle: right whenever there are at least k mistakes
        (
            _masked_top_k,
            (
                "fewer than k = 3 mistakes it fills the list up with "
                "right predictions"
            ),
        ),
    ],
    ids=[
        "right-ones-included",
        "reversed",
        "least-confident",
        "unsorted",
        "no-cut",
        "a-set",
        "none",
        "positions",
        "last-class",
        "true-label",
        "masked-top-k",
    ],
)
def test_confident_errors_stops_each_mistake_with_its_message(
    mistake, match
):
    def confident_errors(labels, probabilities, k):
        return mistake(labels, probabilities, k)

    fails_with(
        classification.confident_errors, confident_errors, match=match
    )


def test_confident_errors_shows_the_smallest_failing_case_when_no_mistake_is_named():  # noqa: E501
    def confident_errors(labels, probabilities, k):
        # drops the most confident
        return errors_right(labels, probabilities, k)[1:].tolist()

    fails_with(
        classification.confident_errors,
        confident_errors,
        match=(
            r"for labels \[1, 0, 1, 1, 0, 0\], probabilities \[\[0.9, "
            r"0.1\].* and k=2 it returned \[3\]; expected \[0, 3\]"
        ),
    )


def compare_right(wrong, in_group):
    wrong, in_group = (
        np.asarray(wrong, dtype=bool),
        np.asarray(in_group, dtype=bool),
    )
    p, q = wrong[in_group].mean(), wrong[~in_group].mean()
    return (
        p,
        q,
        np.sqrt(
            p * (1 - p) / in_group.sum()
            + q * (1 - q) / (~in_group).sum()
        ),
    )


def test_compare_groups_passes_right_answers(capsys):
    def compare_groups(wrong, in_group):
        return compare_right(wrong, in_group)

    # the two-proportion test's standard error
    def compare_groups_pooled(wrong, in_group):
        wrong, in_group = (
            np.asarray(wrong, dtype=bool),
            np.asarray(in_group, dtype=bool),
        )
        n, m = in_group.sum(), (~in_group).sum()
        pooled = wrong.mean()
        return (
            wrong[in_group].mean(),
            wrong[~in_group].mean(),
            np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m)),
        )

    def compare_groups_lists(wrong, in_group):
        inside = [w for w, g in zip(wrong, in_group) if g]
        outside = [w for w, g in zip(wrong, in_group) if not g]
        p, q = sum(inside) / len(inside), sum(outside) / len(outside)
        return [
            p,
            q,
            (p * (1 - p) / len(inside) + q * (1 - q) / len(outside))
            ** 0.5,
        ]

    for function in (
        compare_groups,
        compare_groups_pooled,
        compare_groups_lists,
    ):
        passes(classification.compare_groups, function, capsys=capsys)


def _with_se(se):
    def compare(wrong, in_group):
        wrong, in_group = (
            np.asarray(wrong, dtype=bool),
            np.asarray(in_group, dtype=bool),
        )
        p, q = wrong[in_group].mean(), wrong[~in_group].mean()
        return p, q, se(p, q, in_group.sum(), (~in_group).sum())

    return compare


def _int_tilde(wrong, in_group):
    wrong, in_group = (
        np.asarray(wrong, dtype=bool),
        np.asarray(in_group),
    )
    # ~1 == -2: an index
    inside, outside = wrong[in_group.astype(bool)], wrong[~in_group]
    p, q = inside.mean(), outside.mean()
    return (
        p,
        q,
        np.sqrt(p * (1 - p) / len(inside) + q * (1 - q) / len(outside)),
    )


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            _with_se(
                lambda p, q, n, m: p * (1 - p) / n + q * (1 - q) / m
            ),
            "a variance \\(no square root\\)",
        ),
        (
            _with_se(
                lambda p, q, n, m: (
                    np.sqrt(p * (1 - p) / n) + np.sqrt(q * (1 - q) / m)
                )
            ),
            "adds the two standard errors",
        ),
        (
            _with_se(
                lambda p, q, n, m: np.sqrt(
                    (p * (1 - p) + q * (1 - q)) / (n + m)
                )
            ),
            "every sentence's count",
        ),
        (
            _with_se(lambda p, q, n, m: np.sqrt(p * (1 - p) / n)),
            "counts the group's rate only",
        ),
        (
            lambda w, g: (
                compare_right(w, g)[::-1][1:]
                + (compare_right(w, g)[2],)
            ),
            "two rates are swapped",
        ),
        (
            lambda w, g: compare_right(w, g)[:2],
            "expected three numbers",
        ),
        # subtle: right for True/False, wrong for 1/0 (`~` on ints is -1
        # and -2, read as indices)
        (
            lambda w, g: (np.asarray(w)[np.asarray(g)].mean(),) * 3,
            "rates",
        ),
        (
            _int_tilde,
            "in_group=\\[1, 1, 0, .* it returned rates .* expected",
        ),
    ],
    ids=[
        "variance",
        "se-added",
        "total-n",
        "one-group",
        "swapped",
        "two-values",
        "bool-index",
        "int-tilde",
    ],
)
def test_compare_groups_stops_each_mistake_with_its_message(
    mistake, match
):
    def compare_groups(wrong, in_group):
        return mistake(wrong, in_group)

    fails_with(
        classification.compare_groups, compare_groups, match=match
    )


# ----------------------------------------------------- lab 4: alignment


def first_piece(word_ids, word_labels):
    labels, previous = [], None
    for word in word_ids:
        labels.append(
            -100
            if word is None or word == previous
            else word_labels[word]
        )
        previous = word
    return labels


def every_piece_right(word_ids, word_labels, label_names):
    out, previous = [], None
    for w in word_ids:
        if w is None:
            out.append(-100)
        else:
            name = label_names[word_labels[w]]
            if w == previous and name.startswith("B-"):
                out.append(label_names.index("I-" + name[2:]))
            else:
                out.append(word_labels[w])
        previous = w
    return out


def test_align_labels_passes_right_answers(tokenizers, capsys):
    def align_labels(word_ids, word_labels):
        return first_piece(word_ids, word_labels)

    # an array is as good as a list
    def align_labels_numpy(word_ids, word_labels):
        return np.array(first_piece(word_ids, word_labels))

    passes(
        alignment.align_labels, align_labels, tokenizers, capsys=capsys
    )
    passes(
        alignment.align_labels,
        align_labels_numpy,
        tokenizers,
        capsys=capsys,
    )


def _last_piece(word_ids, word_labels):
    labels = []
    for i, w in enumerate(word_ids):
        nxt = word_ids[i + 1] if i + 1 < len(word_ids) else None
        labels.append(-100 if w is None or w == nxt else word_labels[w])
    return labels


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda ids, labels: [
                -100 if w is None else labels[w] for w in ids
            ],
            "continuation pieces .* are labelled",
        ),
        (
            lambda ids, labels: [
                0 if w is None else x
                for w, x in zip(ids, first_piece(ids, labels))
            ],
            "special tokens",
        ),
        (_last_piece, "on the last piece of each word"),
        (
            lambda ids, labels: first_piece(ids, labels)[1:-1],
            "returned 7 labels for 9 tokens",
        ),
        (
            lambda ids, labels: [
                alignment.LABEL_NAMES[x] if x >= 0 else "-100"
                for x in first_piece(ids, labels)
            ],
            (
                "returned \\['-100', .*expected a label id .*only "
                "their name"
            ),
        ),
        # subtle: word_ids[i - 1] at i = 0 is the last token: the same
        # word without specials
        (
            lambda ids, labels: [
                -100 if w is None or w == ids[i - 1] else labels[w]
                for i, w in enumerate(ids)
            ],
            (
                "for word_ids \\[0, 0, 0\\], .* it returned \\[-100, "
                "-100, -100\\]; expected"
            ),
        ),
    ],
    ids=[
        "every-piece",
        "specials-as-O",
        "last-piece",
        "no-specials",
        "names",
        "wrap-around",
    ],
)
def test_align_labels_stops_each_mistake_with_its_message(
    tokenizers, mistake, match
):
    def align_labels(word_ids, word_labels):
        return mistake(word_ids, word_labels)

    fails_with(
        alignment.align_labels, align_labels, tokenizers, match=match
    )


def test_align_labels_every_piece_passes_right_answers(
    tokenizers, capsys
):
    def align_labels_every_piece(word_ids, word_labels, label_names):
        return every_piece_right(word_ids, word_labels, label_names)

    def align_labels_every_piece_array(
        word_ids, word_labels, label_names
    ):
        return np.array(
            every_piece_right(word_ids, word_labels, label_names)
        )

    passes(
        alignment.align_labels_every_piece,
        align_labels_every_piece,
        tokenizers,
        capsys=capsys,
    )
    passes(
        alignment.align_labels_every_piece,
        align_labels_every_piece_array,
        tokenizers,
        capsys=capsys,
    )


def _conll_order(word_ids, word_labels, label_names):
    out, previous = [], None
    for w in word_ids:
        label = -100 if w is None else word_labels[w]
        out.append(
            label + 1
            if w is not None and w == previous and label % 2 == 1
            else label
        )
        previous = w
    return out


def _i_after_o(word_ids, word_labels, label_names):
    names = alignment.LABEL_NAMES
    out = every_piece_right(word_ids, word_labels, label_names)
    return [
        names.index("I-PER")
        if i
        and word_ids[i] is not None
        and word_ids[i] == word_ids[i - 1]
        and label_names[label] == "O"
        else label
        for i, label in enumerate(out)
    ]


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda ids, labels, names: [
                -100 if w is None else labels[w] for w in ids
            ],
            "labelled B-",
        ),
        (
            lambda ids, labels, names: first_piece(ids, labels),
            "continuation pieces get -100",
        ),
        (
            lambda ids, labels, names: [
                names[x] if x >= 0 else None
                for x in every_piece_right(ids, labels, names)
            ],
            "expected a label id",
        ),
        (
            _i_after_o,
            (
                "for the \\w+ tokenizer on a hidden sentence token "
                "\\d+ \\(word \\d+, a later piece\\) got 2 "
                "\\(I-PER\\), expected 0 \\(O\\)"
            ),
        ),
        # subtle: right with CoNLL's label order, wrong with any other
        (_conll_order, "CoNLL's order of the labels"),
    ],
    ids=[
        "b-on-every-piece",
        "first-piece-only",
        "names",
        "i-after-o",
        "conll-order",
    ],
)
def test_align_labels_every_piece_stops_each_mistake_with_its_message(
    tokenizers, mistake, match
):
    def align_labels_every_piece(word_ids, word_labels, label_names):
        return mistake(word_ids, word_labels, label_names)

    fails_with(
        alignment.align_labels_every_piece,
        align_labels_every_piece,
        tokenizers,
        match=match,
    )


# --------------------------------------------------------- lab 5: spans


def best_span_right(
    s,
    e,
    offsets,
    ids,
    max_len,
    in_context=True,
    ordered=True,
    limited=True,
    end_checked=True,
    longest_extra=0,
    initial=None,
):
    best = initial
    for i in range(len(s)):
        for j in range(len(e)):
            if in_context and (
                ids[i] != 1 or (end_checked and ids[j] != 1)
            ):
                continue
            if not in_context and (ids[i] is None or ids[j] is None):
                continue
            if (ordered and j < i) or (
                limited and j - i + 1 > max_len + longest_extra
            ):
                continue
            if best is None or s[i] + e[j] > best[0]:
                best = (s[i] + e[j], offsets[i][0], offsets[j][1])
    return best


def test_best_span_passes_right_answers(capsys):
    def best_span(s, e, offsets, ids, max_len):
        return best_span_right(s, e, offsets, ids, max_len)

    # numpy scores, a list back, -inf start
    def best_span_numpy(s, e, offsets, ids, max_len):
        s, e = np.asarray(s), np.asarray(e)
        context = [t for t, x in enumerate(ids) if x == 1]
        best = [-np.inf, None, None]
        for i in context:
            for j in context:
                if i <= j < i + max_len and s[i] + e[j] > best[0]:
                    best = [s[i] + e[j], offsets[i][0], offsets[j][1]]
        return None if best[1] is None else best

    passes(spans.best_span, best_span, capsys=capsys)
    passes(spans.best_span, best_span_numpy, capsys=capsys)


def _separate_argmax(s, e, offsets, ids, max_len):
    i, j = int(np.argmax(s)), int(np.argmax(e))
    return s[i] + e[j], offsets[i][0], offsets[j][1]


@pytest.mark.parametrize(
    "rules, match",
    [
        (dict(ordered=False), "ends before it starts"),
        (dict(in_context=False), "reaches outside the context"),
        (dict(limited=False), "longer than max_answer_length"),
        (_separate_argmax, "best start and the best end separately"),
        ("reorder", "right numbers in another order"),
        (
            "text",
            "returned str .*expected \\(score, start_char, end_char\\)",
        ),
        ("score-product", "its score .* is not the pair's score"),
        # subtle: each is right on ordinary windows
        (
            dict(longest_extra=1),
            "has 5 tokens, one more than max_answer_length = 4",
        ),
        (dict(end_checked=False), "ends outside the context"),
        (
            dict(initial=(0.0, 0, 0)),
            "every score negative it returned \\(0.0, 0, 0\\)",
        ),
    ],
    ids=[
        "unordered",
        "outside",
        "too-long",
        "separate",
        "reorder",
        "text",
        "score",
        "one-more",
        "end-unchecked",
        "zero-initial",
    ],
)
def test_best_span_stops_each_mistake_with_its_message(rules, match):
    def best_span(s, e, offsets, ids, max_len):
        if callable(rules):
            return rules(s, e, offsets, ids, max_len)
        if rules == "reorder":
            score, a, b = best_span_right(s, e, offsets, ids, max_len)
            return a, b, score
        if rules == "text":
            return "the river Aar"
        if rules == "score-product":
            score, a, b = best_span_right(s, e, offsets, ids, max_len)
            return score * 2, a, b
        return best_span_right(s, e, offsets, ids, max_len, **rules)

    fails_with(spans.best_span, best_span, match=match)


def best_of(w, max_len, **rules):
    return best_span_right(
        w["start_logits"],
        w["end_logits"],
        w["offsets"],
        w["sequence_ids"],
        max_len,
        **rules,
    )


def best_answer_right(context, windows, max_len):
    found = [
        s
        for s in (best_of(w, max_len) for w in windows)
        if s is not None
    ]
    if not found:
        return ""
    _, a, b = max(found)
    return context[a:b]


def test_best_answer_passes_right_answers(capsys):
    def best_answer(context, windows, max_len):
        return best_answer_right(context, windows, max_len)

    def best_answer_sorted(context, windows, max_len):
        found = sorted(
            (s for s in (best_of(w, max_len) for w in windows) if s),
            reverse=True,
        )
        return context[found[0][1] : found[0][2]] if found else ""

    passes(spans.best_answer, best_answer, capsys=capsys)
    passes(spans.best_answer, best_answer_sorted, capsys=capsys)


def _top_start_window(context, windows, max_len):
    w = max(windows, key=lambda w: max(w["start_logits"]))
    found = best_of(w, max_len)
    return context[found[1] : found[2]] if found else ""


def _max_with_none(context, windows, max_len):
    _, a, b = max(s for s in (best_of(w, max_len) for w in windows))
    return context[a:b]


def _returns_none(context, windows, max_len):
    return best_answer_right(context, windows, max_len) or None


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda c, ws, L: best_answer_right(c, ws[:1], L),
            "first window only",
        ),
        (
            lambda c, ws, L: best_answer_right(c, ws[-1:], L),
            "last window's span",
        ),
        (
            lambda c, ws, L: (lambda s: c[s[1] : s[2] + 1])(
                max(x for x in (best_of(w, L) for w in ws) if x)
            ),
            "one character too many at the end",
        ),
        (
            lambda c, ws, L: [best_answer_right(c, ws, L)],
            "returned list of 1 items",
        ),
        (
            _max_with_none,
            "no valid span in any window it raised TypeError",
        ),
        (
            _returns_none,
            "returned NoneType None when no window has a valid span",
        ),
        # subtle: right whenever the best span's window also has the top
        # start logit
        (_top_start_window, "the window with the highest start logit"),
    ],
    ids=[
        "first-window",
        "last-window",
        "inclusive-end",
        "a-list",
        "max-with-none",
        "none",
        "top-start",
    ],
)
def test_best_answer_stops_each_mistake_with_its_message(
    mistake, match
):
    def best_answer(context, windows, max_len):
        return mistake(context, windows, max_len)

    fails_with(spans.best_answer, best_answer, match=match)


def fits_right(offsets, ids, start, end):
    context = [o for o, s in zip(offsets, ids) if s == 1]
    return (
        bool(context)
        and context[0][0] <= start
        and end <= context[-1][1]
    )


def test_answer_fits_passes_right_answers(capsys):
    def answer_fits(offsets, sequence_ids, start_char, end_char):
        return fits_right(offsets, sequence_ids, start_char, end_char)

    def answer_fits_numpy(offsets, sequence_ids, start_char, end_char):
        ids = np.array([-1 if s is None else s for s in sequence_ids])
        context = np.array(offsets)[ids == 1]
        return (
            len(context) > 0
            and context[:, 0].min() <= start_char
            and end_char <= context[:, 1].max()
        )

    passes(spans.answer_fits, answer_fits, capsys=capsys)
    passes(spans.answer_fits, answer_fits_numpy, capsys=capsys)


def _all_offsets(offsets, ids, start, end):
    real = [o for o, s in zip(offsets, ids) if s is not None]
    return min(a for a, _ in real) <= start and end <= max(
        b for _, b in real
    )


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda o, i, a, b: any(
                x <= a < y for (x, y), s in zip(o, i) if s == 1
            ),
            "ends after it fits",
        ),
        (
            lambda o, i, a, b: (
                lambda c: bool(c) and c[0][0] < a and b < c[-1][1]
            )([x for x, s in zip(o, i) if s == 1]),
            "exactly on the window's edge does not fit",
        ),
        (
            lambda o, i, a, b: (
                "yes" if fits_right(o, i, a, b) else "no"
            ),
            "returned str .*expected True or False",
        ),
        (
            lambda o, i, a, b: (
                lambda c: c[0][0] <= a and b <= c[-1][1]
            )([x for x, s in zip(o, i) if s == 1]),
            "for a window with no context token it raised IndexError",
        ),
        # subtle: the question's offsets are characters of the question,
        # not of the context
        (_all_offsets, "question's and special tokens' offsets count"),
    ],
    ids=["start-only", "strict", "a-str", "no-context", "all-tokens"],
)
def test_answer_fits_stops_each_mistake_with_its_message(
    mistake, match
):
    def answer_fits(offsets, sequence_ids, start_char, end_char):
        return mistake(offsets, sequence_ids, start_char, end_char)

    fails_with(spans.answer_fits, answer_fits, match=match)


# -------------------------------------------------- lab 6: distillation


def kd_loss(
    s,
    t,
    y,
    alpha,
    T,
    scale=2,
    student_T=True,
    teacher_T=True,
    mean="batchmean",
    log=True,
    swap=False,
    hard_T=False,
):
    import warnings

    s_in = s / T if student_T else s
    t_in = t / T if teacher_T else t
    first = (
        F.log_softmax(s_in, dim=-1) if log else F.softmax(s_in, dim=-1)
    )
    if swap:
        first, target = (
            F.log_softmax(t_in, dim=-1),
            F.softmax(s_in, dim=-1),
        )
    else:
        target = F.softmax(t_in, dim=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soft = F.kl_div(first, target, reduction=mean)
    hard = F.cross_entropy(s / T if hard_T else s, y)
    return alpha * hard + (1 - alpha) * T**scale * soft


def test_distillation_loss_passes_right_answers(capsys):
    def distillation_loss(s, t, y, alpha, T):
        return kd_loss(s, t, y, alpha, T)

    # the sum written out, no kl_div
    def distillation_loss_by_hand(s, t, y, alpha, T):
        log_p = F.log_softmax(s / T, dim=-1)
        q = F.softmax(t / T, dim=-1)
        soft = (q * (torch.log(q) - log_p)).sum(dim=-1).mean()
        return (
            alpha * F.cross_entropy(s, y) + (1 - alpha) * T * T * soft
        )

    def distillation_loss_log_target(s, t, y, alpha, T):
        soft = F.kl_div(
            F.log_softmax(s / T, -1),
            F.log_softmax(t / T, -1),
            reduction="batchmean",
            log_target=True,
        )
        return alpha * F.cross_entropy(s, y) + (1 - alpha) * T**2 * soft

    for function in (
        distillation_loss,
        distillation_loss_by_hand,
        distillation_loss_log_target,
    ):
        passes(distillation.distillation_loss, function, capsys=capsys)


def _soft_without_gradient(s, t, y, alpha, T):
    with torch.no_grad():
        soft = F.kl_div(
            F.log_softmax(s / T, -1),
            F.softmax(t / T, -1),
            reduction="batchmean",
        )
    return alpha * F.cross_entropy(s, y) + (1 - alpha) * T**2 * soft


def _log_of_softmax(s, t, y, alpha, T):
    soft = F.kl_div(
        torch.log(F.softmax(s / T, -1)),
        F.softmax(t / T, -1),
        reduction="batchmean",
    )
    return alpha * F.cross_entropy(s, y) + (1 - alpha) * T**2 * soft


@pytest.mark.parametrize(
    "mistake, match",
    [
        (dict(scale=0), "not multiplied by T\u00b2"),
        (dict(scale=1), "multiplied by T, not T\u00b2"),
        (dict(student_T=False), "softens the teacher only"),
        (dict(teacher_T=False), "softens the student only"),
        (dict(mean="mean"), "averaged over the classes too"),
        (dict(mean="sum"), "summed over the batch"),
        (dict(log=False), "probabilities, not its log-probabilities"),
        (dict(swap=True), "swapped in the KL divergence"),
        (dict(hard_T=True), "hard-label term uses the softened logits"),
        ("alpha", "alpha weighs the wrong term"),
        ("float", "returned float .*expected a tensor"),
        ("detach", "no gradient with respect to the student"),
        (
            "hard-only",
            "for student logits \\[\\[2, -1\\].* it gives .*; expected",
        ),
        # subtle: right values, and a gradient, but not the right one
        (
            _soft_without_gradient,
            "only the hard-label term has a gradient",
        ),
        # subtle: right on ordinary logits, inf on a confident model's
        (_log_of_softmax, "it gives inf .* log\\(0\\) is -inf"),
    ],
    ids=[
        "no-T2",
        "T",
        "teacher-T-only",
        "student-T-only",
        "mean",
        "sum",
        "probabilities",
        "swapped",
        "hard-T",
        "alpha",
        "float",
        "detach",
        "hard-only",
        "no-grad-soft",
        "log-softmax",
    ],
)
def test_distillation_loss_stops_each_mistake_with_its_message(
    mistake, match, recwarn
):
    def distillation_loss(s, t, y, alpha, T):
        if callable(mistake):
            return mistake(s, t, y, alpha, T)
        if mistake == "alpha":
            return kd_loss(s, t, y, 1 - alpha, T)
        if mistake == "float":
            return kd_loss(s, t, y, alpha, T).item()
        if mistake == "detach":
            return kd_loss(s.detach(), t, y, alpha, T)
        if mistake == "hard-only":
            return F.cross_entropy(s, y)
        return kd_loss(s, t, y, alpha, T, **mistake)

    fails_with(
        distillation.distillation_loss, distillation_loss, match=match
    )
    # the check's own computations print nothing (kl_div warns about
    # reduction="mean")
    assert not [w for w in recwarn if "check" in w.filename]


def time_each(
    predict,
    warmup,
    repeats,
    clock=time.perf_counter,
    scale=1000,
    reset=True,
    convert=float,
):
    for _ in range(warmup):
        predict()
    times, start = [], clock()
    for _ in range(repeats):
        if reset:
            start = clock()
        predict()
        times.append(convert((clock() - start) * scale))
    return times


def test_latencies_ms_passes_right_answers(capsys):
    def latencies_ms(predict, warmup, repeats):
        return time_each(predict, warmup, repeats)

    def latencies_ms_array(predict, warmup, repeats):
        return np.array(
            time_each(
                predict,
                warmup,
                repeats,
                clock=time.perf_counter_ns,
                scale=1e-6,
            )
        )

    for function in (latencies_ms, latencies_ms_array):
        passes(distillation.latencies_ms, function, capsys=capsys)


def _warmup_timed(predict, warmup, repeats):
    times = time_each(predict, 0, repeats)
    for _ in range(warmup):
        predict()
    return times


def _whole_loop(predict, warmup, repeats):
    for _ in range(warmup):
        predict()
    start = time.perf_counter()
    for _ in range(repeats):
        predict()
    return [(time.perf_counter() - start) * 1000 / repeats] * repeats


@pytest.mark.parametrize(
    "mistake, match",
    [
        (_warmup_timed, "warm-up calls were timed"),
        (_whole_loop, "timed the whole loop once"),
        (
            lambda p, w, r: time_each(p, w, r, scale=1),
            "seconds, not milliseconds",
        ),
        (
            lambda p, w, r: time_each(p, w + 1, r),
            "predict was called 23 times",
        ),
        (lambda p, w, r: time_each(p, w, r)[:-1], "returned 19 times"),
        (
            lambda p, w, r: sum(time_each(p, w, r)),
            "returned float .*expected a list of times",
        ),
        # subtle: plausible numbers, wrong measure
        (
            lambda p, w, r: time_each(p, w, r, reset=False),
            "the timer is never reset",
        ),
        (
            lambda p, w, r: time_each(p, w, r, clock=time.process_time),
            "CPU time, not the time that passed",
        ),
        (
            lambda p, w, r: time_each(p, w, r, convert=int),
            "whole milliseconds",
        ),
    ],
    ids=[
        "warmup-timed",
        "whole-loop",
        "seconds",
        "extra-call",
        "one-short",
        "a-sum",
        "never-reset",
        "process-time",
        "int-ms",
    ],
)
def test_latencies_ms_stops_each_mistake_with_its_message(
    mistake, match
):
    def latencies_ms(predict, warmup, repeats):
        return mistake(predict, warmup, repeats)

    fails_with(distillation.latencies_ms, latencies_ms, match=match)


def faster_right(teacher, student):
    t50, s50 = np.percentile(teacher, 50), np.percentile(student, 50)
    spread = max(
        np.percentile(teacher, 95) - t50,
        np.percentile(student, 95) - s50,
    )
    return bool(t50 - s50 > spread)


def test_clearly_faster_passes_right_answers(capsys):
    def clearly_faster(teacher_ms, student_ms):
        return faster_right(teacher_ms, student_ms)

    # another sound rule: a 10 % margin on medians
    def clearly_faster_margin(teacher_ms, student_ms):
        return np.median(student_ms) < 0.9 * np.median(teacher_ms)

    for function in (clearly_faster, clearly_faster_margin):
        passes(distillation.clearly_faster, function, capsys=capsys)


@pytest.mark.parametrize(
    "mistake, match",
    [
        (
            lambda t, s: np.mean(s) < np.mean(t),
            "same model.*it says True|one slow call of the teacher",
        ),
        (
            lambda t, s: np.median(s) < np.median(t),
            "same model|2 % difference",
        ),
        (lambda t, s: min(s) < min(t), "two samples of the same model"),
        (
            lambda t, s: faster_right(s, t),
            "a student twice as fast.*it says False.*which argument",
        ),
        (
            lambda t, s: np.median(t) / np.median(s),
            "returned float64 .*expected True or False",
        ),
        # subtle: medians compared with the range as the spread; one
        # slow call hides a real speed-up
        (
            lambda t, s: (
                np.median(t) - np.median(s)
                > max(np.ptp(t), np.ptp(s)) / 4
            ),
            "a faster student with one slow call.*it says False",
        ),
    ],
    ids=[
        "means",
        "medians-only",
        "minimum",
        "reversed",
        "a-ratio",
        "range",
    ],
)
def test_clearly_faster_stops_each_mistake_with_its_message(
    mistake, match
):
    def clearly_faster(teacher_ms, student_ms):
        return mistake(teacher_ms, student_ms)

    fails_with(distillation.clearly_faster, clearly_faster, match=match)


# -------------------------------------------- every check, junk results

JUNK = [
    None,
    "x",
    3,
    2.5,
    [],
    [1, 2],
    {"a": 1},
    (1, 2, 3),
    np.zeros(3),
    torch.zeros(2),
    {1, 2},
    [None],
    ["a", "b"],
    (None, None),
    np.array([[1.0]]),
    float("nan"),
    True,
]
CHECKS = [
    masking.mask_tokens,
    masking.tokens_per_word,
    parameters.bert_parameters,
    parameters.albert_parameters,
    classification.compute_metrics,
    classification.confident_errors,
    classification.compare_groups,
    alignment.align_labels,
    alignment.align_labels_every_piece,
    spans.best_span,
    spans.best_answer,
    spans.answer_fits,
    distillation.distillation_loss,
    distillation.latencies_ms,
    distillation.clearly_faster,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_no_result_of_the_wrong_type_makes_a_check_raise(
    check, tokenizers
):
    """Whatever a learner's function returns, the check answers with one
    CheckFailed line."""
    extra = (
        (tokenizers,)
        if check
        in (
            masking.tokens_per_word,
            alignment.align_labels,
            alignment.align_labels_every_piece,
        )
        else ()
    )
    for junk in JUNK:

        def returns_junk(*args, _junk=junk):
            return _junk

        with pytest.raises(CheckFailed) as error:
            check(returns_junk, *extra)
        assert "\n" not in str(error.value) and "Hint:" in str(
            error.value
        )
