"""Quality Premium and BCF pay-for-performance, driven by the framework data."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes import IncentiveError, UnknownCodeError, frameworks
from outcomes.incentives import bcf_performance_payment, money, quality_premium

QP = "quality-premium-2014-15"
IDS = ["pyll", "iapt", "emergency-admissions", "friends-and-family", "medication-safety", "local"]


def test_weights_times_maximum_as_the_southend_cards_show() -> None:
    # PYLL carries 15% and the admissions composite 25% of a maximum of GBP 5 per head
    r = quality_premium(QP, population=180_000, achieved=dict.fromkeys(IDS, True))
    alloc = {m.id: m.allocation for m in r.measures}
    assert r.maximum == 900_000.0
    assert alloc["pyll"] == pytest.approx(135_000.0)
    assert alloc["emergency-admissions"] == pytest.approx(225_000.0)
    assert r.total_pence == 900_000.0
    assert r.unconfirmed == ()


def test_one_ccg_maximum_of_575k() -> None:
    # West Berkshire: one CCG's maximum was GBP 575k, i.e. 115,000 people at GBP 5
    assert quality_premium(QP, population=115_000, achieved={}).maximum == 575_000.0


def test_constitution_reductions_and_gateways() -> None:
    full = dict.fromkeys(IDS, True)
    r = quality_premium(
        QP, population=100_000, achieved=full, constitution_missed=["ae-4-hours", "rtt-18-weeks"]
    )
    assert r.reduction_share == 0.5 and r.total == pytest.approx(250_000.0)
    assert any("constitution_reduction" in u for u in r.unconfirmed)
    r = quality_premium(
        QP,
        population=100_000,
        achieved=full,
        constitution_missed=["ae-4-hours"],
        constitution_reduction=0.1,
    )
    assert r.total == pytest.approx(450_000.0) and r.unconfirmed == ()
    all_missed = ["ae-4-hours", "rtt-18-weeks", "cancer-62-days", "ambulance-red-1"]
    assert (
        quality_premium(QP, population=1, achieved=full, constitution_missed=all_missed).total == 0
    )
    r = quality_premium(QP, population=100_000, achieved=full, quality_failure=True)
    assert r.total == 0.0 and "quality gateway" in r.gateway_failures[0] and not r.paid
    assert "nothing paid" in str(r)


def test_parts_and_fractions() -> None:
    r = quality_premium(
        QP,
        population=100_000,
        achieved={
            "friends-and-family": {
                "tackle-issues": True,
                "roll-out": True,
                "local-experience": False,
            }
        },
    )
    earned = {m.id: m.earned for m in r.measures}
    assert earned["friends-and-family"] == pytest.approx(75_000.0 * 2 / 3)
    assert not next(m for m in r.measures if m.id == "pyll").assessed


def test_2015_16_reports_its_unconfirmed_weights() -> None:
    r = quality_premium("quality-premium-2015-16", population=100_000, achieved={"pyll": True})
    assert any(u.startswith("pyll.weight") for u in r.unconfirmed)
    assert any(u.startswith("value_per_head") for u in r.unconfirmed)


def test_bad_input() -> None:
    with pytest.raises(UnknownCodeError, match="pyll"):
        quality_premium(QP, population=1, achieved={"pyl": True})
    with pytest.raises(IncentiveError, match="population"):
        quality_premium(QP, population=-5, achieved={})
    with pytest.raises(IncentiveError, match=r"\[0, 1\]"):
        quality_premium(QP, population=5, achieved={"pyll": 1.5})
    with pytest.raises(UnknownCodeError, match="ae-4-hours"):
        quality_premium(QP, population=5, achieved={}, constitution_missed=["ae-4-hour"])
    with pytest.raises(IncentiveError, match="scheme"):
        quality_premium(frameworks.load("bcf-2015-16"), population=5, achieved={})  # type: ignore[arg-type]


@given(
    st.floats(0, 1e7),
    st.lists(st.floats(0, 1), min_size=6, max_size=6),
    st.integers(0, 5),
    st.integers(0, 4),
)
def test_premium_properties(
    population: float, fractions: list[float], bump: int, n_missed: int
) -> None:
    standards = ["ae-4-hours", "rtt-18-weeks", "cancer-62-days", "ambulance-red-1"][:n_missed]
    achieved = dict(zip(IDS, fractions, strict=True))
    r = quality_premium(QP, population=population, achieved=achieved, constitution_missed=standards)
    assert r.total <= r.maximum * (1 + 1e-12)
    assert math.isclose(
        sum(m.allocation for m in r.measures), r.maximum, rel_tol=1e-12, abs_tol=1e-9
    )
    more = dict(achieved)
    more[IDS[bump]] = 1.0
    assert (
        quality_premium(
            QP, population=population, achieved=more, constitution_missed=standards
        ).total
        >= r.total - 1e-9
    )


def test_bcf_payment_quarterly_and_annual() -> None:
    r = bcf_performance_payment(
        baseline_admissions=[5000, 5200, 5400, 5100],
        planned_reduction=0.035,
        actual_admissions=[4900, 5000, 5300, 5150],
        cost_per_admission=1490.0,
        periods=["Q1", "Q2", "Q3", "Q4"],
    )
    assert r.payment.tolist() == pytest.approx([149_000.0, 182 * 1490.0, 149_000.0, 0.0])
    assert r.total + r.unearned == pytest.approx(r.pot)
    annual = bcf_performance_payment(
        baseline_admissions=20_000, planned_reduction=0.035, actual_admissions=19_000
    )
    assert annual.total == pytest.approx(700 * 1490.0)  # capped at the planned 3.5%
    assert annual.unconfirmed == ("cost_per_admission=1490 (unconfirmed)",)
    capped = bcf_performance_payment(
        baseline_admissions=20_000, planned_reduction=0.035, actual_admissions=19_000, pot=500_000.0
    )
    assert capped.total == 500_000.0
    assert "unearned" in str(capped)
    with pytest.raises(IncentiveError, match="planned_reduction"):
        bcf_performance_payment(baseline_admissions=1, planned_reduction=3.5, actual_admissions=1)
    with pytest.raises(IncentiveError, match="actual_admissions must be >= 0"):
        bcf_performance_payment(baseline_admissions=1, planned_reduction=0.1, actual_admissions=-1)
    with pytest.raises(IncentiveError, match="shape"):
        bcf_performance_payment(
            baseline_admissions=[1, 2], planned_reduction=0.1, actual_admissions=[1, 2, 3]
        )


def test_money_rounds_half_up_to_pence() -> None:
    assert money(0.005) == "£0.01"
    assert money(2.675) == "£2.68"
    assert money(1_234_567.125) == "£1,234,567.13"
