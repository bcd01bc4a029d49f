"""The Fingertips area profile for one indicator: every area's value and interval, its
significance against England, and its recent trend — what ``outcomes benchmark`` prints."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray
from outcomes.benchmark import compare, recent_trend
from outcomes.errors import InputError
from outcomes.io.fingertips import FingertipsData, read_fingertips
from outcomes.io.writers import Cell, Column, Table
from outcomes.polarity import Polarity
from outcomes.stats.intervals import rate_ci, wilson
from outcomes.workflow.peers import select_peers

__all__ = ["AreaProfile", "area_profile"]

ENGLAND = "E92000001"


@dataclass(frozen=True)
class AreaProfile:
    """One indicator's area profile: a row per area, sorted, with the counts of each verdict."""

    source: str
    indicator: int
    indicator_name: str
    period: str
    area_type: str
    sex: str
    age: str
    level: float
    polarity: Polarity
    england: float
    limits: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    count: FloatArray
    denominator: FloatArray
    significance: npt.NDArray[np.str_]
    trend: npt.NDArray[np.str_]
    trend_points: int
    per: float
    statistic: Literal["rate", "proportion"]

    def counts(self) -> dict[str, int]:
        """How many areas got each significance verdict."""
        found, number = np.unique(self.significance, return_counts=True)
        return {str(k): int(v) for k, v in zip(found, number, strict=True)}

    def to_frame(self) -> Any:
        """The profile as a tidy DataFrame, one row per area in the profile's order (extra
        ``pandas``): organisation and organisation_name (the area), measure (the indicator id),
        measure_name, period, unit, area_type, sex, age, value, lower, upper, count,
        denominator, benchmark (England), significance and trend.

        >>> profile = area_profile("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
        ...                        period="2017", area_type="County & UA", age="All ages",
        ...                        polarity="lower")
        >>> frame = profile.to_frame()
        >>> len(frame), frame["unit"].iloc[0], str(frame["significance"].dtype)
        (152, 'per_100000', 'category')
        """
        from outcomes.frames import tidy

        n = len(self.codes)
        unit = {
            ("rate", 100_000.0): "per_100000",
            ("rate", 1_000.0): "per_1000",
            ("proportion", 100.0): "percent",
            ("proportion", 1.0): "proportion",
        }.get((self.statistic, float(self.per)), "")
        return tidy(
            {
                "organisation": list(self.codes),
                "organisation_name": list(self.names),
                "measure": [str(self.indicator)] * n,
                "measure_name": [self.indicator_name] * n,
                "period": [self.period] * n,
                "unit": [unit] * n,
                "area_type": [self.area_type] * n,
                "sex": [self.sex] * n,
                "age": [self.age] * n,
                "value": self.value,
                "lower": self.lower,
                "upper": self.upper,
                "count": self.count,
                "denominator": self.denominator,
                "benchmark": np.full(n, self.england),
                "significance": np.asarray(self.significance, dtype=str),
                "trend": np.asarray(self.trend, dtype=str),
            }
        )

    def table(self) -> Table:
        """The profile as a table to write, sorted best first (highest first when the polarity
        makes no judgement), areas without a value last."""
        order = _order(self.value, self.polarity)
        rows: list[tuple[Cell, ...]] = [
            (
                self.codes[i],
                self.names[i],
                float(self.value[i]),
                float(self.lower[i]),
                float(self.upper[i]),
                float(self.count[i]),
                float(self.denominator[i]),
                str(self.significance[i]),
                str(self.trend[i]),
            )
            for i in order
        ]
        nd = _places(self.value)
        counts = ", ".join(f"{n} {k.lower().replace('_', ' ')}" for k, n in self.counts().items())
        return Table(
            f"{self.indicator} {self.period}",
            (
                Column("area code"),
                Column("area name"),
                Column("value", nd),
                Column(f"lower {self.level:.1%}", nd),
                Column(f"upper {self.level:.1%}", nd),
                Column("count", 0),
                Column("denominator", 0),
                Column("compared with England"),
                Column(f"recent trend ({self.trend_points} points)"),
            ),
            rows,
            note=(
                f"{self.indicator_name} ({self.indicator}), {self.period}, {self.area_type}, "
                f"{self.sex}, {self.age}; England {self.england:g}; {self.limits}; "
                f"{len(rows)} areas: {counts}. Source: {self.source}"
            ),
        )

    def __str__(self) -> str:
        from outcomes.io.writers import render

        t = self.table()
        return f"{render(t)}\n{t.note}"


def _order(value: FloatArray, polarity: Polarity) -> list[int]:
    key = np.where(
        np.isnan(value), np.inf, -value if polarity is not Polarity.LOWER_IS_BETTER else value
    )
    order: list[int] = np.argsort(key, kind="stable").tolist()
    return order


def _places(value: FloatArray) -> int:
    shown = value[np.isfinite(value)]
    if not shown.size:
        return 1
    for places in range(0, 4):
        if np.allclose(shown, np.round(shown, places), rtol=0, atol=1e-9):
            return places
    return 1


def _per(value: FloatArray, count: FloatArray, denominator: FloatArray) -> float:
    """The indicator's multiplier (100 for a percentage, 100,000 for a rate per 100,000), read
    from value / (count / denominator)."""
    ok = np.isfinite(value) & np.isfinite(count) & (count > 0) & np.isfinite(denominator)
    if not ok.any():
        raise InputError(
            "cannot tell the indicator's multiplier: no row has a value, count and denominator"
        )
    ratio = np.median(value[ok] * denominator[ok] / count[ok])
    return float(10.0 ** round(math.log10(ratio)))


def area_profile(
    data: FingertipsData | str,
    *,
    indicator: int | None = None,
    period: str,
    area_type: str,
    sex: str | None = None,
    age: str | None = None,
    level: float = 0.95,
    polarity: Polarity | str | None = None,
    value_type: Literal["auto", "rate", "proportion"] = "auto",
    trend_points: int = 5,
) -> AreaProfile:
    """Fingertips' area profile of one indicator: every area's value and interval at ``level``
    (0.95 or 0.998), its significance against England (the file's England row, by Fingertips'
    single-overlap comparer) and its recent trend (over the file's periods up to ``period``).

    The peer set must be one set (one indicator, period, area type, sex, age: see
    :func:`select_peers`). Where the file lacks the asked level's limits (many exports carry only
    95%), they are computed from the count and denominator: Wilson for a proportion, exact
    Poisson below 10 events and Byar from 10 for a rate; ``value_type="auto"`` reads which from
    the multiplier (100 is a proportion). Without ``polarity`` the verdicts are HIGHER/SIMILAR/
    LOWER.

    Examples
    --------
    >>> p = area_profile("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv",
    ...                  period="2017", area_type="County & UA", age="All ages")
    >>> len(p.codes), p.counts()
    (152, {'HIGHER': 59, 'LOWER': 55, 'NOT_COMPARED': 2, 'SIMILAR': 36})
    """
    if level not in (0.95, 0.998):
        raise InputError(f"level must be 0.95 or 0.998, got {level!r}")
    if isinstance(data, str):
        data = read_fingertips(data)
    peers = select_peers(
        data, indicator=indicator, period=period, area_type=area_type, sex=sex, age=age
    )
    pol = Polarity.parse(polarity) if polarity is not None else Polarity.NO_JUDGEMENT
    rows = data.select(
        indicator_id=peers.indicator, area_type=peers.area_type, sex=peers.sex, age=peers.age
    )
    now = rows.take(rows.columns["time_period"] == peers.period)
    england_rows = data.select(
        indicator_id=peers.indicator, sex=peers.sex, age=peers.age, period=peers.period
    )
    england_rows = england_rows.take(england_rows.columns["area_code"] == ENGLAND)
    if len(england_rows) != 1 or not np.isfinite(england_rows.columns["value"][0]):
        raise InputError(
            f"{data.path}: no England row ({ENGLAND}) with a value for {peers.describe()}"
        )
    england = float(england_rows.columns["value"][0])
    cols = now.columns
    value = np.asarray(cols["value"], dtype=np.float64)
    count = np.asarray(cols["count"], dtype=np.float64)
    denominator = np.asarray(cols["denominator"], dtype=np.float64)
    suffix = "95" if level == 0.95 else "998"
    lower = np.asarray(cols[f"lower_{suffix}"], dtype=np.float64)
    upper = np.asarray(cols[f"upper_{suffix}"], dtype=np.float64)
    limits = f"{level:.1%} limits from the file"
    per = _per(value, count, denominator)
    kind: Literal["rate", "proportion"] = (
        value_type if value_type != "auto" else ("proportion" if per == 100 else "rate")
    )
    if np.isnan(lower[np.isfinite(value)]).all():
        ok = np.isfinite(count) & np.isfinite(denominator) & (denominator > 0)
        x, n = np.where(ok, count, 0.0), np.where(ok, denominator, 1.0)
        if kind == "proportion":
            lo, hi = wilson(np.minimum(x, n), n, level)
            lower, upper = np.asarray(lo) * per, np.asarray(hi) * per
            limits = f"{level:.1%} limits computed (Wilson, x {per:g})"
        else:
            lo, hi = rate_ci(x, n, per=per, method="auto", confidence=level)
            lower, upper = np.asarray(lo), np.asarray(hi)
            limits = (
                f"{level:.1%} limits computed (exact Poisson below 10 events, Byar from 10; per "
                f"{per:,.0f})"
            )
        lower, upper = np.where(ok, lower, np.nan), np.where(ok, upper, np.nan)
    significance = np.asarray(
        compare(value, england, polarity=pol, lower=lower, upper=upper, method="single_overlap")
    )
    trend = _trends(rows, now, pol, peers.period or period, trend_points)
    return AreaProfile(
        source=data.path,
        indicator=int(peers.indicator or 0),
        indicator_name=str(now.columns["indicator_name"][0]).strip() if len(now) else "",
        period=str(peers.period),
        area_type=str(peers.area_type),
        sex=str(peers.sex),
        age=str(peers.age),
        level=level,
        polarity=pol,
        england=england,
        limits=limits,
        codes=tuple(str(c) for c in cols["area_code"].tolist()),
        names=tuple(str(c) for c in cols["area_name"].tolist()),
        value=value,
        lower=lower,
        upper=upper,
        count=count,
        denominator=denominator,
        significance=significance,
        trend=trend,
        trend_points=trend_points,
        per=per,
        statistic=kind,
    )


def _trends(
    rows: FingertipsData, now: FingertipsData, polarity: Polarity, period: str, points: int
) -> npt.NDArray[np.str_]:
    """Each area's recent trend over the periods up to ``period`` (areas x periods, oldest first)."""
    sortable = np.asarray(rows.columns["time_period_sortable"]).astype(str)
    labels = np.asarray(rows.columns["time_period"]).astype(str)
    order = sorted(set(zip(sortable.tolist(), labels.tolist(), strict=True)))
    periods = [label for _, label in order]
    periods = periods[: periods.index(period) + 1] if period in periods else periods
    codes = now.columns["area_code"].tolist()
    index = {c: i for i, c in enumerate(codes)}
    column = {p: j for j, p in enumerate(periods)}
    # each row's cell on the areas x periods grid (-1: an area or period not on it)
    row_of = np.array([index.get(c, -1) for c in rows.columns["area_code"].tolist()], dtype=np.intp)
    column_of = np.array([column.get(label, -1) for label in labels.tolist()], dtype=np.intp)
    on_grid = (row_of >= 0) & (column_of >= 0)
    cells = row_of[on_grid], column_of[on_grid]
    grid: dict[str, Any] = {}
    for name in ("value", "lower_95", "upper_95", "count", "denominator"):
        grid[name] = np.full((len(codes), len(periods)), np.nan)
        grid[name][cells] = np.asarray(rows.columns[name], dtype=np.float64)[on_grid]
    result = recent_trend(
        grid["value"],
        grid["lower_95"],
        grid["upper_95"],
        polarity=polarity,
        count=grid["count"],
        denominator=grid["denominator"],
        points=points,
    )
    return np.asarray(result.marker)
