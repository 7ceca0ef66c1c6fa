"""Verdicts from paired measurements: is a difference real, given how
few runs there are?

Chapter 2 derives this by hand before using it; every chapter that
compares two things measured several times (seeds, timing repeats) calls
`paired_difference_verdict` instead of reading a mean by eye. The rule,
written out on the course's page "How this course reads its
measurements":

- the differences d_i = a_i - b_i of paired runs (same seed, same
  repeat) are summarised by their mean and a t interval with n - 1
  degrees of freedom, which widens as n shrinks;
- a sign test on the same differences checks the direction without
  assuming anything about their distribution, which a handful of runs
  cannot check;
- "real difference" needs both: the interval excludes 0 and the sign
  test is significant;
- "negligible difference" needs the whole interval inside (-negligible,
  +negligible), a margin the caller must choose before measuring;
- anything else is "not enough evidence", an acceptable result.
"""

import math
from dataclasses import dataclass

REAL_DIFFERENCE = "real difference"
NEGLIGIBLE_DIFFERENCE = "negligible difference"
NOT_ENOUGH_EVIDENCE = "not enough evidence"


@dataclass(frozen=True)
class PairedDifference:
    """The numbers behind a verdict on the differences a - b."""

    n: int
    mean: float
    standard_error: float
    # Student's t quantile for the interval, n - 1 degrees of freedom
    t_critical: float
    # (low, high): confidence interval for the mean difference
    interval: tuple
    t_p_value: float  # two-sided paired t-test of "mean difference = 0"
    # differences on the mean's side of zero (zeros are left out)
    same_sign: int
    nonzero: int  # differences that are not exactly zero
    # two-sided sign test (binomial, p = 1/2) on the nonzero ones
    sign_p_value: float
    confidence: float
    verdict: str

    def __str__(self):
        low, high = self.interval
        return (
            f"mean difference {self.mean:+.3f} (standard error "
            f"{self.standard_error:.3f}, n = {self.n}); "
            f"{self.confidence:.0%} t interval [{low:+.3f}, "
            f"{high:+.3f}], t-test p = {self.t_p_value:.3f}; sign test "
            f"{self.same_sign} of {self.nonzero}, p = "
            f"{self.sign_p_value:.3f} -> verdict: {self.verdict}"
        )


def paired_difference_verdict(a, b, confidence=0.95, negligible=None):
    """Verdict on a - b from paired measurements a[i], b[i] (b may be
    one reference number).

    Returns a `PairedDifference`; its `verdict` is REAL_DIFFERENCE,
    NEGLIGIBLE_DIFFERENCE (only when `negligible` is given) or
    NOT_ENOUGH_EVIDENCE, by the rule in the module's docstring.
    """
    from scipy import stats

    a = [float(x) for x in a]
    b = (
        [float(b)] * len(a)
        if isinstance(b, (int, float))
        else [float(x) for x in b]
    )
    if len(a) != len(b):
        raise ValueError(
            f"paired measurements need equal lengths, got {len(a)} and "
            f"{len(b)}"
        )
    differences = [x - y for x, y in zip(a, b)]
    n = len(differences)
    alpha = 1 - confidence
    if n < 2:  # one run says nothing about noise
        mean = differences[0] if differences else math.nan
        return PairedDifference(
            n,
            mean,
            math.nan,
            math.nan,
            (math.nan, math.nan),
            math.nan,
            0,
            0,
            math.nan,
            confidence,
            NOT_ENOUGH_EVIDENCE,
        )

    mean = sum(differences) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in differences) / (n - 1))
    se = sd / math.sqrt(n)
    t_critical = float(stats.t.ppf(1 - alpha / 2, df=n - 1))
    interval = (mean - t_critical * se, mean + t_critical * se)
    if se > 0:
        t_p_value = float(2 * stats.t.sf(abs(mean / se), df=n - 1))
    else:  # identical differences: no spread to judge them by
        t_p_value = 0.0 if mean != 0 else 1.0

    nonzero = [d for d in differences if d != 0]
    same_sign = sum((d > 0) == (mean > 0) for d in nonzero)
    sign_p_value = (
        float(stats.binomtest(same_sign, len(nonzero), 0.5).pvalue)
        if nonzero
        else 1.0
    )

    if t_p_value < alpha and sign_p_value < alpha:
        verdict = REAL_DIFFERENCE
    elif (
        negligible is not None
        and -negligible < interval[0]
        and interval[1] < negligible
    ):
        verdict = NEGLIGIBLE_DIFFERENCE
    else:
        verdict = NOT_ENOUGH_EVIDENCE
    return PairedDifference(
        n,
        mean,
        se,
        t_critical,
        interval,
        t_p_value,
        same_sign,
        len(nonzero),
        sign_p_value,
        confidence,
        verdict,
    )
