"""Data-frame forms of the indicator methods (pandas extra): PHE's column names, one row per group.

Each function takes a long data frame (one row per group and age band, quantile or observation),
groups it by the ``by`` columns, reshapes the columns into arrays with the bands on the last axis
and makes ONE vectorised call of :mod:`outcomes.indicators`; no Python loop over groups. Output
columns follow PHEindicatormethods where it has them (``value``, ``lowercl``, ``uppercl`` or
``lower95_0cl``/``upper99_8cl`` for several levels, ``total_count``, ``total_pop``,
``confidence``, ``statistic``, ``method``...), plus ``note`` (why a value was not computed).

pandas is imported inside the functions (``pip install 'outcomes[pandas]'``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes import indicators as ind
from outcomes._arrays import FloatArray
from outcomes._optional import require_pandas
from outcomes.errors import ScoringError
from outcomes.indicators._common import Confidence, _array
from outcomes.indicators.rates import _dsr

__all__ = [
    "crude_rate",
    "dsr",
    "isr",
    "isratio",
    "life_expectancy",
    "mean_ci",
    "proportion",
    "sii",
]

Columns = str | Sequence[str] | None


def _pandas() -> Any:
    return require_pandas()


def _columns(by: Columns) -> list[str]:
    if by is None:
        return []
    names = [by] if isinstance(by, str) else by
    if not isinstance(names, Sequence) or not all(isinstance(n, str) for n in names):
        raise ScoringError(f"by must be a column name or a list of column names, got {by!r}")
    if len(set(names)) != len(names):
        raise ScoringError(f"by must name each column once, got {list(names)!r}")
    return list(names)


def _require(df: Any, *names: str | None) -> None:
    if not isinstance(df, _pandas().DataFrame):
        raise ScoringError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    wrong = [n for n in names if n is not None and not isinstance(n, str)]
    if wrong:
        raise ScoringError(f"a column must be named by its name (text), got {wrong[0]!r}")
    missing = [n for n in names if n is not None and n not in df.columns]
    if missing:
        raise ScoringError(
            f"column(s) {', '.join(repr(m) for m in missing)} not in the data frame; it has "
            f"{', '.join(repr(str(c)) for c in df.columns)}"
        )


def _numbers(df: Any, name: str) -> FloatArray:
    """A column as floats; a typed error naming the column when it holds other things."""
    try:
        return np.asarray(df[name], dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ScoringError(f"column {name!r} must hold numbers") from None


def _groups(df: Any, by: list[str]) -> tuple[npt.NDArray[np.intp], Any]:
    """Group code of each row (order of first appearance) and the key columns per group."""
    pd = _pandas()
    if not by:
        return np.zeros(len(df), dtype=np.intp), pd.DataFrame(index=range(1))
    codes = df.groupby(by, sort=False, dropna=False).ngroup().to_numpy(dtype=np.intp)
    _, first = np.unique(codes, return_index=True)
    keys = df[by].iloc[first].reset_index(drop=True)
    return codes, keys


def _start(label: Any) -> float | None:
    """The start age of a band label: 0-4 -> 0, '90+' -> 90, '10 - 14' -> 10, 5 -> 5."""
    if isinstance(label, int | float | np.integer | np.floating):
        return float(label)
    match = re.match(r"\D*(\d+)", str(label))
    return float(match.group(1)) if match else None


def _band_codes(df: Any, age: str | None, codes: npt.NDArray[np.intp]) -> tuple[Any, list[Any]]:
    """Band position of each row: by the ``age`` column (ordered by start age), else the row's
    position within its group (PHE matches bands by position)."""
    pd = _pandas()
    if age is None:
        position = pd.Series(codes).groupby(codes).cumcount().to_numpy(dtype=np.intp)
        sizes = np.bincount(codes)
        if sizes.size and (sizes != sizes[0]).any():
            raise ScoringError(
                "every group must have the same number of rows (age bands) when age is not "
                f"given; got between {sizes.min()} and {sizes.max()}"
            )
        return position, list(range(int(sizes.max()) if sizes.size else 0))
    labels = list(pd.unique(df[age]))
    starts = [_start(label) for label in labels]
    if all(s is not None for s in starts):
        order = np.argsort(np.array(starts, dtype=np.float64), kind="stable")
        labels = [labels[i] for i in order]
    position = pd.Index(labels).get_indexer(df[age])
    return position.astype(np.intp), labels


def _pivot(
    codes: npt.NDArray[np.intp],
    bands: npt.NDArray[np.intp],
    shape: tuple[int, int],
    values: Any,
    name: str,
) -> FloatArray:
    """Rows -> (groups, bands) array; NaN where a group has no row for a band."""
    try:
        column = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ScoringError(f"column {name!r} must hold numbers") from None
    out = np.full(shape, np.nan)
    flat = codes * shape[1] + bands
    if np.bincount(flat, minlength=shape[0] * shape[1]).max(initial=0) > 1:
        raise ScoringError(
            f"{name}: more than one row for a group and band (group the data frame by every "
            "column that distinguishes the rows)"
        )
    out.reshape(-1)[flat] = column
    return out


def _pct(c: float) -> str:
    return f"{c * 100:g}"


def _limit_names(levels: tuple[float, ...], prefix: str = "") -> list[tuple[str, str]]:
    """PHE's names: ``lowercl``/``uppercl`` for one level, else ``lower95_0cl``..."""
    if len(levels) == 1 and not prefix:
        return [("lowercl", "uppercl")]
    names = []
    for c in levels:
        tag = f"{c * 100:.1f}".replace(".", "_")
        names.append((f"{prefix}lower{tag}cl", f"{prefix}upper{tag}cl"))
    return names


def _confidence_text(levels: tuple[float, ...]) -> str:
    return ", ".join(f"{_pct(c)}%" for c in levels)


def _number(per: float) -> str:
    return str(int(per)) if float(per).is_integer() else f"{per:g}"


def _frame(keys: Any, columns: dict[str, Any]) -> Any:
    pd = _pandas()
    out = keys.copy() if len(keys.columns) else pd.DataFrame(index=range(len(keys)))
    for name, values in columns.items():
        out[name] = values
    return out


def _with_limits(columns: dict[str, Any], result: Any, names: list[tuple[str, str]]) -> None:
    for (lower, upper), interval in zip(names, result.intervals.values(), strict=True):
        columns[lower] = np.asarray(interval.lower)
        columns[upper] = np.asarray(interval.upper)


def _bands_setup(
    df: Any, by: Columns, age: str | None, *names: str | None
) -> tuple[npt.NDArray[np.intp], Any, npt.NDArray[np.intp], list[Any]]:
    keys_cols = _columns(by)
    _require(df, *keys_cols, age, *names)
    codes, keys = _groups(df, keys_cols)
    bands, labels = _band_codes(df, age, codes)
    return codes, keys, bands, labels


# --------------------------------------------------------------------------------------------
# DSR
# --------------------------------------------------------------------------------------------


def dsr(
    df: Any,
    *,
    count: str,
    population: str,
    by: Columns = None,
    age: str | None = None,
    standard: str | npt.ArrayLike = "esp2013",
    standard_column: str | None = None,
    per: float = 100_000,
    confidence: Confidence = 0.95,
    independent_events: bool = True,
    event_frequency: str | None = None,
) -> Any:
    """Directly standardised rates of every group of a long data frame (PHE's ``calculate_dsr``).

    One row per group and age band (``age`` names the band column; without it, bands are
    matched by their position within the group, as PHE does). See :func:`outcomes.indicators.dsr`
    for the method: Dobson limits via Byar, not computed where the total count is below 10.

    With ``independent_events=False`` (PHE's non-independent events), each row counts the
    *persons* (``count``) with ``event_frequency`` events in a band: the band's events are
    ``sum(f x_f)`` and the variance uses ``sum(f^2 x_f)`` in place of the events::

        var(DSR) = sum_i (w_i / n_i)^2 sum_f f^2 x_if / sum(w_i)^2

    so the DSR is unchanged and its interval wider (PHE Technical Guidance, "DSRs for
    non-independent events").

    Parameters
    ----------
    df : pandas.DataFrame
        Long data: group columns, the band column, counts and populations.
    count, population : str
        Columns of events (persons for non-independent events) and population.
    by : str or list of str, optional
        Group columns (areas, periods, sexes...).
    age : str, optional
        Age band column (labels such as ``"0-4"``, ``"90+"`` or start ages; ordered by start
        age). Required for non-independent events.
    standard : str or array_like
        ``"esp2013"`` (default), ``"esp1976"`` or weights per band (see
        :func:`outcomes.indicators.standard_population`).
    standard_column : str, optional
        A column of standard weights per row instead (PHE's ``stdpop`` field).
    per : float
        Multiplier (default 100,000).
    confidence : float or sequence of float
        Level(s), e.g. ``(0.95, 0.998)``.
    independent_events : bool
        False for PHE's non-independent-events variant.
    event_frequency : str, optional
        Column of events per person (with ``independent_events=False``).

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``total_count``, ``total_pop``, ``value``,
        ``lowercl``, ``uppercl`` (or ``lower95_0cl``... for several levels), ``confidence``,
        ``statistic``, ``method``, ``note``.

    Raises
    ------
    ScoringError
        Missing columns, a frequency column without ``independent_events=False`` (or the
        reverse), duplicate rows for a band, and everything :func:`outcomes.indicators.dsr`
        refuses.

    References
    ----------
    As :func:`outcomes.indicators.dsr`; PHEindicatormethods ``calculate_dsr`` and its DSR
    vignette (non-independent events).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"area": ["A"] * 4 + ["B"] * 4, "band": ["0-19", "20-39", "40-59", "60+"] * 2,
    ...                    "deaths": [2, 5, 20, 80, 1, 2, 3, 2], "pop": [900, 800, 700, 300] * 2})
    >>> out = dsr(df, by="area", count="deaths", population="pop", age="band",
    ...           standard=[30, 30, 25, 15])
    >>> out[["area", "total_count", "value", "statistic"]].round(1).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'area': 'A', 'total_count': 107.0, 'value': 4968.5, 'statistic': 'dsr per 100000'},
     {'area': 'B', 'total_count': 8.0, 'value': nan, 'statistic': 'dsr NA for total count < 10'}]
    """
    codes, keys, bands, labels = _bands_setup(
        df, by, age, count, population, standard_column, event_frequency
    )
    shape = (len(keys), len(labels))
    pop = None
    if independent_events:
        if event_frequency is not None:
            raise ScoringError("event_frequency is used only with independent_events=False")
        events = _pivot(codes, bands, shape, df[count], count)
        variance = None
        method = "Dobson"
    else:
        if event_frequency is None or age is None:
            raise ScoringError(
                "independent_events=False needs event_frequency (events per person) and age "
                "(the age band column)"
            )
        persons = _array(_numbers(df, count), count, nonnegative=True, missing_as_zero=True)
        freq = _array(_numbers(df, event_frequency), event_frequency, nonnegative=True)
        if np.isnan(freq).any():
            raise ScoringError(f"{event_frequency} must give every row's event frequency")
        flat = codes * shape[1] + bands
        size = shape[0] * shape[1]
        with np.errstate(over="ignore"):
            weighted = freq * persons  # events
            squared = freq * weighted  # their variance
            sums = [np.bincount(flat, weights=w, minlength=size) for w in (weighted, squared)]
        if not all(np.isfinite(total).all() for total in sums):
            bad = np.flatnonzero(~np.isfinite(squared))
            where = (
                f"at index {df.index[bad[0]]!r}: {float(persons[bad[0]])!r} x "
                f"{float(freq[bad[0]])!r}"
                if bad.size
                else "in their sum over a group and band"
            )
            raise ScoringError(
                f"{count} x {event_frequency}**2 (the events' variance) is too large for a "
                f"float {where}"
            )
        events, variance = (np.asarray(t, dtype=np.float64).reshape(shape) for t in sums)
        pop = np.full(shape, np.nan)
        pop.reshape(-1)[flat] = _numbers(df, population)
        method = "Dobson, with confidence adjusted for non-independent events"
    if pop is None:
        pop = _pivot(codes, bands, shape, df[population], population)
    weights: Any = standard
    if standard_column is not None:
        weights = np.full(shape, np.nan)
        weights.reshape(-1)[codes * shape[1] + bands] = _numbers(df, standard_column)
        if np.isnan(weights).any():
            raise ScoringError(f"{standard_column} must give a weight for every group and band")
    result = _dsr(events, pop, variance, weights, per, confidence, method)
    levels = result.confidence
    columns: dict[str, Any] = {
        "total_count": result.total_count,
        "total_pop": result.total_population,
        "value": result.value,
    }
    _with_limits(columns, result, _limit_names(levels))
    small = result.note == ind.Note.TOTAL_COUNT_BELOW_10
    columns["confidence"] = _confidence_text(levels)
    columns["statistic"] = np.where(
        small, "dsr NA for total count < 10", f"dsr per {_number(result.per)}"
    )
    columns["method"] = method
    columns["note"] = result.note
    return _frame(keys, columns)


# --------------------------------------------------------------------------------------------
# ISR and ISRatio
# --------------------------------------------------------------------------------------------


def _reference(
    df: Any, spec: Any, name: str, codes: Any, bands: Any, shape: tuple[int, int]
) -> Any:
    if isinstance(spec, str):
        _require(df, spec)
        return _pivot(codes, bands, shape, df[spec], spec)
    return spec


def _isr_frame(
    df: Any,
    ratio: bool,
    count: str | None,
    population: str,
    reference_count: Any,
    reference_population: Any,
    by: Columns,
    age: str | None,
    factor: float,
    confidence: Any,
    observed_total: str | None,
) -> Any:
    codes, keys, bands, labels = _bands_setup(df, by, age, count, population, observed_total)
    shape = (len(keys), len(labels))
    x = None if count is None else _pivot(codes, bands, shape, df[count], count)
    n = _pivot(codes, bands, shape, df[population], population)
    ref_x = _reference(df, reference_count, "reference_count", codes, bands, shape)
    ref_n = _reference(df, reference_population, "reference_population", codes, bands, shape)
    total = None
    if observed_total is not None:
        column = _numbers(df, observed_total)
        total = np.full(shape[0], np.nan)
        order = np.argsort(codes, kind="stable")[::-1]  # the first row of each group wins
        total[codes[order]] = column[order]
    if ratio:
        result = ind.isratio(
            x,
            n,
            ref_x,
            ref_n,
            reference_value=factor,
            confidence=confidence,
            observed_total=total,
        )
    else:
        result = ind.isr(
            x, n, ref_x, ref_n, per=factor, confidence=confidence, observed_total=total
        )
    levels = result.confidence
    columns: dict[str, Any] = {"observed": result.observed, "expected": result.expected}
    if not ratio:
        columns["ref_rate"] = result.reference_rate
    columns["value"] = result.value
    _with_limits(columns, result, _limit_names(levels))
    columns["confidence"] = _confidence_text(levels)
    columns["statistic"] = (
        f"indirectly standardised ratio x {_number(result.per)}"
        if ratio
        else f"indirectly standardised rate per {_number(result.per)}"
    )
    columns["method"] = np.where(result.observed < 10, "Exact", "Byars")
    columns["note"] = result.note
    return _frame(keys, columns)


def isr(
    df: Any,
    *,
    count: str | None,
    population: str,
    reference_count: str | npt.ArrayLike,
    reference_population: str | npt.ArrayLike,
    by: Columns = None,
    age: str | None = None,
    per: float = 100_000,
    confidence: Confidence = 0.95,
    observed_total: str | None = None,
) -> Any:
    """Indirectly standardised rates of every group (PHE's ``calculate_ISRate``).

    ``reference_count``/``reference_population`` are columns of the data frame (PHE's
    ``refpoptype = "field"``) or arrays with one value per band. ``observed_total`` names a
    column holding each group's observed events (its first row per group is used) when they are
    known only in total. Method: :func:`outcomes.indicators.isr`.

    Parameters
    ----------
    df : pandas.DataFrame
        Long data: one row per group and band.
    count, population : str
        Columns of local events (``None`` with ``observed_total``) and population.
    reference_count, reference_population : str or array_like
        Reference events and population per band.
    by, age : optional
        Group columns; band column (else bands by position).
    per : float
        Multiplier (default 100,000).
    confidence : float or sequence of float
        Level(s).
    observed_total : str, optional
        Column of observed totals per group.

    Returns
    -------
    pandas.DataFrame
        ``observed``, ``expected``, ``ref_rate``, ``value``, ``lowercl``, ``uppercl``,
        ``confidence``, ``statistic``, ``method`` (Exact below 10 observed, else Byars), ``note``.

    Raises
    ------
    ScoringError
        Missing columns and everything :func:`outcomes.indicators.isr` refuses.

    References
    ----------
    As :func:`outcomes.indicators.isr`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"area": ["A", "A", "B", "B"], "deaths": [10, 20, 3, 4],
    ...                    "pop": [1000, 500, 800, 400]})
    >>> isr(df, by="area", count="deaths", population="pop",
    ...     reference_count=[100, 300], reference_population=[20000, 10000])[
    ...     ["area", "observed", "expected", "method"]].to_dict("records")
    [{'area': 'A', 'observed': 30.0, 'expected': 20.0, 'method': 'Byars'}, {'area': 'B', 'observed': 7.0, 'expected': 16.0, 'method': 'Exact'}]
    """
    return _isr_frame(
        df,
        False,
        count,
        population,
        reference_count,
        reference_population,
        by,
        age,
        per,
        confidence,
        observed_total,
    )


def isratio(
    df: Any,
    *,
    count: str | None,
    population: str,
    reference_count: str | npt.ArrayLike,
    reference_population: str | npt.ArrayLike,
    by: Columns = None,
    age: str | None = None,
    reference_value: float = 1,
    confidence: Confidence = 0.95,
    observed_total: str | None = None,
) -> Any:
    """Indirectly standardised ratios (SMRs with ``reference_value=100``) of every group (PHE's
    ``calculate_ISRatio``); arguments and columns as :func:`isr` (no ``ref_rate``).

    Parameters
    ----------
    df : pandas.DataFrame
        Long data.
    count, population, reference_count, reference_population, by, age, observed_total
        As :func:`isr`.
    reference_value : float
        1 (default) or 100 for an SMR x 100.
    confidence : float or sequence of float
        Level(s).

    Returns
    -------
    pandas.DataFrame
        ``observed``, ``expected``, ``value``, limits, ``confidence``, ``statistic``,
        ``method``, ``note``.

    Raises
    ------
    ScoringError
        As :func:`isr`.

    References
    ----------
    As :func:`outcomes.indicators.isratio`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"deaths": [10, 20], "pop": [1000, 500]})
    >>> float(isratio(df, count="deaths", population="pop", reference_count=[100, 300],
    ...               reference_population=[20000, 10000], reference_value=100)["value"][0])
    150.0
    """
    return _isr_frame(
        df,
        True,
        count,
        population,
        reference_count,
        reference_population,
        by,
        age,
        reference_value,
        confidence,
        observed_total,
    )


# --------------------------------------------------------------------------------------------
# Means, proportions and crude rates
# --------------------------------------------------------------------------------------------


def mean_ci(df: Any, *, value: str, by: Columns = None, confidence: Confidence = 0.95) -> Any:
    """Mean and Student's t limits of ``value`` in every group (PHE's ``phe_mean``).

    Parameters
    ----------
    df : pandas.DataFrame
        One row per observation.
    value : str
        Column of observations (missing values are left out).
    by : str or list of str, optional
        Group columns.
    confidence : float or sequence of float
        Level(s).

    Returns
    -------
    pandas.DataFrame
        ``value_sum``, ``value_count``, ``stdev``, ``value``, ``lowercl``, ``uppercl``,
        ``confidence``, ``statistic``, ``method``, ``note``.

    Raises
    ------
    ScoringError
        Missing columns, non-numeric or infinite values.

    References
    ----------
    As :func:`outcomes.indicators.mean_ci`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a", "a", "a", "b"], "x": [1.0, 2.0, 3.0, 5.0]})
    >>> mean_ci(df, value="x", by="g")[["g", "value", "value_count", "note"]].to_dict("records")
    [{'g': 'a', 'value': 2.0, 'value_count': 3.0, 'note': ''}, {'g': 'b', 'value': 5.0, 'value_count': 1.0, 'note': 'fewer than 2 values: no interval'}]
    """
    pd = _pandas()
    keys_cols = _columns(by)
    _require(df, *keys_cols, value)
    codes, keys = _groups(df, keys_cols)
    position = pd.Series(codes).groupby(codes).cumcount().to_numpy(dtype=np.intp)
    width = int(position.max()) + 1 if len(position) else 1
    values = _pivot(codes, position, (len(keys), width), df[value], value)
    result = ind.mean_ci(values, confidence=confidence)
    columns: dict[str, Any] = {
        "value_sum": result.total,
        "value_count": result.count,
        "stdev": result.stdev,
        "value": result.value,
    }
    _with_limits(columns, result, _limit_names(result.confidence))
    columns["confidence"] = _confidence_text(result.confidence)
    columns["statistic"] = "mean"
    columns["method"] = "Student's t-distribution"
    columns["note"] = result.note
    return _frame(keys, columns)


def _aggregate(df: Any, by: Columns, count: str, denominator: str) -> tuple[Any, Any, Any]:
    keys_cols = _columns(by)
    _require(df, *keys_cols, count, denominator)
    if not keys_cols:
        return df.copy().reset_index(drop=True), df[count], df[denominator]
    codes, keys = _groups(df, keys_cols)
    x = _numbers(df, count)
    n = _numbers(df, denominator)
    sums = [np.bincount(codes, weights=a, minlength=len(keys)) for a in (x, n)]
    keys[count], keys[denominator] = sums  # NaN in a group propagates to its sum
    return keys, sums[0], sums[1]


def proportion(
    df: Any,
    *,
    count: str,
    denominator: str,
    by: Columns = None,
    per: float = 100,
    confidence: Confidence = 0.95,
) -> Any:
    """Proportions with Wilson limits (PHE's ``phe_proportion``): row by row, or summed within
    the ``by`` groups.

    Parameters
    ----------
    df : pandas.DataFrame
        Counts and denominators.
    count, denominator : str
        Columns.
    by : str or list of str, optional
        Group columns (counts and denominators are summed within each group).
    per : float
        100 (percentage, default) or 1.
    confidence : float or sequence of float
        Level(s).

    Returns
    -------
    pandas.DataFrame
        The rows (or groups) with ``value``, ``lowercl``, ``uppercl``, ``confidence``,
        ``statistic`` (``"percentage"`` or ``"proportion of <per>"``), ``method``, ``note``.

    Raises
    ------
    ScoringError
        As :func:`outcomes.indicators.proportion`.

    References
    ----------
    As :func:`outcomes.indicators.proportion`.

    Examples
    --------
    >>> import pandas as pd
    >>> out = proportion(pd.DataFrame({"x": [81], "n": [263]}), count="x", denominator="n")
    >>> out[["value", "lowercl", "uppercl"]].round(2).to_dict("records")
    [{'value': 30.8, 'lowercl': 25.53, 'uppercl': 36.62}]
    """
    out, x, n = _aggregate(df, by, count, denominator)
    result = ind.proportion(np.asarray(x), np.asarray(n), per=per, confidence=confidence)
    columns: dict[str, Any] = {"value": result.value}
    _with_limits(columns, result, _limit_names(result.confidence))
    columns["confidence"] = _confidence_text(result.confidence)
    columns["statistic"] = (
        "percentage" if result.per == 100 else f"proportion of {_number(result.per)}"
    )
    columns["method"] = "Wilson"
    columns["note"] = result.note
    return _frame(out, columns)


def crude_rate(
    df: Any,
    *,
    count: str,
    denominator: str,
    by: Columns = None,
    per: float = 100_000,
    confidence: Confidence = 0.95,
) -> Any:
    """Crude rates with exact limits below 10 events and Byar's from 10 (PHE's ``phe_rate``):
    row by row, or summed within the ``by`` groups.

    Parameters
    ----------
    df : pandas.DataFrame
        Counts and denominators.
    count, denominator : str
        Columns.
    by : str or list of str, optional
        Group columns.
    per : float
        Multiplier (default 100,000).
    confidence : float or sequence of float
        Level(s).

    Returns
    -------
    pandas.DataFrame
        The rows (or groups) with ``value``, ``lowercl``, ``uppercl``, ``confidence``,
        ``statistic`` (``"rate per 100000"``), ``method`` (Exact / Byars), ``note``.

    Raises
    ------
    ScoringError
        As :func:`outcomes.indicators.crude_rate`.

    References
    ----------
    As :func:`outcomes.indicators.crude_rate`.

    Examples
    --------
    >>> import pandas as pd
    >>> out = crude_rate(pd.DataFrame({"x": [5, 20], "n": [50_000, 50_000]}), count="x",
    ...                  denominator="n")
    >>> out[["value", "method"]].to_dict("records")
    [{'value': 10.0, 'method': 'Exact'}, {'value': 40.0, 'method': 'Byars'}]
    """
    out, x, n = _aggregate(df, by, count, denominator)
    result = ind.crude_rate(np.asarray(x), np.asarray(n), per=per, confidence=confidence)
    columns: dict[str, Any] = {"value": result.value}
    _with_limits(columns, result, _limit_names(result.confidence))
    columns["confidence"] = _confidence_text(result.confidence)
    columns["statistic"] = f"rate per {_number(result.per)}"
    columns["method"] = np.where(result.total_count < 10, "Exact", "Byars")
    columns["note"] = result.note
    return _frame(out, columns)


# --------------------------------------------------------------------------------------------
# Life expectancy and SII
# --------------------------------------------------------------------------------------------


def life_expectancy(
    df: Any,
    *,
    deaths: str,
    population: str,
    age: str,
    by: Columns = None,
    confidence: Confidence = 0.95,
    start_ages: npt.ArrayLike | None = None,
) -> Any:
    """Life expectancy at every start age of every group (PHE's ``phe_life_expectancy``).

    ``age`` holds each band's start age or a label starting with it (``"0"``, ``"1-4"``,
    ``"90 +"``); bands are placed on PHE's 20 start ages (or ``start_ages``). A group missing a
    band gets the note ``"missing age band"`` (PHE), as do PHE's other validity rules; see
    :func:`outcomes.indicators.life_expectancy`.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per group and age band.
    deaths, population, age : str
        Columns.
    by : str or list of str, optional
        Group columns.
    confidence : float or sequence of float
        Level(s).
    start_ages : array_like, optional
        Band start ages (default 0, 1, 5, ..., 90).

    Returns
    -------
    pandas.DataFrame
        One row per group and start age: ``startage``, ``value``, ``lowercl``, ``uppercl``,
        ``pops_used``, ``dths_used``, ``confidence``, ``statistic``, ``method``, ``note``.

    Raises
    ------
    ScoringError
        Missing columns, an age not among the start ages, duplicate bands.

    References
    ----------
    As :func:`outcomes.indicators.life_expectancy`.

    Examples
    --------
    >>> import pandas as pd
    >>> ages = [0, 1] + list(range(5, 95, 5))
    >>> df = pd.DataFrame({"age": ages, "pop": [7060, 35059, 46974, 48489, 43219, 38561,
    ...     46009, 57208, 61435, 55601, 50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306,
    ...     11936, 11936], "deaths": [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304,
    ...     536, 872, 1390, 1605, 1936, 1937]})
    >>> out = life_expectancy(df, deaths="deaths", population="pop", age="age")
    >>> out.loc[0, "statistic"], round(float(out.loc[0, "value"]), 4), len(out)
    ('life expectancy at 0', 80.1696, 20)
    """
    keys_cols = _columns(by)
    _require(df, *keys_cols, deaths, population, age)
    codes, keys = _groups(df, keys_cols)
    ages = np.asarray(
        ind.PHE_LIFE_TABLE_AGES if start_ages is None else start_ages, dtype=np.float64
    )
    starts = np.array([_start(a) for a in df[age]], dtype=np.float64)
    bands = np.searchsorted(ages, starts)
    known = (bands < ages.size) & (ages[np.minimum(bands, ages.size - 1)] == starts)
    if not known.all():
        bad = df[age].to_numpy()[~known][0]
        raise ScoringError(f"age {bad!r} is not one of the start ages {[_number(a) for a in ages]}")
    shape = (len(keys), ages.size)
    d = _pivot(codes, bands, shape, df[deaths], deaths)
    p = _pivot(codes, bands, shape, df[population], population)
    result = ind.life_expectancy(d, p, start_ages=ages, confidence=confidence)
    columns: dict[str, Any] = {
        "startage": np.tile(ages, shape[0]),
        "value": result.value.reshape(-1),
    }
    for (lower, upper), interval in zip(
        _limit_names(result.confidence), result.intervals.values(), strict=True
    ):
        columns[lower] = np.asarray(interval.lower).reshape(-1)
        columns[upper] = np.asarray(interval.upper).reshape(-1)
    columns["pops_used"] = result.population_used.reshape(-1)
    columns["dths_used"] = result.deaths_used.reshape(-1)
    columns["confidence"] = _confidence_text(result.confidence)
    columns["statistic"] = [f"life expectancy at {_number(a)}" for a in ages] * shape[0]
    columns["method"] = result.method
    columns["note"] = result.note.reshape(-1)
    repeated = keys.loc[keys.index.repeat(ages.size)].reset_index(drop=True)
    return _frame(repeated, columns)


def sii(
    df: Any,
    *,
    quantile: str,
    population: str,
    value: str,
    by: Columns = None,
    lower: str | None = None,
    upper: str | None = None,
    se: str | None = None,
    value_type: Any = "other",
    per: float = 1,
    transform: bool = False,
    rii: bool = False,
    confidence: Confidence = 0.95,
    reps: int = 100_000,
    seed: int | None = None,
) -> Any:
    """Slope (and relative) index of inequality of every group (PHE's ``phe_sii``).

    Quantiles are ordered by the ``quantile`` column (1 = most deprived); a group missing a
    quantile gets a note. Method: :func:`outcomes.indicators.sii`.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per group and quantile.
    quantile, population, value : str
        Columns.
    by : str or list of str, optional
        Group columns.
    lower, upper, se : str, optional
        Columns of 95% limits or standard errors.
    value_type, per, transform, rii, confidence, reps, seed
        As :func:`outcomes.indicators.sii`.

    Returns
    -------
    pandas.DataFrame
        ``sii``, ``sii_lower95_0cl``, ``sii_upper95_0cl`` (per level), ``rii`` and its limits
        when asked, ``intercept``, ``note``.

    Raises
    ------
    ScoringError
        Missing columns and everything :func:`outcomes.indicators.sii` refuses.

    References
    ----------
    As :func:`outcomes.indicators.sii`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"decile": range(1, 11), "pop": [7291, 7997, 6105, 7666, 5790, 6934,
    ...     5918, 5974, 7147, 7534], "le": [75.93, 78.34, 83.84, 83.64, 80.47, 81.12, 81.69,
    ...     84.19, 80.60, 86.29], "se": [1.64, 1.58, 1.51, 1.78, 1.70, 1.56, 1.37, 1.40, 2.43,
    ...     1.57]})
    >>> out = sii(df, quantile="decile", population="pop", value="le", se="se", seed=1)
    >>> list(out.columns), round(float(out["sii"][0]), 3)
    (['sii', 'sii_lower95_0cl', 'sii_upper95_0cl', 'intercept', 'note'], 6.939)
    """
    codes, keys, bands, labels = _bands_setup(df, by, quantile, population, value, lower, upper, se)
    shape = (len(keys), len(labels))

    def grid(name: str | None) -> Any:
        return None if name is None else _pivot(codes, bands, shape, df[name], name)

    result = ind.sii(
        grid(value),
        grid(population),
        lower=grid(lower),
        upper=grid(upper),
        se=grid(se),
        value_type=value_type,
        per=per,
        transform=transform,
        rii=rii,
        confidence=confidence,
        reps=reps,
        seed=seed,
    )
    columns: dict[str, Any] = {"sii": result.sii}
    _with_limits(columns, result, _limit_names(result.confidence, "sii_"))
    if rii and result.rii_intervals is not None:
        columns["rii"] = result.rii
        names = _limit_names(result.confidence, "rii_")
        for (lo_name, hi_name), interval in zip(names, result.rii_intervals.values(), strict=True):
            columns[lo_name] = np.asarray(interval.lower)
            columns[hi_name] = np.asarray(interval.upper)
    columns["intercept"] = result.intercept
    columns["note"] = result.note
    return _frame(keys, columns)
