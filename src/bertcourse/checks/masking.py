"""Lab 1: BERT's masking rule and counting tokens per word."""

from ._core import call, fail, kind, named_mistake, number, passed

IGNORE = -100


def _hidden_batch(seed=1234, rows=300, length=64, vocab_size=30522):
    """Sentences of random lengths: [CLS] tokens [SEP] [PAD]..., with
    the special-token mask."""
    import torch

    g = torch.Generator().manual_seed(seed)
    cls, sep, pad = 101, 102, 0
    ids = torch.full((rows, length), pad)
    special = torch.ones((rows, length), dtype=torch.long)
    for r in range(rows):
        n = int(torch.randint(8, length - 1, (1,), generator=g))
        ids[r, 0], ids[r, n + 1] = cls, sep
        ids[r, 1 : n + 1] = torch.randint(
            1000, vocab_size, (n,), generator=g
        )
        special[r, 1 : n + 1] = 0
    return ids, special


def mask_tokens(function, mask_token_id=103, vocab_size=30522):
    """function(input_ids, special_tokens_mask, mask_token_id,
    vocab_size, generator) -> (masked_ids, labels), BERT's rule: 15 % of
    the real tokens chosen; of those 80 % [MASK], 10 % a random token,
    10 % unchanged; labels -100 except where chosen."""
    import torch

    ids, special = _hidden_batch(vocab_size=vocab_size)
    given = ids.clone()
    result = call(
        function,
        ids,
        special,
        mask_token_id,
        vocab_size,
        torch.Generator().manual_seed(0),
    )
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        fail(
            function,
            f"it returned {kind(result)}, not a pair (masked_ids, "
            "labels).",
            "end with `return masked_ids, labels`.",
        )
    try:
        masked, labels = (torch.as_tensor(x) for x in result)
    except (TypeError, ValueError, RuntimeError):
        fail(
            function,
            f"it returned ({kind(result[0])}, {kind(result[1])}); "
            "expected two tensors.",
            "return the two tensors themselves.",
        )
    if masked.dtype.is_floating_point or labels.dtype.is_floating_point:
        fail(
            function,
            f"it returned tensors of {masked.dtype} and "
            f"{labels.dtype}; token ids and labels are whole numbers.",
            "keep the dtype of input_ids (torch.long): the embedding "
            "and the loss need integer ids.",
        )
    if masked.shape != ids.shape or labels.shape != ids.shape:
        fail(
            function,
            f"masked_ids {tuple(masked.shape)} and labels "
            f"{tuple(labels.shape)} must both have the shape of "
            f"input_ids, {tuple(ids.shape)}.",
            "work on whole tensors, position by position.",
        )
    if not torch.equal(ids, given):
        fail(
            function,
            "it changed the input_ids it was given (in place).",
            "start from a copy: masked_ids = input_ids.clone().",
        )
    real = special == 0
    chosen = labels != IGNORE
    if not chosen.any():
        fail(
            function,
            "no position has a label other than -100: nothing was "
            "chosen for prediction.",
            "each real token is chosen with probability 0.15; a "
            "chosen token's label is its original id.",
        )
    if (chosen & ~real).any():
        n = int((chosen & ~real).sum())
        fail(
            function,
            f"{n} chosen positions are special tokens or padding "
            "([CLS], [SEP], [PAD]).",
            "only positions where special_tokens_mask == 0 may be "
            "chosen.",
        )
    if not torch.equal(labels[chosen], ids[chosen]):
        fail(
            function,
            "at the chosen positions the labels are not the original "
            "token ids.",
            "a label is what the model must predict: the token before "
            "any replacement.",
        )
    if not torch.equal(masked[~chosen], ids[~chosen]):
        n = int((masked[~chosen] != ids[~chosen]).sum())
        fail(
            function,
            f"{n} tokens that are not prediction targets (label -100) "
            "were changed.",
            "the 80/10/10 rule applies to the chosen tokens only.",
        )
    share = float(chosen.sum() / real.sum())
    if not 0.13 <= share <= 0.17:
        fail(
            function,
            f"it chose {share:.1%} of the real tokens; BERT chooses 15 "
            "%.",
            "compare a uniform random number with 0.15 at each real "
            "token.",
        )
    n_chosen = int(chosen.sum())
    as_mask = float((masked[chosen] == mask_token_id).sum()) / n_chosen
    unchanged = float((masked[chosen] == ids[chosen]).sum()) / n_chosen
    random_share = 1 - as_mask - unchanged
    if not (
        0.75 <= as_mask <= 0.85
        and 0.07 <= random_share <= 0.13
        and 0.07 <= unchanged <= 0.13
    ):
        fail(
            function,
            f"of the chosen tokens {as_mask:.0%} became [MASK], "
            f"{random_share:.0%} a random token and {unchanged:.0%} "
            "stayed unchanged; BERT's rule is 80/10/10.",
            "one more random draw per chosen token can decide among "
            "the three outcomes.",
        )
    replaced = masked[
        chosen & (masked != mask_token_id) & (masked != ids)
    ]
    if replaced.numel() and (
        replaced.min() < 0 or replaced.max() >= vocab_size
    ):
        fail(
            function,
            "some random replacements are not valid token ids.",
            "draw them with torch.randint(vocab_size, ..., "
            "generator=generator).",
        )
    again = call(
        function,
        ids.clone(),
        special,
        mask_token_id,
        vocab_size,
        torch.Generator().manual_seed(0),
    )
    other = call(
        function,
        ids.clone(),
        special,
        mask_token_id,
        vocab_size,
        torch.Generator().manual_seed(1),
    )
    if not torch.equal(torch.as_tensor(again[1]), labels):
        fail(
            function,
            "the same generator seed gave a different mask.",
            "draw every random number with generator=generator, so a "
            "seed repeats the mask.",
        )
    if not torch.equal(torch.as_tensor(again[0]), masked):
        fail(
            function,
            "the same generator seed chose the same tokens but gave "
            "other masked_ids: some random numbers (the replacement "
            "tokens?) do not come from the generator.",
            "every random draw, the replacement tokens included, takes "
            "generator=generator.",
        )
    if torch.equal(torch.as_tensor(other[1]), labels):
        fail(
            function,
            "two different seeds gave the same mask: the masking is "
            "static.",
            "draw the choices from the generator you are given each "
            "time the function runs.",
        )
    passed(
        function,
        f"{share:.1%} chosen, then "
        f"{as_mask:.0%}/{random_share:.0%}/{unchanged:.0%} on hidden "
        "sentences; specials and padding untouched.",
    )


HIDDEN_TEXTS = [
    "Tokenisation splits unbelievably long words into pieces.",
    "ALBERT and RoBERTa were published in 2019 by Google and Facebook.",
    "The café's crème brûlée cost €4.50 — a bargain!",
    # two spaces
    (
        "I can't believe it isn't butter,  said the well-known food "
        "critic."
    ),
]


def _word_variants(tokenizer, text):
    """(value, what, hint) of the typical mistakes on one text."""
    tokens = len(tokenizer(text, add_special_tokens=False)["input_ids"])
    words = len(text.split())
    with_specials = len(tokenizer(text)["input_ids"])
    return [
        (
            with_specials / words,
            "it counts the special tokens ([CLS], <s>, ...) too.",
            (
                "the tokenizer adds special tokens unless told not to: "
                "see add_special_tokens."
            ),
        ),
        (
            words / tokens,
            "it returns words per token, the inverse.",
            "tokens per word: which is divided?",
        ),
        (
            len(text) / words,
            "it counts characters, not tokens.",
            "the tokenizer gives the tokens.",
        ),
        (
            tokens // words,
            (
                "it divides whole numbers with //, which drops the "
                "fraction."
            ),
            "use / .",
        ),
        (
            tokens / len(text.split(" ")),
            (
                "it splits the words on single spaces: two spaces or a "
                "newline change its count of words."
            ),
            (
                "str.split() without an argument splits on any run of "
                "whitespace."
            ),
        ),
    ]


def tokens_per_word(function, tokenizers):
    """function(tokenizer, text) -> sub-word tokens per
    whitespace-separated word, without special tokens, for each
    tokenizer of `tokenizers` (a dict)."""
    failures = []
    for name, tokenizer in tokenizers.items():
        for text in HIDDEN_TEXTS:
            expected = len(
                tokenizer(text, add_special_tokens=False)["input_ids"]
            ) / len(text.split())
            raw = call(function, tokenizer, text)
            got = number(raw)
            if got is None:
                fail(
                    function,
                    f"it returned {kind(raw)}, not a number.",
                    "return tokens / words.",
                )
            if abs(got - expected) > 1e-9:
                failures.append((got, name, tokenizer, text, expected))
    if not failures:
        passed(
            function,
            f"matches on {len(HIDDEN_TEXTS)} hidden sentences with "
            f"{len(tokenizers)} tokenizers.",
        )
        return
    for got, name, tokenizer, text, expected in failures:
        variants = [
            v
            for v in _word_variants(tokenizer, text)
            if abs(v[0] - expected) > 1e-9
        ]
        mistake = named_mistake(
            got, variants, lambda a, b: abs(a - b) < 1e-9
        )
        if mistake:
            fail(
                function,
                f"with the {name} tokenizer on {text!r}: {mistake[1]}",
                mistake[2],
            )
    got, name, _, text, expected = failures[0]
    fail(
        function,
        f"with the {name} tokenizer on {text!r} it returned {got:.3f}, "
        f"expected {expected:.3f} tokens per word.",
        "print the tokens and the words of that text and count each by "
        "hand.",
    )
