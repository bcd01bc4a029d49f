"""Peers you can trust: a peer set is *selected* from a Fingertips export (one indicator, one
period, one area type, one sex, one age), never pooled, and it carries where it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray
from outcomes.errors import InputError
from outcomes.io.fingertips import FingertipsData, read_fingertips

__all__ = ["PeerSet", "select_peers"]


@dataclass(frozen=True)
class PeerSet:
    """Peer values (one per area) and their provenance.

    ``values`` holds the areas with a value; ``left_out`` counts the areas whose value is
    suppressed or missing (see their value notes in the file).
    """

    values: FloatArray
    areas: tuple[str, ...]
    indicator: int | None
    period: str | None
    area_type: str | None
    sex: str | None
    age: str | None
    source: str
    left_out: int = 0
    names: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """How many areas are in the peer set."""
        return int(self.values.size)

    def describe(self) -> str:
        """One line for outputs and provenance, e.g. ``indicator 93356, 2017, County & UA, ...``.

        >>> PeerSet.from_values([1.0, 2.0, 3.0]).describe()
        '3 areas from given values'
        """
        parts = [
            f"indicator {self.indicator}" if self.indicator is not None else None,
            self.period,
            self.area_type,
            self.sex,
            self.age,
        ]
        text = ", ".join(p for p in parts if p)
        dropped = f"; {self.left_out} area(s) without a value left out" if self.left_out else ""
        where = f"{self.n} areas from {self.source}{dropped}"
        return f"{text}: {where}" if text else where

    def to_frame(self) -> Any:
        """One row per peer area as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.peers_frame`."""
        from outcomes.frames import peers_frame

        return peers_frame(self)

    @classmethod
    def from_values(cls, values: npt.ArrayLike, *, source: str = "given values") -> PeerSet:
        """A peer set from plain values (the provenance says they were given).

        >>> PeerSet.from_values(["a"])
        Traceback (most recent call last):
        ...
        outcomes.errors.InputError: peers must be numbers, one per peer area, got ['a']
        """
        if hasattr(values, "columns"):  # a DataFrame: which rows are the peers is not known
            raise InputError(
                "peers must be numbers, one per peer area, got a DataFrame: select one peer set "
                "from it with select_peers(frame, period=..., area_type=...)"
            )
        try:
            array = np.asarray(values, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            shown = repr(values) if len(repr(values)) <= 80 else repr(values)[:77] + "..."
            raise InputError(f"peers must be numbers, one per peer area, got {shown}") from None
        return cls(array, (), None, None, None, None, None, source)


#: The fields a selection from a Fingertips export may leave open: (column, argument name).
_FIELDS = (
    ("indicator_id", "indicator"),
    ("time_period", "period"),
    ("area_type", "area_type"),
    ("sex", "sex"),
    ("age", "age"),
)
_PEERS_FLAGS = {name: "--peers-" + name.replace("_", "-") for _, name in _FIELDS}


def open_fields(
    chosen: FingertipsData, given: Mapping[str, object], flags: Mapping[str, str]
) -> list[str]:
    """What a selection left open that the rows still hold more than one value of: one
    sentence per field in ``flags`` (argument name -> the CLI flag that chooses it), so nothing
    is pooled by accident.
    """
    out = []
    for column, name in _FIELDS:
        if name not in flags or given.get(name) is not None:
            continue
        found = chosen.distinct(column)
        if column == "indicator_id":
            found = tuple(str(int(float(v))) for v in found)
        if len(found) > 1:
            shown = "; ".join(found[:8]) + (" ..." if len(found) > 8 else "")
            out.append(
                f"{name} is open and the file has {len(found)} values ({shown}); choose one "
                f"with {name}=... ({flags[name]})"
            )
    return out


def select_peers(
    data: FingertipsData | str | object,
    *,
    indicator: int | None = None,
    period: str | None,
    area_type: str | None,
    sex: str | None = None,
    age: str | None = None,
) -> PeerSet:
    """Select one peer set from a Fingertips export (its path, :func:`read_fingertips` of it, or
    a DataFrame with Fingertips' columns such as ``read_fingertips(...).to_frame()``).

    Category rows (deprivation deciles and the like) are never peers. If the rows left hold more
    than one indicator, period, area type, sex or age and the selection leaves that field open,
    this raises :class:`InputError` listing the values found, so nothing is pooled by accident.

    >>> peers = select_peers("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
    ...                      period="2017", area_type="County & UA", age="All ages")
    >>> peers.n, peers.left_out
    (150, 2)
    >>> select_peers("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
    ...              period="2016", area_type="County & UA")
    Traceback (most recent call last):
    ...
    outcomes.errors.InputError: ...: the peers are not one set: age is open and the file has 2 values (All ages; 0-9 yrs); choose one with age=... (--peers-age)
    """
    if isinstance(data, str):
        data = read_fingertips(data)
    elif not isinstance(data, FingertipsData):
        if not hasattr(data, "to_dict"):
            raise InputError(
                "data must be a Fingertips export: its path, read_fingertips(...) or its "
                f"to_frame(), got {type(data).__name__}"
            )
        from outcomes.frames import fingertips_from_frame

        data = fingertips_from_frame(data)
    chosen = data.select(
        indicator_id=indicator, period=period, area_type=area_type, sex=sex, age=age
    )
    given = {
        "indicator": indicator,
        "period": period,
        "area_type": area_type,
        "sex": sex,
        "age": age,
    }
    still_open = open_fields(chosen, given, _PEERS_FLAGS)
    if still_open:
        raise InputError(f"{data.path}: the peers are not one set: " + "; ".join(still_open))
    if len(chosen) == 0:
        raise InputError(
            f"{data.path}: no rows for "
            + ", ".join(f"{k}={v!r}" for k, v in given.items() if v is not None)
        )
    values = np.asarray(chosen.columns["value"], dtype=np.float64)
    has = ~np.isnan(values)
    if not has.any():
        raise InputError(f"{data.path}: every selected area's value is missing")
    ids = chosen.distinct("indicator_id")
    return PeerSet(
        values=values[has],
        areas=tuple(str(a) for a in chosen.columns["area_code"][has].tolist()),
        indicator=int(float(ids[0])) if ids else indicator,
        period=period or chosen.distinct("time_period")[0],
        area_type=area_type or chosen.distinct("area_type")[0],
        sex=sex or chosen.distinct("sex")[0],
        age=age or chosen.distinct("age")[0],
        source=data.path,
        left_out=int((~has).sum()),
        names=tuple(str(a) for a in chosen.columns["area_name"][has].tolist()),
    )
