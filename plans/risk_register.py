"""The risk register's arithmetic (DESIGN §13), pure: a risk's score, when a score is
high, and the 5 × 5 heat map of the open risks."""

from collections import Counter
from collections.abc import Iterable

SCALE = range(1, 6)
# Open risks scoring this or more raise an alert ("Open high risk").
HIGH_SCORE = 15


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood × impact, each from 1 to 5: from 1 (rare, slight) to 25."""
    if likelihood not in SCALE or impact not in SCALE:
        raise ValueError("Likelihood and impact run from 1 to 5.")
    return likelihood * impact


def band(score: int) -> str:
    """How the heat map colours a score: low (1–4), medium (5–9), high (10–14), severe
    (15–25, the alert's threshold)."""
    if score >= HIGH_SCORE:
        return "severe"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


def heat_map(pairs: Iterable[tuple[int, int]]) -> list[list[dict]]:
    """The open risks counted per cell: rows from impact 5 (top) to 1, columns likelihood
    1 to 5; each cell says its likelihood, impact, score, band and count."""
    counts = Counter(pairs)
    return [
        [
            {
                "likelihood": likelihood,
                "impact": impact,
                "score": likelihood * impact,
                "band": band(likelihood * impact),
                "count": counts.get((likelihood, impact), 0),
            }
            for likelihood in SCALE
        ]
        for impact in reversed(SCALE)
    ]
