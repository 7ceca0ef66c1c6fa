"""One exception type for every mistake a learner can fix themselves."""


class CourseError(RuntimeError):
    """A problem with a clear fix: no GPU, no network, an unknown
    profile, bad input.

    In Jupyter it prints as one short message instead of a traceback,
    because the traceback would only bury the line that says what to do.
    """

    # IPython calls this instead of printing a traceback
    def _render_traceback_(self):
        return [f"CourseError: {self}"]
