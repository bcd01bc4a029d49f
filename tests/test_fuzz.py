"""Fuzzing the public surface: every call gives valid output or an ``OutcomesError``, nothing else.

Strategies mix valid values with NaN, +-inf, 0, negatives, huge and tiny floats, huge integers
(``10**400``), wrong types, wrong shapes and wrong strings. The property, for every public
function and reader (issue 12):

* the call returns valid output: every number finite, or NaN only beside its missing marker
  (GREY / NOT_AVAILABLE, NOT_SCORED, a note), or
* it raises an :class:`~outcomes.errors.OutcomesError` subclass;
* anything else (a bare numpy/Python exception, a numpy ``RuntimeWarning``, a silent ``inf``)
  fails the test. Readers given random bytes or mangled real files raise an ``InputError`` whose
  message names a line, or read the file.

The budget comes from the hypothesis profile (``tests/conftest.py``): ``ci`` by default, ``fuzz``
with ``OUTCOMES_HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``). Expensive targets (plan runs, the CLI,
workbooks) take a share of the profile's examples (:func:`budget`).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import outcomes
from outcomes import catalogue, frames, incentives, oversight, periods, rollup, stats, units
from outcomes.errors import InputError, OutcomesError, OutcomesWarning
from outcomes.io import ActualsTable, BaselinesTable, Column, Table, writers
from outcomes.scoring import Score
from outcomes.trajectory import Trajectory

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
EXAMPLES = ROOT / "examples"

# --------------------------------------------------------------------------------------------
# the budget and the property
# --------------------------------------------------------------------------------------------


def budget(share: float = 1.0) -> settings:
    """A share of the loaded profile's examples (at least 5), no deadline."""
    examples = max(5, int(settings.default.max_examples * share))
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


class Refused:
    """The call raised an OutcomesError (kept for the tests that look at the message)."""

    def __init__(self, error: OutcomesError) -> None:
        self.error = error

    def __repr__(self) -> str:
        return f"Refused({type(self.error).__name__}: {self.error})"


@contextlib.contextmanager
def strict_warnings() -> Iterator[None]:
    """The library's own warnings are allowed; numpy's RuntimeWarnings (overflow, invalid) are
    defects, so they raise."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", OutcomesWarning)
        warnings.simplefilter("ignore", stats.QuantileWarning)
        warnings.simplefilter("ignore", ResourceWarning)
        yield


def attempt(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func``: its result, or :class:`Refused` for an OutcomesError. Any other exception
    (or a warning that is not the library's) propagates and fails the test."""
    name = getattr(func, "__name__", type(func).__name__)
    with strict_warnings():
        try:
            result = func(*args, **kwargs)
        except OutcomesError as error:
            refused = Refused(error)
        else:
            event(f"{name}: returned")  # --hypothesis-show-statistics shows what was reached
            return result
    event(f"{name}: refused")
    assert str(refused.error), f"{type(refused.error).__name__} with an empty message"
    return refused


def finite(value: Any, what: str = "result") -> None:
    """Every number in ``value`` is finite (arrays, floats, tuples, lists, dicts)."""
    if value is None or isinstance(value, str | bool | np.bool_):
        return
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            bad = ~np.isfinite(value)
            assert not bad.any(), f"{what}: non-finite {value[bad][:3]} in {value!r:.200}"
        return
    if isinstance(value, float | np.floating):
        assert math.isfinite(value), f"{what}: {value!r}"
        return
    if isinstance(value, dict):
        for k, v in value.items():
            finite(v, f"{what}[{k!r}]")
        return
    if isinstance(value, tuple | list):
        for i, v in enumerate(value):
            finite(v, f"{what}[{i}]")


def nan_only_where(values: Any, missing: Any, what: str) -> None:
    """NaN in ``values`` only where ``missing`` (the marker beside it) is True; no inf at all."""
    array = np.asarray(values, dtype=float)
    mask = np.broadcast_to(np.asarray(missing, dtype=bool), array.shape)
    assert not np.isinf(array).any(), f"{what}: infinite values {array!r:.200}"
    silent = np.isnan(array) & ~mask
    assert not silent.any(), f"{what}: NaN without its marker in {array!r:.200}"


def check_trajectory(t: Trajectory) -> None:
    assert isinstance(t, Trajectory)
    finite(t.baseline, "baseline")
    finite(t.values, "values")
    finite(t.target, "target")
    assert t.values.shape == (*t.baseline.shape, len(t.periods))


def check_score(s: Score) -> None:
    assert isinstance(s, Score)
    finite(s.target, "target")
    missing = ~np.asarray(s.available, dtype=bool)
    assert np.array_equal(np.isnan(s.actual), missing), "actual NaN where not marked missing"
    assert (s.rag[missing] == "GREY").all() and (s.verdict[missing] == "NOT_AVAILABLE").all()
    assert (s.rag[~missing] != "GREY").all()
    nan_only_where(s.gap, missing, "gap")
    nan_only_where(s.progress, missing, "progress")
    for name in ("lower", "upper"):
        limit = getattr(s, name)
        if limit is not None:
            no_interval = missing | (s.verdict == "NO_INTERVAL")
            nan_only_where(limit, no_interval, name)
    str(s)
    s.summary()


def check(result: Any) -> Any:
    """The generic validity check of a result (type-aware where the type has markers)."""
    if isinstance(result, Refused):
        return result
    if isinstance(result, Trajectory):
        check_trajectory(result)
    elif isinstance(result, Score):
        check_score(result)
    elif isinstance(result, oversight.MetricScores):
        nan_only_where(result.scores, result.status == "NOT_SCORED", "scores")
        nan_only_where(result.rank, result.status == "NOT_SCORED", "rank")
    elif isinstance(result, oversight.Segmentation):
        nan_only_where(result.segments, result.status == "NOT_SEGMENTED", "segments")
        nan_only_where(result.league_rank, result.status == "NOT_SEGMENTED", "league_rank")
    elif hasattr(result, "model_dump"):
        finite(result.model_dump(), type(result).__name__)
        str(result)
    else:
        finite(result)
    return result


# --------------------------------------------------------------------------------------------
# strategies: valid values mixed with every kind of bad one
# --------------------------------------------------------------------------------------------

ODD_FLOATS = (
    math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    -1.0,
    -1e-300,
    1e308,
    -1e308,
    1.7976931348623157e308,
    5e-324,
    1e-300,
    0.5,
    1.0,
    99.8,
    100.0,
    101.0,
    1e15,
)
WRONG = (
    "x",
    "",
    "nan",
    "1e400",
    "..",
    None,
    True,
    b"1",
    (),
    [],
    {},
    {"a": 1},
    complex(1, 1),
    10**400,
    -(10**400),
    [1, [2, 3]],
    [[1, 2], [3]],
    object(),
)
WRONG_STRINGS = ("bogus", "", "x", "99.8", "furlongs", "HIGHER", " lower ", "none", "ñ=1+1")


def numbers() -> st.SearchStrategy[Any]:
    """One number: ordinary, odd (NaN, inf, huge, tiny, 0, negative) or a huge integer."""
    return st.one_of(
        st.floats(min_value=-1e6, max_value=1e6),
        st.sampled_from(ODD_FLOATS),
        st.floats(),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.just(10**400),
    )


def positive() -> st.SearchStrategy[float]:
    return st.floats(min_value=0.1, max_value=1e5)


def arrays(element: st.SearchStrategy[Any] | None = None) -> st.SearchStrategy[Any]:
    """Scalars, lists and 2-D lists (shapes that may not broadcast) of ``element``."""
    element = numbers() if element is None else element
    return st.one_of(
        element,
        st.lists(element, min_size=0, max_size=5),
        st.lists(st.lists(element, min_size=2, max_size=2), min_size=1, max_size=3),
        st.lists(element, min_size=1, max_size=5).map(np.asarray),
    )


def wrong() -> st.SearchStrategy[Any]:
    return st.sampled_from(WRONG)


def anything() -> st.SearchStrategy[Any]:
    """A value of any kind: numbers, arrays of any shape, wrong types and strings."""
    return st.one_of(arrays(), wrong(), st.sampled_from(WRONG_STRINGS), st.text(max_size=8))


def mostly(valid: st.SearchStrategy[Any], bad: st.SearchStrategy[Any] | None = None) -> Any:
    """Valid values most of the time, anything otherwise (so calls get past the first check)."""
    return st.one_of(valid, valid, valid, bad if bad is not None else anything())


YEARS = ("2012", "2013", "2012/13", "2013/14", "2014/15", "2018/19", "2014/15 Q1", "Apr 2014")
PERIODS = st.one_of(
    st.sampled_from(YEARS), st.sampled_from(WRONG_STRINGS), st.text(max_size=10), wrong()
)
POLARITIES = mostly(st.sampled_from(["higher", "lower"]), st.sampled_from([*WRONG_STRINGS, None]))
UNIT_IDS = st.one_of(
    st.sampled_from(sorted(units.UNITS)), st.sampled_from(["furlongs", "", "PERCENT"]), wrong()
)
CONFIDENCE = mostly(st.sampled_from([0.95, 0.998, 0.9]), st.sampled_from([99.8, 95, 0, 1, -1]))


# --------------------------------------------------------------------------------------------
# foundations: _arrays, units, periods, polarity
# --------------------------------------------------------------------------------------------


@budget()
@given(anything(), st.one_of(st.integers(-5, 20), st.just(400), wrong()))
def test_round_half_up(values: Any, ndigits: Any) -> None:
    from outcomes._arrays import round_half_up

    result = attempt(round_half_up, values, ndigits)
    if not isinstance(result, Refused):
        array = np.asarray(values, dtype=float)
        nan_only_where(result, np.isnan(array), "rounded")


@budget()
@given(anything(), UNIT_IDS, st.sampled_from(["actual", "baseline"]))
def test_unit_check_values(values: Any, unit_id: Any, field: str) -> None:
    attempt(units.check_values, values, unit_id, field)


@budget()
@given(mostly(arrays()), UNIT_IDS, UNIT_IDS)
def test_unit_convert_and_describe(value: Any, a: Any, b: Any) -> None:
    result = attempt(units.convert, value, a, b)
    if not isinstance(result, Refused):  # NaN (missing) converts to NaN
        nan_only_where(result, np.isnan(np.asarray(value, dtype=float)), "converted")
    attempt(units.describe, a)
    attempt(units.unit, a)
    attempt(units.unit_expression, b)
    attempt(units.quantity, value, a)


@budget()
@given(anything())
def test_is_missing(value: Any) -> None:
    result = attempt(units.is_missing, value)
    assert isinstance(result, bool | Refused)


@budget()
@given(st.one_of(PERIODS, st.integers(), st.floats()))
def test_period(value: Any) -> None:
    p = attempt(periods.period, value)
    if isinstance(p, periods.Period):
        assert periods.period(str(p)) == p


@budget()
@given(
    st.sampled_from([periods.FinancialYear, periods.CalendarYear, periods.Quarter, periods.Month]),
    st.one_of(st.integers(1800, 2300), st.just(10**400), wrong(), st.text(max_size=6)),
    st.one_of(st.integers(-3, 14), wrong()),
    st.one_of(st.integers(-500, 500), st.just(10**400), wrong()),
)
def test_period_classes(kind: Any, year: Any, number: Any, steps: Any) -> None:
    p = attempt(kind, year) if kind in (periods.FinancialYear, periods.CalendarYear) else None
    if kind is periods.Quarter or kind is periods.Month:
        p = attempt(kind, year, number)
    if isinstance(p, periods.Period):
        attempt(p.shift, steps)
        attempt(p.years_until, p)
        attempt(periods.financial_years, p, "2018/19")


@budget()
@given(anything())
def test_polarity(value: Any) -> None:
    attempt(outcomes.Polarity.parse, value)


# --------------------------------------------------------------------------------------------
# stats: intervals and quantiles
# --------------------------------------------------------------------------------------------

COUNTS = mostly(arrays(st.integers(0, 10**6)))
DENOMINATORS = mostly(arrays(st.integers(1, 10**7)))
Z = st.one_of(st.none(), st.none(), st.floats(), st.sampled_from(["x", 0, -1, 1.96, 41, math.nan]))


@budget()
@given(COUNTS, DENOMINATORS, CONFIDENCE, Z)
def test_wilson(count: Any, denominator: Any, confidence: Any, z: Any) -> None:
    result = check(attempt(stats.wilson, count, denominator, confidence, z=z))
    if not isinstance(result, Refused):
        lo, hi = result
        assert np.all(np.asarray(lo) <= np.asarray(hi))


@budget()
@given(COUNTS, CONFIDENCE, Z)
def test_poisson_and_byar(count: Any, confidence: Any, z: Any) -> None:
    check(attempt(stats.poisson_exact, count, confidence))
    check(attempt(stats.byar, count, confidence, z=z))


@budget()
@given(
    COUNTS,
    DENOMINATORS,
    mostly(st.sampled_from([100_000, 1000, 100]), numbers()),
    mostly(st.sampled_from(["byar", "exact", "auto"]), st.sampled_from(WRONG_STRINGS)),
    CONFIDENCE,
    Z,
)
def test_rate_ci(count: Any, denominator: Any, per: Any, method: Any, conf: Any, z: Any) -> None:
    check(attempt(stats.rate_ci, count, denominator, per, method, conf, z=z))


@budget()
@given(
    mostly(arrays(positive())),
    COUNTS,
    mostly(arrays(positive())),
    CONFIDENCE,
    mostly(st.sampled_from(["byar", "exact"]), st.sampled_from(WRONG_STRINGS)),
)
def test_dsr_ci(dsr: Any, count: Any, variance: Any, conf: Any, method: Any) -> None:
    check(attempt(stats.dsr_ci, dsr, count, variance, conf, method))


@budget()
@given(anything(), mostly(st.sampled_from([0.95, 0.998]), anything()))
def test_confidence_level(value: Any, confidence: Any) -> None:
    result = attempt(stats.confidence_level, value)
    if isinstance(result, Refused) and isinstance(value, float) and 1 < value < 100:
        assert f"give {value / 100:g}" in str(result.error)
    check(attempt(stats.z_value, confidence))


PEERS = mostly(st.lists(positive(), min_size=4, max_size=30), arrays())


@budget()
@given(
    PEERS,
    st.one_of(st.integers(1, 10), wrong()),
    mostly(st.sampled_from(sorted(stats.QUANTILE_METHODS)), st.sampled_from(WRONG_STRINGS)),
    mostly(st.sampled_from(["raise", "omit"]), st.sampled_from(WRONG_STRINGS)),
    st.one_of(st.none(), st.integers(-2, 14), st.just(400), wrong()),
)
def test_quantile_bounds(peers: Any, k: Any, method: Any, nan_policy: Any, ndigits: Any) -> None:
    check(attempt(stats.quantile_bounds, peers, k, method, nan_policy=nan_policy, ndigits=ndigits))


@budget()
@given(anything(), anything(), st.one_of(st.none(), POLARITIES))
def test_quantile_categories(values: Any, bounds: Any, polarity: Any) -> None:
    check(attempt(stats.quantile_categories, values, bounds, polarity=polarity))


@budget()
@given(
    mostly(st.lists(st.one_of(positive(), st.just(math.nan)), max_size=20), anything()),
    st.one_of(st.integers(1, 6), wrong()),
    mostly(st.sampled_from(["higher", "lower"]), anything()),
    st.one_of(st.none(), st.lists(st.sampled_from("ab"), max_size=20), anything()),
    mostly(st.sampled_from(["best", "worst"]), st.sampled_from(WRONG_STRINGS)),
)
def test_assign_quantiles(values: Any, k: Any, polarity: Any, groups: Any, first: Any) -> None:
    result = attempt(
        stats.assign_quantiles, values, k, polarity=polarity, groups=groups, first=first
    )
    if not isinstance(result, Refused):
        assert np.isin(result[~np.isnan(result)], np.arange(1, k + 1)).all()


# --------------------------------------------------------------------------------------------
# rules and trajectories
# --------------------------------------------------------------------------------------------

BASELINES = mostly(arrays(positive()))
RATES = mostly(arrays(st.floats(min_value=-0.5, max_value=0.5)))
PROFILES = mostly(
    st.sampled_from(["linear", "geometric", "front-loaded", "back-loaded"]),
    st.one_of(st.sampled_from(WRONG_STRINGS), st.lists(numbers(), max_size=6), wrong()),
)
INDEXING = mostly(st.sampled_from(["elapsed", "plan-year"]), st.sampled_from(WRONG_STRINGS))
UNITS_OR_NONE = st.one_of(st.none(), UNIT_IDS)


@st.composite
def spans(draw: Any) -> dict[str, Any]:
    """start / end / periods: mostly valid, sometimes wrong in any way."""
    if draw(st.integers(0, 4)):
        year = draw(st.integers(2008, 2020))
        start = draw(st.sampled_from([f"{year}", f"{year}/{(year + 1) % 100:02d}"]))
        last = year + draw(st.integers(1, 6))
        end = f"{last}/{(last + 1) % 100:02d}"
    else:
        start, end = draw(PERIODS), draw(PERIODS)
    out: dict[str, Any] = {"start": start, "end": end}
    if not draw(st.integers(0, 5)):
        out["periods"] = draw(st.one_of(st.lists(PERIODS, max_size=4), wrong()))
    return out


@budget()
@given(BASELINES, RATES, spans(), anything(), INDEXING, POLARITIES, UNITS_OR_NONE)
def test_percentage_change(
    b: Any, rate: Any, span: Any, compound: Any, indexing: Any, pol: Any, unit_id: Any
) -> None:
    compound = compound if isinstance(compound, str) else True
    check(
        attempt(
            outcomes.percentage_change,
            b,
            rate,
            **span,
            compound=compound if compound != "x" else False,
            indexing=indexing,
            polarity=pol,
            unit=unit_id,
        )
    )


@budget()
@given(BASELINES, spans(), POLARITIES, UNITS_OR_NONE)
def test_hold(b: Any, span: Any, pol: Any, unit_id: Any) -> None:
    t = check(attempt(outcomes.hold, b, **span, polarity=pol, unit=unit_id))
    if isinstance(t, Trajectory):
        check_trajectory_methods(t)


@budget()
@given(
    BASELINES, mostly(arrays(positive())), spans(), PROFILES, INDEXING, POLARITIES, UNITS_OR_NONE
)
def test_to_target(
    b: Any, target: Any, span: Any, profile: Any, indexing: Any, pol: Any, unit_id: Any
) -> None:
    check(
        attempt(
            outcomes.to_target,
            b,
            target,
            **span,
            profile=profile,
            indexing=indexing,
            polarity=pol,
            unit=unit_id,
        )
    )


@budget()
@given(BASELINES, mostly(arrays(positive())), spans(), PROFILES, POLARITIES, UNITS_OR_NONE)
def test_reach_national(
    b: Any, national: Any, span: Any, profile: Any, pol: Any, unit_id: Any
) -> None:
    check(
        attempt(
            outcomes.reach_national,
            b,
            national,
            **span,
            profile=profile,
            polarity=pol,
            unit=unit_id,
        )
    )


QUANTILE_OPTIONS = st.fixed_dictionaries(
    {
        "quantiles": st.one_of(st.sampled_from([4, 5]), st.integers(-1, 8), wrong()),
        "steps": st.one_of(st.sampled_from([1, 2]), st.integers(-1, 5), wrong()),
        "aim": mostly(st.sampled_from(["boundary", "middle"]), st.sampled_from(WRONG_STRINGS)),
        "method": mostly(st.sampled_from(["fingertips", "r6"]), st.sampled_from(WRONG_STRINGS)),
        "nan_policy": mostly(st.sampled_from(["raise", "omit"]), st.sampled_from(WRONG_STRINGS)),
        "profile": PROFILES,
    }
)


@budget()
@given(BASELINES, PEERS, spans(), POLARITIES, QUANTILE_OPTIONS, UNITS_OR_NONE)
def test_quantile_step(b: Any, peers: Any, span: Any, pol: Any, options: Any, unit_id: Any) -> None:
    check(attempt(outcomes.quantile_step, b, peers, **span, polarity=pol, unit=unit_id, **options))


@budget()
@given(BASELINES, PEERS, mostly(arrays(positive())), spans(), POLARITIES, QUANTILE_OPTIONS)
def test_national_or_quantile(
    b: Any, peers: Any, national: Any, span: Any, pol: Any, options: Any
) -> None:
    check(
        attempt(outcomes.national_or_quantile, b, peers, national, **span, polarity=pol, **options)
    )


@budget()
@given(
    BASELINES,
    RATES,
    st.one_of(st.none(), RATES),
    st.one_of(st.none(), RATES),
    mostly(st.sampled_from(["compound", "linear"]), st.sampled_from(WRONG_STRINGS)),
    st.one_of(st.sampled_from(["2014/15", "2015/16", "2016/17"]), PERIODS),
    POLARITIES,
)
def test_two_phase(b: Any, rate: Any, first: Any, step: Any, kind: Any, brk: Any, pol: Any) -> None:
    check(
        attempt(
            outcomes.two_phase,
            b,
            start="2013/14",
            end="2018/19",
            break_period=brk,
            rate=rate,
            first_rate=first,
            step=step,
            kind=kind,
            polarity=pol,
        )
    )


@budget()
@given(
    mostly(arrays(positive())),
    mostly(st.sampled_from([[0.25] * 4, [0.3, 0.2, 0.2, 0.3]]), arrays()),
    st.one_of(st.none(), st.integers(-2, 14), st.just(400), wrong()),
)
def test_phase(annual: Any, shares: Any, ndigits: Any) -> None:
    result = check(attempt(outcomes.phase, annual, shares, ndigits=ndigits))
    if not isinstance(result, Refused) and ndigits is not None:
        total = np.asarray(result).sum(axis=-1)
        from outcomes._arrays import round_half_up

        assert np.allclose(total, round_half_up(annual, ndigits))


@budget()
@given(st.lists(st.tuples(BASELINES, POLARITIES, UNITS_OR_NONE), max_size=3), anything())
def test_composite(parts: Any, measure: Any) -> None:
    built = [
        attempt(outcomes.hold, b, start="2013/14", end="2015/16", polarity=p, unit=u)
        for b, p, u in parts
    ]
    trajectories = [t for t in built if isinstance(t, Trajectory)]
    check(
        attempt(
            outcomes.composite, trajectories, measure=measure if isinstance(measure, str) else None
        )
    )
    check(attempt(outcomes.composite, [*trajectories, measure]))


@budget()
@given(PROFILES, anything())
def test_cumulative_share(profile: Any, x: Any) -> None:
    from outcomes import trajectories

    result = attempt(trajectories.cumulative_share, profile, x)
    if not isinstance(result, Refused):
        nan_only_where(result, np.isnan(np.asarray(x, dtype=float)), "shares")


def check_trajectory_methods(t: Trajectory) -> None:
    for ndigits in (0, 3, 400, -1, "x", None):
        check(attempt(t.rounded, ndigits))
    for which in ("2014/15", "2099/00", "x", 3, None):
        attempt(t.index, which)
        attempt(t.__getitem__, which)
    change = attempt(t.change)
    if not isinstance(change, Refused):  # relative change from a zero baseline is NaN, marked
        zero = np.broadcast_to((t.baseline == 0)[..., np.newaxis], t.values.shape)
        nan_only_where(change.relative, zero, "relative change")
        finite(change.absolute)
    for codes in (["a"], ["a", "a"], [], "ab", None, [1, 2, 3]):
        attempt(t.with_organisations, codes)  # type: ignore[arg-type]
    str(t)
    repr(t)
    t.to_records()
    assert Trajectory.model_validate_json(t.model_dump_json()) == t


@budget()
@given(mostly(st.lists(positive(), min_size=1, max_size=3)), spans())
def test_trajectory_methods(b: Any, span: Any) -> None:
    t = attempt(outcomes.percentage_change, b, -0.1, **span)
    if isinstance(t, Trajectory):
        check_trajectory_methods(t)


# --------------------------------------------------------------------------------------------
# scoring, incentives, roll-up, oversight
# --------------------------------------------------------------------------------------------

CELL = st.one_of(
    st.floats(min_value=0, max_value=200),
    st.sampled_from([math.nan, None, "..", "Awaiting data", "x", "", "1,234.5", -1.0, math.inf]),
    numbers(),
)


@st.composite
def trajectories_to_score(draw: Any) -> Trajectory:
    unit_id = draw(st.sampled_from([None, "percent", "proportion", "per_100000", "count", "eq5d"]))
    bounds = {"percent": 100.0, "proportion": 1.0, "eq5d": 1.0}
    top = bounds.get(unit_id or "", 1e4)
    b = draw(st.lists(st.floats(min_value=0, max_value=top), min_size=1, max_size=3))
    rate = draw(st.floats(min_value=-0.2, max_value=0.0))
    measure = draw(st.sampled_from(["pyll", "=1+1", None]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutcomesWarning)  # fractions for a percentage: allowed
        return outcomes.percentage_change(
            b, rate, start="2013/14", end="2015/16", polarity="lower", unit=unit_id, measure=measure
        )


def cells(shape: tuple[int, ...]) -> st.SearchStrategy[Any]:
    rows, cols = shape
    grid = st.lists(st.lists(CELL, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    return st.one_of(
        grid,
        grid.map(lambda g: np.asarray(g, dtype=object)),
        st.dictionaries(st.sampled_from(["2014/15", "2015/16", "2099/00", "x"]), grid, max_size=2),
        anything(),
    )


@budget()
@given(trajectories_to_score(), st.data())
def test_score(t: Trajectory, data: st.DataObject) -> None:
    shape = t.values.shape
    kwargs: dict[str, Any] = {}
    choice = data.draw(st.sampled_from(["none", "interval", "counts", "junk"]))
    if choice == "interval":
        kwargs["lower"] = data.draw(cells(shape))
        kwargs["upper"] = data.draw(cells(shape))
    elif choice == "counts":
        kwargs["count"] = data.draw(cells(shape))
        kwargs["denominator"] = data.draw(cells(shape))
    elif choice == "junk":
        kwargs[data.draw(st.sampled_from(["lower", "count"]))] = data.draw(anything())
    result = attempt(
        outcomes.score,
        t,
        data.draw(cells(shape)),
        polarity=data.draw(st.one_of(st.none(), POLARITIES)),
        tolerance=data.draw(mostly(st.floats(0, 10), numbers())),
        tolerance_kind=data.draw(mostly(st.sampled_from(["absolute", "relative"]))),
        amber_progress=data.draw(st.one_of(st.none(), st.floats(0, 1), numbers())),
        confidence=data.draw(CONFIDENCE),
        method=data.draw(mostly(st.sampled_from(["auto", "byar", "exact"]))),
        **kwargs,
    )
    check(result)
    if isinstance(result, Score):
        result.to_records()


@budget()
@given(anything())
def test_score_needs_a_trajectory(value: Any) -> None:
    attempt(outcomes.score, value, [1.0])


@budget()
@given(anything(), st.sampled_from(["actuals", "lower"]))
def test_parse_values(value: Any, name: str) -> None:
    from outcomes.scoring import parse_values

    result = attempt(parse_values, value, name)
    if not isinstance(result, Refused):
        assert not np.isinf(result).any()


ACHIEVED = st.dictionaries(
    st.sampled_from(["pyll", "iapt", "emergency-admissions", "local", "bogus"]),
    st.one_of(
        st.booleans(),
        st.floats(0, 1),
        numbers(),
        wrong(),
        st.dictionaries(st.text(max_size=3), st.booleans(), max_size=2),
    ),
    max_size=4,
)


@budget()
@given(
    mostly(st.sampled_from(["quality-premium-2014-15", "quality-premium-2015-16"]), anything()),
    mostly(st.floats(0, 1e6), numbers()),
    ACHIEVED,
    st.one_of(st.just(()), st.lists(st.sampled_from(["ae-4-hours", "bogus"]), max_size=2), wrong()),
    st.one_of(st.none(), numbers(), wrong()),
    st.one_of(st.none(), numbers(), wrong()),
    anything(),
)
def test_quality_premium(
    scheme: Any,
    population: Any,
    achieved: Any,
    missed: Any,
    per_head: Any,
    reduction: Any,
    flag: Any,
) -> None:
    check(
        attempt(
            incentives.quality_premium,
            scheme,
            population=population,
            achieved=achieved,
            constitution_missed=missed,
            value_per_head=per_head,
            constitution_reduction=reduction,
            quality_failure=flag if isinstance(flag, bool) else False,
        )
    )
    attempt(incentives.quality_premium, "quality-premium-2014-15", population=1000, achieved=flag)


@budget()
@given(
    mostly(arrays(st.floats(0, 1e5))),
    mostly(arrays(st.floats(0, 0.9))),
    mostly(arrays(st.floats(0, 1e5))),
    st.one_of(st.none(), numbers(), wrong()),
    st.one_of(st.none(), numbers(), wrong()),
    st.one_of(st.none(), st.lists(st.text(max_size=3), max_size=4), wrong()),
    mostly(st.sampled_from(["bcf-2015-16", "bcf-2025-26"]), anything()),
)
def test_bcf_performance_payment(
    base: Any, reduction: Any, actual: Any, cost: Any, pot: Any, labels: Any, framework: Any
) -> None:
    check(
        attempt(
            incentives.bcf_performance_payment,
            baseline_admissions=base,
            planned_reduction=reduction,
            actual_admissions=actual,
            cost_per_admission=cost,
            pot=pot,
            periods=labels,
            framework=framework,
        )
    )


@budget()
@given(
    mostly(arrays(st.floats(0, 100))),
    mostly(st.sampled_from(["qof-2024-25", "qof-2025-26"]), anything()),
    mostly(arrays(st.floats(0, 2))),
    mostly(arrays(st.floats(0, 2))),
    st.one_of(st.none(), numbers(), wrong()),
)
def test_qof_payment(points: Any, edition: Any, cpi: Any, apdf: Any, value: Any) -> None:
    check(
        attempt(
            incentives.qof_payment,
            points,
            edition=edition,
            list_size_adjustment=cpi,
            prevalence_adjustment=apdf,
            point_value=value,
        )
    )


@budget()
@given(
    mostly(arrays(st.floats(0, 100))),
    mostly(arrays(st.floats(0, 50))),
    mostly(arrays(st.floats(0, 50))),
    mostly(arrays(st.floats(51, 100))),
)
def test_qof_points(achievement: Any, top: Any, lower: Any, upper: Any) -> None:
    result = attempt(incentives.qof_points, achievement, max_points=top, lower=lower, upper=upper)
    if not isinstance(result, Refused):  # NaN achievement (not reported) gives NaN points
        missing = np.isnan(np.asarray(achievement, dtype=float))
        nan_only_where(result, np.broadcast_to(missing, np.shape(result)), "points")


@budget()
@given(numbers())
def test_money(amount: Any) -> None:
    result = attempt(incentives.money, amount)
    assert isinstance(result, str | Refused)
    if isinstance(result, str):
        assert "nan" not in result and "inf" not in result


@st.composite
def members(draw: Any) -> Any:
    unit_id = draw(st.sampled_from([None, "per_100000", "count", "score", "percent"]))
    b = draw(st.lists(positive(), min_size=1, max_size=4))
    b = [min(x, 100.0) for x in b]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutcomesWarning)  # fractions for a percentage: allowed
        t = outcomes.percentage_change(b, -0.1, start="2013/14", end="2015/16", unit=unit_id)
        if draw(st.booleans()):
            return t
        return [outcomes.hold(x, start="2013/14", end="2015/16", unit=unit_id) for x in b]


@budget()
@given(
    members(),
    mostly(st.lists(st.floats(0, 1e6), min_size=1, max_size=4), anything()),
    mostly(st.sampled_from(["rate", "count", "mean"]), st.sampled_from(WRONG_STRINGS)),
    anything(),
)
def test_roll_up(trajectories: Any, populations: Any, kind: Any, junk: Any) -> None:
    check(attempt(rollup.roll_up, trajectories, populations, kind=kind))
    check(attempt(rollup.roll_up, junk, populations, kind=kind))


@budget()
@given(
    mostly(positive(), numbers()),
    mostly(st.lists(st.floats(0, 1e6), min_size=1, max_size=4), anything()),
    mostly(st.lists(positive(), min_size=1, max_size=4), anything()),
    mostly(st.sampled_from(["relative", "absolute"]), st.sampled_from(WRONG_STRINGS)),
    mostly(st.sampled_from(["rate", "count"]), st.sampled_from(WRONG_STRINGS)),
    PROFILES,
    st.one_of(st.none(), POLARITIES),
    UNITS_OR_NONE,
)
def test_apportion(
    target: Any, pops: Any, bases: Any, method: Any, kind: Any, profile: Any, pol: Any, unit_id: Any
) -> None:
    check(
        attempt(
            rollup.apportion,
            target,
            pops,
            bases,
            start="2013/14",
            end="2015/16",
            method=method,
            kind=kind,
            profile=profile,
            polarity=pol,
            unit=unit_id,
        )
    )


@budget()
@given(
    mostly(
        st.lists(st.one_of(st.floats(0, 100), st.just(math.nan)), min_size=1, max_size=8),
        anything(),
    ),
    mostly(st.sampled_from(["higher", "lower"]), anything()),
    mostly(st.just("rank"), st.sampled_from(WRONG_STRINGS)),
    st.one_of(st.none(), st.sampled_from(["OF0023", "bogus", ""]), wrong()),
)
def test_metric_scores(values: Any, polarity: Any, method: Any, metric: Any) -> None:
    check(attempt(oversight.metric_scores, values, polarity=polarity, method=method, metric=metric))


@budget()
@given(
    mostly(
        st.lists(st.one_of(st.floats(1, 4), st.just(math.nan)), min_size=1, max_size=8), anything()
    ),
    mostly(st.sampled_from(["quartile", "thresholds"]), st.sampled_from(WRONG_STRINGS)),
    st.one_of(st.none(), st.just((2.0, 2.5, 3.0)), anything()),
    st.one_of(
        st.none(),
        st.dictionaries(st.integers(-3, 9), st.one_of(st.integers(0, 6), wrong()), max_size=2),
        anything(),
    ),
)
def test_segments(avg: Any, method: Any, thresholds: Any, overrides: Any) -> None:
    check(
        attempt(oversight.segments, avg, method=method, thresholds=thresholds, overrides=overrides)
    )


# --------------------------------------------------------------------------------------------
# readers: random bytes and mangled real files give an InputError naming a line, or read
# --------------------------------------------------------------------------------------------

SCRATCH = Path(__import__("tempfile").mkdtemp(prefix="outcomes-fuzz-"))


def _head(path: Path, lines: int) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:lines])


REAL_FILES: dict[str, list[bytes]] = {
    "fingertips": [
        _head(DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv", 40),
        (DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv").read_bytes()[-3000:],
        _head(DATA / "pyll_ccg_2012_2014_person.csv", 20),  # real files of another layout
    ],
    "actuals": [
        (EXAMPLES / "illustrative-ccg-actuals.csv").read_bytes(),
        _head(DATA / "ascof_2a2_care_home_admissions_65plus_trafford_peers_2014_2024.csv", 20),
    ],
    "baselines": [
        (EXAMPLES / "illustrative-icb-baselines.csv").read_bytes(),
        _head(
            DATA / "ascof_2b1_home_91_days_after_reablement_greater_manchester_2010_2018.csv", 20
        ),
    ],
    "plan": [
        (EXAMPLES / name).read_bytes()
        for name in ("illustrative-ccg.toml", "illustrative-hwb.toml")
    ],
    "published": [(EXAMPLES / "published-rows.csv").read_bytes()],
    "history": [
        _head(EXAMPLES / "pyll-ccg-2009-2014.csv", 40),
        (EXAMPLES / "pyll-ccg-2009-2014.csv").read_bytes()[-2000:],
    ],
    "framework": [
        (ROOT / "src/outcomes/catalogue/data" / name).read_bytes()
        for name in ("bcf-2015-16.toml", "quality-premium-2014-15.toml", "qof-2024-25.toml")
    ],
}
NASTY = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x81",
    b"\xe9",
    b'"',
    b",",
    b"\r",
    b"\n",
    b"\r\n",
    b"=1+1",
    b"nan",
    b"inf",
    b"-1",
    b"1e400",
    b"..",
    b"[[",
    b"[a]\n" * 3,
    b"x = " + b"[" * 3000,
    b"a" * 120_000,
    "£é".encode("cp1252"),
    "£é".encode(),
)


@st.composite
def mangled(draw: Any, kind: str) -> bytes:
    """A real file of ``kind`` mangled: cut, spliced, repeated, re-encoded or random bytes."""
    if not draw(st.integers(0, 9)):
        return draw(st.binary(max_size=300))
    data = draw(st.sampled_from(REAL_FILES[kind]))
    for _ in range(draw(st.integers(0, 3))):
        n = len(data)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 200)))
        action = draw(
            st.sampled_from(["insert", "delete", "replace", "repeat", "truncate", "swap"])
        )
        piece = draw(st.one_of(st.sampled_from(NASTY), st.binary(max_size=20)))
        if action == "insert":
            data = data[:i] + piece + data[i:]
        elif action == "delete":
            data = data[:i] + data[j:]
        elif action == "replace":
            data = data[:i] + piece + data[j:]
        elif action == "repeat":
            data = data[:j] + data[i:j] * draw(st.integers(1, 3)) + data[j:]
        elif action == "truncate":
            data = data[:i]
        else:
            lines = data.splitlines(keepends=True)
            if len(lines) > 2:
                a, b = sorted(
                    draw(st.lists(st.integers(0, len(lines) - 1), min_size=2, max_size=2))
                )
                lines[a], lines[b] = lines[b], lines[a]
                data = b"".join(lines)
    if not draw(st.integers(0, 6)):
        text = data.decode("utf-8", errors="replace")
        data = text.encode(
            draw(st.sampled_from(["utf-16", "cp1252", "utf-8-sig"])), errors="replace"
        )
    return data


def read_mangled(data: bytes, suffix: str, reader: Callable[[Path], Any]) -> Any:
    path = SCRATCH / f"input{suffix}"
    path.write_bytes(data)
    result = attempt(reader, path)
    if isinstance(result, Refused):
        error = result.error
        message = str(error)
        assert str(path) in message or "<" in message, f"the file is not named: {message}"
        if suffix == ".csv":
            assert isinstance(error, InputError), f"{type(error).__name__}: {message}"
            assert re.search(r"lines? \d+", message), f"no line number: {message}"
        else:  # a TOML file: its line (syntax) or the key path of every problem
            assert re.search(r"lines? \d+|: [\w\[\]().-]+: |\n  \S+: ", message), message
    return result


@budget(0.5)
@given(mangled("fingertips"))
def test_read_fingertips_mangled(data: bytes) -> None:
    result = read_mangled(data, ".csv", outcomes.read_fingertips)
    if not isinstance(result, Refused):
        for name in ("value", "lower_95", "upper_95", "count", "denominator"):
            assert not np.isinf(result.columns[name]).any()
        for problem in result.problems:
            assert re.search(r"line \d+", problem)
        assert len(result.records) == len(result)  # every kept row is a valid record
        assert len(result.to_frame()) == len(result)
    read_mangled(data, ".csv", lambda p: outcomes.read_fingertips(p, strict=True))


@budget(0.5)
@given(mangled("actuals"))
def test_read_actuals_mangled(data: bytes) -> None:
    result = read_mangled(data, ".csv", outcomes.read_actuals)
    if not isinstance(result, Refused):
        for name in ("value", "lower", "upper", "count", "denominator"):
            assert not np.isinf(getattr(result, name)).any()


@budget(0.5)
@given(mangled("baselines"))
def test_read_baselines_mangled(data: bytes) -> None:
    result = read_mangled(data, ".csv", outcomes.read_baselines)
    if not isinstance(result, Refused):
        assert np.isfinite(result.value).all()


@budget(0.5)
@given(mangled("plan"))
def test_load_plan_mangled(data: bytes) -> None:
    read_mangled(data, ".toml", outcomes.load_plan)


@budget(0.5)
@given(mangled("framework"))
def test_catalogue_load_file_mangled(data: bytes) -> None:
    read_mangled(data, ".toml", catalogue.load_file)


@budget(0.5)
@given(
    st.one_of(st.text(max_size=200), mangled("plan").map(lambda b: b.decode("utf-8", "replace")))
)
def test_parse_plan_and_catalogue_text(text: str) -> None:
    attempt(outcomes.parse_plan, text)
    attempt(catalogue.parse, text)
    attempt(catalogue.parse, text, json=True)
    attempt(catalogue.load, text)


ROW_VALUE = st.one_of(
    st.text(max_size=6), numbers(), st.none(), st.sampled_from(["..", "2014/15", "pyll", "x"])
)
ROWS = st.one_of(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "measure",
                    "period",
                    "value",
                    "organisation",
                    "lower",
                    "upper",
                    "count",
                    "denominator",
                    "name",
                    "population",
                    "Value",
                    " Period ",
                    "junk",
                ]
            ),
            ROW_VALUE,
            max_size=8,
        ),
        max_size=5,
    ),
    anything(),
)


@budget()
@given(ROWS)
def test_tables_from_rows(rows: Any) -> None:
    for table in (ActualsTable, BaselinesTable):
        result = attempt(table.from_rows, rows)
        if isinstance(result, Refused) and isinstance(result.error, InputError):
            assert re.search(r"line \d+|missing column|rows", str(result.error)), str(result.error)


# --------------------------------------------------------------------------------------------
# writers: every output safe (formulas escaped, no non-finite numbers, valid files)
# --------------------------------------------------------------------------------------------

TEXT_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "a|b", "a\nb", "£é", "\x1b", "'"]
    ),
)
CELL_VALUE = st.one_of(
    TEXT_CELL,
    st.floats(),
    st.sampled_from(ODD_FLOATS),
    st.integers(-(10**20), 10**20),
    st.just(10**400),
    st.booleans(),
    st.none(),
    st.sampled_from([np.float64(1.5), np.int64(3), np.nan, [1], object()]),
)
COLUMN = st.builds(
    Column,
    st.one_of(TEXT_CELL, st.sampled_from([3, None])),
    st.one_of(st.none(), st.integers(0, 4), st.sampled_from([-1, 400, "x"])),
)


@st.composite
def tables(draw: Any) -> Table:
    columns = tuple(draw(st.lists(COLUMN, min_size=0, max_size=4)))
    width = len(columns)
    row = st.lists(CELL_VALUE, min_size=width, max_size=width)
    rows = draw(
        st.one_of(st.lists(row, max_size=4), st.lists(st.lists(CELL_VALUE, max_size=5), max_size=2))
    )
    name = draw(
        st.one_of(
            st.sampled_from(["targets", "a/b", "x" * 40, "History", "'quoted'", "", "[1]", "\x00"]),
            st.text(max_size=35),
        )
    )
    return Table(name, columns, rows)


def check_csv(text: str, table: Table) -> None:
    """Formula-like text escaped in every cell; numbers written finite; NaN (missing) empty."""
    import csv

    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    for record in records:
        for cell in record:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), f"formula in CSV: {cell!r}"
            if cell.startswith("-"):  # a negative number, or escaped text
                float(cell)
    for record, row in zip(records[1:], table.rows, strict=True):
        for cell, value in zip(record, row, strict=True):
            if isinstance(value, float | np.floating):
                if math.isnan(value):
                    assert cell == "", f"NaN written as {cell!r}"
                else:
                    assert math.isfinite(float(cell)), f"{value!r} written as {cell!r}"


def check_json(text: str) -> None:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON")

    json.loads(text, parse_constant=refuse)


def check_markdown(text: str, table: Table) -> None:
    if not table.columns:
        assert text == ""
        return
    lines = text.split("\n")
    assert len(lines) == len(table.rows) + 2, "a newline in a cell broke the table"
    for line in lines:
        bars = len(re.findall(r"(?<!\\)\|", line.replace("\\\\", "")))
        assert bars == len(table.columns) + 1, line


@budget()
@given(tables())
def test_text_writers(table: Table) -> None:
    csv_text = attempt(writers.write_csv, table)
    if not isinstance(csv_text, Refused):
        check_csv(csv_text, table)
    json_text = attempt(writers.write_json, table)
    if not isinstance(json_text, Refused):
        check_json(json_text)
    markdown = attempt(writers.to_markdown, table)
    if not isinstance(markdown, Refused):
        check_markdown(markdown, table)
    attempt(writers.render, table)
    for fmt in ("table", "csv", "json", "md", "xlsx", "bogus"):
        attempt(writers.render_tables, [table], fmt)
    attempt(writers.render_tables, [], "csv")
    attempt(writers.write_json, [table, table])


@budget(0.3)
@given(st.lists(tables(), min_size=1, max_size=3))
def test_write_xlsx(tables_: list[Table]) -> None:
    from openpyxl import load_workbook

    path = SCRATCH / "out.xlsx"
    result = attempt(writers.write_xlsx, tables_, path)
    if isinstance(result, Refused):
        return
    book = load_workbook(path)
    assert len(book.sheetnames) == len(tables_)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, float):
                    assert math.isfinite(cell.value)


@budget(0.5)
@given(
    st.one_of(
        st.sampled_from(
            ["out.csv", "OUT.CSV", "out.json", "out.md", "out.xlsx", "out.XLSX", "out.txt"]
        ),
        st.sampled_from(["out", "out.bogus", "-", "", "dir/", "nofolder/out.csv"]),
        st.text(max_size=8),
    ),
    st.one_of(
        st.none(),
        st.sampled_from(["table", "csv", "json", "md", "xlsx"]),
        st.sampled_from(WRONG_STRINGS),
    ),
)
def test_format_for_and_write_tables(name: str, given_format: Any) -> None:
    fmt = attempt(writers.format_for, name, given_format)
    if isinstance(fmt, Refused) or name in ("-", ""):
        return
    table = Table("t", (Column("a", 1),), [(1.25,), (math.nan,)])
    (SCRATCH / "formats").mkdir(exist_ok=True)
    path = SCRATCH / "formats" / name
    result = attempt(writers.write_tables, [table], path, fmt)
    if not isinstance(result, Refused) and fmt in ("csv", "json"):
        text = Path(result).read_text(encoding="utf-8-sig")
        (check_csv if fmt == "csv" else lambda t, *_: check_json(t))(text, table)


# --------------------------------------------------------------------------------------------
# workflow: plans generated as TOML text, scored against generated actuals
# --------------------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """A Python value as TOML (NaN and infinities are TOML floats too)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
        )
    return json.dumps(str(value))


TOML_NUMBER = st.one_of(
    st.floats(min_value=0, max_value=3000),
    st.sampled_from([math.nan, math.inf, -1.0, 0.0, 1e308, 150.0, 0.5]),
    st.integers(-5, 10**6),
    st.just(10**30),
)
VALID_RULES = st.one_of(
    st.fixed_dictionaries({"name": st.just("percentage_change"), "rate": st.floats(-0.2, 0.1)}),
    st.fixed_dictionaries({"name": st.just("hold")}),
    st.fixed_dictionaries(
        {
            "name": st.just("to_target"),
            "target": st.floats(0.1, 100),
            "profile": st.sampled_from(["linear", "geometric", "front-loaded"]),
        }
    ),
    st.fixed_dictionaries({"name": st.just("reach_national"), "national": st.floats(0, 100)}),
    st.fixed_dictionaries(
        {
            "name": st.just("quantile_step"),
            "peers": st.lists(st.floats(0, 100), min_size=5, max_size=8),
            "quantiles": st.sampled_from([4, 5]),
        }
    ),
)
BAD_RULES = st.one_of(
    st.fixed_dictionaries({"name": st.just("percentage_change"), "rate": TOML_NUMBER}),
    st.fixed_dictionaries(
        {"name": st.just("to_target"), "target": TOML_NUMBER, "profile": st.just("bogus")}
    ),
    st.fixed_dictionaries(
        {"name": st.just("quantile_step"), "peers": st.lists(TOML_NUMBER, max_size=6)}
    ),
    st.fixed_dictionaries({"name": st.sampled_from(["two_phase", "bogus"]), "rate": TOML_NUMBER}),
)


@st.composite
def plan_texts(draw: Any) -> str:
    """Plan files: valid most of the time (so runs and scores are reached), with one kind of bad
    value or another in about one in four."""
    bad = draw(st.integers(0, 3)) == 0

    def pick(valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(valid, invalid) if bad else valid)

    lines = [f"end = {toml_value(pick(st.sampled_from(['2015/16', '2016/17']), st.just('x')))}"]
    if draw(st.booleans()):
        lines.append('first = "2014/15"')
    organisation = {
        "code": pick(st.sampled_from(["99Z", "=1+1"]), st.just("")),
        "name": "Fuzz CCG",
        "population": pick(st.floats(0, 1e7), TOML_NUMBER),
    }
    lines.append(f"organisation = {toml_value(organisation)}")
    n = pick(st.integers(1, 3), st.just(0))
    for i in range(n):
        key = draw(st.sampled_from(["pyll", "m", "=1+1", "a|b"])) + str(i)
        measure: dict[str, Any] = {
            "baseline": {
                "value": pick(st.floats(0, 100), TOML_NUMBER),
                "period": pick(st.sampled_from(["2013", "2013/14"]), st.just("x")),
            },
            "rule": pick(VALID_RULES, BAD_RULES),
        }
        if draw(st.booleans()):
            measure["ambition"] = pick(st.integers(1, 6), st.integers(0, 8))
        else:
            measure["polarity"] = pick(st.sampled_from(["higher", "lower"]), st.just("sideways"))
        optional = {
            "unit": (
                st.sampled_from(["percent", "per_100000", "count", "proportion"]),
                st.just("furlongs"),
            ),
            "ndigits": (st.integers(0, 6), st.integers(-1, 8)),
            "tolerance": (st.floats(0, 5), TOML_NUMBER),
            "amber_progress": (st.floats(0, 1), TOML_NUMBER),
            "quality_premium": (st.just("pyll"), st.just("bogus")),
        }
        for name, (valid, invalid) in optional.items():
            if draw(st.booleans()):
                measure[name] = pick(valid, invalid)
        lines.append(f"[measures.{json.dumps(key)}]")
        lines += [f"{k} = {toml_value(v)}" for k, v in measure.items()]
    if draw(st.booleans()):
        lines.append("[quality_premium]")
        lines.append(
            f"achieved = {toml_value({'iapt': pick(st.sampled_from([True, 0.5]), st.just(2.0))})}"
        )
    return "\n".join(lines) + "\n"


def check_plan_targets(targets: Any) -> None:
    for key, t in targets.items():
        check_trajectory(t)
        check_trajectory(targets.published(key))
    str(targets)
    for table in targets.tables():
        writers.write_csv(table)
        writers.write_json(table)


@budget(0.5)
@given(plan_texts(), st.data())
def test_plans_run_and_score(text: str, data: st.DataObject) -> None:
    plan = attempt(outcomes.parse_plan, text)
    if isinstance(plan, Refused):
        return
    targets = attempt(outcomes.run_plan, plan)
    if isinstance(targets, Refused):
        return
    check_plan_targets(targets)
    rows = []
    for key, t in targets.items():
        for p in t.periods:
            if data.draw(st.integers(0, 3)):
                rows.append(
                    {
                        "measure": key,
                        "period": str(p),
                        "value": data.draw(CELL),
                        **data.draw(
                            st.fixed_dictionaries(
                                {},
                                optional={
                                    "lower": CELL,
                                    "upper": CELL,
                                    "count": CELL,
                                    "denominator": CELL,
                                },
                            )
                        ),
                    }
                )
    if data.draw(st.integers(0, 4)) == 0:
        rows.append(
            data.draw(
                st.sampled_from([{"measure": "bogus", "period": "2014/15", "value": 1}, *rows[:1]])
            )
        )
    scores = attempt(outcomes.score_plan, plan, rows)
    if isinstance(scores, Refused):
        return
    for s in scores.values():
        check_score(s)
    str(scores)
    for table in scores.tables():
        writers.write_csv(table)
        writers.write_json(table)
    check(attempt(outcomes.premium, plan, scores))


@budget(0.5)
@given(anything(), anything())
def test_workflow_wrong_arguments(plan: Any, other: Any) -> None:
    attempt(outcomes.run_plan, plan)
    attempt(outcomes.run_plan, EXAMPLES / "illustrative-ccg.toml", baselines=other)
    attempt(outcomes.run_plan, EXAMPLES / "illustrative-ccg.toml", peers=other)
    attempt(outcomes.score_plan, EXAMPLES / "illustrative-ccg.toml", other)
    attempt(outcomes.premium, EXAMPLES / "illustrative-ccg.toml", other)
    attempt(outcomes.load_plan, other)


FINGERTIPS = DATA / "fingertips_93356_campylobacter_utla_2015_2017.csv"


@budget(0.3)
@given(
    st.one_of(st.none(), st.integers(0, 10**5), st.just(93356)),
    st.one_of(st.none(), st.sampled_from(["2017", "2016", "x"])),
    st.one_of(st.none(), st.sampled_from(["County & UA", "x"])),
    st.one_of(st.none(), st.sampled_from(["All ages", "x"])),
)
def test_select_peers(indicator: Any, period_: Any, area_type: Any, age: Any) -> None:
    result = attempt(
        outcomes.select_peers,
        str(FINGERTIPS),
        indicator=indicator,
        period=period_,
        area_type=area_type,
        age=age,
    )
    if not isinstance(result, Refused):
        finite(result.values)


# --------------------------------------------------------------------------------------------
# frames
# --------------------------------------------------------------------------------------------


@budget(0.5)
@given(ROWS)
def test_frames_from_data_frames(rows: Any) -> None:
    import pandas as pd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' own deprecations about ragged rows
            frame = pd.DataFrame(rows)
    except Exception:  # pandas refuses the rows: nothing of ours to test
        frame = rows
    attempt(frames.actuals_from_frame, frame)
    attempt(frames.baselines_from_frame, frame)


@budget(0.5)
@given(trajectories_to_score(), st.data())
def test_frames_of_results(t: Trajectory, data: st.DataObject) -> None:
    frame = frames.trajectory_frame(t)
    assert np.isfinite(frame["target"]).all()
    s = attempt(outcomes.score, t, data.draw(cells(t.values.shape)))
    if isinstance(s, Score):
        frame = frames.score_frame(s)
        missing = frame["rag"] == "GREY"
        assert not frame.loc[~missing, "actual"].isna().any()
        assert frame.loc[missing, "actual"].isna().all()
    attempt(frames.trajectory_frame, data.draw(anything()))
    attempt(frames.score_frame, data.draw(anything()))


# --------------------------------------------------------------------------------------------
# the command line: any arguments give an exit status 0, 1 or 2, never a traceback; inputs
# are never changed
# --------------------------------------------------------------------------------------------

CLI_FOLDER = SCRATCH / "cli"
CLI_FOLDER.mkdir()
for _item in EXAMPLES.iterdir():
    (CLI_FOLDER / _item.name).write_bytes(_item.read_bytes())
(CLI_FOLDER / "fingertips.csv").write_bytes(_head(FINGERTIPS, 60))
(CLI_FOLDER / "garbage.csv").write_bytes(b"\xff\xfe\x00garbage")
CLI_INPUTS = {p.name: p.read_bytes() for p in CLI_FOLDER.iterdir()}
FILES = st.sampled_from([*sorted(CLI_INPUTS), "missing.csv", "out.csv", "out.XLSX", "-", "out"])
OUTPUTS = st.sampled_from(
    [
        "out.csv",
        "out.json",
        "out.md",
        "out.xlsx",
        "OUT.XLSX",
        "out.txt",
        "-",
        "out.bogus",
        "out",
        "illustrative-ccg.toml",
        "illustrative-ccg-actuals.csv",
        "nofolder/out.csv",
    ]
)
OPTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("-o"), OUTPUTS),
        st.tuples(
            st.just("--format"), st.sampled_from(["table", "csv", "json", "md", "xlsx", "yaml"])
        ),
        st.tuples(st.just("--no-bom")),
        st.tuples(
            st.just("--chart"),
            st.sampled_from(["chart.png", "chart.svg", "chart.toml", "published-rows.csv"]),
        ),
        st.tuples(st.just("--baselines"), FILES),
        st.tuples(st.just("--peers"), FILES),
        st.tuples(st.just("--peers-period"), st.sampled_from(["2017", "x"])),
        st.tuples(
            st.just("--framework"), st.sampled_from(["nhsof-2014-15", "bcf-2015-16", "bogus"])
        ),
        st.tuples(st.just("--organisation"), st.sampled_from(["99Z", "99A", "x"])),
        st.tuples(st.sampled_from(["--bogus", "--json", "--force", "-h"])),
    ),
    max_size=3,
).map(lambda pairs: [part for pair in pairs for part in pair])
COMMANDS = st.one_of(
    st.tuples(st.just("plan"), FILES),
    st.tuples(st.just("score"), FILES, FILES),
    st.tuples(st.just("premium"), FILES, FILES),
    st.tuples(st.just("audit"), FILES),
    st.tuples(st.just("list"), st.sampled_from(["indicators", "bcf", "qof", "bogus"])),
    st.tuples(
        st.just("show"),
        st.sampled_from(["nhsof-2014-15", "qof-2024-25", "bogus"]),
        st.sampled_from(["1a", "x"]),
    ),
    st.tuples(st.sampled_from(["frameworks", "rules", "schema", "bogus", ""])),
    st.tuples(st.just("schema"), st.sampled_from(["Plan", "Trajectory", "x"])),
)
PLAN_ARGS = st.one_of(
    st.tuples(st.just("plan"), st.sampled_from(["illustrative-ccg.toml", "illustrative-icb.toml"])),
    st.tuples(
        st.just("score"), st.just("illustrative-ccg.toml"), st.just("illustrative-ccg-actuals.csv")
    ),
)


@budget(0.25)
@given(st.one_of(COMMANDS, PLAN_ARGS), OPTIONS)
def test_cli(command: tuple[str, ...], options: list[str]) -> None:
    from outcomes.cli import main

    argv = [part for part in command if part] + options
    # the command's inputs: its file arguments, and the baselines file the ICB plan names
    output_at = {i + 1 for i, a in enumerate(argv) if a in ("-o", "--chart")}
    inputs = {a for i, a in enumerate(argv) if a in CLI_INPUTS and i not in output_at}
    if "illustrative-icb.toml" in inputs:
        inputs.add("illustrative-icb-baselines.csv")
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    changed: list[str] = []
    try:
        os.chdir(CLI_FOLDER)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), strict_warnings():
            code = main(argv)
    finally:  # whatever happened, put the folder back as it was for the next example
        os.chdir(cwd)
        for name, data in CLI_INPUTS.items():
            if (CLI_FOLDER / name).read_bytes() != data:
                changed.append(name)
                (CLI_FOLDER / name).write_bytes(data)  # an output over an example: allowed
        written = {p.name: p.read_bytes() for p in CLI_FOLDER.glob("out.*")}
        for name in written:
            (CLI_FOLDER / name).unlink()
    assert not inputs & set(changed), (
        f"the inputs {inputs & set(changed)} were overwritten by {argv}"
    )
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in err.getvalue()
    if code:
        assert err.getvalue().strip(), f"exit {code} without a message: {argv}"
    for name, data in written.items():
        if name.lower().endswith(".json"):
            check_json(data.decode("utf-8"))


# --------------------------------------------------------------------------------------------
# outcomes.audit
# --------------------------------------------------------------------------------------------

PRINTED = st.one_of(
    st.floats(min_value=0, max_value=3000),
    numbers(),
    st.sampled_from(["..", "1,234.5", "x", "", None]),
)


@budget()
@given(
    mostly(st.lists(PRINTED, min_size=2, max_size=5), anything()),
    mostly(positive(), anything()),
    mostly(st.sampled_from(["2012", "2013/14"]), PERIODS),
    mostly(
        st.just(["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]),
        st.lists(PERIODS, max_size=5),
    ),
    st.one_of(st.none(), st.integers(-1, 14), st.just(400), wrong()),
    st.one_of(st.none(), POLARITIES),
)
def test_audit(values: Any, baseline: Any, start: Any, labels: Any, ndigits: Any, pol: Any) -> None:
    report = attempt(
        outcomes.audit,
        values,
        baseline=baseline,
        start=start,
        periods=labels,
        ndigits=ndigits,
        polarity=pol,
    )
    if not isinstance(report, Refused):
        str(report)
        report.model_dump_json()
        if report.best is not None:
            finite(report.best.predicted, "predicted")


@budget(0.5)
@given(mangled("published"))
def test_audit_table_mangled(data: bytes) -> None:
    result = read_mangled(data, ".csv", outcomes.audit_table)
    if not isinstance(result, Refused):
        for report in result:
            str(report)
            if not report.audited:
                assert re.search(r"line \d+", report.reason or ""), report.reason


@budget()
@given(
    st.one_of(
        st.lists(
            st.dictionaries(
                st.sampled_from(["values", "baseline", "start", "periods", "x"]),
                anything(),
                max_size=5,
            ),
            max_size=3,
        ),
        anything(),
    )
)
def test_audit_table_rows(rows: Any) -> None:
    attempt(outcomes.audit_table, rows)


# --------------------------------------------------------------------------------------------
# the registry and the catalogue's lookups
# --------------------------------------------------------------------------------------------


@budget()
@given(
    mostly(st.sampled_from(outcomes.rules.names()), anything()),
    BASELINES,
    st.dictionaries(
        st.sampled_from(
            ["rate", "target", "national", "peers", "profile", "compound", "bogus", "start"]
        ),
        anything(),
        max_size=3,
    ),
    spans(),
)
def test_registry_calls(name: Any, b: Any, parameters: Any, span: Any) -> None:
    spec = attempt(outcomes.rules.get, name)
    if not isinstance(spec, Refused):
        check(attempt(spec.call, b, parameters, **span))


@budget()
@given(
    st.one_of(
        st.sampled_from(
            ["planning-2025-26/ae-4-hour", "planning-2025-26/x", "nhsof-2014-15/1a", "/", ""]
        ),
        anything(),
    )
)
def test_catalogue_lookups(reference: Any) -> None:
    attempt(catalogue.find_objective, reference)
    attempt(catalogue.load, reference)
    framework = catalogue.load("nhsof-2014-15")
    attempt(framework.entry, reference)
    attempt(framework.indicator, reference)


# --------------------------------------------------------------------------------------------
# checks of the results that carry their own missing markers (notes, verdicts)
# --------------------------------------------------------------------------------------------


def often(valid: st.SearchStrategy[Any], bad: st.SearchStrategy[Any] | None = None) -> Any:
    """Valid values nine times in ten, anything (or ``bad``) otherwise: with several arguments
    a call still gets past its checks to the computation most of the time (``mostly`` draws
    its bad branch about half the time)."""
    bad = anything() if bad is None else bad
    return st.integers(0, 9).flatmap(lambda i: bad if i == 7 else valid)


LEVEL = often(st.sampled_from([0.95, 0.998, 0.9]), st.sampled_from([99.8, 95, 0, 1, -1, "x"]))
DIRECTION = often(st.sampled_from(["higher", "lower"]), st.sampled_from([*WRONG_STRINGS, None]))


def _float_arrays(result: Any) -> Iterator[tuple[str, np.ndarray]]:
    """Every float array of a result model (fields, and the bounds of its intervals)."""
    for name, value in result:
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            yield name, value
        elif isinstance(value, dict):
            for level, interval in value.items():
                if isinstance(interval, stats.Interval):
                    for end in ("lower", "upper"):
                        array = np.asarray(getattr(interval, end), dtype=float)
                        yield f"{name}[{level}].{end}", array


def check_noted(result: Any, ok: tuple[str, ...] = ("", "OK")) -> None:
    """No infinity anywhere; NaN only where the note beside it says why (``ok`` notes mean the
    value was computed). Arrays with more axes than the note (horizons, start ages) share the
    note of their leading axes."""
    note = np.asarray(result.note)
    computed = np.isin(note, ok)
    for name, array in _float_arrays(result):
        assert not np.isinf(array).any(), f"{type(result).__name__}.{name}: infinite {array!r}"
        if array.shape[: note.ndim] == note.shape:
            mask = computed.reshape(note.shape + (1,) * (array.ndim - note.ndim))
            silent = np.isnan(array) & np.broadcast_to(mask, array.shape)
            assert not silent.any(), (
                f"{type(result).__name__}.{name}: NaN without a note in {array!r:.300} "
                f"(notes {note!r:.200})"
            )
    if "__str__" in {
        k for c in type(result).__mro__[:-1] if c.__module__.startswith("outcomes") for k in vars(c)
    }:
        check_words(str(result))  # a summary for readers (not pydantic's field dump)
    else:
        str(result)


def check_words(text: str) -> None:
    """Printed results say why a number is missing; never a bare 'nan' or 'inf'."""
    bare = re.search(r"(?<![\w.])[-+]?(nan|inf)\b%?", text, flags=re.IGNORECASE)
    assert not bare, f"{bare.group(0)!r} printed in {text!r:.400}"


def check_verdicts(result: Any, kind: type[Any]) -> None:
    """A comparer's answer: one member of its enum (scalar input) or an array of its values."""
    allowed = {member.value for member in kind}
    if isinstance(result, Refused):
        return
    if isinstance(result, np.ndarray):
        assert set(np.unique(result).tolist()) <= allowed, result
    else:
        assert isinstance(result, kind), repr(result)


# --------------------------------------------------------------------------------------------
# benchmark: comparers, goals, funnels, recent trends (and their DataFrame forms)
# --------------------------------------------------------------------------------------------

from outcomes import benchmark as bm  # noqa: E402
from outcomes import indicators as ind  # noqa: E402
from outcomes import realism  # noqa: E402


def spoil(draw: Any, valid: dict[str, Any], bad: dict[str, st.SearchStrategy[Any]]) -> Any:
    """The ``valid`` arguments as they are, or (one call in three) with one or two of them
    replaced by a draw from ``bad``: so every check is reached, and so is the computation."""
    if draw(st.integers(0, 2)) != 2:
        return dict(valid)
    names = draw(st.lists(st.sampled_from(sorted(bad)), min_size=1, max_size=2, unique=True))
    return {**valid, **{name: draw(bad[name]) for name in names}}


VALUES = often(arrays(st.floats(0, 200)))
PER = often(st.sampled_from([1, 100, 100_000]), numbers())
BAD_ARRAY = st.one_of(arrays(), wrong(), st.sampled_from(WRONG_STRINGS))
BAD_NUMBER = st.one_of(numbers(), wrong(), st.sampled_from(WRONG_STRINGS))
BAD_TEXT = st.one_of(st.sampled_from(WRONG_STRINGS), wrong(), numbers())
COMPARE_METHODS = ("single_overlap", "double_overlap", "two_level", "spc_proportion", "spc_dsr")


def _row(draw: Any, n: int, element: st.SearchStrategy[Any]) -> np.ndarray:
    return np.array(draw(st.lists(element, min_size=n, max_size=n)), dtype=float)


def _missing_sometimes(draw: Any, array: np.ndarray) -> np.ndarray:
    """A copy with a cell or two missing (NaN) now and then."""
    out = array.copy()
    for i in draw(st.lists(st.integers(0, out.size - 1), max_size=2)) if out.size else ():
        out.flat[i] = math.nan
    return out


@st.composite
def compare_calls(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    value = _missing_sometimes(draw, _row(draw, n, st.floats(0.5, 99.5)))
    width = _row(draw, n, st.floats(0, 10))
    method = draw(st.sampled_from(COMPARE_METHODS))
    valid = {
        "value": value if n > 1 or draw(st.booleans()) else float(value[0]),
        "benchmark": draw(st.floats(0.5, 99.5)),
        "polarity": draw(st.sampled_from(["higher", "lower", "none"])),
        "lower": value - width,
        "upper": value + width,
        "benchmark_lower": draw(st.floats(0, 40)),
        "benchmark_upper": draw(st.floats(60, 100)),
        "lower_998": value - 2 * width,
        "upper_998": value + 2 * width,
        "denominator": _row(draw, n, st.integers(1, 10**6)),
        "per": 100,
        "confidence": draw(st.sampled_from([0.95, 0.998])),
        "method": method,
    }
    bad = {name: BAD_ARRAY for name in valid if name not in ("per", "confidence", "method")}
    bad.update(
        polarity=st.one_of(st.sampled_from(WRONG_STRINGS), wrong()),
        per=BAD_NUMBER,
        confidence=st.one_of(LEVEL, BAD_NUMBER),
        method=BAD_TEXT,
        lower=st.one_of(st.none(), BAD_ARRAY, st.just(value + 1)),  # above the value
    )
    return spoil(draw, valid, bad)


@budget(0.5)
@given(compare_calls())
def test_compare(kwargs: dict[str, Any]) -> None:
    value, benchmark = kwargs.pop("value"), kwargs.pop("benchmark")
    check_verdicts(attempt(bm.compare, value, benchmark, **kwargs), bm.Significance)


@st.composite
def goal_calls(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    value = _missing_sometimes(draw, _row(draw, n, st.floats(0, 100)))
    width = _row(draw, n, st.floats(0, 10))
    low = draw(st.floats(0, 60))
    goal = draw(
        st.sampled_from(
            [
                low,
                (low, low + 20.0),
                stats.Interval(low, low + 5.0),
                math.nan,
            ]
        )
    )
    interval = draw(st.booleans())
    valid = {
        "value": value,
        "goal": goal,
        "polarity": draw(st.sampled_from(["higher", "lower", "none"])),
        "lower": value - width if interval else None,
        "upper": value + width if interval else None,
        "peers": _row(
            draw, draw(st.integers(0, 12)), st.one_of(st.floats(0, 100), st.just(math.nan))
        ),
        "percentiles": tuple(sorted(draw(st.lists(st.floats(0, 100), min_size=2, max_size=2)))),
    }
    bad = {
        "value": BAD_ARRAY,
        "goal": st.one_of(
            BAD_ARRAY,
            st.tuples(),
            st.tuples(VALUES),
            st.tuples(VALUES, VALUES, VALUES),
            st.just((60.0, 40.0)),
        ),
        "polarity": st.one_of(st.sampled_from(WRONG_STRINGS), wrong()),
        "lower": st.one_of(st.none(), BAD_ARRAY),
        "upper": BAD_ARRAY,
        "peers": BAD_ARRAY,
        "percentiles": st.one_of(
            st.tuples(BAD_NUMBER, BAD_NUMBER), st.just((90.0, 50.0)), st.just((99.8, 101.0))
        ),
    }
    return spoil(draw, valid, bad)


@budget(0.5)
@given(goal_calls())
def test_compare_to_goal(kwargs: dict[str, Any]) -> None:
    result = attempt(
        bm.compare_to_goal,
        kwargs["value"],
        kwargs["goal"],
        kwargs["polarity"],
        lower=kwargs["lower"],
        upper=kwargs["upper"],
    )
    check_verdicts(result, bm.Comparison)
    goal = kwargs["goal"]
    if not isinstance(result, Refused) and isinstance(goal, float) and math.isnan(goal):
        assert set(np.ravel(result).tolist()) == {"NOT_COMPARED"}  # a missing goal: never WORSE
    goal_range = attempt(bm.percentile_range_goal, kwargs["peers"], *kwargs["percentiles"])
    if not isinstance(goal_range, Refused):
        low, high = goal_range
        assert math.isnan(low) == math.isnan(high)  # a missing goal is missing at both ends
        finite([x for x in goal_range if not math.isnan(x)])
        if not math.isnan(low):
            assert low <= high
        check_verdicts(
            attempt(bm.compare_to_goal, kwargs["value"], goal_range, "higher"), bm.Comparison
        )


STATISTICS = often(st.sampled_from(["proportion", "ratio", "rate"]), st.sampled_from(WRONG_STRINGS))


@st.composite
def funnel_calls(draw: Any) -> dict[str, Any]:
    """Numerators, denominators and rates of one statistic, consistent (numerators no more
    than their denominators for a proportion; rates from the numerators and populations)."""
    n = draw(st.integers(1, 8))
    statistic = draw(st.sampled_from(["proportion", "ratio", "rate"]))
    denominator = _row(draw, n, st.integers(1, 10**6))
    share = _row(draw, n, st.floats(0, 1))
    if statistic == "proportion":
        numerator = np.floor(denominator * share)
    else:
        numerator = _row(draw, n, st.integers(0, 5000))
    numerator = _missing_sometimes(draw, numerator)
    per = draw(st.sampled_from([1, 100, 100_000]))
    rate_type = draw(st.sampled_from(["crude", "dsr"]))
    with np.errstate(all="ignore"):
        rate = np.where(numerator > 0, numerator / denominator * per * draw(st.floats(0.5, 2)), 0.0)
    use_rate = statistic == "rate" and (rate_type == "dsr" or draw(st.booleans()))
    valid = {
        "numerator": numerator,
        "denominator": denominator,
        "statistic": statistic,
        "target": draw(st.one_of(st.none(), st.floats(0, 1).map(lambda x: x * per))),
        "per": per,
        "rate": rate if use_rate else None,
        "rate_type": rate_type if statistic == "rate" else "crude",
        "confidence": draw(st.sampled_from([(0.95, 0.998), 0.95, [0.9]])),
        "years_of_data": draw(st.sampled_from([1, 3])),
        "ratio_type": draw(st.sampled_from(["count", "isr"])),
        "points": draw(st.integers(2, 20)),
    }
    bad = {
        "numerator": st.one_of(BAD_ARRAY, st.just(-numerator - 1)),
        "denominator": st.one_of(st.none(), BAD_ARRAY, st.just(numerator - 1)),
        "statistic": BAD_TEXT,
        "target": st.one_of(BAD_NUMBER, st.just(2.0 * per)),
        "per": BAD_NUMBER,
        "rate": st.one_of(BAD_ARRAY, st.just(np.zeros(n))),
        "rate_type": BAD_TEXT,
        "confidence": st.one_of(LEVEL, BAD_NUMBER, st.lists(LEVEL, max_size=3)),
        "years_of_data": BAD_NUMBER,
        "ratio_type": st.one_of(st.none(), BAD_TEXT),
        "points": st.one_of(st.integers(-1, 1), st.just(10**6), wrong()),
    }
    return spoil(draw, valid, bad)


@budget(0.5)
@given(funnel_calls())
def test_funnel_significance(kwargs: dict[str, Any]) -> None:
    result = attempt(
        bm.funnel_significance,
        kwargs["numerator"],
        kwargs["denominator"],
        statistic=kwargs["statistic"],
        target=kwargs["target"],
        per=kwargs["per"],
        rate=kwargs["rate"],
        rate_type=kwargs["rate_type"],
    )
    check_verdicts(result, bm.FunnelSignificance)
    if not isinstance(result, Refused):  # every area has its verdict: none dropped
        used = ["numerator", "denominator"] + (["rate"] if kwargs["statistic"] == "rate" else [])
        shapes = [np.shape(kwargs[k]) for k in used if kwargs[k] is not None]
        assert np.shape(result) == np.broadcast_shapes(*shapes)


@budget(0.5)
@given(funnel_calls())
def test_funnel_limits(kwargs: dict[str, Any]) -> None:
    result = attempt(
        bm.funnel_limits,
        kwargs["denominator"],
        kwargs["target"] if kwargs["target"] is not None else 0.5,
        statistic=kwargs["statistic"],
        per=kwargs["per"],
        confidence=kwargs["confidence"],
        years_of_data=kwargs["years_of_data"],
    )
    if not isinstance(result, Refused):
        for level, (low, high) in result.items():
            finite((level, low, high))
            assert np.all(np.asarray(low) <= np.asarray(high))


@budget(0.3)
@given(funnel_calls())
def test_funnel_table(kwargs: dict[str, Any]) -> None:
    result = attempt(
        bm.funnel_table,
        kwargs["numerator"],
        kwargs["denominator"],
        statistic=kwargs["statistic"],
        per=kwargs["per"],
        rate=kwargs["rate"],
        rate_type=kwargs["rate_type"],
        ratio_type=kwargs["ratio_type"],
        years_of_data=kwargs["years_of_data"],
        points=kwargs["points"],
    )
    if not isinstance(result, Refused):
        finite(result)
        assert {len(column) for column in result.values()} == {kwargs["points"]}


@st.composite
def trend_calls(draw: Any) -> dict[str, Any]:
    """Areas x periods of values with 95% limits, counts and denominators (mostly valid)."""
    areas, periods = draw(st.integers(1, 3)), draw(st.integers(3, 8))
    value = _missing_sometimes(
        draw, np.array([_row(draw, periods, st.floats(1, 100)) for _ in range(areas)])
    )
    width = np.array([_row(draw, periods, st.floats(0.01, 20)) for _ in range(areas)])
    denominator = float(draw(st.integers(100, 10**5)))
    method = draw(st.sampled_from(["ci_regression", "cochran_armitage"]))
    valid = {
        "value": value,
        "lower": value - width,
        "upper": value + width,
        "count": np.nan_to_num(value, nan=0.0).round(),
        "denominator": np.full(value.shape, denominator),
        "polarity": draw(st.sampled_from(["higher", "lower", "none"])),
        "method": method,
        "points": draw(st.integers(3, periods)),
        "year_range": draw(st.sampled_from([1, 1, 3])),
    }
    bad = {
        name: st.one_of(st.none(), BAD_ARRAY)
        for name in ("value", "lower", "upper", "count", "denominator")
    }
    bad.update(
        polarity=st.one_of(st.sampled_from(WRONG_STRINGS), wrong()),
        method=BAD_TEXT,
        points=st.one_of(st.integers(-1, 2), st.just(periods + 1), wrong()),
        year_range=st.one_of(st.integers(-1, 0), wrong()),
        upper=st.one_of(st.none(), BAD_ARRAY, st.just(value - width - 1)),
    )
    return spoil(draw, valid, bad)


@budget(0.5)
@given(trend_calls())
def test_recent_trend(kwargs: dict[str, Any]) -> None:
    result = attempt(
        bm.recent_trend, kwargs.pop("value"), kwargs.pop("lower"), kwargs.pop("upper"), **kwargs
    )
    if not isinstance(result, Refused):
        assert set(np.unique(result.marker).tolist()) <= {t.value for t in bm.Trend}
        cannot = result.marker == bm.Trend.CANNOT_BE_CALCULATED
        nan_only_where(result.chi_squared, cannot, "chi_squared")
        assert (result.reason[cannot] != "").all() and (result.reason[~cannot] == "").all()
        result.label  # noqa: B018
        result.message  # noqa: B018


def _frame_of(columns: dict[str, Any]) -> Any:
    import pandas as pd

    return pd.DataFrame(columns)


COLUMN_OR_DATA = st.one_of(
    st.sampled_from(["value", "lower", "upper", "denominator", "name", "missing"]),
    st.none(),
    VALUES,
    wrong(),
)


def picker(data: st.DataObject) -> Callable[[st.SearchStrategy[Any], st.SearchStrategy[Any]], Any]:
    """``pick(valid, invalid)``: valid values, or (one call in three) sometimes invalid ones."""
    bad = data.draw(st.integers(0, 2)) == 2

    def pick(valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]) -> Any:
        return data.draw(st.one_of(valid, valid, invalid) if bad else valid)

    return pick


@budget(0.3)
@given(
    st.lists(st.tuples(st.floats(1, 100), st.floats(0, 10)), min_size=1, max_size=4),
    st.data(),
)
def test_frames_benchmark_comparers(rows: Any, data: st.DataObject) -> None:
    pick = picker(data)
    frame = _frame_of(
        {
            "value": [v for v, _ in rows],
            "lower": [v - w for v, w in rows],
            "upper": [v + w for v, w in rows],
            "denominator": [1000.0 + v for v, _ in rows],
            "name": [f"area {i}" for i in range(len(rows))],
        }
    )
    column = pick(st.sampled_from(["significance", "verdict"]), anything())
    result = attempt(
        frames.compare,
        pick(st.just(frame), anything()),
        value=pick(st.just("value"), anything()),
        benchmark=pick(st.floats(1, 100), COLUMN_OR_DATA),
        polarity=pick(st.sampled_from(["higher", "lower"]), DIRECTION),
        lower=pick(st.just("lower"), COLUMN_OR_DATA),
        upper=pick(st.just("upper"), COLUMN_OR_DATA),
        denominator=pick(st.just("denominator"), COLUMN_OR_DATA),
        per=pick(st.sampled_from([1, 100, 1000]), PER),
        method=pick(st.sampled_from(COMPARE_METHODS[:1] + COMPARE_METHODS[3:]), BAD_TEXT),
        column=column,
    )
    if not isinstance(result, Refused):
        assert len(result) == len(frame)
        check_verdicts(np.asarray(result[column], dtype=str), bm.Significance)
    result = attempt(
        frames.compare_to_goal,
        pick(st.just(frame), anything()),
        value=pick(st.just("value"), anything()),
        goal=pick(
            st.one_of(st.floats(1, 100), st.just(("lower", "upper"))),
            st.one_of(
                COLUMN_OR_DATA, st.tuples(COLUMN_OR_DATA), st.tuples(COLUMN_OR_DATA, COLUMN_OR_DATA)
            ),
        ),
        polarity=pick(st.sampled_from(["higher", "lower"]), DIRECTION),
        lower=pick(st.sampled_from([None, "lower"]), COLUMN_OR_DATA),
        upper=pick(st.sampled_from([None, "upper"]), COLUMN_OR_DATA),
    )
    if not isinstance(result, Refused):
        assert len(result) == len(frame)
        check_verdicts(np.asarray(result["compared_to_goal"], dtype=str), bm.Comparison)
    numerator = pick(st.just("lower"), COLUMN_OR_DATA)
    denominator = pick(st.just("denominator"), COLUMN_OR_DATA)
    stat = pick(st.sampled_from(["proportion", "ratio", "rate"]), BAD_TEXT)
    result = attempt(
        frames.funnel_significance,
        pick(st.just(frame), anything()),
        numerator=numerator,
        denominator=denominator,
        statistic=stat,
        per=pick(st.sampled_from([1, 100]), PER),
    )
    if not isinstance(result, Refused):
        assert len(result) == len(frame)
        check_verdicts(np.asarray(result["funnel_significance"], dtype=str), bm.FunnelSignificance)
    result = attempt(
        frames.funnel_table,
        pick(st.just(frame), anything()),
        numerator=numerator,
        denominator=denominator,
        statistic=stat,
        ratio_type="count",
        points=pick(st.integers(2, 8), st.one_of(st.integers(-1, 1), wrong())),
    )
    if not isinstance(result, Refused):
        for name in result.columns:
            if result[name].dtype.kind == "f":
                finite(result[name].to_numpy(), name)


@budget(0.3)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "", "=1+1"]),
            st.sampled_from(["2014", "2015", "2016", "2017", "2018", "x", ""]),
            st.one_of(st.floats(1, 100), st.just(math.nan)),
        ),
        max_size=12,
    ),
    st.data(),
)
def test_frames_recent_trend(rows: Any, data: st.DataObject) -> None:
    pick = picker(data)
    frame = _frame_of(
        {
            "area": [a for a, _, _ in rows],
            "period": [p for _, p, _ in rows],
            "value": [v for _, _, v in rows],
            "lower": [v - 1 for _, _, v in rows],
            "upper": [v + 1 for _, _, v in rows],
        }
    )
    names = st.one_of(
        st.sampled_from(["area", "period", "value", "lower", "upper", "missing"]), wrong()
    )
    result = attempt(
        frames.recent_trend,
        pick(st.just(frame), anything()),
        area=pick(st.just("area"), names),
        period=pick(st.just("period"), names),
        value=pick(st.just("value"), names),
        lower=pick(st.just("lower"), st.one_of(st.none(), names)),
        upper=pick(st.just("upper"), st.one_of(st.none(), names)),
        polarity=pick(st.sampled_from(["higher", "lower"]), DIRECTION),
        points=pick(st.sampled_from([3, 5]), st.one_of(st.integers(-1, 9), wrong())),
    )
    if not isinstance(result, Refused):
        cannot = np.asarray(result["trend"], dtype=str) == bm.Trend.CANNOT_BE_CALCULATED
        nan_only_where(result["chi_squared"].to_numpy(), cannot, "chi_squared")


# --------------------------------------------------------------------------------------------
# indicators: PHE's methods (and their DataFrame forms); NaN only beside a note
# --------------------------------------------------------------------------------------------

BANDS = 19
INDICATOR_CONFIDENCE = st.one_of(
    LEVEL, st.lists(LEVEL, min_size=1, max_size=3, unique=True), st.just([0.95, 0.95])
)


def _rows_of(element: st.SearchStrategy[Any], width: int) -> st.SearchStrategy[Any]:
    """Groups x bands of ``element`` (1-3 groups), or a single row."""
    row = st.lists(element, min_size=width, max_size=width)
    return st.one_of(row, st.lists(row, min_size=1, max_size=3))


AGE_COUNTS = st.one_of(st.integers(0, 300), st.just(math.nan))
AGE_POPULATIONS = st.one_of(st.integers(0, 10**5), st.just(math.nan))


@budget(0.5)
@given(
    often(_rows_of(AGE_COUNTS, BANDS)),
    often(_rows_of(AGE_POPULATIONS, BANDS)),
    often(
        st.sampled_from(["esp2013", "esp2013"]),
        st.one_of(
            st.sampled_from(["esp1976", "who", "bogus"]),
            st.lists(st.floats(0, 1e4), min_size=BANDS, max_size=BANDS),
            arrays(),
        ),
    ),
    PER,
    INDICATOR_CONFIDENCE,
)
def test_dsr(count: Any, population: Any, standard: Any, per: Any, conf: Any) -> None:
    result = attempt(ind.dsr, count, population, standard=standard, per=per, confidence=conf)
    if not isinstance(result, Refused):
        check_noted(result)


@budget(0.5)
@given(
    st.integers(1, 4),
    st.data(),
    PER,
    INDICATOR_CONFIDENCE,
    often(st.sampled_from([1, 100]), numbers()),
)
def test_isr_and_isratio(bands: int, data: st.DataObject, per: Any, conf: Any, ref: Any) -> None:
    count = data.draw(st.one_of(st.none(), often(_rows_of(AGE_COUNTS, bands))))
    population = data.draw(often(_rows_of(AGE_POPULATIONS, bands)))
    reference_count = data.draw(
        often(st.lists(st.integers(0, 300), min_size=bands, max_size=bands))
    )
    reference_population = data.draw(
        often(st.lists(st.integers(1, 10**5), min_size=bands, max_size=bands))
    )
    observed = data.draw(st.one_of(st.none(), often(arrays(st.integers(0, 500)))))
    result = attempt(
        ind.isr,
        count,
        population,
        reference_count,
        reference_population,
        per=per,
        confidence=conf,
        observed_total=observed,
    )
    if not isinstance(result, Refused):
        check_noted(result)
    result = attempt(
        ind.isratio,
        count,
        population,
        reference_count,
        reference_population,
        reference_value=ref,
        confidence=conf,
        observed_total=observed,
    )
    if not isinstance(result, Refused):
        check_noted(result)


@budget(0.5)
@given(
    often(arrays(st.one_of(st.integers(0, 10**4), st.just(math.nan)))),
    often(arrays(st.one_of(st.integers(0, 10**5), st.just(math.nan)))),
    PER,
    INDICATOR_CONFIDENCE,
)
def test_crude_rate_and_proportion(count: Any, denominator: Any, per: Any, conf: Any) -> None:
    for method in (ind.crude_rate, ind.proportion):
        result = attempt(method, count, denominator, per=per, confidence=conf)
        if not isinstance(result, Refused):
            check_noted(result)


@budget(0.5)
@given(
    often(
        st.one_of(
            st.lists(st.one_of(st.floats(-100, 100), numbers()), max_size=6),
            st.lists(
                st.lists(st.one_of(st.floats(-100, 100), numbers()), min_size=3, max_size=3),
                min_size=1,
                max_size=3,
            ),
        )
    ),
    INDICATOR_CONFIDENCE,
    st.one_of(st.integers(-3, 2), wrong()),
)
def test_mean_ci(values: Any, conf: Any, axis: Any) -> None:
    result = attempt(ind.mean_ci, values, confidence=conf, axis=axis)
    if not isinstance(result, Refused):
        check_noted(result)


LIFE_BANDS = 20


@budget(0.3)
@given(
    often(_rows_of(st.one_of(st.integers(0, 500), st.just(math.nan)), LIFE_BANDS)),
    often(_rows_of(st.one_of(st.integers(0, 10**4), st.just(math.nan)), LIFE_BANDS)),
    st.one_of(st.none(), st.lists(st.integers(0, 90), max_size=3), wrong()),
    INDICATOR_CONFIDENCE,
)
def test_life_expectancy(deaths: Any, population: Any, start_ages: Any, conf: Any) -> None:
    result = attempt(
        ind.life_expectancy, deaths, population, start_ages=start_ages, confidence=conf
    )
    if not isinstance(result, Refused):
        check_noted(result)


@budget(0.3)
@given(
    st.integers(2, 10),
    st.data(),
    often(
        st.sampled_from(["rate", "proportion", "other"]), st.sampled_from([*WRONG_STRINGS, 1, 2])
    ),
    PER,
    st.booleans(),
    st.booleans(),
    INDICATOR_CONFIDENCE,
    often(st.sampled_from([1000, 1500]), st.one_of(st.integers(-1, 999), wrong())),
)
def test_sii(
    quantiles: int,
    data: st.DataObject,
    value_type: Any,
    per: Any,
    transform: bool,
    rii: bool,
    conf: Any,
    reps: Any,
) -> None:
    def row(element: st.SearchStrategy[Any]) -> Any:
        return data.draw(st.lists(element, min_size=quantiles, max_size=quantiles))

    good = row(st.one_of(st.floats(0.5, 99), st.just(math.nan)))
    width = row(st.floats(0, 0.5))
    kwargs: dict[str, Any] = {}
    interval = data.draw(st.sampled_from(["limits", "se", "none"]))
    if interval == "limits":
        kwargs["lower"] = data.draw(
            often(st.just([v - w for v, w in zip(good, width, strict=True)]))
        )
        kwargs["upper"] = data.draw(
            often(st.just([v + w for v, w in zip(good, width, strict=True)]))
        )
    elif interval == "se":
        kwargs["se"] = data.draw(often(st.just([w * 10 for w in width])))
    value = data.draw(often(st.just(good)))
    result = attempt(
        ind.sii,
        value,
        data.draw(often(st.just(row(st.one_of(st.integers(0, 10**5), st.just(math.nan)))))),
        value_type=value_type,
        per=per,
        transform=transform,
        rii=rii,
        confidence=conf,
        reps=reps,
        seed=1,
        **kwargs,
    )
    if not isinstance(result, Refused):
        check_noted(result)


@budget(0.5)
@given(
    often(st.sampled_from(["esp2013", "esp1976"]), anything()),
    often(st.sampled_from([19, 18, 20]), st.one_of(st.integers(-1, 30), wrong())),
)
def test_standard_population(name: Any, bands: Any) -> None:
    result = attempt(ind.standard_population, name, bands)
    if not isinstance(result, Refused):
        assert np.isfinite(result.weights).all() and (result.weights >= 0).all()
        assert len(result.weights) == len(result) == bands


@budget(0.3)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", ""]),
            st.sampled_from(["0", "5", "10", "x"]),
            st.one_of(st.integers(0, 50), st.just(math.nan)),
            st.one_of(st.integers(0, 5000), st.just(math.nan)),
        ),
        min_size=1,
        max_size=9,
    ),
    st.data(),
)
def test_frames_indicators(rows: Any, data: st.DataObject) -> None:
    frame = _frame_of(
        {
            "area": [r[0] for r in rows],
            "age": [r[1] for r in rows],
            "count": [r[2] for r in rows],
            "population": [r[3] for r in rows],
        }
    )
    names = st.sampled_from(["area", "age", "count", "population", "missing"])
    by = data.draw(st.one_of(st.none(), st.just("area"), st.lists(names, max_size=2), wrong()))

    def col(default: str) -> Any:
        return data.draw(often(st.just(default), names))

    per, conf = data.draw(PER), data.draw(INDICATOR_CONFIDENCE)
    calls = [
        lambda: frames.crude_rate(
            frame,
            count=col("count"),
            denominator=col("population"),
            by=by,
            per=per,
            confidence=conf,
        ),
        lambda: frames.proportion(
            frame, count=col("count"), denominator=col("population"), by=by, confidence=conf
        ),
        lambda: frames.mean_ci(frame, value=col("count"), by=by, confidence=conf),
        lambda: frames.dsr(
            frame,
            count=col("count"),
            population=col("population"),
            by=by,
            age=data.draw(st.one_of(st.none(), names)),
            standard=data.draw(
                often(st.just([1.0, 2.0, 3.0]), st.sampled_from(["esp2013", "bogus"]))
            ),
            per=per,
            confidence=conf,
        ),
        lambda: frames.isr(
            frame,
            count=col("count"),
            population=col("population"),
            reference_count=data.draw(often(st.just([5.0, 6.0, 7.0]), st.one_of(names, arrays()))),
            reference_population=data.draw(
                often(st.just([1e3, 1e3, 1e3]), st.one_of(names, arrays()))
            ),
            by=by,
            age=data.draw(st.one_of(st.none(), names)),
            per=per,
            confidence=conf,
        ),
        lambda: frames.isratio(
            frame,
            count=col("count"),
            population=col("population"),
            reference_count="count",
            reference_population="population",
            by=by,
            confidence=conf,
        ),
        lambda: frames.life_expectancy(
            frame,
            deaths=col("count"),
            population=col("population"),
            age=col("age"),
            by=by,
            confidence=conf,
        ),
        lambda: frames.sii(
            frame,
            quantile=col("age"),
            population=col("population"),
            value=col("count"),
            by=by,
            reps=100,
            seed=1,
            confidence=conf,
        ),
    ]
    for call in calls:
        result = attempt(call)
        if isinstance(result, Refused):
            continue
        notes = np.asarray(result["note"], dtype=str) if "note" in result else None
        for name in result.columns:
            if result[name].dtype.kind == "f" and name not in frame.columns:  # not the input's
                column = result[name].to_numpy()
                if notes is None:
                    finite(column, name)
                else:
                    nan_only_where(column, notes != "", name)


# --------------------------------------------------------------------------------------------
# realism: changes, achievability, forecasts, probabilities, backtests, peer rates
# --------------------------------------------------------------------------------------------


@st.composite
def histories(draw: Any) -> dict[str, Any]:
    """Areas x periods of positive values with a trend and noise (a cell or two missing or
    zero now and then), with 95% limits half the time; one in ten has a wrong part."""
    areas = draw(often(st.integers(3, 8), st.integers(1, 2)))
    periods = draw(often(st.integers(3, 7), st.integers(1, 2)))
    start = _row(draw, areas, st.floats(0.5, 1e4))[:, None]
    steps = np.array([_row(draw, periods, st.floats(-0.3, 0.3)) for _ in range(areas)])
    value = start * np.exp(np.cumsum(steps, axis=1))
    value = _missing_sometimes(draw, value)
    if draw(st.integers(0, 5)) == 0:
        value.flat[draw(st.integers(0, value.size - 1))] = 0.0
    out: dict[str, Any] = {"history": value, "lower": None, "upper": None}
    if draw(st.booleans()):
        share = draw(st.floats(0.0, 0.5))
        out["lower"], out["upper"] = value * (1 - share), value * (1 + share)
    if draw(st.integers(0, 9)) == 7:
        out[draw(st.sampled_from(["history", "lower", "upper"]))] = draw(anything())
    return out


KINDS = often(st.sampled_from(["relative", "absolute"]), st.sampled_from(WRONG_STRINGS))
HORIZON = often(st.integers(1, 3), st.one_of(st.integers(-1, 0), wrong(), st.just(10**400)))
PLANNED = often(st.floats(-0.5, 0.5), arrays(st.floats(-0.5, 0.5)))
JUDGING = often(
    st.sampled_from(["higher", "lower"]), st.sampled_from([*WRONG_STRINGS, "none", None])
)


@budget(0.5)
@given(histories(), HORIZON, KINDS, PLANNED, JUDGING, LEVEL)
def test_realism_changes_and_achievability(
    h: Any, horizon: Any, kind: Any, planned: Any, pol: Any, conf: Any
) -> None:
    result = attempt(realism.changes, h["history"], horizon=horizon, kind=kind)
    if not isinstance(result, Refused):
        check_noted(result)
    result = attempt(
        realism.achievability,
        planned,
        h["history"],
        polarity=pol,
        horizon=horizon,
        kind=kind,
        lower=h["lower"],
        upper=h["upper"],
        confidence=conf,
    )
    if not isinstance(result, Refused):
        check_noted(result)
        finite([result.true_sd, result.noise_sd])
        attempt(result.to_frame)


@budget(0.5)
@given(
    histories(),
    often(
        st.lists(st.integers(1, 3), min_size=1, max_size=3),
        st.one_of(st.lists(HORIZON, max_size=3), HORIZON),
    ),
    KINDS,
    often(arrays(st.floats(0.5, 1e4)), arrays()),
    JUDGING,
    LEVEL,
)
def test_forecast_and_probability(
    h: Any, horizons: Any, kind: Any, targets: Any, pol: Any, conf: Any
) -> None:
    fc = attempt(
        realism.forecast,
        h["history"],
        horizons=horizons,
        kind=kind,
        lower=h["lower"],
        upper=h["upper"],
        confidence=conf,
    )
    if not isinstance(fc, Refused):
        check_noted(fc)
        check(fc.model)
        for q in (0.1, 0.5, 0.9):
            quantile = fc.quantile(q)
            nan_only_where(quantile, (fc.note != "OK")[:, None], "quantile")
        attempt(fc.quantile, 1.5)
        attempt(fc.probability, targets, polarity=pol, horizon=fc.horizons[0])
        fc.model.explain()
    horizon = horizons[0] if isinstance(horizons, list) and horizons else horizons
    p = attempt(
        realism.probability,
        h["history"],
        targets,
        polarity=pol,
        horizon=horizon,
        lower=h["lower"],
        upper=h["upper"],
        kind=kind,
        confidence=conf,
    )
    if not isinstance(p, Refused):
        check_noted(p)
        ok = p.note == "OK"
        assert ((p.probability[ok] >= 0) & (p.probability[ok] <= 1)).all()


@budget(0.3)
@given(
    histories(),
    PLANNED,
    JUDGING,
    often(
        st.lists(st.integers(1, 2), min_size=1, max_size=2),
        st.one_of(st.lists(HORIZON, max_size=2), HORIZON),
    ),
    KINDS,
    often(st.integers(3, 4), st.one_of(st.integers(-1, 8), wrong())),
)
def test_backtest(h: Any, planned: Any, pol: Any, horizons: Any, kind: Any, least: Any) -> None:
    result = attempt(
        realism.backtest,
        h["history"],
        planned_change=planned,
        polarity=pol,
        horizons=horizons,
        kind=kind,
        lower=h["lower"],
        upper=h["upper"],
        min_periods=least,
    )
    if not isinstance(result, Refused):
        for name, array in _float_arrays(result):
            assert not np.isinf(array).any(), name
        untested = result.n_by_horizon == 0
        nan_only_where(result.brier_by_horizon, untested, "brier_by_horizon")
        nan_only_where(result.base_by_horizon, untested, "base_by_horizon")
        empty = result.reliability_count == 0
        nan_only_where(result.reliability_predicted, empty, "reliability_predicted")
        nan_only_where(result.reliability_observed, empty, "reliability_observed")
        finite([result.brier, result.brier_base])
        assert math.isfinite(result.skill) or result.note == "BASE_RATE_PERFECT", result
        check_words(str(result))
        for table in ("horizons", "origins", "reliability", "forecasts", "bogus"):
            attempt(result.to_frame, table=table)


@budget(0.5)
@given(histories(), often(st.floats(0, 1), numbers()), JUDGING, LEVEL)
def test_peer_rate(h: Any, percentile: Any, pol: Any, conf: Any) -> None:
    result = attempt(
        realism.peer_rate,
        h["history"],
        percentile=percentile,
        polarity=pol,
        lower=h["lower"],
        upper=h["upper"],
        confidence=conf,
    )
    if not isinstance(result, Refused):
        # -1 is a fall to 0, which an area-year may have had
        assert isinstance(result, float) and math.isfinite(result) and result >= -1, result


@budget(0.3)
@given(
    histories(),
    st.lists(st.floats(1, 1e4), min_size=1, max_size=3),
    often(st.floats(0, 0.2)),
    st.sampled_from(["higher", "lower", "higher", "lower", None]),
    st.sampled_from(["2014/15", "2016/17", "2018/19", "2014/15 Q2"]),
    st.data(),
)
def test_trajectory_realism(
    h: Any, baseline: Any, rate: Any, pol: Any, end: str, data: st.DataObject
) -> None:
    if isinstance(rate, float) and pol == "lower":
        rate = -rate  # the plan improves, or the rule refuses it
    plan = attempt(
        outcomes.percentage_change, baseline, rate, start="2013/14", end=end, polarity=pol
    )
    if isinstance(plan, Refused):
        return
    codes = [f"A{i}" for i in range(len(baseline))]
    plan = attempt(plan.with_organisations, codes)
    if isinstance(plan, Refused):  # a rate of another shape than the baselines
        return
    rows = np.shape(h["history"])[0] if np.ndim(h["history"]) == 2 else 1
    periods_ = np.shape(h["history"])[-1] if np.ndim(h["history"]) else 1
    first = data.draw(st.sampled_from([2008, 2010, 2012]))
    labels = data.draw(
        often(
            st.sampled_from(
                [
                    [str(first + i) for i in range(periods_)],
                    [f"{first + i}/{(first + i + 1) % 100:02d}" for i in range(periods_)],
                ]
            ),
            st.lists(PERIODS, max_size=periods_ + 1),
        )
    )
    areas = data.draw(
        often(
            st.permutations([*codes, *[f"Z{i}" for i in range(rows)]]).map(lambda c: c[:rows]),
            st.lists(st.sampled_from(["A0", "A0", "x"]), max_size=rows + 1),
        )
    )
    result = attempt(
        realism.trajectory_realism,
        plan,
        h["history"],
        areas=areas,
        periods=labels,
        lower=h["lower"],
        upper=h["upper"],
        kind=data.draw(KINDS),
        area_word=data.draw(often(st.just("CCG"), st.text(max_size=5))),
    )
    if not isinstance(result, Refused):
        check_noted(result)
        check_noted(result.achievability)
        result.sentence()
        attempt(result.to_frame, measure_name=data.draw(st.one_of(st.none(), st.text(max_size=5))))


@budget(0.5)
@given(
    mangled("history"),
    st.sampled_from(["relative", "absolute"]),
    st.one_of(st.none(), st.sampled_from([0.95, 0.998])),
)
def test_select_history_mangled(data: bytes, kind: str, confidence: Any) -> None:
    from outcomes.workflow import select_history

    result = read_mangled(
        data, ".csv", lambda p: select_history(p, kind=kind, confidence=confidence)
    )
    if not isinstance(result, Refused):
        assert not np.isinf(result.values).any()
        if kind == "relative":
            assert not (result.values < 0).any()


@budget(0.3)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "indicator": st.one_of(st.integers(0, 10**5), wrong()),
            "area_type": st.one_of(st.sampled_from(["County & UA", "x"]), wrong()),
            "age": st.one_of(st.sampled_from(["All ages", "x"]), wrong()),
            "sex": st.one_of(st.sampled_from(["Persons", "x"]), wrong()),
            "areas": st.one_of(
                st.lists(st.sampled_from(["00C", "E06000001", "x"]), max_size=3), wrong()
            ),
            "columns": st.one_of(
                st.dictionaries(
                    st.sampled_from(["area", "value", "bogus"]),
                    st.sampled_from(["Level", "value", "x"]),
                    max_size=2,
                ),
                wrong(),
            ),
            "kind": KINDS,
            "confidence": st.one_of(st.none(), LEVEL, wrong()),
            "area_word": st.one_of(st.none(), st.text(max_size=4), wrong()),
        },
    ),
    st.sampled_from(["history", "fingertips", "missing"]),
)
def test_select_history_arguments(kwargs: Any, which: str) -> None:
    from outcomes.workflow import select_history

    path = {
        "history": EXAMPLES / "pyll-ccg-2009-2014.csv",
        "fingertips": FINGERTIPS,
        "missing": SCRATCH / "missing.csv",
    }[which]
    result = attempt(select_history, path, **kwargs)
    if not isinstance(result, Refused):
        assert not np.isinf(result.values).any()
        str(result)


# --------------------------------------------------------------------------------------------
# planning objectives, plan files naming objectives and histories, oversight editions
# --------------------------------------------------------------------------------------------

OBJECTIVES = (
    "planning-2025-26/ae-4-hour",
    "planning-2025-26/rtt-18-weeks",
    "planning-2025-26/cancer-62-day",
    "planning-2025-26/ambulance-cat2-mean",
    "planning-2025-26/urgent-dental",
    "planning-2025-26/agency-spend",
    "planning-2025-26/mental-health-investment-standard",
)
MONTHS = ("Mar 2025", "Dec 2024", "Apr 2025", "2024/25", "2024/25 Q4", "2025/26 Q1", "Mar 2026")
SEASONAL = st.one_of(
    st.none(),
    st.just([1.0] * 12),
    st.just([1.02, 0.99, 0.98, 1.01]),
    st.lists(st.floats(0.5, 1.5), min_size=4, max_size=4),
    st.lists(numbers(), max_size=13),
    wrong(),
)


@budget(0.5)
@given(
    BASELINES,
    often(
        st.sampled_from(OBJECTIVES),
        st.one_of(
            st.sampled_from(["planning-2025-26/bogus", "bogus", "nhsof-2014-15/1a"]), wrong()
        ),
    ),
    often(st.sampled_from(MONTHS), PERIODS),
    st.one_of(st.none(), often(st.sampled_from(MONTHS), PERIODS)),
    PROFILES,
    SEASONAL,
    st.one_of(st.none(), DIRECTION),
    UNITS_OR_NONE,
    INDEXING,
)
def test_reach_objective(
    b: Any,
    objective: Any,
    start: Any,
    end: Any,
    profile: Any,
    seasonal: Any,
    pol: Any,
    unit_id: Any,
    indexing: Any,
) -> None:
    from outcomes.rules import reach_objective
    from outcomes.rules.objectives import objective_provenance

    t = check(
        attempt(
            reach_objective,
            b,
            objective,
            start=start,
            end=end,
            profile=profile,
            seasonal=seasonal,
            polarity=pol,
            unit=unit_id,
            indexing=indexing,
        )
    )
    if isinstance(t, Trajectory):
        objective_provenance(t)
        outcomes.describe_rule(t)


HISTORY_CSV = SCRATCH / "history.csv"
HISTORY_CSV.write_bytes(_head(EXAMPLES / "pyll-ccg-2009-2014.csv", 61))  # 10 CCGs, 2009-2014
NASTY_TEXT = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</td></tr></table><script>x</script>",
        '"><img src=x onerror=alert(1)>',
        "=1+1",
        "a|b",
        "a\nb",
        "&amp; &lt;",
        "{{ 7*7 }}",
        "{% raw %}",
        "",
        "ñ £ é",
        "a\x1fb\x00c\x7f",
    ]
)


@st.composite
def objective_plan_texts(draw: Any) -> str:
    """Plan files that name planning objectives (months, quarters) or histories (with realism
    and peer_achieved), mostly valid, with measure names and notes that try to break outputs."""
    bad = draw(st.integers(0, 3)) == 0

    def pick(valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(valid, invalid) if bad else valid)

    yearly = draw(st.booleans())
    lines = [f"note = {toml_value(draw(st.one_of(NASTY_TEXT, st.text(max_size=10))))}"]
    if yearly:
        lines.append(f"end = {toml_value(pick(st.sampled_from(['2015/16', '2016/17']), PERIODS))}")
    elif draw(st.booleans()):
        lines.append(
            f"end = {toml_value(pick(st.sampled_from(['Mar 2026', '2025/26 Q4']), PERIODS))}"
        )
    organisation = {
        "code": pick(st.sampled_from(["99Z", "00C", "00D"]), NASTY_TEXT),
        "name": draw(st.one_of(st.just("Fuzz"), NASTY_TEXT)),
        "population": pick(st.floats(1, 1e7), TOML_NUMBER),
    }
    lines.append(f"organisation = {toml_value(organisation)}")
    measures = []
    for i in range(pick(st.integers(1, 3), st.just(0))):
        key = draw(st.sampled_from(["m", "=1+1", "<b>", "a|b"])) + str(i)
        measure: dict[str, Any] = {}
        if yearly:
            measure["name"] = draw(st.one_of(NASTY_TEXT, st.text(max_size=10)))
            measure["unit"] = pick(st.just("per_100000"), st.just("furlongs"))
            measure["polarity"] = pick(st.sampled_from(["lower", "higher"]), st.just("none"))
            measure["baseline"] = {
                "value": pick(st.floats(500, 5000), TOML_NUMBER),
                "period": pick(st.just("2013"), st.sampled_from(["2014", "x"])),
            }
            measure["rule"] = pick(
                st.one_of(
                    st.fixed_dictionaries(
                        {"name": st.just("percentage_change"), "rate": st.floats(-0.1, 0.05)}
                    ),
                    st.fixed_dictionaries(
                        {"name": st.just("peer_achieved"), "percentile": st.floats(0, 1)}
                    ),
                ),
                st.fixed_dictionaries(
                    {"name": st.just("peer_achieved"), "percentile": TOML_NUMBER}
                ),
            )
            history: dict[str, Any] = {}
            for name, (valid, invalid) in {
                "file": (st.just(HISTORY_CSV.as_posix()), st.just("missing.csv")),
                "areas": (st.just(["00C", "00D", "00F"]), st.just(["x"])),
                "kind": (st.sampled_from(["relative", "absolute"]), st.just("bogus")),
                "area_word": (st.sampled_from(["CCG", "<i>area</i>"]), TOML_NUMBER),
                "confidence": (st.just(0.95), TOML_NUMBER),
            }.items():
                if name == "file" or draw(st.booleans()):
                    history[name] = pick(valid, invalid)
            if draw(st.integers(0, 4)):
                measure["history"] = history
        else:
            objective = pick(st.sampled_from(OBJECTIVES), st.sampled_from(["bogus", "x/y"]))
            rule: dict[str, Any] = {"name": "reach_objective", "objective": objective}
            if draw(st.booleans()):
                rule["seasonal"] = pick(
                    st.sampled_from([[1.0] * 12, [1.02, 0.99, 0.98, 1.01]]),
                    st.lists(TOML_NUMBER, max_size=5),
                )
            if draw(st.booleans()):
                rule["profile"] = pick(st.sampled_from(["linear", "front-loaded"]), st.just("x"))
            measure["baseline"] = {
                "value": pick(st.floats(1, 99), TOML_NUMBER),
                "period": pick(st.sampled_from(MONTHS[:3]), st.sampled_from(MONTHS[3:])),
            }
            measure["rule"] = rule
        if draw(st.booleans()):
            measure["ndigits"] = pick(st.integers(0, 3), st.integers(-1, 20))
        measures.append((key, measure))
    for key, measure in measures:
        lines.append(f"[measures.{json.dumps(key)}]")
        lines += [f"{k} = {toml_value(v)}" for k, v in measure.items()]
    return "\n".join(lines) + "\n"


def _actuals_for(targets: Any, data: st.DataObject) -> list[dict[str, Any]]:
    rows = []
    for key, t in targets.items():
        for p in t.periods:
            if data.draw(st.integers(0, 2)):
                rows.append({"measure": key, "period": str(p), "value": data.draw(CELL)})
    return rows


@budget(0.3)
@given(objective_plan_texts(), st.data())
def test_objective_and_history_plans(text: str, data: st.DataObject) -> None:
    plan = attempt(outcomes.parse_plan, text, folder=SCRATCH)
    if isinstance(plan, Refused):
        return
    targets = attempt(outcomes.run_plan, plan)
    if isinstance(targets, Refused):
        return
    check_plan_targets(targets)
    for realism_ in getattr(targets, "realism", {}).values():
        check_noted(realism_)
        realism_.sentence()
    scores = attempt(outcomes.score_plan, plan, _actuals_for(targets, data))
    if isinstance(scores, Refused):
        return
    for s in scores.values():
        check_score(s)
    str(scores)
    for table in scores.tables():
        check_csv(writers.write_csv(table), table)
        check_json(writers.write_json(table))


@budget(0.5)
@given(
    often(
        st.lists(
            st.lists(st.one_of(st.floats(0, 100), st.just(math.nan)), min_size=2, max_size=2),
            min_size=1,
            max_size=4,
        ),
        anything(),
    ),
    often(st.sampled_from(["higher", "lower"]), anything()),
    st.one_of(st.none(), st.sampled_from(["OF0023", "OF0001", "bogus"]), wrong()),
    often(st.sampled_from(["oversight-2025-26", "oversight-2022-23"]), anything()),
)
def test_metric_scores_editions(values: Any, polarity: Any, metric: Any, edition: Any) -> None:
    result = check(
        attempt(oversight.metric_scores, values, polarity=polarity, metric=metric, edition=edition)
    )
    if isinstance(result, oversight.MetricScores):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column
            average = np.nanmean(result.scores, axis=0) if result.scores.ndim > 1 else result.scores
        check(attempt(oversight.segments, average))


# --------------------------------------------------------------------------------------------
# the HTML report: well-formed, escaped, whatever the plan's names and the title say
# --------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def check_html(html: str) -> None:
    """Tags balanced (the parser's view), no script, no event handler, no unescaped input."""
    from html.parser import HTMLParser

    stack: list[str] = []

    class Balance(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            assert tag != "script", "a <script> in the report"
            for name, _ in attrs:
                assert not name.startswith("on"), f"an event handler {name!r} in <{tag}>"
            if tag not in VOID:
                stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if tag in VOID:
                return
            assert stack and stack[-1] == tag, f"</{tag}> closes <{stack[-1] if stack else ''}>"
            stack.pop()

    parser = Balance(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    assert not stack, f"unclosed tags: {stack}"
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert html.startswith("<!DOCTYPE html>")
    control = re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", html)
    assert not control, f"a control character {control.group(0)!r} in the HTML"


REPORT_PLAN = (EXAMPLES / "illustrative-ccg.toml").read_text(encoding="utf-8")


@budget(0.1)
@given(
    st.one_of(objective_plan_texts(), st.just(REPORT_PLAN)),
    st.one_of(st.none(), NASTY_TEXT, st.text(max_size=12), wrong()),
    st.data(),
)
def test_report(text: str, title: Any, data: st.DataObject) -> None:
    from outcomes.report import render_report, write_report

    plan = attempt(outcomes.parse_plan, text, folder=EXAMPLES)
    if isinstance(plan, Refused):
        return
    targets = attempt(outcomes.run_plan, plan)
    if isinstance(targets, Refused):
        return
    result: Any = targets
    if data.draw(st.booleans()):
        scores = attempt(outcomes.score_plan, plan, _actuals_for(targets, data))
        result = targets if isinstance(scores, Refused) else scores
    html = attempt(render_report, result, title=title)
    if not isinstance(html, Refused):
        check_html(html)
    out = SCRATCH / "report.html"
    written = attempt(write_report, result, data.draw(often(st.just(out), anything())), title=title)
    if not isinstance(written, Refused):
        check_html(Path(written).read_text(encoding="utf-8"))
    attempt(render_report, data.draw(anything()))
    attempt(render_report, result, peers=data.draw(anything()))


# --------------------------------------------------------------------------------------------
# charts: bad arguments give an OutcomesError (few, cheap examples: a chart takes a while)
# --------------------------------------------------------------------------------------------

CHART_PATHS = st.sampled_from(["chart.png", "chart.svg", "chart.gif", "chart", "nofolder/c.png"])


PLOT_HISTORY = np.exp(np.random.default_rng(1).normal(5, 0.1, (6, 5)))


@budget(0.1)
@given(st.data())
def test_plots(data: st.DataObject) -> None:
    from outcomes import plot

    bad = data.draw(st.integers(0, 2)) == 0  # one call in three gets some wrong arguments

    def pick(valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]) -> Any:
        return data.draw(st.one_of(valid, valid, invalid) if bad else valid)

    t = outcomes.percentage_change(
        [100.0, 120.0], -0.05, start="2013/14", end="2015/16", polarity="lower"
    ).with_organisations(["A", "B"])
    which = data.draw(
        st.sampled_from(["trajectory", "plan", "funnel", "trend", "changes", "fan", "save"])
    )
    history = PLOT_HISTORY
    limits = pick(st.sampled_from([None, 0.1]), st.just(-0.5))
    lower = None if limits is None else history * (1 - limits)
    upper = None if limits is None else history * (1 + limits)
    if which == "trajectory":
        result = attempt(
            plot.plot_trajectory,
            pick(st.just(t), anything()),
            org=pick(
                st.sampled_from([None, "A", 1, ["A", "B"]]),
                st.one_of(st.sampled_from(["x", 5, []]), wrong()),
            ),
            national=pick(
                st.sampled_from([None, 90.0, [90.0, 95.0]]), st.one_of(numbers(), arrays())
            ),
            bounds=pick(
                st.sampled_from([None, [1.0, 50.0, 100.0, 150.0]]), st.one_of(arrays(), wrong())
            ),
            title=pick(st.one_of(st.none(), NASTY_TEXT), wrong()),
        )
    elif which == "plan":
        result = attempt(
            plot.plot_plan,
            pick(st.just({"m": t}), anything()),
            pick(
                st.sampled_from([None, SCRATCH / "plan.svg"]),
                st.one_of(CHART_PATHS.map(lambda n: SCRATCH / n), wrong()),
            ),
            org=pick(st.sampled_from([None, "B"]), st.one_of(st.sampled_from(["x", 7]), wrong())),
            title=pick(st.one_of(st.none(), NASTY_TEXT), wrong()),
        )
    elif which == "funnel":
        result = attempt(
            plot.plot_funnel,
            pick(st.just([10, 20, 30, 90]), anything()),
            pick(st.just([100, 150, 200, 210]), anything()),
            statistic=pick(
                st.sampled_from(["proportion", "ratio", "rate"]), st.sampled_from(WRONG_STRINGS)
            ),
            x_label=pick(st.just("people"), anything()),
            y_label="%",
            per=pick(st.sampled_from([1, 100]), numbers()),
            names=pick(
                st.sampled_from([None, ["a", "b", "c", "d"]]),
                st.one_of(st.lists(st.text(max_size=3), max_size=4), wrong()),
            ),
            highlight=pick(
                st.sampled_from([None, "a", ["b", "c"]]), st.one_of(st.just("x"), wrong())
            ),
            max_labels=pick(st.sampled_from([6, 0]), st.one_of(st.integers(-1, 3), wrong())),
        )
    elif which == "trend":
        result = attempt(
            plot.plot_trend,
            pick(
                st.just(["2013", "2014", "2015"]), st.one_of(st.lists(PERIODS, max_size=4), wrong())
            ),
            pick(st.just([1.0, 2.0, 3.0]), anything()),
            pick(st.sampled_from([None, [0.5, 1.5, 2.5]]), anything()),
            pick(st.sampled_from([None, [1.5, 2.5, 3.5]]), anything()),
            polarity=pick(st.sampled_from(["higher", "lower", "none"]), DIRECTION),
            y_label="y",
            benchmark=pick(st.sampled_from([None, 2.0, [2.0, 2.0, 2.5]]), arrays()),
            significance=pick(st.sampled_from([None, ["BETTER", "SIMILAR", "WORSE"]]), anything()),
            trend=pick(st.sampled_from([None, "Increasing"]), wrong()),
        )
    elif which == "changes":
        result = attempt(
            plot.plot_changes,
            pick(st.just(history), anything()),
            pick(st.floats(-0.2, 0.2), anything()),
            polarity=pick(st.sampled_from(["higher", "lower"]), JUDGING),
            horizon=pick(st.integers(1, 2), HORIZON),
            kind=pick(st.sampled_from(["relative", "absolute"]), KINDS),
            lower=lower,
            upper=upper,
            unit=pick(st.sampled_from([None, "per_100000"]), UNITS_OR_NONE),
            measure=pick(st.one_of(st.none(), NASTY_TEXT), wrong()),
        )
    elif which == "fan":
        result = attempt(
            plot.plot_fan,
            pick(st.just(history), anything()),
            pick(st.sampled_from([{2: 100.0}, [90.0], [90.0, math.nan]]), anything()),
            area=pick(
                st.sampled_from([0, 5, "C"]), st.one_of(st.integers(-2, 9), st.just("x"), wrong())
            ),
            polarity=pick(st.sampled_from(["higher", "lower"]), JUDGING),
            areas=pick(
                st.sampled_from([None, list("ABCDEF")]),
                st.one_of(st.lists(st.sampled_from(["A", "B"]), max_size=3), wrong()),
            ),
            periods=pick(
                st.sampled_from([None, ["2010", "2011", "2012", "2013", "2014"]]),
                st.one_of(st.lists(PERIODS, max_size=4), wrong()),
            ),
            kind=pick(st.sampled_from(["relative", "absolute"]), KINDS),
            lower=lower,
            upper=upper,
        )
    else:
        fig = plot.plot_trajectory(t)
        result = attempt(
            plot.save_figure,
            pick(st.just(fig), anything()),
            pick(
                st.sampled_from(["chart.png", "chart.svg"]).map(lambda n: SCRATCH / n),
                st.one_of(CHART_PATHS.map(lambda n: SCRATCH / n), wrong()),
            ),
            dpi=pick(st.just(50), st.one_of(st.integers(-1, 0), st.just(10**6), wrong())),
            inputs=pick(st.just(()), st.one_of(st.just([SCRATCH / "chart.png"]), wrong())),
            force=pick(st.just(True), st.one_of(st.just(False), wrong())),
        )
    event(f"{which}: {'refused' if isinstance(result, Refused) else 'drawn'}")
    if isinstance(result, Refused):
        return
    if isinstance(result, Path):
        assert result.stat().st_size > 0


# --------------------------------------------------------------------------------------------
# every result's to_frame(): odd labels give a frame or an OutcomesError
# --------------------------------------------------------------------------------------------


def _results_with_frames() -> dict[str, Callable[[], Any]]:
    """One small result of every class with a to_frame() (tests/test_frames_all.py lists them)."""
    from outcomes import benchmark as bm_
    from outcomes import indicators as ind_
    from outcomes import realism as realism_
    from outcomes.workflow import area_profile

    history = np.array([[100.0, 98, 97, 95, 94], [90, 91, 89, 88, 88], [80, 81, 79, 78, 76]])
    t = outcomes.percentage_change(
        [100.0, 200.0], -0.1, start="2013/14", end="2015/16", polarity="lower"
    ).with_organisations(["00C", "00D"])
    plan = EXAMPLES / "illustrative-ccg.toml"
    actuals = EXAMPLES / "illustrative-ccg-actuals.csv"
    return {
        "Trajectory": lambda: t,
        "Score": lambda: outcomes.score(t, [[85.0, None], [190.0, 150.0]]),
        "PlanTargets": lambda: outcomes.run_plan(plan),
        "PlanScores": lambda: outcomes.score_plan(plan, actuals),
        "PeerSet": lambda: outcomes.select_peers(
            str(FINGERTIPS), period="2017", area_type="County & UA", age="All ages"
        ),
        "FingertipsData": lambda: outcomes.read_fingertips(FINGERTIPS),
        "PremiumResult": lambda: incentives.quality_premium(
            "quality-premium-2014-15", population=115_000, achieved={"pyll": True}
        ),
        "BCFPaymentResult": lambda: incentives.bcf_performance_payment(
            baseline_admissions=[5000, 5200],
            planned_reduction=0.035,
            actual_admissions=[4900, 5000],
            cost_per_admission=1490.0,
        ),
        "QOFPaymentResult": lambda: incentives.qof_payment(
            [10.0, 20.0], edition="qof-2025-26", point_value=200.0
        ),
        "AuditReport": lambda: outcomes.audit(
            [1531, 1492, 1455, 1419, 1349],
            baseline=1610,
            start="2012",
            periods=["14/15", "15/16", "16/17", "17/18", "18/19"],
        ),
        "AuditReports": lambda: outcomes.audit_table(EXAMPLES / "published-rows.csv"),
        "TrendResult": lambda: bm_.recent_trend(
            history, history - 2, history + 2, polarity="lower"
        ),
        "AreaProfile": lambda: area_profile(
            str(FINGERTIPS),
            period="2017",
            area_type="County & UA",
            age="All ages",
            polarity="lower",
        ),
        "RateResult": lambda: ind_.crude_rate([30, 45], [10_000, 12_000]),
        "ISRResult": lambda: ind_.isr(
            [[5, 6], [7, 8]], [[100, 100], [120, 90]], [50, 60], [1e3, 1e3]
        ),
        "MeanResult": lambda: ind_.mean_ci([[1, 2, 3.0], [4, 5, 6]]),
        "LifeExpectancyResult": lambda: ind_.life_expectancy(
            np.arange(1.0, 21.0) * 3, np.full(20, 5000.0)
        ),
        "SIIResult": lambda: ind_.sii(
            [10, 12, 14, 16, 18.0], [1000] * 5, se=[1.0] * 5, reps=1000, seed=1
        ),
        "Achievability": lambda: realism_.achievability([-0.03, -0.01], history, polarity="lower"),
        "Probability": lambda: realism_.probability(history, 92.0, polarity="lower", horizon=2),
        "Forecast": lambda: realism_.forecast(history, horizons=(1, 2)),
        "Backtest": lambda: realism_.backtest(
            history, planned_change=-0.01, polarity="lower", horizons=(1,)
        ),
        "Realism": lambda: realism_.trajectory_realism(
            outcomes.percentage_change(
                [96.0, 79.0], -0.03, start="2019", end="2021/22", polarity="lower"
            ),
            history,
            areas=["A", "B", "C"],
            periods=["2015", "2016", "2017", "2018", "2019"],
        ),
        "MetricScores": lambda: oversight.metric_scores(
            [[0.9, 0.8, math.nan], [0.5, 0.7, 0.6]], polarity="higher"
        ),
        "Segmentation": lambda: oversight.segments([1.1, 1.5, 2.5, 3.9]),
    }


_RESULTS: dict[str, Any] = {}


def _result(name: str) -> Any:
    if name not in _RESULTS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _RESULTS[name] = _results_with_frames()[name]()
    return _RESULTS[name]


LABELS = st.one_of(
    st.none(),
    st.lists(
        st.one_of(st.sampled_from(["A", "B", "00C", "00C", "=1+1", ""]), st.text(max_size=3)),
        max_size=4,
    ),
    st.sampled_from(["AB", "00C"]),
    st.lists(st.one_of(st.integers(), st.none(), st.floats()), max_size=3),
    wrong(),
)
LABEL = st.one_of(
    st.none(),
    st.sampled_from(
        ["pyll", "=1+1", "", "2017", "2014/15", "x", "percent", "furlongs", "per_100000"]
    ),
    st.text(max_size=6),
    wrong(),
    st.integers(),
)


@budget(0.5)
@given(st.sampled_from(sorted(_results_with_frames())), st.data())
def test_to_frame_labels(name: str, data: st.DataObject) -> None:
    import inspect

    import pandas as pd

    result = _result(name)
    kwargs = {}
    for parameter in inspect.signature(result.to_frame).parameters.values():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY or not data.draw(st.booleans()):
            continue
        if parameter.name in ("organisations", "organisation_names", "periods"):
            kwargs[parameter.name] = data.draw(LABELS)
        elif parameter.name == "table":
            kwargs["table"] = data.draw(
                st.sampled_from(["horizons", "origins", "reliability", "forecasts", "bogus", 1])
            )
        else:
            kwargs[parameter.name] = data.draw(LABEL)
    frame = attempt(result.to_frame, **kwargs)
    if isinstance(frame, Refused):
        return
    assert isinstance(frame, pd.DataFrame)
    for column in frame.columns:
        if frame[column].dtype.kind == "f":
            assert not np.isinf(frame[column].to_numpy()).any(), column
