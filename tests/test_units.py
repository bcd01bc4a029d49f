from __future__ import annotations

import numpy as np
import pytest

from outcomes import UnitError, units


def test_rate_per_100_converts_to_per_100000() -> None:
    assert units.convert(6.0, "per_100", "per_100000") == 6000.0
    assert units.convert(1000.0, "per_100000", "per_1000") == 10.0
    np.testing.assert_array_equal(
        units.convert(np.array([1.0, 2.5]), "per_100", "per_100000"), [1000.0, 2500.0]
    )


def test_adding_a_rate_to_a_percent_raises_unit_error_naming_both() -> None:
    rate = units.quantity(12.5, "per_100000")
    share = units.quantity(3.0, "percent")
    with pytest.raises(UnitError, match=r"per_100000.*percent"):
        rate + share
    with pytest.raises(UnitError):
        share - rate


def test_same_dimension_adds() -> None:
    total = units.quantity(1.0, "per_100") + units.quantity(500.0, "per_100000")
    assert total.to("per_100000").magnitude == pytest.approx(1500.0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("eq5d", "percent"),
        ("yll_per_100000", "per_100000"),
        ("gbp", "count"),
        ("score", "eq5d"),
    ],
)
def test_different_things_do_not_convert(a: str, b: str) -> None:
    with pytest.raises(UnitError, match="different things"):
        units.convert(1.0, a, b)


def test_eq5d_x100_and_money() -> None:
    assert units.convert(74.2, "eq5d_x100", "eq5d") == pytest.approx(0.742)
    per_head = units.quantity(5.0, "gbp_per_head")
    pot = per_head * units.registry().Quantity(115_000, "person")
    assert pot.to("GBP").magnitude == pytest.approx(575_000.0)


def test_unknown_unit_suggests() -> None:
    with pytest.raises(UnitError, match="per_100000"):
        units.convert(1.0, "per_10000", "per_100")
