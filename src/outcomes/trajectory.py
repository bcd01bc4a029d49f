"""The :class:`Trajectory` model: a baseline, the targets per period, and the rule that made them.

A trajectory holds one organisation or many (leading axes of the arrays); for a plan of many
organisations it also carries their codes and names, and the precision the targets are
published at. It is plain data: the rule functions in :mod:`outcomes.trajectories` make it,
scoring reads it, writers in :mod:`outcomes.io` print it.
"""

from __future__ import annotations

import enum
import json
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, model_validator

from outcomes._arrays import round_half_up
from outcomes._fields import ArrayField, PolarityField, same_fields
from outcomes._format import format_table
from outcomes.errors import PeriodError, TrajectoryError
from outcomes.periods import Period, period

__all__ = ["Change", "Rule", "Trajectory"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class Rule(BaseModel):
    """The rule that produced a trajectory and its parameters (the provenance of every target)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    parameters: Annotated[
        dict[str, Any],
        PlainSerializer(_jsonable, when_used="json"),
        WithJsonSchema({"type": "object"}),
    ] = Field(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rule):
            return NotImplemented
        return self.name == other.name and json.dumps(
            _jsonable(self.parameters), sort_keys=True
        ) == json.dumps(_jsonable(other.parameters), sort_keys=True)

    def __hash__(self) -> int:
        return hash(self.name)

    def describe(self) -> str:
        """One line: the rule and its scalar parameters, e.g. ``percentage_change(rate=-0.032)``."""
        shown = []
        for key, value in self.parameters.items():
            if isinstance(value, np.ndarray) and value.size > 1:
                shown.append(f"{key}=<{value.size} values>")
            elif isinstance(value, list | tuple) and len(value) > 6:
                shown.append(f"{key}=<{len(value)} values>")
            else:
                v = _jsonable(value)
                shown.append(f"{key}={v:g}" if isinstance(v, float) else f"{key}={v}")
        return f"{self.name}({', '.join(shown)})"


class Change(BaseModel):
    """Absolute and relative change from baseline, per period."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    absolute: ArrayField
    relative: ArrayField


class Trajectory(BaseModel):
    """Yearly targets from a baseline, for one organisation or many (leading axes).

    ``values`` has shape ``baseline.shape + (len(periods),)``. ``target`` is the value the rule
    aims for at ``end``; ``rule`` records how the targets were made.

    >>> from outcomes import percentage_change
    >>> t = percentage_change(2000.0, -0.032, start="2013/14", end="2018/19")
    >>> [str(p) for p in t.periods]
    ['2014/15', '2015/16', '2016/17', '2017/18', '2018/19']
    >>> t.rounded(1)["2018/19"]
    1699.8
    >>> Trajectory.model_validate_json(t.model_dump_json()) == t
    True
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    baseline: ArrayField
    start: Period
    periods: tuple[Period, ...]
    values: ArrayField
    target: ArrayField
    end: Period
    rule: Rule
    polarity: PolarityField | None = None
    unit: str | None = None
    measure: str | None = None
    indexing: Literal["elapsed", "plan-year"] = "elapsed"
    ndigits: int | None = Field(default=None, ge=0, le=12)
    organisations: tuple[str, ...] | None = None
    organisation_names: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _shapes(self) -> Trajectory:
        expected = (*self.baseline.shape, len(self.periods))
        if self.values.shape != expected:
            raise ValueError(
                f"values have shape {self.values.shape}, expected baseline shape + periods "
                f"= {expected}"
            )
        _check_organisations(self.baseline.shape, self.organisations, self.organisation_names)
        return self

    # -- access ----------------------------------------------------------------------------------
    def index(self, which: str | Period) -> int:
        """Position of a period in :attr:`periods`."""
        p = period(which)
        try:
            return self.periods.index(p)
        except ValueError:
            raise PeriodError(
                f"period {str(p)!r} is not in this trajectory; it has "
                f"{', '.join(str(q) for q in self.periods)}"
            ) from None

    def __getitem__(self, which: str | Period) -> Any:
        value = self.values[..., self.index(which)]
        return float(value) if value.ndim == 0 else value

    def __len__(self) -> int:
        return len(self.periods)

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the organisation axes (``baseline.shape``)."""
        return tuple(self.baseline.shape)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Trajectory):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.start, self.periods, self.rule.name))

    # -- derived ----------------------------------------------------------------------------------
    def rounded(self, ndigits: int = 0) -> Trajectory:
        """A copy with values rounded half-up (away from zero) to ``ndigits`` places, as the
        published NHS tables are; not banker's rounding.

        >>> from outcomes import hold
        >>> hold(2.5, start="2013/14", end="2014/15").rounded(0).values.tolist()
        [3.0]
        """
        return self.model_copy(update={"values": np.asarray(round_half_up(self.values, ndigits))})

    def change(self) -> Change:
        """Absolute and relative change from the baseline, per period.

        The relative change from a zero baseline is undefined and given as NaN.

        >>> from outcomes import percentage_change
        >>> c = percentage_change(100.0, -0.1, start="2013/14", end="2015/16").change()
        >>> [round(x, 3) for x in c.relative.tolist()]
        [-0.1, -0.19]
        """
        base = self.baseline[..., np.newaxis]
        absolute = self.values - base
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(base != 0, absolute / np.where(base != 0, base, 1.0), np.nan)
        return Change(absolute=absolute, relative=relative)

    def with_organisations(
        self, codes: tuple[str, ...] | list[str], names: tuple[str, ...] | list[str] | None = None
    ) -> Trajectory:
        """A copy labelled with organisation codes (and names), one per row of a 1-D baseline.

        >>> from outcomes import hold
        >>> hold([5.0, 6.0], start="2013/14", end="2014/15").with_organisations(["00C", "99Q"]).organisations
        ('00C', '99Q')
        """
        codes_t = _labels(codes, "organisations")
        names_t = _labels(names, "organisation_names") if names is not None else None
        _check_organisations(self.baseline.shape, codes_t, names_t)
        return self.model_copy(update={"organisations": codes_t, "organisation_names": names_t})

    def organisation_labels(self) -> list[str]:
        """One label per organisation row: its code where known, else its index ('' for one)."""
        return _organisation_labels(self.organisations, self.shape)

    def to_records(self) -> list[dict[str, Any]]:
        """Tidy rows: one per organisation and period, with the organisation's code and name.

        >>> from outcomes import hold
        >>> hold(310.0, start="2014/15", end="2015/16").to_records()[0]["target"]
        310.0
        """
        labels = self.organisation_labels()
        names = self.organisation_names or ("",) * len(labels)
        base = self.baseline.reshape(-1)
        flat = self.values.reshape(-1, len(self.periods))
        return [
            {
                "organisation": labels[i],
                "organisation_name": names[i],
                "measure": self.measure or "",
                "period": str(p),
                "baseline": float(base[i]),
                "target": float(flat[i, j]),
            }
            for i in range(flat.shape[0])
            for j, p in enumerate(self.periods)
        ]

    def to_frame(self, *, measure: str | None = None) -> Any:
        """A tidy pandas DataFrame, one row per organisation and period (extra ``pandas``);
        ``measure`` sets the measure's code; see :func:`outcomes.frames.trajectory_frame`."""
        from outcomes.frames import trajectory_frame

        return trajectory_frame(self, measure=measure)

    def __str__(self) -> str:
        header = ["", f"baseline ({self.start})", *(str(p) for p in self.periods)]
        rows = []
        labels = self.organisation_labels()
        flat_base = self.baseline.reshape(-1)
        flat = self.values.reshape(-1, len(self.periods))
        for i in range(min(flat.shape[0], 20)):
            rows.append([labels[i], f"{flat_base[i]:g}"] + [f"{v:.6g}" for v in flat[i]])
        note = f"\n... {flat.shape[0] - 20} more rows" if flat.shape[0] > 20 else ""
        return (
            f"{self.measure or 'trajectory'}: {self.rule.describe()}\n"
            + format_table(header, rows)
            + note
        )

    def __repr__(self) -> str:
        return (
            f"Trajectory(rule={self.rule.describe()!s}, shape={self.shape}, "
            f"periods={[str(p) for p in self.periods]})"
        )


def _organisation_labels(codes: tuple[str, ...] | None, shape: tuple[int, ...]) -> list[str]:
    """The codes where known, else each row's index along the organisation axes ``shape``
    (``'0'``, ``'0,1'`` ...; ``''`` for one organisation): what tables and charts print."""
    if codes is not None:
        return list(codes)
    if not shape:
        return [""]
    return [",".join(str(i) for i in idx) for idx in np.ndindex(*shape)]


def _labels(values: object, what: str) -> tuple[str, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, list | tuple | np.ndarray):
        raise TrajectoryError(f"{what} must be a list of codes, got {values!r:.80}")
    return tuple(str(v) for v in values)


def _check_organisations(
    shape: tuple[int, ...], codes: tuple[str, ...] | None, names: tuple[str, ...] | None
) -> None:
    if codes is None:
        if names is not None:
            raise TrajectoryError("organisation_names needs organisations (codes) too")
        return
    if len(shape) != 1 or shape[0] != len(codes):
        raise TrajectoryError(
            f"organisations must give one code per row of a 1-D baseline: baseline shape "
            f"{shape}, {len(codes)} code(s)"
        )
    if names is not None and len(names) != len(codes):
        raise TrajectoryError(f"{len(names)} organisation name(s) for {len(codes)} code(s)")
    if len(set(codes)) != len(codes):
        seen: set[str] = set()
        dup = next(c for c in codes if c in seen or seen.add(c))  # type: ignore[func-returns-value]
        raise TrajectoryError(f"organisation code {dup!r} appears twice")
