"""Lab 2: BERT's and ALBERT's parameter counts from their configs, by hand."""

from ._core import call, fail, passed


def _bert_configs():
    from transformers import BertConfig

    return [BertConfig(),  # bert-base
            BertConfig(vocab_size=1000, hidden_size=96, num_hidden_layers=3, num_attention_heads=4,
                       intermediate_size=200, max_position_embeddings=77, type_vocab_size=3),
            BertConfig(vocab_size=5003, hidden_size=64, num_hidden_layers=1, num_attention_heads=2,
                       intermediate_size=256, max_position_embeddings=128, type_vocab_size=1)]


def _albert_configs():
    from transformers import AlbertConfig

    return [AlbertConfig(vocab_size=30000, embedding_size=128, hidden_size=768, num_hidden_layers=12,
                         num_attention_heads=12, intermediate_size=3072),  # albert-base-v2
            AlbertConfig(vocab_size=1000, embedding_size=32, hidden_size=96, num_hidden_layers=5,
                         num_attention_heads=4, intermediate_size=200, max_position_embeddings=77,
                         type_vocab_size=3),
            AlbertConfig(vocab_size=5003, embedding_size=16, hidden_size=64, num_hidden_layers=2,
                         num_attention_heads=2, intermediate_size=256, max_position_embeddings=128,
                         type_vocab_size=1)]


def _true_count(config):
    from ..models import build_on_meta, count_parameters

    return count_parameters(build_on_meta(config))


def _describe(config):
    c = config
    embed = f"E={c.embedding_size}, " if hasattr(c, "embedding_size") else ""
    return (f"V={c.vocab_size}, {embed}H={c.hidden_size}, L={c.num_hidden_layers}, "
            f"I={c.intermediate_size}, P={c.max_position_embeddings}, T={c.type_vocab_size}")


def _layer(H, I):
    return 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H


def _known_mistakes(c, albert):
    """Differences (true - learner) that a typical mistake leaves, with what to say."""
    V, H, I, L, P, T = (c.vocab_size, c.hidden_size, c.intermediate_size, c.num_hidden_layers,
                        c.max_position_embeddings, c.type_vocab_size)
    E = c.embedding_size if albert else H
    layers = 1 if albert else L
    mistakes = {
        H * H + H: ("the pooler (one H x H layer with bias on [CLS]) is missing.",
                    "add H*H + H."),
        (P + T) * E: ("the position and segment (token type) embeddings are missing.",
                      "add P*E + T*E (E = H for BERT)."),
        2 * E + layers * 4 * H: ("the LayerNorms (a weight and a bias each) are missing.",
                                 "one LayerNorm after the embeddings, two in every distinct layer."),
        layers * (4 * H + I + H) + H: ("the biases are missing.",
                                       "every nn.Linear has out_features biases besides its weight matrix."),
    }
    if albert:
        mistakes[E * H + H] = ("the E -> H projection after the embeddings is missing.",
                               "add E*H + H (a linear layer with bias).")
        bert_style = V * H + P * H + T * H + 2 * H
        mistakes[V * E + P * E + T * E + 2 * E + E * H + H - bert_style] = (
            "the embeddings are counted as BERT's, V x H (and P x H, T x H), without the projection.",
            "ALBERT's embedding tables have width E; a projection E x H (with bias) follows them.")
        mistakes[V * E - V * H] = ("the word embedding is counted as V x H, the way BERT has it.",
                                   "ALBERT's word embedding is V x E; a projection E x H follows it.")
        mistakes[-(L - 1) * _layer(H, I)] = ("the layer is counted L times, but ALBERT shares one layer "
                                              "across all L layers.", "count one layer once.")
    return mistakes


def _check_counts(function, configs, albert):
    for config in configs:
        expected = _true_count(config)
        got = call(function, config)
        if isinstance(got, bool) or not isinstance(got, int) and not (hasattr(got, "is_integer") and got.is_integer()):
            fail(function, f"it returned {got!r} ({type(got).__name__}); a count is a whole number.",
                 "return an int.")
        difference = expected - int(got)
        if difference == 0:
            continue
        what, hint = _known_mistakes(config, albert).get(difference, (None, None))
        where = f"For a hidden config ({_describe(config)})"
        if what:
            fail(function, f"{where} {what}", hint)
        fail(function, f"{where} it counts {int(got):,} parameters; the model has {expected:,} "
             f"({'fewer' if difference > 0 else 'more'} by {abs(difference):,}).",
             "count part by part (embeddings, one layer, pooler) and compare with "
             "count_parameters(build_on_meta(config)) on the config you were given.")
    passed(function, f"exact on {len(configs)} hidden configs, including the full-size "
           f"{'albert-base-v2' if albert else 'bert-base'}.")


def bert_parameters(function):
    """function(config) -> the number of parameters of BertModel(config), pooler included."""
    _check_counts(function, _bert_configs(), albert=False)


def albert_parameters(function):
    """function(config) -> the number of parameters of AlbertModel(config) (one layer group)."""
    _check_counts(function, _albert_configs(), albert=True)
