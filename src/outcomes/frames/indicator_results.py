"""Indicator results as tidy frames: a rate, ratio, mean, life expectancy or slope index of
inequality from :mod:`outcomes.indicators`, one row per group (and start age), with the
organisation, measure, period and unit labels the caller gives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from outcomes.frames._tidy import flat, identity, organisation_labels, tidy

if TYPE_CHECKING:
    from outcomes.indicators import IndicatorResult, SIIResult

__all__ = ["indicator_frame"]


def _level_tag(level: float) -> str:
    """``0.998`` -> ``99_8``, ``0.95`` -> ``95``."""
    return f"{level * 100:g}".replace(".", "_")


def _limits(intervals: Any, prefix: str, columns: dict[str, Any], take: Any) -> tuple[float, ...]:
    """``lower``/``upper`` at the first level, ``lower_99_8``... at the others."""
    levels = tuple(intervals)
    for k, level in enumerate(levels):
        tag = "" if k == 0 else f"_{_level_tag(level)}"
        columns[f"{prefix}lower{tag}"] = take(np.asarray(intervals[level].lower, dtype=float))
        columns[f"{prefix}upper{tag}"] = take(np.asarray(intervals[level].upper, dtype=float))
    return levels


def indicator_frame(
    result: IndicatorResult | SIIResult,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    measure: str | None = None,
    measure_name: str | None = None,
    period: str | None = None,
    unit: str | None = None,
) -> Any:
    """An indicator result as a tidy frame, one row per group (organisation): the identity
    columns (organisation, organisation_name, measure, measure_name, period, unit), then
    ``value``, ``lower``, ``upper`` (the first confidence level; ``lower_99_8``... for the
    others), ``confidence``, ``per``, ``method``, ``note`` and the result's own totals
    (``total_count``/``total_population``; ``observed``/``expected``/``reference_rate``;
    ``total``/``count``/``stdev``). A life expectancy has one row per group and ``start_age``;
    a slope index of inequality has ``sii``, ``sii_lower``... and ``rii``... where computed.

    Groups are the leading axes of the result; ``organisations`` names them in order (by
    default their positions).

    Parameters
    ----------
    result : IndicatorResult or SIIResult
        A result of :mod:`outcomes.indicators` (rate, ratio, mean, life expectancy, SII).
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
    >>> from outcomes.indicators import crude_rate
    >>> r = crude_rate([30, 45], [10_000, 12_000], per=100_000)
    >>> frame = r.to_frame(organisations=["E08000001", "E08000002"], measure="falls",
    ...                    period="2017", unit="per_100000")
    >>> frame[["organisation", "value", "lower"]].round(1).values.tolist()
    [['E08000001', 300.0, 202.4], ['E08000002', 375.0, 273.5]]
    """
    is_sii = hasattr(result, "sii")
    value = np.asarray(result.sii if is_sii else result.value, dtype=float)  # type: ignore[union-attr]
    start_ages: tuple[float, ...] = tuple(getattr(result, "start_ages", ()) or ())
    shape = value.shape[:-1] if start_ages else value.shape
    groups = int(np.prod(shape)) if shape else 1
    per_group = len(start_ages) if start_ages else 1
    rows = groups * per_group

    def take(array: Any) -> Any:
        return flat(array, value.shape, None)

    codes, names = organisation_labels(groups, organisations, organisation_names, shape=shape)
    columns: dict[str, Any] = {
        "organisation": np.repeat(codes, per_group),
        "organisation_name": np.repeat(names, per_group),
        **identity(rows, measure=measure, measure_name=measure_name, period=period, unit=unit),
    }
    if start_ages:
        columns["start_age"] = np.tile(np.asarray(start_ages, dtype=float), groups)
    if is_sii:
        sii: Any = result
        columns["sii"] = take(sii.sii)
        levels = _limits(sii.intervals, "sii_", columns, take)
        if sii.rii is not None:
            columns["rii"] = take(sii.rii)
            if sii.rii_intervals is not None:
                _limits(sii.rii_intervals, "rii_", columns, take)
        columns["intercept"] = take(sii.intercept)
        columns["value_type"] = [sii.value_type] * rows
    else:
        ind: Any = result
        columns["value"] = take(ind.value)
        levels = _limits(ind.intervals, "", columns, take)
        for name in (
            "total_count",
            "total_population",
            "observed",
            "expected",
            "reference_rate",
            "total",
            "count",
            "stdev",
            "population_used",
            "deaths_used",
        ):
            field = getattr(ind, name, None)
            if field is not None:
                columns[name] = take(np.asarray(field, dtype=float))
    columns["confidence"] = [", ".join(f"{c * 100:g}%" for c in levels)] * rows
    columns["per"] = np.full(rows, float(result.per))
    columns["method"] = [result.method] * rows
    columns["note"] = take(np.asarray(result.note, dtype=str))
    return tidy(columns)
