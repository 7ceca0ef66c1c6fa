"""Every lab check passes the solution and fails, with the intended message, on wrong
answers of the kind learners really write."""

import re
import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from bertcourse.checks import CheckFailed
from bertcourse.checks import alignment, classification, distillation, masking, parameters, spans


def fails_with(check, function, *args, match):
    """The check raises CheckFailed, in one line, naming the function, matching `match`."""
    with pytest.raises(CheckFailed) as error:
        check(function, *args)
    message = str(error.value)
    assert "\n" not in message, message
    assert message.startswith(function.__name__), message
    assert "Hint:" in message, message
    assert re.search(match, message), message
    assert error.value._render_traceback_() == [f"CheckFailed: {message}"]


def passes(check, function, *args, capsys):
    check(function, *args)
    out = capsys.readouterr().out.strip()
    assert out.startswith("\u2714") and "\n" not in out, out


# ------------------------------------------------------------------ shared behaviour

def test_an_error_raised_by_the_learners_code_becomes_one_line():
    def mask_tokens(*args):
        return [][1]

    fails_with(masking.mask_tokens, mask_tokens, match=r"raised IndexError: list index out of range")


def test_a_stub_is_reported_as_not_written_yet():
    def mask_tokens(*args):
        raise NotImplementedError

    fails_with(masking.mask_tokens, mask_tokens, match="not written yet")


# ------------------------------------------------------------------ lab 1: masking

def mask_tokens_right(input_ids, special_tokens_mask, mask_token_id, vocab_size, generator):
    masked = input_ids.clone()
    chosen = (torch.rand(input_ids.shape, generator=generator) < 0.15) & (special_tokens_mask == 0)
    labels = torch.where(chosen, input_ids, torch.full_like(input_ids, -100))
    roll = torch.rand(input_ids.shape, generator=generator)
    masked[chosen & (roll < 0.8)] = mask_token_id
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator)
    swap = chosen & (roll >= 0.8) & (roll < 0.9)
    masked[swap] = random_ids[swap]
    return masked, labels


def test_masking_passes_the_solution(capsys):
    passes(masking.mask_tokens, mask_tokens_right, capsys=capsys)


def test_masking_of_padding_and_special_tokens_too_fails():
    def mask_tokens(input_ids, special_tokens_mask, mask_token_id, vocab_size, generator):
        return mask_tokens_right(input_ids, torch.zeros_like(special_tokens_mask), mask_token_id, vocab_size,
                                 generator)

    fails_with(masking.mask_tokens, mask_tokens, match=r"special tokens or padding")


def test_80_10_10_applied_to_every_token_fails():
    def mask_tokens(input_ids, special_tokens_mask, mask_token_id, vocab_size, generator):
        masked = input_ids.clone()
        chosen = (torch.rand(input_ids.shape, generator=generator) < 0.15) & (special_tokens_mask == 0)
        labels = torch.where(chosen, input_ids, torch.full_like(input_ids, -100))
        roll = torch.rand(input_ids.shape, generator=generator)
        real = special_tokens_mask == 0
        masked[real & (roll < 0.8)] = mask_token_id  # every real token, not only the chosen
        return masked, labels

    fails_with(masking.mask_tokens, mask_tokens, match=r"not prediction targets .* were changed")


def test_masking_every_chosen_token_as_mask_fails():
    def mask_tokens(input_ids, special_tokens_mask, mask_token_id, vocab_size, generator):
        chosen = (torch.rand(input_ids.shape, generator=generator) < 0.15) & (special_tokens_mask == 0)
        labels = torch.where(chosen, input_ids, torch.full_like(input_ids, -100))
        return torch.where(chosen, torch.full_like(input_ids, mask_token_id), input_ids), labels

    fails_with(masking.mask_tokens, mask_tokens, match=r"100% became \[MASK\].*80/10/10")


def test_masking_in_place_and_ignoring_the_generator_fail():
    def in_place(input_ids, special_tokens_mask, mask_token_id, vocab_size, generator):
        masked, labels = mask_tokens_right(input_ids, special_tokens_mask, mask_token_id, vocab_size, generator)
        input_ids[:] = masked
        return input_ids, labels

    def no_generator(input_ids, special_tokens_mask, mask_token_id, vocab_size, generator):
        return mask_tokens_right(input_ids, special_tokens_mask, mask_token_id, vocab_size, torch.Generator())

    fails_with(masking.mask_tokens, in_place, match=r"changed the input_ids .*in place")
    fails_with(masking.mask_tokens, no_generator, match=r"different seeds gave the same mask")


@pytest.fixture(scope="module")
def tokenizers():
    from bertcourse import assets
    from transformers import AutoTokenizer

    return {"bert": AutoTokenizer.from_pretrained(assets.offline_checkpoint()),
            "roberta": assets.trained_tokenizer("bpe"), "albert": assets.trained_tokenizer("unigram")}


def test_tokens_per_word(tokenizers, capsys):
    def tokens_per_word(tokenizer, text):
        return len(tokenizer(text, add_special_tokens=False)["input_ids"]) / len(text.split())

    def with_specials(tokenizer, text):
        return len(tokenizer(text)["input_ids"]) / len(text.split())

    def characters(tokenizer, text):
        return len(text) / len(text.split())

    passes(masking.tokens_per_word, tokens_per_word, tokenizers, capsys=capsys)
    fails_with(masking.tokens_per_word, with_specials, tokenizers, match="counts the special tokens")
    fails_with(masking.tokens_per_word, characters, tokenizers, match="expected .* tokens per word")


# ------------------------------------------------------------------ lab 2: parameters

def bert_layer(H, I):
    return 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H


def bert_right(c, pooler=True, biases=True):
    V, H, L, I, P, T = (c.vocab_size, c.hidden_size, c.num_hidden_layers, c.intermediate_size,
                        c.max_position_embeddings, c.type_vocab_size)
    return V * H + P * H + T * H + 2 * H + L * bert_layer(H, I) + (H * H + H) * pooler


def albert_right(c, factorised=True, shared=True):
    V, E, H, L, I, P, T = (c.vocab_size, c.embedding_size, c.hidden_size, c.num_hidden_layers,
                           c.intermediate_size, c.max_position_embeddings, c.type_vocab_size)
    if not factorised:  # BERT's embedding, V x H
        embeddings = V * H + P * H + T * H + 2 * H
    else:
        embeddings = V * E + P * E + T * E + 2 * E + E * H + H
    return embeddings + (1 if shared else L) * bert_layer(H, I) + H * H + H


def test_bert_parameters(capsys):
    def bert_parameters(config):
        return bert_right(config)

    def no_pooler(config):
        return bert_right(config, pooler=False)

    def no_biases(config):
        c = config
        H, I, L = c.hidden_size, c.intermediate_size, c.num_hidden_layers
        return bert_right(c) - L * (4 * H + I + H) - H

    def no_position_embeddings(config):
        return bert_right(config) - (config.max_position_embeddings + config.type_vocab_size) * config.hidden_size

    passes(parameters.bert_parameters, bert_parameters, capsys=capsys)
    fails_with(parameters.bert_parameters, no_pooler, match="pooler")
    fails_with(parameters.bert_parameters, no_biases, match="biases are missing")
    fails_with(parameters.bert_parameters, no_position_embeddings, match="position and segment")


def test_albert_parameters(capsys):
    def albert_parameters(config):
        return albert_right(config)

    def embedding_as_v_times_h(config):
        return albert_right(config, factorised=False)

    def layers_not_shared(config):
        return albert_right(config, shared=False)

    def no_projection(config):
        return albert_right(config) - config.embedding_size * config.hidden_size - config.hidden_size

    def a_float(config):
        return albert_right(config) * 1.001

    passes(parameters.albert_parameters, albert_parameters, capsys=capsys)
    fails_with(parameters.albert_parameters, embedding_as_v_times_h, match=r"counted as BERT.s, V x H")
    fails_with(parameters.albert_parameters, layers_not_shared, match=r"shares one layer")
    fails_with(parameters.albert_parameters, no_projection, match=r"E -> H projection")
    fails_with(parameters.albert_parameters, a_float, match=r"whole number")


# ------------------------------------------------------------------ lab 3: classification

def test_compute_metrics(capsys):
    from sklearn.metrics import accuracy_score, f1_score

    def compute_metrics(eval_pred):
        logits, labels = eval_pred
        predictions = logits.argmax(axis=-1)
        return {"accuracy": accuracy_score(labels, predictions), "f1": f1_score(labels, predictions)}

    def wrong_axis(eval_pred):
        logits, labels = eval_pred
        predictions = (logits[:, 1] > 0.5).astype(int)  # logits read as probabilities
        return {"accuracy": accuracy_score(labels, predictions), "f1": f1_score(labels, predictions)}

    def macro(eval_pred):
        logits, labels = eval_pred
        predictions = logits.argmax(axis=-1)
        return {"accuracy": accuracy_score(labels, predictions),
                "f1": f1_score(labels, predictions, average="macro")}

    def percent(eval_pred):
        return {key: 100 * value for key, value in compute_metrics(eval_pred).items()}

    def only_accuracy(eval_pred):
        return {"accuracy": compute_metrics(eval_pred)["accuracy"]}

    passes(classification.compute_metrics, compute_metrics, capsys=capsys)
    fails_with(classification.compute_metrics, wrong_axis, match="argmax of each row")
    fails_with(classification.compute_metrics, macro, match="macro average")
    fails_with(classification.compute_metrics, percent, match="percentages")
    fails_with(classification.compute_metrics, only_accuracy, match="'accuracy' and 'f1'")


def test_confident_errors(capsys):
    def confident_errors(labels, probabilities, k):
        predicted = probabilities.argmax(axis=-1)
        wrong = np.flatnonzero(predicted != labels)
        return wrong[np.argsort(-probabilities.max(axis=-1)[wrong], kind="stable")][:k].tolist()

    def including_right_ones(labels, probabilities, k):
        return np.argsort(-probabilities.max(axis=-1), kind="stable")[:k].tolist()

    def least_confident_first(labels, probabilities, k):
        return confident_errors(labels, probabilities, k)[::-1]

    def by_true_label(labels, probabilities, k):  # confidence read at the true label
        predicted = probabilities.argmax(axis=-1)
        wrong = np.flatnonzero(predicted != labels)
        return wrong[np.argsort(probabilities[wrong, labels[wrong]], kind="stable")][:k].tolist()

    passes(classification.confident_errors, confident_errors, capsys=capsys)
    fails_with(classification.confident_errors, including_right_ones, match="predictions that are right")
    fails_with(classification.confident_errors, least_confident_first, match="wrong order")
    fails_with(classification.confident_errors, by_true_label, match="3 classes.*probability of the predicted")


# ------------------------------------------------------------------ lab 4: alignment

def first_piece(word_ids, word_labels):
    labels, previous = [], None
    for word in word_ids:
        labels.append(-100 if word is None or word == previous else word_labels[word])
        previous = word
    return labels


def test_align_labels(tokenizers, capsys):
    def align_labels(word_ids, word_labels):
        return first_piece(word_ids, word_labels)

    def every_piece(word_ids, word_labels):
        return [-100 if w is None else word_labels[w] for w in word_ids]

    def specials_as_o(word_ids, word_labels):
        return [0 if w is None else label for w, label in zip(word_ids, first_piece(word_ids, word_labels))]

    def last_piece(word_ids, word_labels):
        labels = []
        for i, w in enumerate(word_ids):
            nxt = word_ids[i + 1] if i + 1 < len(word_ids) else None
            labels.append(-100 if w is None or w == nxt else word_labels[w])
        return labels

    passes(alignment.align_labels, align_labels, tokenizers, capsys=capsys)
    fails_with(alignment.align_labels, every_piece, tokenizers, match="continuation pieces .* are labelled")
    fails_with(alignment.align_labels, specials_as_o, tokenizers, match="special tokens")
    fails_with(alignment.align_labels, last_piece, tokenizers, match="first piece of some word")


def test_align_labels_every_piece(tokenizers, capsys):
    names = alignment.LABEL_NAMES

    def right(word_ids, word_labels, label_names):
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

    def b_on_every_piece(word_ids, word_labels, label_names):
        return [-100 if w is None else word_labels[w] for w in word_ids]

    def first_piece_only(word_ids, word_labels, label_names):
        return first_piece(word_ids, word_labels)

    def every_continuation_i_even_after_o(word_ids, word_labels, label_names):
        out = right(word_ids, word_labels, label_names)
        return [names.index("I-PER") if i and word_ids[i] is not None and word_ids[i] == word_ids[i - 1]
                and label_names[label] == "O" else label for i, label in enumerate(out)]

    passes(alignment.align_labels_every_piece, right, tokenizers, capsys=capsys)
    fails_with(alignment.align_labels_every_piece, b_on_every_piece, tokenizers, match="labelled B-")
    fails_with(alignment.align_labels_every_piece, first_piece_only, tokenizers, match="continuation pieces get -100")
    fails_with(alignment.align_labels_every_piece, every_continuation_i_even_after_o, tokenizers,
               match="wrong label")


# ------------------------------------------------------------------ lab 5: spans

def best_span_right(s, e, offsets, ids, max_len, in_context=True, ordered=True, limited=True):
    best = None
    for i in range(len(s)):
        for j in range(len(e)):
            if in_context and (ids[i] != 1 or ids[j] != 1):
                continue
            if not in_context and (ids[i] is None or ids[j] is None):
                continue
            if (ordered and j < i) or (limited and j - i + 1 > max_len):
                continue
            if best is None or s[i] + e[j] > best[0]:
                best = (s[i] + e[j], offsets[i][0], offsets[j][1])
    return best


def test_best_span(capsys):
    def best_span(s, e, offsets, ids, max_len):
        return best_span_right(s, e, offsets, ids, max_len)

    def end_before_start(s, e, offsets, ids, max_len):
        return best_span_right(s, e, offsets, ids, max_len, ordered=False)

    def crosses_into_the_question(s, e, offsets, ids, max_len):
        return best_span_right(s, e, offsets, ids, max_len, in_context=False)

    def too_long(s, e, offsets, ids, max_len):
        return best_span_right(s, e, offsets, ids, max_len, limited=False)

    def separate_argmax(s, e, offsets, ids, max_len):
        i, j = int(np.argmax(s)), int(np.argmax(e))
        return s[i] + e[j], offsets[i][0], offsets[j][1]

    passes(spans.best_span, best_span, capsys=capsys)
    fails_with(spans.best_span, end_before_start, match="ends before it starts")
    fails_with(spans.best_span, crosses_into_the_question, match="outside the context")
    fails_with(spans.best_span, too_long, match="longer than max_answer_length")
    fails_with(spans.best_span, separate_argmax, match="outside the context|separately")


def test_best_answer(capsys):
    def best_of(w, max_len):
        return best_span_right(w["start_logits"], w["end_logits"], w["offsets"], w["sequence_ids"], max_len)

    def best_answer(context, windows, max_len):
        _, a, b = max(s for s in (best_of(w, max_len) for w in windows) if s)
        return context[a:b]

    def first_window_only(context, windows, max_len):
        _, a, b = best_of(windows[0], max_len)
        return context[a:b]

    def inclusive_end(context, windows, max_len):
        _, a, b = max(s for s in (best_of(w, max_len) for w in windows) if s)
        return context[a:b + 1]

    passes(spans.best_answer, best_answer, capsys=capsys)
    fails_with(spans.best_answer, first_window_only, match="first window only")
    fails_with(spans.best_answer, inclusive_end, match="one character off")


# ------------------------------------------------------------------ lab 6: distillation

def test_distillation_loss(capsys):
    def loss(s, t, y, alpha, T, scale=True, student_T=True, mean="batchmean"):
        soft = F.kl_div(F.log_softmax(s / T if student_T else s, dim=-1), F.softmax(t / T, dim=-1),
                        reduction=mean)
        return alpha * F.cross_entropy(s, y) + (1 - alpha) * (T**2 if scale else 1) * soft

    def distillation_loss(s, t, y, alpha, T):
        return loss(s, t, y, alpha, T)

    def without_t_squared(s, t, y, alpha, T):
        return loss(s, t, y, alpha, T, scale=False)

    def temperature_on_teacher_only(s, t, y, alpha, T):
        return loss(s, t, y, alpha, T, student_T=False)

    def mean_over_classes(s, t, y, alpha, T):
        return loss(s, t, y, alpha, T, mean="mean")

    def returns_a_float(s, t, y, alpha, T):
        return loss(s, t, y, alpha, T).item()

    passes(distillation.distillation_loss, distillation_loss, capsys=capsys)
    fails_with(distillation.distillation_loss, without_t_squared, match="not multiplied by T\u00b2")
    fails_with(distillation.distillation_loss, temperature_on_teacher_only, match="softens the teacher only")
    fails_with(distillation.distillation_loss, mean_over_classes, match="batchmean")
    fails_with(distillation.distillation_loss, returns_a_float, match="scalar tensor")


def test_latencies_ms(capsys):
    def latencies_ms(predict, warmup, repeats):
        for _ in range(warmup):
            predict()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            predict()
            times.append((time.perf_counter() - start) * 1000)
        return times

    def warmup_timed(predict, warmup, repeats):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            predict()
            times.append((time.perf_counter() - start) * 1000)
        for _ in range(warmup):
            predict()
        return times

    def whole_loop(predict, warmup, repeats):
        for _ in range(warmup):
            predict()
        start = time.perf_counter()
        for _ in range(repeats):
            predict()
        return [(time.perf_counter() - start) * 1000 / repeats] * repeats

    def seconds(predict, warmup, repeats):
        return [t / 1000 for t in latencies_ms(predict, warmup, repeats)]

    passes(distillation.latencies_ms, latencies_ms, capsys=capsys)
    fails_with(distillation.latencies_ms, warmup_timed, match="warm-up was timed")
    fails_with(distillation.latencies_ms, whole_loop, match="timed the whole loop")
    fails_with(distillation.latencies_ms, seconds, match="seconds, not milliseconds")
