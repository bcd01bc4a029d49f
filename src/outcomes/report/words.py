"""Results in plain English: a trajectory's rule, a confidence verdict, a position among peers.

The report says what the numbers mean in words an assurance team reads aloud: "a 3.2% fall a
year, compounded, from the 2013 baseline to 2018/19", "missed, beyond reasonable doubt",
"worst quartile of 14 peers". Each sentence is built from the rule's recorded name and
parameters (:attr:`Trajectory.rule`), so it says what was computed, not what was meant.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from outcomes.polarity import Polarity
from outcomes.rules import describe_rule
from outcomes.rules._words import band_name
from outcomes.units import format_value

__all__ = [
    "RAG_WORDS",
    "VERDICT_WORDS",
    "band_name",
    "describe_rule",
    "direction",
    "format_value",
    "peer_position",
    "rag_words",
    "verdict_words",
]

#: What each RAG rating means, in words.
RAG_WORDS: dict[str, str] = {
    "GREEN": "met the target",
    "AMBER": "missed, within tolerance",
    "RED": "missed the target",
    "GREY": "actual not yet available",
}

#: What each confidence verdict means, in words.
VERDICT_WORDS: dict[str, str] = {
    "MET_WITH_CONFIDENCE": "met, beyond reasonable doubt (the whole interval is on the good side)",
    "NOT_MET_WITH_CONFIDENCE": "missed, beyond reasonable doubt (the whole interval is on the "
    "bad side)",
    "NOT_DISTINGUISHABLE": "too close to call (the interval includes the target)",
    "NOT_AVAILABLE": "no actual yet",
    "NO_INTERVAL": "no confidence interval given",
}

_ORDINALS = {1: "best", 2: "2nd", 3: "3rd"}


def peer_position(
    value: float,
    peers: npt.ArrayLike | None,
    bounds: npt.ArrayLike | None,
    polarity: Polarity | None,
) -> str:
    """Where a value sits among peers, in words: its band (from the bounds) and its rank.

    The band is counted from the best (the polarity says which end is best); the rank is
    1 for the best value, ties share the better rank.

    >>> peer_position(2410.0, [1650, 1800, 1930, 2050, 2180, 2330, 2510, 2640],
    ...               [1650, 1897.5, 2115, 2392.5, 2640], Polarity.LOWER_IS_BETTER)
    'worst quartile; 7th best of 8 peers'
    >>> peer_position(float("nan"), None, [1, 2, 3, 4, 5], Polarity.LOWER_IS_BETTER)
    'no value'
    """
    if not np.isfinite(value):
        return "no value"
    parts = []
    if bounds is not None:
        edges = np.asarray(bounds, dtype=np.float64)
        if edges.ndim == 1 and edges.size >= 3:
            from outcomes.stats.quantiles import quantile_categories

            k = edges.size - 1
            category = int(quantile_categories(value, edges))  # 1 = lowest values
            higher = polarity is Polarity.HIGHER_IS_BETTER
            if polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
                from_best = k + 1 - category if higher else category
                word = "worst" if from_best == k else _ORDINALS.get(from_best, f"{from_best}th")
                parts.append(f"{word} {band_name(k)}")
            else:
                parts.append(f"{band_name(k)} {category} of {k} from the lowest")
    if peers is not None and polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        values = np.asarray(peers, dtype=np.float64).reshape(-1)
        values = values[~np.isnan(values)]
        if values.size:
            sign = polarity.sign
            rank = int((sign * (values - value) > 0).sum()) + 1
            best = "the best" if rank == 1 else f"{_ordinal(rank)} best"
            parts.append(f"{best} of {values.size} peers")
    return "; ".join(parts) if parts else "no peers to compare with"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rag_words(rag: str) -> str:
    """The meaning of a RAG rating, in words."""
    return RAG_WORDS.get(rag, rag)


def verdict_words(verdict: str) -> str:
    """The meaning of a confidence verdict, in words."""
    return VERDICT_WORDS.get(verdict, verdict)


def direction(polarity: Polarity | None) -> str:
    """'lower is better', 'higher is better' or that no direction is stated."""
    if polarity is Polarity.LOWER_IS_BETTER:
        return "lower is better"
    if polarity is Polarity.HIGHER_IS_BETTER:
        return "higher is better"
    return "no better direction stated"
