"""Lab 2: BERT's and ALBERT's parameter counts from their configs, by
hand."""

from ._core import call, fail, kind, named_mistake, number, passed


def _bert_configs():
    from transformers import BertConfig

    return [
        BertConfig(),  # bert-base
        BertConfig(
            vocab_size=1000,
            hidden_size=96,
            num_hidden_layers=3,
            num_attention_heads=4,
            intermediate_size=200,
            max_position_embeddings=77,
            type_vocab_size=3,
        ),
        BertConfig(
            vocab_size=5003,
            hidden_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=256,
            max_position_embeddings=128,
            type_vocab_size=1,
        ),
    ]


def _albert_configs():
    from transformers import AlbertConfig

    return [
        # albert-base-v2
        AlbertConfig(
            vocab_size=30000,
            embedding_size=128,
            hidden_size=768,
            num_hidden_layers=12,
            num_attention_heads=12,
            intermediate_size=3072,
        ),
        AlbertConfig(
            vocab_size=1000,
            embedding_size=32,
            hidden_size=96,
            num_hidden_layers=5,
            num_attention_heads=4,
            intermediate_size=200,
            max_position_embeddings=77,
            type_vocab_size=3,
        ),
        AlbertConfig(
            vocab_size=5003,
            embedding_size=16,
            hidden_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=256,
            max_position_embeddings=128,
            type_vocab_size=1,
        ),
    ]


def _true_count(config):
    from ..models import build_on_meta, count_parameters

    return count_parameters(build_on_meta(config))


def _describe(config):
    c = config
    embed = (
        f"E={c.embedding_size}, "
        if hasattr(c, "embedding_size")
        else ""
    )
    return (
        f"V={c.vocab_size}, {embed}H={c.hidden_size}, "
        f"L={c.num_hidden_layers}, I={c.intermediate_size}, "
        f"P={c.max_position_embeddings}, T={c.type_vocab_size}"
    )


def _layer(H, I):
    return 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H


def _known_mistakes(c, albert):
    """(difference true - learner's, what, hint) that typical mistakes
    leave."""
    V, H, I, L, P, T = (
        c.vocab_size,
        c.hidden_size,
        c.intermediate_size,
        c.num_hidden_layers,
        c.max_position_embeddings,
        c.type_vocab_size,
    )
    E = c.embedding_size if albert else H
    layers = 1 if albert else L
    mistakes = [
        (
            H * H + H,
            (
                "the pooler (one H x H layer with bias on [CLS]) is "
                "missing."
            ),
            (
                "BertModel ends with one more layer after the encoder: "
                "print the model's last module."
            ),
        ),
        (
            (P + T) * E,
            (
                "the position and segment (token type) embeddings are "
                "missing."
            ),
            "BERT adds three embeddings for each token, not one.",
        ),
        (
            T * E,
            "the segment (token type) embeddings are missing.",
            "which embedding tells sentence A from sentence B?",
        ),
        (
            2 * E + layers * 4 * H,
            "the LayerNorms (a weight and a bias each) are missing.",
            (
                "print the layer's parameters above: LayerNorm appears "
                "more than once."
            ),
        ),
        (
            E + layers * 2 * H,
            (
                "each LayerNorm is counted with H parameters; it has a "
                "scale and a shift."
            ),
            "a LayerNorm over size H has a weight and a bias.",
        ),
        (
            layers * (4 * H + I + H) + H,
            "the biases are missing.",
            (
                "every nn.Linear has out_features biases besides its "
                "weight matrix."
            ),
        ),
        (
            layers * 2 * (H * I - 4 * H * H + I - 4 * H),
            (
                "the feed-forward size is taken as 4 x H; this "
                "config's intermediate_size is another."
            ),
            "read I from config.intermediate_size.",
        ),
    ]
    if albert:
        mistakes += [
            (
                E * H + H,
                (
                    "the E -> H projection after the embeddings is "
                    "missing."
                ),
                (
                    "ALBERT's embeddings have width E, its layers "
                    "width H: what maps one to the other?"
                ),
            ),
            (
                H,
                "the E -> H projection's bias is missing.",
                "a linear layer has a bias too.",
            ),
            (
                2 * E - 2 * H,
                (
                    "the embeddings' LayerNorm is counted with width "
                    "H; it has width E."
                ),
                (
                    "the LayerNorm sits on the embeddings, before the "
                    "projection."
                ),
            ),
            (
                V * E
                + P * E
                + T * E
                + 2 * E
                + E * H
                + H
                - (V * H + P * H + T * H + 2 * H),
                (
                    "the embeddings are counted as BERT's, V x H (and "
                    "P x H, T x H), unprojected."
                ),
                "ALBERT's embedding tables have width E.",
            ),
            (
                V * E - V * H,
                (
                    "the word embedding is counted as V x H, the way "
                    "BERT has it."
                ),
                "ALBERT's word embedding has width E.",
            ),
            (
                -(L - 1) * _layer(H, I),
                (
                    "the layer is counted L times, but ALBERT shares "
                    "one layer across all L layers."
                ),
                "how many distinct layers does ALBERT store?",
            ),
        ]
    return [m for m in mistakes if m[0] != 0]


def _check_counts(function, configs, albert):
    failures = []
    for config in configs:
        expected = _true_count(config)
        got = call(function, config)
        value = number(got)
        if (
            isinstance(got, (bool, str))
            or value is None
            or not float(value).is_integer()
        ):
            fail(
                function,
                f"it returned {kind(got)}; a count is a whole number.",
                "return an int: a sum of products of the config's "
                "sizes.",
            )
        if expected != int(value):
            failures.append((config, expected, int(value)))
    if not failures:
        passed(
            function,
            f"exact on {len(configs)} hidden configs, including the "
            f"full-size {'albert-base-v2' if albert else 'bert-base'}.",
        )
        return
    # a mistake is named where no other gives its count
    for config, expected, value in failures:
        mistake = named_mistake(
            expected - value,
            _known_mistakes(config, albert),
            lambda a, b: a == b,
        )
        if mistake:
            fail(
                function,
                f"For a hidden config ({_describe(config)}) "
                f"{mistake[1]}",
                mistake[2],
            )
    config, expected, value = failures[0]
    difference = expected - value
    fail(
        function,
        f"For a hidden config ({_describe(config)}) it counts "
        f"{value:,} parameters; the model has {expected:,} "
        f"({'fewer' if difference > 0 else 'more'} by "
        f"{abs(difference):,}).",
        "count part by part (embeddings, one layer, pooler) and "
        "compare with count_parameters(build_on_meta(config)) on the "
        "config you were given.",
    )


def bert_parameters(function):
    """function(config) -> the number of parameters of
    BertModel(config), pooler included."""
    _check_counts(function, _bert_configs(), albert=False)


def albert_parameters(function):
    """function(config) -> the number of parameters of
    AlbertModel(config) (one layer group)."""
    _check_counts(function, _albert_configs(), albert=True)
