"""SQuAD v1.1 exact match and F1, checked on cases computed by hand from
the official script's definition (evaluate-v1.1.py: normalise, Counter
overlap, best over the gold answers, mean in percent)."""

import pytest

from bertcourse import CourseError
from bertcourse.squad_metrics import (
    exact_match,
    f1,
    normalize_answer,
    squad_scores,
)


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("The  Eiffel Tower!", "eiffel tower"),
        ("An apple, a day.", "apple day"),
        ("  Theory\tof the\nAtom ", "theory of atom"),
        # articles only as whole words
        ("banana theatre another", "banana theatre another"),
        ("U.S.A.", "usa"),
        # punctuation is deleted, not replaced by a space
        ("rock-and-roll", "rockandroll"),
        ("a.", ""),  # punctuation goes first, then the article
        # 'é' is a letter, so 'thé' is not the article
        ("thé au lait", "thé au lait"),
        ("ZÜRICH", "zürich"),
        ("«Zürich»", "«zürich»"),  # only ASCII punctuation is removed
    ],
)
def test_normalisation(text, normalised):
    assert normalize_answer(text) == normalised


def test_several_gold_answers_keep_the_best_score():
    golds = ["Denver Broncos", "the Denver Broncos team"]
    assert exact_match("Broncos team", golds) == 0.0
    # against "denver broncos": 1 shared token, P = R = 1/2, F1 = 1/2
    # against "denver broncos team": 2 shared, P = 2/2, R = 2/3, F1 =
    # 2*(2/3)/(5/3) = 4/5
    assert f1("Broncos team", golds) == pytest.approx(0.8)
    assert f1("Broncos team", golds[:1]) == pytest.approx(0.5)
    assert exact_match("denver broncos", golds) == 1.0


def test_an_empty_prediction_scores_zero():
    assert exact_match("", ["Paris"]) == 0.0
    assert f1("", ["Paris"]) == 0.0


def test_v11_empty_against_an_article_only_gold():
    # Both normalise to "": equal strings, so exact match 1; but no
    # shared token, so F1 0.
    assert exact_match("", ["The"]) == 1.0
    assert f1("", ["The"]) == 0.0


@pytest.mark.parametrize(
    "prediction, gold",
    [
        ("Paris.", "paris"),
        ("'Paris'", "Paris"),
        ("U.S.A", "USA"),
        ("1,000", "1000"),
    ],
)
def test_punctuation_only_differences_are_exact_matches(
    prediction, gold
):
    assert exact_match(prediction, [gold]) == 1.0
    assert f1(prediction, [gold]) == 1.0


@pytest.mark.parametrize(
    "prediction, gold",
    [
        ("the Eiffel Tower", "Eiffel Tower"),
        ("a theory", "theory"),
        ("An Apple", "apple"),
    ],
)
def test_article_only_differences_are_exact_matches(prediction, gold):
    assert exact_match(prediction, [gold]) == 1.0
    assert f1(prediction, [gold]) == 1.0


def test_hyphen_removal_joins_words():
    assert exact_match("rock-and-roll", ["rock and roll"]) == 0.0
    assert f1("rock-and-roll", ["rock and roll"]) == 0.0


def test_repeated_tokens_count_with_their_multiplicity():
    # new:2, york:2 against new:1, york:1 -> overlap 2; P = 2/4, R =
    # 2/2, F1 = 2/3
    assert f1("New York New York", ["New York"]) == pytest.approx(2 / 3)
    # cat:3 against cat:1, sat:1 -> overlap 1; P = 1/3, R = 1/2, F1 =
    # 2/5
    assert f1("cat cat cat", ["cat sat"]) == pytest.approx(0.4)
    # symmetric: gold repeats, prediction once -> overlap 1; P = 1, R =
    # 1/2, F1 = 2/3
    assert f1("york", ["york york"]) == pytest.approx(2 / 3)


def test_non_ascii_text():
    # lower case works beyond ASCII
    assert exact_match("ZÜRICH", ["Zürich"]) == 1.0
    # no accent folding: 'são' and 'sao' differ; 1 of 2 tokens shared,
    # F1 = 1/2
    assert exact_match("São Paulo", ["Sao Paulo"]) == 0.0
    assert f1("São Paulo", ["Sao Paulo"]) == pytest.approx(0.5)
    # guillemets are not ASCII punctuation, so they stay part of the
    # token
    assert f1("«Zürich»", ["Zürich"]) == 0.0
    assert exact_match("東京", ["東京"]) == 1.0


def test_scores_are_means_in_percent():
    scores = squad_scores(
        ["Paris", "London", "the Rhine river"],
        [["Paris"], ["Berlin"], ["Rhine", "river Rhine in Germany"]],
    )
    # exact match 1, 0, 0 -> 100/3
    assert scores["exact_match"] == pytest.approx(100 / 3)
    # F1: 1; 0; max("rhine river" vs "rhine" = 2/3, vs "river rhine in
    # germany": overlap 2, P = 1, R = 2/4, F1 = 2/3) = 2/3  -> mean (1 +
    # 0 + 2/3) / 3 = 5/9
    assert scores["f1"] == pytest.approx(500 / 9)


def test_a_single_gold_string_is_accepted():
    assert exact_match("the answer", "Answer") == 1.0


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: squad_scores(["a"], [["a"], ["b"]]),
            "1 predictions for 2 questions",
        ),
        (lambda: squad_scores([], []), "No questions"),
        (lambda: f1(None, ["x"]), "must be a string"),
        (lambda: exact_match("x", []), "non-empty list"),
        (lambda: f1("x", ["y", 3]), "non-empty list of strings"),
    ],
)
def test_bad_arguments_say_what_to_fix(call, message):
    with pytest.raises(CourseError, match=message) as error:
        call()
    assert "Fix:" in str(error.value)
