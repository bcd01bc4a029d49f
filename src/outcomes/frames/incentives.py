"""Incentive payments as tidy frames: the Quality Premium by measure, the BCF payment by period
and QOF payments by practice. Money stays unrounded (the results' ``*_pence`` give the published
figures); the unit is ``gbp``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from outcomes._optional import require_pandas
from outcomes.frames._tidy import _text, flat, identity, organisation_labels, tidy

if TYPE_CHECKING:
    from outcomes.incentives import BCFPaymentResult, PremiumResult, QOFPaymentResult

__all__ = ["bcf_payment_frame", "premium_frame", "qof_payment_frame"]


def premium_frame(
    result: PremiumResult,
    *,
    organisation: str | None = None,
    organisation_name: str | None = None,
) -> Any:
    """The Quality Premium as a tidy frame: one row per premium measure (``kind`` "measure"),
    then the NHS Constitution reduction and the gateways as rows of their own (``kind``
    "reduction" and "gateway", with negative ``earned``), so that ``earned`` sums to the total.

    Columns: organisation, organisation_name, measure (the premium measure's id),
    measure_name, period (the scheme's performance year), unit (``gbp``), kind, weight,
    allocation, achieved (NaN where not assessed), assessed, earned.

    Parameters
    ----------
    result : PremiumResult
    organisation, organisation_name : str, optional
        The organisation's code and name.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from outcomes.incentives import quality_premium
    >>> r = quality_premium("quality-premium-2014-15", population=115_000,
    ...                     achieved={"pyll": True, "emergency-admissions": True, "iapt": 0.5})
    >>> frame = r.to_frame(organisation="99Z")
    >>> bool(round(frame["earned"].sum(), 2) == r.total_pence), frame["period"].iloc[0]
    (True, '2014/15')
    """
    from outcomes.catalogue import QualityPremiumScheme, load

    pd = require_pandas()
    scheme = load(result.scheme, QualityPremiumScheme)
    measures = result.measures
    after_reduction = result.earned_before_reductions - result.reduction
    gateway = -after_reduction if result.gateway_failures else 0.0
    ids = [m.id for m in measures] + ["constitution-reduction", "gateways"]
    names = [m.name for m in measures] + [
        "NHS Constitution standards missed: " + (", ".join(result.constitution_missed) or "none"),
        "Gateways failed: " + ("; ".join(result.gateway_failures) or "none"),
    ]
    rows = len(ids)
    nan = float("nan")
    assessed = pd.array([m.assessed for m in measures] + [None, None], dtype="boolean")
    frame = tidy(
        {
            "organisation": [_text(organisation, "organisation")] * rows,
            "organisation_name": [_text(organisation_name, "organisation_name")] * rows,
            **identity(rows, period=str(scheme.performance_year), unit="gbp"),
            "kind": ["measure"] * len(measures) + ["reduction", "gateway"],
            "weight": [m.weight for m in measures] + [nan, nan],
            "allocation": [m.allocation for m in measures] + [nan, nan],
            "achieved": [m.achieved if m.assessed else nan for m in measures] + [nan, nan],
            "assessed": assessed,
            "earned": [m.earned for m in measures] + [-result.reduction, gateway],
        }
    )
    frame["measure"] = pd.Categorical(ids)
    frame["measure_name"] = pd.Categorical(names)
    return frame


def bcf_payment_frame(
    result: BCFPaymentResult,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    measure: str | None = "non-elective-admissions",
    measure_name: str | None = "Non-elective admissions (BCF pay for performance)",
) -> Any:
    """The BCF performance payment as a tidy frame, one row per organisation (the leading
    axes, usually one) and period: the identity columns (unit ``gbp``, for the payment), then
    baseline_admissions, planned_avoided, actual_avoided and payment.

    Parameters
    ----------
    result : BCFPaymentResult
    organisations, organisation_names : sequence of str, optional
        One code (and name) per organisation, in order; by default their positions.
    measure, measure_name : str, optional
        The measure's code and name for every row ('' where not given).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        A number of codes or names that does not match the result's organisations.

    Examples
    --------
    >>> from outcomes.incentives import bcf_performance_payment
    >>> r = bcf_performance_payment(baseline_admissions=[5000, 5200], planned_reduction=0.035,
    ...     actual_admissions=[4900, 5000], cost_per_admission=1490.0, periods=["Q1", "Q2"])
    >>> r.to_frame(organisations=["E09000001"])[["period", "payment"]].round(2).values.tolist()
    [['Q1', 149000.0], ['Q2', 271180.0]]
    """
    base = np.asarray(result.baseline_admissions, dtype=float)
    n = len(result.periods)
    shape = base.shape[:-1]
    groups = int(np.prod(shape)) if shape else 1
    codes, names = organisation_labels(groups, organisations, organisation_names, shape=shape)
    rows = groups * n
    return tidy(
        {
            "organisation": np.repeat(codes, n),
            "organisation_name": np.repeat(names, n),
            **identity(
                rows,
                measure=measure,
                measure_name=measure_name,
                period=list(result.periods) * groups,
                unit="gbp",
            ),
            "baseline_admissions": base.reshape(-1),
            "planned_avoided": np.asarray(result.planned_avoided, dtype=float).reshape(-1),
            "actual_avoided": np.asarray(result.actual_avoided, dtype=float).reshape(-1),
            "payment": np.asarray(result.payment, dtype=float).reshape(-1),
        },
        periods=list(result.periods),
    )


def qof_payment_frame(
    result: QOFPaymentResult,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    measure: str | None = None,
    measure_name: str | None = None,
    period: str | None = None,
) -> Any:
    """QOF payments as a tidy frame, one row per element of the result (practice): the
    identity columns (unit ``gbp``), then points, point_value, list_size_adjustment,
    prevalence_adjustment, payment and edition.

    Parameters
    ----------
    result : QOFPaymentResult
    organisations, organisation_names : sequence of str, optional
        One code (and name) per organisation, in order; by default their positions.
    measure, measure_name : str, optional
        The measure's code and name for every row ('' where not given).
    period : str, optional
        The period label for every row.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        A number of codes or names that does not match the result's organisations.

    Examples
    --------
    >>> from outcomes.incentives import qof_payment
    >>> r = qof_payment([10.0, 20.0], edition="qof-2025-26", point_value=200.0)
    >>> r.to_frame(organisations=["A81001", "A81002"])["payment"].tolist()
    [2000.0, 4000.0]
    """
    payment = np.asarray(result.payment, dtype=float)
    shape = payment.shape
    count = int(np.prod(shape)) if shape else 1
    codes, names = organisation_labels(count, organisations, organisation_names, shape=shape)

    return tidy(
        {
            "organisation": codes,
            "organisation_name": names,
            **identity(
                count, measure=measure, measure_name=measure_name, period=period, unit="gbp"
            ),
            "points": flat(result.points, shape),
            "point_value": np.full(count, result.point_value),
            "list_size_adjustment": flat(result.list_size_adjustment, shape),
            "prevalence_adjustment": flat(result.prevalence_adjustment, shape),
            "payment": payment.reshape(-1),
            "edition": [result.edition] * count,
        }
    )
