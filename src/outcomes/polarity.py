"""Polarity: which direction of a measure is good. Every indicator states one; every function
honours it.

>>> from outcomes.polarity import Polarity
>>> Polarity.parse("RAG - Low is good")
<Polarity.LOWER_IS_BETTER: 'lower'>
>>> Polarity.LOWER_IS_BETTER.sign
-1
"""

from __future__ import annotations

import enum
import re

from outcomes.errors import TrajectoryError

__all__ = ["Polarity"]


class Polarity(enum.StrEnum):
    """Which direction is good. Every indicator states one; every function honours it."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"
    NO_JUDGEMENT = "none"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better (no judgement has no sign)."""
        if self is Polarity.NO_JUDGEMENT:
            raise TrajectoryError("polarity 'none' (no judgement) has no direction of improvement")
        return 1 if self is Polarity.HIGHER_IS_BETTER else -1

    @classmethod
    def parse(cls, value: object) -> Polarity:
        """Accept a Polarity, ``'higher'``/``'lower'``, ``'higher_is_better'``, or the
        Fingertips wording ``'RAG - High is good'`` / ``'RAG - Low is good'``.

        >>> Polarity.parse("higher_is_better"), Polarity.parse("low")
        (<Polarity.HIGHER_IS_BETTER: 'higher'>, <Polarity.LOWER_IS_BETTER: 'lower'>)
        """
        if isinstance(value, Polarity):
            return value
        text = re.sub(r"[^a-z]", " ", str(value).lower()).split()
        words = set(text)
        if words & {"higher", "high"} and not words & {"lower", "low"}:
            return cls.HIGHER_IS_BETTER
        if words & {"lower", "low"} and not words & {"higher", "high"}:
            return cls.LOWER_IS_BETTER
        if words & {"none", "no", "judgement", "neutral"}:
            return cls.NO_JUDGEMENT
        raise TrajectoryError(
            f"polarity must be 'higher' (higher is better) or 'lower' (lower is better), "
            f"got {value!r}"
        )
