"""The input checks of the fine-tuning chapters' inference helpers."""

import pytest

from bertcourse import CourseError
from bertcourse.text_input import checked_texts, length_note


def test_one_string_and_a_list_are_accepted():
    assert checked_texts("Good.") == ["Good."]
    assert checked_texts(("Good.", "Bad.")) == ["Good.", "Bad."]


@pytest.mark.parametrize(
    "bad, message",
    [
        ("", "empty or only white space"),
        ("  \n\t", "empty or only white space"),
        (42, "got int"),
        (None, "got NoneType"),
        ([], "list of texts is empty"),
        (
            ["fine", 3],
            (
                r"position 1 is a int, not a string \(the list mixes "
                r"int, str\)"
            ),
        ),
        (["fine", " "], "position 1 is empty"),
    ],
)
def test_bad_input_says_what_to_fix(bad, message):
    with pytest.raises(CourseError, match=message) as error:
        checked_texts(bad)
    assert "Fix:" in str(error.value)


def test_the_kind_of_text_is_named():
    with pytest.raises(CourseError, match="The question is empty"):
        checked_texts(" ", what="question")


def test_length_note_only_for_long_texts():
    class Words:  # a stand-in tokenizer: one token a word
        def __call__(self, text):
            return {"input_ids": text.split()}

    assert length_note(Words(), "a b c", 3, "truncated") is None
    assert length_note(Words(), "a b c d", 3, "truncated") == (
        "note: 4 tokens, more than the 3 this model reads at once: "
        "truncated"
    )
