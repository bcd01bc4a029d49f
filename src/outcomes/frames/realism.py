"""Realism results as tidy frames: achievability per plan, the probability of meeting each
area's target, forecasts per area and horizon, and a backtest's tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from outcomes.errors import InputError
from outcomes.frames._tidy import _labels, flat, identity, organisation_labels, tidy

if TYPE_CHECKING:
    from outcomes.realism import Achievability, Backtest, Forecast, Probability, Realism

__all__ = [
    "achievability_frame",
    "backtest_frame",
    "forecast_frame",
    "probability_frame",
    "realism_frame",
]


def achievability_frame(
    result: Achievability,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    measure: str | None = None,
    measure_name: str | None = None,
    period: str | None = None,
    unit: str | None = None,
) -> Any:
    """Achievability as a tidy frame, one row per plan (``organisations`` name the plans'
    organisations, by default their positions): the identity columns, then planned_change,
    share, percentile, share_adjusted (NaN without confidence limits), note, horizon, kind,
    n, n_missing and method.

    Parameters
    ----------
    result : Achievability
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
    >>> from outcomes.realism import achievability
    >>> history = [[100.0, 98, 95, 97], [80, 79, 81, 78], [120, 115, 111, 110]]
    >>> r = achievability([-0.03, -0.01], history, polarity="lower")
    >>> r.to_frame(organisations=["A", "B"])[["organisation", "share"]].round(3).values.tolist()
    [['A', 0.444], ['B', 0.667]]
    """
    planned = np.asarray(result.planned_change, dtype=float)
    shape = planned.shape
    count = int(np.prod(shape)) if shape else 1
    codes, names = organisation_labels(count, organisations, organisation_names, shape=shape)
    adjusted = result.share_adjusted if result.share_adjusted is not None else np.nan
    return tidy(
        {
            "organisation": codes,
            "organisation_name": names,
            **identity(count, measure=measure, measure_name=measure_name, period=period, unit=unit),
            "planned_change": planned.reshape(-1),
            "share": flat(result.share, shape),
            "percentile": flat(result.percentile, shape),
            "share_adjusted": flat(adjusted, shape),
            "note": flat(result.note, shape, str),
            "horizon": np.full(count, float(result.horizon)),
            "kind": [result.kind] * count,
            "n": np.full(count, float(result.n)),
            "n_missing": np.full(count, float(result.n_missing)),
            "method": [result.method] * count,
        }
    )


def probability_frame(
    result: Probability,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    measure: str | None = None,
    measure_name: str | None = None,
    period: str | None = None,
    unit: str | None = None,
) -> Any:
    """The probability of meeting each area's target as a tidy frame, one row per area: the
    identity columns (``period``: the target's period, where given), then target,
    probability, median, lower and upper (the 80% predictive interval), note and horizon.

    Parameters
    ----------
    result : Probability
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
    >>> from outcomes.realism import probability
    >>> p = probability([[10.0, 11, 12], [20, 21, 23], [30, 29, 31]], [12.0, 23.0, 31.0],
    ...                 polarity="higher", horizon=2)
    >>> frame = p.to_frame(organisations=["A", "B", "C"], period="2019/20")
    >>> frame.columns.tolist()[6:]
    ['target', 'probability', 'median', 'lower', 'upper', 'note', 'horizon']
    """
    probability = np.asarray(result.probability, dtype=float)
    shape = probability.shape
    count = int(np.prod(shape)) if shape else 1
    codes, names = organisation_labels(count, organisations, organisation_names, shape=shape)
    return tidy(
        {
            "organisation": codes,
            "organisation_name": names,
            **identity(count, measure=measure, measure_name=measure_name, period=period, unit=unit),
            "target": flat(result.target, shape),
            "probability": probability.reshape(-1),
            "median": flat(result.median, shape),
            "lower": flat(result.lower, shape),
            "upper": flat(result.upper, shape),
            "note": flat(result.note, shape, str),
            "horizon": np.full(count, float(result.horizon)),
        }
    )


def forecast_frame(
    result: Forecast,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    measure: str | None = None,
    measure_name: str | None = None,
    periods: Sequence[str] | None = None,
    unit: str | None = None,
) -> Any:
    """A forecast as a tidy frame, one row per area and horizon: the identity columns
    (``periods`` label the horizons, e.g. ``["2019/20", "2020/21"]``), then horizon, median,
    lower and upper (the 80% predictive interval, in the measure's unit), mean and sd (on the
    model scale: log for a relative model) and note.

    Parameters
    ----------
    result : Forecast
    organisations, organisation_names : sequence of str, optional
        One code (and name) per organisation, in order; by default their positions.
    measure, measure_name : str, optional
        The measure's code and name for every row ('' where not given).
    periods : sequence of str, optional
        One label per horizon.
    unit : str, optional
        The unit table's id, e.g. ``per_100000``.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        A number of codes or names that does not match the result's organisations.
        Or a number of period labels that does not match the horizons.

    Examples
    --------
    >>> from outcomes.realism import forecast
    >>> f = forecast([[10.0, 11, 12], [20, 21, 23], [30, 29, 31]], horizons=(1, 2))
    >>> frame = f.to_frame(organisations=["A", "B", "C"], periods=["2018", "2019"])
    >>> frame.shape, frame["period"].tolist()[:2]
    ((6, 13), ['2018', '2019'])
    """
    mean = np.asarray(result.mean, dtype=float)
    areas, horizons = mean.shape
    codes, names = organisation_labels(areas, organisations, organisation_names)
    labels = (
        [""] * horizons
        if periods is None
        else [str(p) for p in _labels(periods, "periods", codes=True)]
    )
    if len(labels) != horizons:
        raise InputError(f"periods has {len(labels)} label(s) for {horizons} horizon(s)")
    rows = areas * horizons
    return tidy(
        {
            "organisation": np.repeat(codes, horizons),
            "organisation_name": np.repeat(names, horizons),
            **identity(
                rows,
                measure=measure,
                measure_name=measure_name,
                period=labels * areas,
                unit=unit,
            ),
            "horizon": np.tile(np.asarray(result.horizons, dtype=float), areas),
            "median": result.median().reshape(-1),
            "lower": result.quantile(0.1).reshape(-1),
            "upper": result.quantile(0.9).reshape(-1),
            "mean": mean.reshape(-1),
            "sd": np.asarray(result.sd, dtype=float).reshape(-1),
            "note": np.repeat(np.asarray(result.note, dtype=str), horizons),
        },
        periods=labels,
    )


BacktestTable = Literal["horizons", "origins", "reliability", "forecasts"]


def backtest_frame(
    result: Backtest,
    *,
    table: BacktestTable = "horizons",
    organisations: Sequence[str] | None = None,
    measure: str | None = None,
    measure_name: str | None = None,
    unit: str | None = None,
) -> Any:
    """One of a backtest's tables as a tidy frame, after the measure columns (measure,
    measure_name, period '', unit):

    * ``"horizons"`` (default): horizon, n, brier, brier_base, skill (``1 - brier /
      brier_base``);
    * ``"origins"``: origin (index of the last period used), horizon, n, brier, brier_base,
      event_rate, mean_probability;
    * ``"reliability"``: lower, upper (the tenth of probability), count, predicted, observed;
    * ``"forecasts"``: every single forecast - organisation (the area; ``organisations``
      names them by position), origin, horizon, probability, base, met.

    Parameters
    ----------
    result : Backtest
    table : {"horizons", "origins", "reliability", "forecasts"}
        Which table.
    organisations : sequence of str, optional
        The areas' codes by position (the ``forecasts`` table).
    measure, measure_name : str, optional
        The measure's code and name for every row ('' where not given).
    unit : str, optional
        The unit table's id, e.g. ``per_100000``.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        An unknown table, or fewer codes than areas.

    Examples
    --------
    >>> from outcomes.realism import backtest
    >>> history = [[100.0, 98, 97, 95, 94, 93], [90, 91, 89, 88, 88, 86], [80, 81, 79, 78, 76, 77]]
    >>> b = backtest(history, planned_change=-0.01, polarity="lower", horizons=(1,))
    >>> b.to_frame().columns.tolist()[4:]
    ['horizon', 'n', 'brier', 'brier_base', 'skill']
    """
    columns: dict[str, Any]
    if table == "horizons":
        brier = np.asarray(result.brier_by_horizon, dtype=float)
        base = np.asarray(result.base_by_horizon, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            skill = np.where(base > 0, 1.0 - brier / np.where(base > 0, base, 1.0), np.nan)
        columns = {
            "horizon": np.asarray(result.horizons, dtype=float),
            "n": np.asarray(result.n_by_horizon, dtype=float),
            "brier": brier,
            "brier_base": base,
            "skill": skill,
        }
    elif table == "origins":
        columns = {
            "origin": result.by_origin_origin,
            "horizon": result.by_origin_horizon,
            "n": result.by_origin_n,
            "brier": result.by_origin_brier,
            "brier_base": result.by_origin_base,
            "event_rate": result.by_origin_event_rate,
            "mean_probability": result.by_origin_mean_probability,
        }
    elif table == "reliability":
        columns = {
            "lower": result.reliability_lower,
            "upper": result.reliability_upper,
            "count": result.reliability_count,
            "predicted": result.reliability_predicted,
            "observed": result.reliability_observed,
        }
    elif table == "forecasts":
        area = np.asarray(result.forecasts_area, dtype=np.intp)
        if organisations is not None:
            codes = [str(c) for c in _labels(organisations, "organisations", codes=True)]
            if area.size and int(area.max()) >= len(codes):
                raise InputError(
                    f"organisations has {len(codes)} code(s) and the backtest has "
                    f"{int(area.max()) + 1} area(s)"
                )
            labels = [codes[i] for i in area.tolist()]
        else:
            labels = [str(i) for i in area.tolist()]
        columns = {
            "organisation": labels,
            "origin": result.forecasts_origin,
            "horizon": result.forecasts_horizon,
            "probability": result.forecasts_probability,
            "base": result.forecasts_base,
            "met": np.asarray(result.forecasts_met, dtype=bool),
        }
    else:
        raise InputError(
            f"table must be 'horizons', 'origins', 'reliability' or 'forecasts', got {table!r}"
        )
    rows = len(next(iter(columns.values())))
    head = {} if "organisation" not in columns else {"organisation": columns.pop("organisation")}
    if head:
        head["organisation_name"] = [""] * rows
    return tidy(
        {
            **head,
            **identity(rows, measure=measure, measure_name=measure_name, unit=unit),
            **{k: np.asarray(v) for k, v in columns.items()},
        }
    )


def realism_frame(result: Realism, *, measure_name: str | None = None) -> Any:
    """A plan's realism as a tidy frame, one row per organisation and target period: the
    identity columns (``measure`` is the trajectory's measure, ``unit`` its unit), then
    planned_change (a year), years, share, share_adjusted (NaN without confidence limits),
    percentile, changes (how many area-years the share counts), horizon, target, probability,
    median, lower, upper (the forecast's 80% range), note and the sentence.

    Examples
    --------
    >>> from outcomes import percentage_change
    >>> from outcomes.realism import trajectory_realism
    >>> history = [[100.0, 98, 95, 97], [80, 79, 81, 78], [120, 115, 111, 110]]
    >>> t = percentage_change(110.0, -0.03, start="2014", end="2016/17", polarity="lower")
    >>> r = trajectory_realism(t, history, areas=["A", "B", "C"],
    ...                        periods=["2011", "2012", "2013", "2014"])
    >>> frame = r.to_frame()
    >>> frame["period"].tolist(), frame["planned_change"].round(4).tolist()
    (['2015/16', '2016/17'], [-0.03, -0.03])
    """
    records = result.records()
    columns: dict[str, Any] = {
        "organisation": [r["organisation"] for r in records],
        "organisation_name": [r["organisation_name"] for r in records],
        **identity(
            len(records),
            measure=result.measure,
            measure_name=measure_name,
            period=[r["period"] for r in records],
            unit=result.unit,
        ),
    }
    for name in (
        "planned_change",
        "years",
        "share",
        "share_adjusted",
        "percentile",
        "changes",
        "horizon",
        "target",
        "probability",
        "median",
        "lower",
        "upper",
    ):
        columns[name] = np.array(
            [np.nan if r[name] is None else float(r[name]) for r in records], dtype=np.float64
        )
    columns["note"] = [r["note"] for r in records]
    columns["sentence"] = [r["sentence"] for r in records]
    return tidy(columns, periods=result.target_periods)
