"""Checks for the labs: each runs a learner's function on cases the
learner does not see and grades what it does (never the text of the
code).

One module per lab, named by what it checks; a lab imports its module as
`check`:

    from bertcourse.checks import masking as check
    check.mask_tokens(mask_tokens)

A wrong answer raises `CheckFailed`, which Jupyter shows as one line
saying what is wrong and giving a hint; a right one prints one line
starting with a check mark.
"""

from ._core import CheckFailed

__all__ = ["CheckFailed"]
