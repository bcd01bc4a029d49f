"""QOF payments and points (outcomes.incentives)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from outcomes import frameworks
from outcomes.errors import IncentiveError, OutcomesError, UnknownCodeError
from outcomes.incentives import QOFPaymentResult, qof_payment, qof_points


def test_payment_is_points_times_point_value_times_adjustments() -> None:
    r = qof_payment(635.0, edition="qof-2024-25")
    assert r.point_value == 220.62
    assert r.total == pytest.approx(635 * 220.62)
    assert r.total_pence == 140093.7
    r = qof_payment(
        [10.0, 20.0, 5.0],
        edition="qof-2024-25",
        list_size_adjustment=1.25,
        prevalence_adjustment=[0.8, 1.0, 1.5],
    )
    assert r.payment_pence.tolist() == [2206.2, 5515.5, 2068.31]
    assert r.total == pytest.approx(float(np.sum(r.payment)))


def test_cpi_is_list_size_over_the_national_average() -> None:
    qof = frameworks.load("qof-2024-25")
    assert qof.national_average_list_size is not None
    cpi = 12_000 / qof.national_average_list_size.value  # QOF-1: CPI = list / national average
    r = qof_payment(100.0, edition=qof, list_size_adjustment=cpi)
    assert r.total == pytest.approx(100 * 220.62 * 12_000 / 9_964)


def test_unconfirmed_parameters_are_listed() -> None:
    r = qof_payment(1.0, edition="qof-2024-25")
    assert "point_value=220.62 (partly)" in r.unconfirmed
    assert any("payment formula (QOF-1, partly)" in u for u in r.unconfirmed)
    own = qof_payment(1.0, edition="qof-2024-25", point_value=230.0)
    assert own.point_value == 230.0
    assert not any(u.startswith("point_value") for u in own.unconfirmed)
    assert "unconfirmed" in str(r)


def test_2025_26_has_no_point_value() -> None:
    with pytest.raises(IncentiveError) as info:
        qof_payment(100.0, edition="qof-2025-26")
    message = str(info.value)
    assert "qof-2025-26" in message and "point_value" in message and "not found" in message
    r = qof_payment(100.0, edition="qof-2025-26", point_value=225.0)
    assert r.total == 22500.0 and r.edition == "qof-2025-26"


def test_bad_arguments() -> None:
    with pytest.raises(IncentiveError, match="points must be >= 0"):
        qof_payment(-1.0, edition="qof-2024-25")
    with pytest.raises(IncentiveError, match="finite"):
        qof_payment(float("nan"), edition="qof-2024-25")
    with pytest.raises(IncentiveError, match="point_value must be > 0"):
        qof_payment(1.0, edition="qof-2024-25", point_value=0.0)
    with pytest.raises(IncentiveError, match=r"points \(2,\).*list_size_adjustment \(3,\)"):
        qof_payment([1.0, 2.0], edition="qof-2024-25", list_size_adjustment=[1.0, 1.0, 1.0])
    with pytest.raises(IncentiveError, match="QOF edition"):
        qof_payment(1.0, edition="bcf-2025-26")
    with pytest.raises(UnknownCodeError, match="qof-2024-25"):
        qof_payment(1.0, edition="qof-2024-26")
    with pytest.raises(IncentiveError, match="overflows"):
        qof_payment(1e308, edition="qof-2024-25", list_size_adjustment=10.0)


def test_scalar_equals_vectorised() -> None:
    points = np.linspace(0.0, 50.0, 7)
    whole = qof_payment(points, edition="qof-2024-25", prevalence_adjustment=1.1)
    singles = [
        float(qof_payment(float(p), edition="qof-2024-25", prevalence_adjustment=1.1).payment)
        for p in points
    ]
    assert whole.payment.tolist() == singles


def test_result_round_trips() -> None:
    r = qof_payment([[1.0, 2.0]], edition="qof-2024-25")
    assert QOFPaymentResult.model_validate_json(r.model_dump_json()) == r


def test_points_sliding_scale() -> None:
    assert qof_points(40.0, max_points=10.0, lower=40.0, upper=90.0) == 0.0
    assert qof_points(90.0, max_points=10.0, lower=40.0, upper=90.0) == 10.0
    assert qof_points(77.5, max_points=8.0, lower=40.0, upper=90.0) == pytest.approx(6.0)
    out = qof_points([[10.0], [60.0]], max_points=[10.0, 20.0], lower=40.0, upper=90.0)
    assert out.tolist() == [[0.0, 0.0], [4.0, 8.0]]
    assert np.isnan(qof_points(float("nan"), max_points=1.0, lower=0.0, upper=1.0))
    with pytest.raises(IncentiveError, match="lower must be < upper"):
        qof_points(50.0, max_points=1.0, lower=60.0, upper=60.0)
    with pytest.raises(IncentiveError, match="max_points must be >= 0"):
        qof_points(50.0, max_points=-1.0, lower=40.0, upper=60.0)
    with pytest.raises(IncentiveError, match="shapes"):
        qof_points([1.0, 2.0], max_points=[1.0, 2.0, 3.0], lower=0.0, upper=5.0)


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0.1, 50), st.floats(0, 100))
def test_points_are_monotone_and_bounded(a: float, b: float, width: float, top: float) -> None:
    lo, hi = sorted((a, b))
    p_lo = qof_points(lo, max_points=top, lower=30.0, upper=30.0 + width)
    p_hi = qof_points(hi, max_points=top, lower=30.0, upper=30.0 + width)
    assert 0.0 <= p_lo <= p_hi <= top


weird = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, -1.0]),
)
arrays = hnp.arrays(
    np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4), elements=weird
)


@given(
    st.one_of(arrays, weird, st.text(max_size=3)),
    st.one_of(arrays, weird),
    st.one_of(st.none(), weird),
    st.sampled_from(["qof-2024-25", "qof-2025-26", "planning-2025-26", "qof"]),
)
def test_qof_payment_fuzz(points: Any, adjustment: Any, point_value: Any, edition: str) -> None:
    try:
        r = qof_payment(
            points, edition=edition, list_size_adjustment=adjustment, point_value=point_value
        )
    except OutcomesError:
        return
    assert np.isfinite(r.payment).all() and (r.payment >= 0).all()
    assert np.isfinite(r.total)


@given(
    st.one_of(arrays, weird),
    st.one_of(arrays, weird),
    weird,
    weird,
)
def test_qof_points_fuzz(achievement: Any, top: Any, lower: Any, upper: Any) -> None:
    try:
        out = np.asarray(qof_points(achievement, max_points=top, lower=lower, upper=upper))
    except OutcomesError:
        return
    ach = np.broadcast_to(np.asarray(achievement, dtype=float), out.shape)
    assert np.isfinite(out[~np.isnan(ach)]).all()
    assert np.isnan(out[np.isnan(ach)]).all()  # NaN only where the achievement is missing
