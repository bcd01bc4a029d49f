"""The frame contract, in one place: every result frame is long and tidy, text columns are
categoricals (period columns ordered in time), numbers are float64, flags nullable booleans, and
no column is of object dtype. The result frames are built with :func:`tidy`, joined with
:func:`concat`, and labelled with :func:`organisation_labels`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from outcomes import units
from outcomes._optional import require_pandas
from outcomes.errors import InputError, OutcomesError
from outcomes.periods import period as parse_period

__all__ = ["concat", "flat", "is_period_column", "organisation_labels", "tidy"]

#: The identity columns every result frame begins with (those that apply to it).
IDENTITY = ("organisation", "organisation_name", "measure", "measure_name", "period", "unit")


def is_period_column(name: object) -> bool:
    """Whether a column holds period labels (``period``, ``baseline_period``, ...)."""
    return isinstance(name, str) and (name == "period" or name.endswith("_period"))


def _time_order(labels: Iterable[object]) -> list[str]:
    """Distinct labels in time order when every one is a period, else in order of appearance."""
    seen = list(dict.fromkeys(str(v) for v in labels))
    try:
        keyed = [(parse_period(v), v) for v in seen if v != ""]
    except OutcomesError:
        return seen
    ordered = [v for _, v in sorted(keyed, key=lambda pair: (pair[0].start, pair[0].end))]
    return ordered + ([""] if "" in seen else [])


def _categorical(pd: Any, values: Any, name: object, order: Sequence[str] = ()) -> Any:
    """Text as a categorical: categories in order of appearance, period columns ordered in time
    (or in ``order``); missing values stay missing. Factorised once (hashing in C), so a column
    of a million cells costs milliseconds."""
    if isinstance(values, pd.Categorical):
        values = values.astype(object)
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=False)
    texts = [str(u) for u in uniques]
    categories = list(dict.fromkeys(texts))
    if is_period_column(name):
        categories = list(dict.fromkeys([*order, *_time_order(categories)]))
    position = {c: i for i, c in enumerate(categories)}
    remap = np.array([position[t] for t in texts] + [-1], dtype=np.intp)  # -1: missing
    return pd.Categorical.from_codes(
        remap[codes], categories=categories, ordered=is_period_column(name)
    )


def _conform(pd: Any, frame: Any, periods: Sequence[str] = ()) -> Any:
    """Apply the contract column by column (in place, and return the frame)."""
    for name in frame.columns:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            if is_period_column(name) and not dtype.ordered:
                frame[name] = _categorical(pd, column.astype(object), name, periods)
            continue
        if pd.api.types.is_bool_dtype(dtype):
            frame[name] = column.astype("boolean")
        elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_extension_array_dtype(
            dtype
        ):
            frame[name] = column.astype(np.float64)
        elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            frame[name] = _categorical(pd, column, name, periods)
    return frame


def tidy(
    columns: dict[str, Any], *, periods: Sequence[str] = (), categories: Sequence[str] = ()
) -> Any:
    """A DataFrame from named columns, under the frame contract: every text column a
    categorical (``period`` and ``*_period`` columns ordered in time, or in the order of
    ``periods`` where given), numbers float64, flags nullable booleans; no object columns.

    ``categories`` is accepted for compatibility (every text column is a categorical anyway).

    >>> frame = tidy({"period": ["2015/16", "2014/15"], "value": [1, 2], "code": ["a", "b"]})
    >>> frame.sort_values("period")["value"].tolist(), [str(t) for t in frame.dtypes]
    ([2.0, 1.0], ['category', 'float64', 'category'])
    """
    pd = require_pandas()
    del categories
    frame = pd.DataFrame(columns)
    return _conform(pd, frame, periods)


def concat(frames: Sequence[Any]) -> Any:
    """Frames of the contract one under another, still under the contract: categories are
    joined (pandas would turn differing categories into text), periods re-ordered in time, and
    a column only some frames have is missing (NaN) in the others.

    >>> a = tidy({"measure": ["pyll"], "period": ["2015/16"], "value": [1.0]})
    >>> b = tidy({"measure": ["eq5d"], "period": ["2014/15"], "value": [2.0]})
    >>> both = concat([a, b])
    >>> str(both["measure"].dtype), list(both["period"].cat.categories)
    ('category', ['2014/15', '2015/16'])
    """
    pd = require_pandas()
    if not frames:
        return pd.DataFrame()
    vocabulary: dict[str, list[Any]] = {}
    for f in frames:
        for c in f.columns:
            if isinstance(f[c].dtype, pd.CategoricalDtype) and not is_period_column(c):
                vocabulary.setdefault(c, []).extend(f[c].cat.categories.tolist())
    plain = [
        f.astype({c: object for c in f.columns if isinstance(f[c].dtype, pd.CategoricalDtype)})
        for f in frames
    ]
    joined = _conform(pd, pd.concat(plain, ignore_index=True))
    for c, categories in vocabulary.items():
        # the inputs' categories in their order (an enum's order, say), then anything else
        present = joined[c].cat.categories.tolist()
        joined[c] = joined[c].cat.set_categories(list(dict.fromkeys([*categories, *present])))
    return joined


def flat(array: Any, shape: tuple[int, ...], dtype: Any = float) -> Any:
    """``array`` broadcast to a result's ``shape`` and flattened: one element per row."""
    return np.broadcast_to(np.asarray(array, dtype=dtype), shape).reshape(-1)


def _labels(values: object, name: str, *, codes: bool = False) -> list[Any]:
    """A list of text labels (codes may also be whole numbers); anything else an InputError."""
    if not isinstance(values, Iterable) or isinstance(values, str | bytes | Mapping):
        raise InputError(f"{name} must be a list of labels, got {values!r:.60}")
    listed = list(values)  # a list, a tuple, an array or a pandas Series
    allowed: tuple[type, ...] = (str, int, np.integer) if codes else (str,)
    for value in listed:
        if not isinstance(value, allowed) or isinstance(value, bool):
            what = "codes (text)" if codes else "text"
            raise InputError(f"{name} must be {what}, got {value!r:.60} in {listed!r:.80}")
    return listed


def _text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{name} must be text, got {value!r:.60}")
    return value


def organisation_labels(
    count: int,
    organisations: Sequence[str] | None,
    organisation_names: Sequence[str] | None,
    *,
    shape: tuple[int, ...] | None = None,
) -> tuple[list[str], list[str]]:
    """Codes and names of ``count`` organisations (rows): the codes given, else each row's
    position (``"0"``, ``"1"``... or ``"0,1"`` for several leading axes; ``""`` for one 0-d
    result); names given, else ``""``. A length that does not match raises, naming both.

    >>> organisation_labels(2, ["00C", "00D"], None)
    (['00C', '00D'], ['', ''])
    >>> organisation_labels(2, None, None, shape=(1, 2))
    (['0,0', '0,1'], ['', ''])
    """
    if organisations is None:
        if shape is not None and len(shape) == 0:
            codes = [""]
        elif shape is not None and len(shape) > 1:
            codes = [",".join(str(i) for i in idx) for idx in np.ndindex(*shape)]
        else:
            codes = [str(i) for i in range(count)]
    else:
        if isinstance(organisations, str):
            organisations = [organisations]
        codes = [str(c) for c in _labels(organisations, "organisations", codes=True)]
    if len(codes) != count:
        raise InputError(
            f"organisations has {len(codes)} code(s) and the result has {count} row(s) of "
            "organisations: give one code per row"
        )
    if organisation_names is None:
        names = [""] * count
    else:
        if isinstance(organisation_names, str):
            organisation_names = [organisation_names]
        names = _labels(organisation_names, "organisation_names")
        if len(names) != count:
            raise InputError(
                f"organisation_names has {len(names)} name(s) and organisations has {count}: "
                "give one name per organisation"
            )
    return codes, names


def identity(
    rows: int,
    *,
    measure: str | None = None,
    measure_name: str | None = None,
    period: str | Sequence[str] | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    """The measure, period and unit columns for ``rows`` rows ('' where not known); a period
    may be one label or one per row."""
    if period is None or isinstance(period, str):
        periods: list[str] = [str(period or "")] * rows
    else:
        periods = _labels(period, "period")
        if len(periods) != rows:
            raise InputError(f"period has {len(periods)} label(s) for {rows} row(s)")
    measure, measure_name = _text(measure, "measure"), _text(measure_name, "measure_name")
    unit_id = _text(unit, "unit")
    if unit_id:
        units.unit(unit_id)  # an unknown unit: UnitError listing the known ones
    return {
        "measure": [measure] * rows,
        "measure_name": [measure_name or measure] * rows,
        "period": periods,
        "unit": [unit_id] * rows,
    }
