"""Checks for what a learner passes to a fine-tuned model, shared by the
fine-tuning chapters' inference helpers: one clear message that says
what to do, instead of a tokenizer's traceback."""

from .errors import CourseError


def checked_texts(texts, what="text"):
    """A list of texts from one string or a list of strings; a
    CourseError that says what to fix for anything else (empty or
    whitespace-only text, a non-string, a list with mixed types, an
    empty list)."""
    single = isinstance(texts, str)
    items = [texts] if single else texts
    if not single and not isinstance(items, (list, tuple)):
        raise CourseError(
            f"Expected a {what} (a string) or a list of them; got "
            f"{type(texts).__name__}. "
            'Fix: pass e.g. "A fine film." or ["A '
            'fine film.", "Dull."].'
        )
    if not items:
        raise CourseError(
            f"The list of {what}s is empty. Fix: pass at least one "
            f"{what}."
        )
    for position, item in enumerate(items):
        where = "" if single else f" at position {position}"
        if not isinstance(item, str):
            kinds = sorted({type(i).__name__ for i in items})
            mixed = (
                f" (the list mixes {', '.join(kinds)})"
                if len(kinds) > 1
                else ""
            )
            raise CourseError(
                f"The {what}{where} is a {type(item).__name__}, not a "
                f"string{mixed}. Fix: convert it with str(...) or "
                "remove it."
            )
        if not item.strip():
            raise CourseError(
                f"The {what}{where} is empty or only white space. "
                f"Fix: pass a {what} with words in it."
            )
    return list(items)


def length_note(tokenizer, text, max_length, what_happens):
    """A line saying that `text` is longer than `max_length` tokens and
    what the model does about it (truncation, windows), or None when it
    fits."""
    tokens = len(tokenizer(text)["input_ids"])
    if tokens <= max_length:
        return None
    return (
        f"note: {tokens} tokens, more than the {max_length} this model "
        f"reads at once: {what_happens}"
    )
