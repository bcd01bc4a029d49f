"""Benchmarking on data frames: the comparers add a categorical column to the frame given
(significance against a benchmark, comparison with a goal, place on a funnel plot), the funnel
table and recent trends come back as tidy frames.

Arguments that name data take a column name or the values themselves (a number such as
England's value, or an array): ``benchmark="England value"`` and ``benchmark=95.6`` both work.
The verdicts are categoricals whose categories are the enum's members in order, so a pivot or
a count shows every verdict, even those no area got.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from outcomes import benchmark as bm
from outcomes._arrays import FloatArray, as_float_array
from outcomes._optional import require_pandas
from outcomes.errors import InputError
from outcomes.frames._tidy import identity, organisation_labels, tidy
from outcomes.frames.results import _pivot

if TYPE_CHECKING:
    from outcomes.benchmark import TrendResult

__all__ = [
    "compare",
    "compare_to_goal",
    "funnel_significance",
    "funnel_table",
    "recent_trend",
    "trend_frame",
]

Data = str | float | Sequence[float] | None


def _frame(df: Any) -> Any:
    pd = require_pandas()
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    return df


def _data(df: Any, given: Data, name: str) -> FloatArray | None:
    """A column of the frame (by name) or the values given, as floats: one value, or one per
    row."""
    if given is None:
        return None
    if isinstance(given, str):
        if given not in df.columns:
            raise InputError(
                f"{name}: the data frame has no column {given!r}; it has "
                f"{', '.join(repr(str(c)) for c in df.columns)}"
            )
        column = df[given]
        try:
            return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan))
        except (TypeError, ValueError, OverflowError):
            raise InputError(f"{name}: column {given!r} must hold numbers") from None
    values = as_float_array(given, name, error=InputError, finite=False)
    if values.ndim > 1 or (values.ndim == 1 and len(values) != len(df)):
        raise InputError(
            f"{name}: give a column name, one value or one value per row ({len(df)}), got "
            f"values of shape {values.shape}"
        )
    return values


def _required(df: Any, given: Data, name: str) -> FloatArray:
    values = _data(df, given, name)
    if values is None:
        raise InputError(f"{name} is required: give a column name or the values")
    return values


def _column_name(column: object) -> str:
    if not isinstance(column, str) or not column:
        raise InputError(f"column must be the new column's name (text), got {column!r}")
    return column


def _with(df: Any, column: str, values: Any, kind: type[enum.StrEnum]) -> Any:
    pd = require_pandas()
    out = df.copy()
    codes = np.broadcast_to(np.asarray(values, dtype=str), (len(df),))
    out[column] = pd.Categorical(codes, categories=[m.value for m in kind])
    return out


def compare(
    df: Any,
    *,
    value: str,
    benchmark: Data,
    polarity: object,
    lower: Data = None,
    upper: Data = None,
    benchmark_lower: Data = None,
    benchmark_upper: Data = None,
    lower_998: Data = None,
    upper_998: Data = None,
    denominator: Data = None,
    per: float = 1,
    confidence: float = 0.95,
    method: bm.significance.CompareMethod = "single_overlap",
    column: str = "significance",
) -> Any:
    """The frame with a categorical ``column`` (default ``significance``): each row's value
    compared with its benchmark by :func:`outcomes.benchmark.compare` (Fingertips' comparers).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area (and period).
    value : str
        The column of values.
    benchmark : str, float or array_like
        A column, or the benchmark itself (e.g. England's value).
    polarity : {"higher", "lower", "none"} or Polarity
        Which direction is better.
    lower, upper, benchmark_lower, benchmark_upper, lower_998, upper_998, denominator
        Columns or values, as :func:`outcomes.benchmark.compare` needs them for ``method``.
    per, confidence, method
        As :func:`outcomes.benchmark.compare`.
    column : str, default "significance"
        The name of the new column.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with the new column (categories: every :class:`Significance`).

    Raises
    ------
    InputError
        A column that is not in the frame or does not hold numbers.
    ScoringError
        Whatever :func:`outcomes.benchmark.compare` refuses.

    Examples
    --------
    >>> from outcomes import read_fingertips
    >>> df = read_fingertips("tests/data/fingertips_93356_campylobacter_utla_2015_2017.csv").to_frame()
    >>> utla = df[(df["Area Type"] == "County & UA") & (df["Time period"] == "2017")
    ...           & (df["Age"] == "All ages") & (df["Category Type"] == "")]
    >>> out = compare(utla, value="Value", benchmark=96.5, polarity="lower",
    ...               lower="Lower CI 95.0 limit", upper="Upper CI 95.0 limit")
    >>> out["significance"].value_counts()[["BETTER", "SIMILAR", "WORSE"]].tolist()
    [55, 36, 59]
    """
    df, column = _frame(df), _column_name(column)
    given: dict[str, Any] = {
        "lower": lower,
        "upper": upper,
        "benchmark_lower": benchmark_lower,
        "benchmark_upper": benchmark_upper,
        "lower_998": lower_998,
        "upper_998": upper_998,
        "denominator": denominator,
    }
    limits = {name: _data(df, column, name) for name, column in given.items()}
    result = bm.compare(
        _required(df, value, "value"),
        _required(df, benchmark, "benchmark"),
        polarity=polarity,
        per=per,
        confidence=confidence,
        method=method,
        **limits,
    )
    return _with(df, column, result, bm.Significance)


def compare_to_goal(
    df: Any,
    *,
    value: str,
    goal: Data | tuple[Data, Data],
    polarity: object,
    lower: Data = None,
    upper: Data = None,
    column: str = "compared_to_goal",
) -> Any:
    """The frame with a categorical ``column`` (default ``compared_to_goal``): BETTER / SAME /
    WORSE against a goal (one value, a column, or a ``(low, high)`` range of either) by
    :func:`outcomes.benchmark.compare_to_goal`.

    Parameters
    ----------
    df : pandas.DataFrame
    value : str
        The column of values.
    goal : str, float, array_like or (low, high)
        The goal: a column, a value, or a range of either.
    polarity : {"higher", "lower", "none"} or Polarity
    lower, upper : str, float or array_like, optional
        The values' confidence limits (SAME where the interval holds the goal).
    column : str, default "compared_to_goal"

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with the new column (categories: every :class:`Comparison`).

    Raises
    ------
    InputError
        A column that is not in the frame or does not hold numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"area": ["A", "B", "C"], "value": [70.0, 80.0, 90.0]})
    >>> compare_to_goal(df, value="value", goal=(75, 85), polarity="higher")["compared_to_goal"].tolist()
    ['WORSE', 'SAME', 'BETTER']
    """
    df, column = _frame(df), _column_name(column)
    values = _required(df, value, "value")
    if isinstance(goal, tuple) and len(goal) != 2:
        raise InputError(f"goal: a range goal is a tuple (low, high), got {goal!r}")
    target: Any = (
        (_required(df, goal[0], "goal"), _required(df, goal[1], "goal"))
        if isinstance(goal, tuple)
        else _required(df, goal, "goal")
    )
    result = bm.compare_to_goal(
        values, target, polarity, lower=_data(df, lower, "lower"), upper=_data(df, upper, "upper")
    )
    return _with(df, column, result, bm.Comparison)


def funnel_significance(
    df: Any,
    *,
    numerator: str,
    denominator: Data,
    statistic: bm.funnels.Statistic,
    target: float | None = None,
    per: float = 1,
    rate: Data = None,
    rate_type: Literal["crude", "dsr"] = "crude",
    column: str = "funnel_significance",
) -> Any:
    """The frame with a categorical ``column`` (default ``funnel_significance``): where each
    row falls on PHE's funnel plot, by :func:`outcomes.benchmark.funnel_significance`.

    Parameters
    ----------
    df : pandas.DataFrame
    numerator : str
        The column of events.
    denominator : str, float or array_like
        Denominators, expected counts or populations (see the array method).
    statistic, target, per, rate, rate_type
        As :func:`outcomes.benchmark.funnel_significance` (``rate`` may name a column).
    column : str, default "funnel_significance"

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with the new column (categories: every :class:`FunnelSignificance`).

    Raises
    ------
    InputError
        A column that is not in the frame or does not hold numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"events": [10.0, 40.0, 90.0], "people": [100.0, 150.0, 200.0]})
    >>> funnel_significance(df, numerator="events", denominator="people",
    ...                     statistic="proportion")["funnel_significance"].tolist()
    ['LOW_99.8', 'NOT_SIGNIFICANT', 'HIGH_99.8']
    """
    df, column = _frame(df), _column_name(column)
    result = bm.funnel_significance(
        _required(df, numerator, "numerator"),
        _data(df, denominator, "denominator"),
        statistic=statistic,
        target=target,
        per=per,
        rate=_data(df, rate, "rate"),
        rate_type=rate_type,
    )
    return _with(df, column, result, bm.FunnelSignificance)


def funnel_table(
    df: Any,
    *,
    numerator: str,
    denominator: Data,
    statistic: bm.funnels.Statistic,
    per: float = 1,
    rate: Data = None,
    rate_type: Literal["crude", "dsr"] = "crude",
    ratio_type: Literal["count", "isr"] | None = None,
    years_of_data: float = 1,
    points: int = 100,
) -> Any:
    """PHE's funnel-plot table (:func:`outcomes.benchmark.funnel_table`) for the rows of a
    frame, as a tidy frame: one row per x-axis point, PHE's column names, ``statistic`` and
    ``method`` as categoricals.

    Parameters
    ----------
    df : pandas.DataFrame
    numerator : str
        The column of events.
    denominator : str, float or array_like
    statistic, per, rate, rate_type, ratio_type, years_of_data, points
        As :func:`outcomes.benchmark.funnel_table`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"events": [10, 20, 30], "people": [100, 150, 200]})
    >>> table = funnel_table(df, numerator="events", denominator="people",
    ...                      statistic="proportion", per=100, points=5)
    >>> table["Population"].tolist(), str(table["method"].dtype)
    ([90.0, 111.0, 137.0, 170.0, 210.0], 'category')
    """
    df = _frame(df)
    table = bm.funnel_table(
        _required(df, numerator, "numerator"),
        _data(df, denominator, "denominator"),
        statistic=statistic,
        per=per,
        rate=_data(df, rate, "rate"),
        rate_type=rate_type,
        ratio_type=ratio_type,
        years_of_data=years_of_data,
        points=points,
    )
    return tidy(dict(table))


def trend_frame(
    result: TrendResult,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    measure: str | None = None,
    measure_name: str | None = None,
    period: str | None = None,
    unit: str | None = None,
) -> Any:
    """Recent trends as a tidy frame, one row per area: the identity columns (``period``: the
    latest period of the run, where given), then trend (the marker), trend_label (Fingertips'
    wording), chi_squared, reason, message, method and points.

    Parameters
    ----------
    result : TrendResult
    organisations, organisation_names : sequence of str, optional
        One code (and name) per organisation, in order; by default their positions.
    measure, measure_name : str, optional
        The measure's code and name for every row ('' where not given).
    period : str, optional
        The period label for every row.
    unit : str, optional
        The unit table's id, e.g. ``per_100000``.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        A number of codes or names that does not match the result's organisations.

    Examples
    --------
    >>> from outcomes.benchmark import recent_trend
    >>> r = recent_trend([[24.67, 24.6, 28.0, 30.2, 30.6]], [[23.16, 23.15, 26.44, 28.63, 28.98]],
    ...                  [[26.25, 26.19, 29.64, 31.9, 32.25]], polarity="higher")
    >>> r.to_frame(organisations=["E06000001"], period="2017")["trend_label"].tolist()
    ['Increasing and getting better']
    """
    marker = np.asarray(result.marker, dtype=str)
    shape = marker.shape
    count = int(np.prod(shape)) if shape else 1
    codes, names = organisation_labels(count, organisations, organisation_names, shape=shape)
    return tidy(
        {
            "organisation": codes,
            "organisation_name": names,
            **identity(count, measure=measure, measure_name=measure_name, period=period, unit=unit),
            "trend": marker.reshape(-1),
            "trend_label": np.asarray(result.label, dtype=str).reshape(-1),
            "chi_squared": np.asarray(result.chi_squared, dtype=float).reshape(-1),
            "reason": np.asarray(result.reason, dtype=str).reshape(-1),
            "message": np.asarray(result.message, dtype=str).reshape(-1),
            "method": [result.method] * count,
            "points": np.full(count, float(result.points)),
        }
    )


def recent_trend(
    df: Any,
    *,
    area: str,
    period: str,
    value: str,
    polarity: object,
    lower: str | None = None,
    upper: str | None = None,
    count: str | None = None,
    denominator: str | None = None,
    area_name: str | None = None,
    method: bm.trends.TrendMethod = "ci_regression",
    points: int = 5,
) -> Any:
    """Fingertips' recent trend of every area of a long frame (one row per area and period;
    yearly periods with gaps get missing years, see :func:`history_from_frame`), as the tidy
    frame of :func:`trend_frame`, one row per area, with the latest period.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per area and period.
    area, period, value : str
        Columns of the area code, the period label and the value.
    polarity : {"higher", "lower", "none"} or Polarity
    lower, upper, count, denominator : str, optional
        Columns of the 95% limits, counts and denominators, as ``method`` needs them.
    area_name : str, optional
        A column of area names (for ``organisation_name``).
    method, points
        As :func:`outcomes.benchmark.recent_trend`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        A missing column, text in a number column, an (area, period) twice.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"area": ["E06000001"] * 5, "year": ["2013", "2014", "2015", "2016", "2017"],
    ...                    "value": [24.67, 24.6, 28.0, 30.2, 30.6],
    ...                    "lo": [23.16, 23.15, 26.44, 28.63, 28.98],
    ...                    "hi": [26.25, 26.19, 29.64, 31.9, 32.25]})
    >>> trends = recent_trend(df, area="area", period="year", value="value", lower="lo", upper="hi",
    ...                       polarity="higher")
    >>> trends[["organisation", "period", "trend"]].values.tolist()
    [['E06000001', '2017', 'INCREASING_GETTING_BETTER']]
    """
    areas, periods, grids = _pivot(
        df,
        area,
        period,
        {
            "value": value,
            "lower": lower,
            "upper": upper,
            "count": count,
            "denominator": denominator,
        },
    )
    result = bm.recent_trend(
        grids["value"],
        grids.get("lower"),
        grids.get("upper"),
        polarity=polarity,
        method=method,
        points=points,
        count=grids.get("count"),
        denominator=grids.get("denominator"),
    )
    names = None
    if area_name is not None:
        if area_name not in df.columns:
            raise InputError(f"area_name: the data frame has no column {area_name!r}")
        lookup = dict(zip(df[area].astype(str).str.strip(), df[area_name].astype(str), strict=True))
        names = [lookup.get(a, "") for a in areas]
    return trend_frame(
        result,
        organisations=list(areas),
        organisation_names=names,
        period=periods[-1] if periods else None,
    )
