"""The verdict rule of bertcourse.verdicts, on cases whose answer is
known."""

import math

import pytest
from scipy import stats

from bertcourse.verdicts import (
    NEGLIGIBLE_DIFFERENCE,
    NOT_ENOUGH_EVIDENCE,
    REAL_DIFFERENCE,
    paired_difference_verdict,
)


def test_a_clear_difference_is_real():
    b = [5.70, 5.65, 5.75, 5.68, 5.72, 5.66, 5.71, 5.69]
    # 8 of 8 lower, little spread
    a = [x - 0.12 + 0.01 * (-1) ** i for i, x in enumerate(b)]
    result = paired_difference_verdict(a, b)
    assert result.verdict == REAL_DIFFERENCE
    assert result.mean == pytest.approx(-0.12)
    assert result.interval[1] < 0 and result.same_sign == 8


def test_three_seeds_at_three_standard_errors_are_not_enough():
    # Chapter 2's stored gaps: all three negative, mean 3.2 standard
    # errors below zero.
    differences = [-0.160, -0.046, -0.154]
    result = paired_difference_verdict(differences, 0.0)
    assert abs(result.mean / result.standard_error) > 3
    assert result.same_sign == 3
    # Student's t, 2 degrees of freedom
    assert result.t_critical == pytest.approx(4.303, abs=1e-3)
    assert 0.05 < result.t_p_value < 0.1
    # 3 of 3 happens by chance 2 x 1/8 of the time
    assert result.sign_p_value == pytest.approx(0.25)
    assert result.verdict == NOT_ENOUGH_EVIDENCE


def test_no_difference_is_not_evidence_of_a_difference():
    a = [1.02, 0.97, 1.01, 0.99, 1.03, 0.98]
    b = [1.00] * 6
    result = paired_difference_verdict(a, b)
    assert result.interval[0] < 0 < result.interval[1]
    assert result.verdict == NOT_ENOUGH_EVIDENCE
    # With a margin chosen in advance, the same data show the difference
    # is negligible ...
    assert (
        paired_difference_verdict(a, b, negligible=0.05).verdict
        == NEGLIGIBLE_DIFFERENCE
    )
    # ... but not when the margin is narrower than the interval.
    assert (
        paired_difference_verdict(a, b, negligible=0.01).verdict
        == NOT_ENOUGH_EVIDENCE
    )


def test_interval_and_p_value_agree_with_scipy():
    a, b = [3.1, 2.9, 3.4, 3.0, 3.3], [2.8, 2.9, 3.0, 2.7, 3.2]
    result = paired_difference_verdict(a, b, confidence=0.9)
    reference = stats.ttest_rel(a, b)
    assert result.t_p_value == pytest.approx(reference.pvalue)
    low, high = reference.confidence_interval(confidence_level=0.9)
    assert result.interval == pytest.approx((low, high))


def test_five_runs_cannot_pass_the_sign_test():
    # Even 5 of 5 has a two-sided sign-test p of 1/16: below 6 runs no
    # verdict can be "real".
    a = [2.0, 2.1, 1.9, 2.05, 1.95]
    result = paired_difference_verdict(a, 0.0)
    assert (
        result.t_p_value < 1e-4
        and result.sign_p_value == pytest.approx(0.0625)
    )
    assert result.verdict == NOT_ENOUGH_EVIDENCE


def test_degenerate_inputs():
    assert (
        paired_difference_verdict([1.0], [0.0]).verdict
        == NOT_ENOUGH_EVIDENCE
    )
    # identical differences, no spread
    same = paired_difference_verdict([1.0] * 6, [0.0] * 6)
    assert same.standard_error == 0 and same.verdict == REAL_DIFFERENCE
    zero = paired_difference_verdict([1.0] * 6, [1.0] * 6)
    assert zero.nonzero == 0 and zero.verdict == NOT_ENOUGH_EVIDENCE
    assert math.isnan(paired_difference_verdict([], []).mean)
    with pytest.raises(ValueError):
        paired_difference_verdict([1.0, 2.0], [1.0])
