"""What every check shares: the exception, the success line, and calling the learner's
function so that its own errors come back as one line too."""

from ..errors import CourseError


class CheckFailed(CourseError):
    """A lab check found a mistake. Jupyter shows it as one line: what is wrong, and a hint."""

    def _render_traceback_(self):
        return [f"CheckFailed: {self}"]


def fail(function, what, hint):
    raise CheckFailed(f"{name_of(function)}: {what} Hint: {hint}")


def passed(function, what):
    print(f"\u2714 {name_of(function)} passed: {what}")


def name_of(function):
    return getattr(function, "__name__", None) or type(function).__name__


def call(function, *args, **kwargs):
    """function(*args, **kwargs); an exception it raises becomes one CheckFailed line."""
    try:
        return function(*args, **kwargs)
    except CheckFailed:
        raise
    except NotImplementedError:
        raise CheckFailed(f"{name_of(function)} is not written yet (it raises NotImplementedError). "
                          "Hint: replace the TODO line by your code, run the cell, then this check.") from None
    except Exception as error:  # the learner's bug, reported in one line
        text = str(error).splitlines()[0] if str(error) else ""
        raise CheckFailed(f"{name_of(function)} raised {type(error).__name__}: {text} "
                          "Hint: run it on a small example in a new cell to see where.") from None
