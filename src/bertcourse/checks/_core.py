"""What every check shares: the exception, the success line, and calling
the learner's function so that its own errors come back as one line too.
"""

from ..errors import CourseError


class CheckFailed(CourseError):
    """A lab check found a mistake. Jupyter shows it as one line: what
    is wrong, and a hint."""

    def _render_traceback_(self):
        return [f"CheckFailed: {self}"]


def fail(function, what, hint):
    raise CheckFailed(f"{name_of(function)}: {what} Hint: {hint}")


def passed(function, what):
    print(f"\u2714 {name_of(function)} passed: {what}")


def name_of(function):
    return (
        getattr(function, "__name__", None) or type(function).__name__
    )


def call(function, *args, **kwargs):
    """function(*args, **kwargs); an exception it raises becomes one
    CheckFailed line."""
    try:
        return function(*args, **kwargs)
    except CheckFailed:
        raise
    except NotImplementedError:
        raise CheckFailed(
            f"{name_of(function)} is not written yet (it raises "
            "NotImplementedError). Hint: replace the TODO line by your "
            "code, run the cell, then this check."
        ) from None
    # the learner's bug, reported in one line
    except Exception as error:  # noqa: BLE001
        text = str(error).splitlines()[0] if str(error) else ""
        raise CheckFailed(
            f"{name_of(function)} raised "
            f"{type(error).__name__}: {text} "
            "Hint: run it on a small example in a new cell to see "
            "where."
        ) from None


def number(value):
    """value as a float, or None when it is not one finite number (an
    array of several, a str, nan...)."""
    import numpy as np

    if isinstance(value, (str, bytes, bool)) or value is None:
        return None
    # a tensor that requires grad refuses to become an array
    if hasattr(value, "detach"):
        value = value.detach().cpu()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, RuntimeError):
        return None
    # nan compares false with everything
    if array.size != 1 or not np.isfinite(array).all():
        return None
    return float(array.reshape(()))


def int_list(value):
    """value (a list, tuple, array or tensor of whole numbers) as a list
    of ints, or None."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        return None
    try:
        items = list(
            value.tolist() if hasattr(value, "tolist") else value
        )
        if any(
            isinstance(x, (list, tuple, str)) or float(x) != int(x)
            for x in items
        ):
            return None
        return [int(x) for x in items]
    except (TypeError, ValueError, OverflowError):
        return None


def kind(value):
    """A short description of what a function returned, for a
    message."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__name__} of shape {tuple(shape)}"
    if hasattr(value, "__len__") and not isinstance(value, str):
        return f"{type(value).__name__} of {len(value)} items"
    return f"{type(value).__name__} {value!r:.40}"


def named_mistake(got, variants, same):
    """The (value, what, hint) of `variants` whose value is `got`, when
    exactly one gives that value: a mistake is named only where the
    mistakes give different values."""
    # two ways to one mistake: one name
    hits = {v[1]: v for v in variants if same(got, v[0])}
    return next(iter(hits.values())) if len(hits) == 1 else None
