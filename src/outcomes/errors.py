"""Typed exceptions: every message names the field and the offending value.

>>> from outcomes.errors import PeriodError, OutcomesError
>>> issubclass(PeriodError, OutcomesError) and issubclass(PeriodError, ValueError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "FrameworkError",
    "IncentiveError",
    "InputError",
    "OutcomesError",
    "OutcomesWarning",
    "OutputError",
    "PeriodError",
    "ScoringError",
    "TrajectoryError",
    "UnitError",
    "UnitWarning",
    "UnknownCodeError",
    "close_matches",
]


class OutcomesError(Exception):
    """Base class of every error the library raises on purpose."""


class OutcomesWarning(UserWarning):
    """Base class of the warnings the library gives: the input is accepted but looks wrong."""


class UnitWarning(OutcomesWarning):
    """Values look like another unit than the one stated (e.g. fractions for a percentage)."""


class PeriodError(OutcomesError, ValueError):
    """A period label or a period argument is malformed or out of range."""


class UnitError(OutcomesError, ValueError):
    """Units are unknown or incompatible (both units are named in the message)."""


class FrameworkError(OutcomesError, ValueError):
    """A framework data file is malformed; the message lists every problem with its location."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class UnknownCodeError(OutcomesError, KeyError):
    """An id or code is not in the catalogue; the message lists the close matches."""

    def __init__(self, kind: str, code: object, known: Iterable[str]) -> None:
        self.kind = kind
        self.code = code
        self.matches = close_matches(str(code), known)
        hint = f"; did you mean {', '.join(repr(m) for m in self.matches)}?" if self.matches else ""
        self.message = f"unknown {kind} {code!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.message


class TrajectoryError(OutcomesError, ValueError):
    """An argument to a trajectory rule is invalid."""


class ScoringError(OutcomesError, ValueError):
    """An argument to scoring or to a statistical method is invalid."""


class IncentiveError(OutcomesError, ValueError):
    """An argument to an incentive calculator is invalid."""


class InputError(OutcomesError, ValueError):
    """An input file (plan, CSV table) has problems; ``problems`` lists every one."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class OutputError(OutcomesError, ValueError):
    """An output cannot be written safely: a non-finite number, an input file as the output,
    an existing file without ``--force``."""


def close_matches(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` entries of ``known`` that look like ``word``.

    >>> close_matches("pyl", ["pyll", "iapt", "local"])
    ['pyll']
    """
    known = list(known)
    lowered = {k.lower(): k for k in known}
    hits = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.75)
    return [lowered[h] for h in hits]
