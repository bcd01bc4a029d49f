"""Incentive payouts driven by the framework data: the Quality Premium and the BCF payment.

Money keeps full precision inside; it is rounded half-up to pence only at the output edge
(:meth:`PremiumResult.breakdown`, ``str()``, ``*_pence`` properties). Every result lists the
parameters it used that are not confirmed in the sources (``unconfirmed``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from outcomes._arrays import (
    FloatArray,
    as_float_array,
    as_number,
    broadcast,
    check_finite_result,
    round_half_up,
)
from outcomes._fields import ArrayField, same_fields
from outcomes._format import format_table
from outcomes.catalogue import BCFFramework, QOFFramework, QualityPremiumScheme, load
from outcomes.errors import IncentiveError, UnknownCodeError

__all__ = [
    "BCFPaymentResult",
    "MeasureResult",
    "PremiumResult",
    "QOFPaymentResult",
    "bcf_performance_payment",
    "money",
    "qof_payment",
    "qof_points",
    "quality_premium",
]


def money(amount: float) -> str:
    """GBP to pence, half-up, with thousands separators: ``money(1234.565) == '£1,234.57'``.

    A missing amount (NaN) shows as ``missing``; text and infinities raise
    :class:`IncentiveError`.

    >>> money(1234.565), money(-5.0), money(float("nan"))
    ('£1,234.57', '-£5.00', 'missing')
    """
    pence = round_half_up(amount, 2, error=IncentiveError)
    if np.ndim(pence):
        raise IncentiveError(f"money formats one amount, got {amount!r:.80}")
    if math.isnan(pence):
        return "missing"
    sign = "-" if pence < 0 else ""
    return f"{sign}£{abs(pence):,.2f}"


class MeasureResult(BaseModel):
    """One measure's share of the premium and what it earned."""

    model_config = ConfigDict(frozen=True)
    id: str
    name: str
    weight: float
    allocation: float
    achieved: float
    earned: float
    assessed: bool


class PremiumResult(BaseModel):
    """The Quality Premium for one CCG: maximum, per-measure earnings, reductions, gateways."""

    model_config = ConfigDict(frozen=True)
    scheme: str
    population: float
    value_per_head: float
    maximum: float
    measures: tuple[MeasureResult, ...]
    earned_before_reductions: float
    constitution_missed: tuple[str, ...]
    reduction_share: float
    reduction: float
    gateway_failures: tuple[str, ...]
    total: float
    unconfirmed: tuple[str, ...]

    @property
    def total_pence(self) -> float:
        """The total rounded half-up to pence (the published figure)."""
        return float(round_half_up(self.total, 2))

    @property
    def paid(self) -> bool:
        return not self.gateway_failures and self.total > 0

    def to_frame(
        self, *, organisation: str | None = None, organisation_name: str | None = None
    ) -> Any:
        """The premium by measure as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.premium_frame`."""
        from outcomes.frames import premium_frame

        return premium_frame(self, organisation=organisation, organisation_name=organisation_name)

    def notes(self) -> list[str]:
        """The lines under the table: earnings before reductions, reductions, gateways, the
        total and the unconfirmed parameters used."""
        lines = [f"earned before reductions: {money(self.earned_before_reductions)}"]
        if self.constitution_missed:
            lines.append(
                f"NHS Constitution standards missed: {', '.join(self.constitution_missed)} "
                f"-> reduction {self.reduction_share:.0%} = {money(self.reduction)}"
            )
        if self.gateway_failures:
            lines.append("gateway failed: " + "; ".join(self.gateway_failures) + " -> nothing paid")
        lines.append(f"total: {money(self.total)}")
        if self.unconfirmed:
            lines.append("uses unconfirmed parameters: " + ", ".join(self.unconfirmed))
        return lines

    def breakdown(self) -> list[dict[str, Any]]:
        """Rows for a table: one per measure, then reductions and total (money in pence)."""
        rows: list[dict[str, Any]] = [
            {
                "measure": m.id,
                "weight": m.weight,
                "allocation": round_half_up(m.allocation, 2),
                "achieved": m.achieved if m.assessed else None,
                "earned": round_half_up(m.earned, 2),
            }
            for m in self.measures
        ]
        rows.append(
            {
                "measure": "constitution reduction",
                "weight": None,
                "allocation": None,
                "achieved": None,
                "earned": -round_half_up(self.reduction, 2),
            }
        )
        rows.append(
            {
                "measure": "total",
                "weight": 1.0,
                "allocation": round_half_up(self.maximum, 2),
                "achieved": None,
                "earned": self.total_pence,
            }
        )
        return rows

    def __str__(self) -> str:
        rows = [
            [
                m.id,
                f"{m.weight:.0%}",
                money(m.allocation),
                "not assessed" if not m.assessed else f"{m.achieved:.0%}",
                money(m.earned),
            ]
            for m in self.measures
        ]
        text = format_table(["measure", "weight", "allocation", "achieved", "earned"], rows)
        lines = [
            f"Quality premium ({self.scheme}): population {self.population:,.0f} x "
            f"{money(self.value_per_head)} per head = maximum {money(self.maximum)}",
            text,
            *self.notes(),
        ]
        return "\n".join(lines)


def _fraction(measure_id: str, value: Any, parts: Mapping[str, float]) -> float:
    if isinstance(value, Mapping):
        if not parts:
            raise IncentiveError(
                f"achieved[{measure_id!r}] is split into parts, but the scheme has none; "
                "give True/False or a fraction"
            )
        unknown = [k for k in value if k not in parts]
        if unknown:
            raise UnknownCodeError(f"part of {measure_id!r}", unknown[0], parts)
        return sum(parts[k] * _fraction(f"{measure_id}.{k}", v, {}) for k, v in value.items())
    if isinstance(value, bool | np.bool_):
        return 1.0 if value else 0.0
    return as_number(
        value,
        f"achieved[{measure_id!r}] (True/False or a fraction)",
        error=IncentiveError,
        minimum=0.0,
        maximum=1.0,
    )


def quality_premium(
    scheme: QualityPremiumScheme | str,
    *,
    population: float,
    achieved: Mapping[str, bool | float],
    constitution_missed: Iterable[str] = (),
    quality_failure: bool = False,
    financial_deficit: bool = False,
    value_per_head: float | None = None,
    constitution_reduction: float | None = None,
) -> PremiumResult:
    """The Quality Premium a CCG earns under a scheme loaded from the catalogue.

    ``maximum = value_per_head x population``; measure ``i`` is allocated ``weight_i x maximum``
    (weights sum to exactly 100%) and earns ``allocation_i x achieved_i``, where ``achieved``
    maps measure ids to True/False, a fraction in [0, 1], or (where the scheme splits a measure
    into parts) a mapping of part ids to True/False. Each missed NHS Constitution standard
    reduces the earned amount by the scheme's share (capped at 100%). A failed gateway
    (``quality_failure``, ``financial_deficit``) pays nothing, with the reason. Measures not in
    ``achieved`` earn nothing and are listed as not assessed.

    Sources: QP 2014/15 guidance (23 Dec 2013): six measures, up to GBP 5 per head; gateways;
    Constitution reductions (see ``frameworks/quality-premium-2014-15.toml``).

    >>> r = quality_premium("quality-premium-2014-15", population=115_000,
    ...                     achieved={"pyll": True, "emergency-admissions": True, "iapt": 0.5})
    >>> r.maximum, r.total_pence
    (575000.0, 273125.0)
    >>> quality_premium("quality-premium-2014-15", population=115_000, achieved={"pyll": True},
    ...                 financial_deficit=True).total
    0.0
    """
    qp = load(scheme, QualityPremiumScheme) if isinstance(scheme, str) else scheme
    if not isinstance(qp, QualityPremiumScheme):
        raise IncentiveError(f"scheme must be a quality premium scheme, got {type(qp).__name__}")
    pop = as_number(population, "population", error=IncentiveError, minimum=0)
    unconfirmed: list[str] = []
    if value_per_head is None:
        per_head = qp.value_per_head.value
        if not qp.value_per_head.confirmed:
            unconfirmed.append(f"value_per_head={per_head:g} ({qp.value_per_head.status})")
    else:
        per_head = as_number(value_per_head, "value_per_head", error=IncentiveError, minimum=0)
    for flag_name, flag in (
        ("quality_failure", quality_failure),
        ("financial_deficit", financial_deficit),
    ):
        if not isinstance(flag, bool | np.bool_):
            raise IncentiveError(f"{flag_name} must be True or False, got {flag!r:.60}")
    if not isinstance(achieved, Mapping):
        raise IncentiveError(
            f"achieved must map measure ids to True/False or a fraction, got {achieved!r:.80}"
        )
    missed = _standards(constitution_missed)
    maximum = per_head * pop
    if not math.isfinite(maximum):
        raise IncentiveError(
            f"the maximum (value_per_head x population = {per_head:g} x {pop:g}) overflows; "
            "the population is too large"
        )
    known = [m.id for m in qp.measures]
    for key in achieved:
        if key not in known:
            raise UnknownCodeError("quality premium measure", key, known)
    for m in qp.measures:
        if m.weight_status != "confirmed":
            unconfirmed.append(f"{m.id}.weight={m.weight:g} ({m.weight_status})")
    results = []
    for m in qp.measures:
        assessed = m.id in achieved
        fraction = _fraction(m.id, achieved[m.id], m.parts) if assessed else 0.0
        if assessed and isinstance(achieved[m.id], Mapping) and m.parts_status != "confirmed":
            unconfirmed.append(f"{m.id}.parts split ({m.parts_status})")
        allocation = m.weight * maximum
        results.append(
            MeasureResult(
                id=m.id,
                name=m.name,
                weight=m.weight,
                allocation=allocation,
                achieved=fraction,
                earned=allocation * fraction,
                assessed=assessed,
            )
        )
    earned = math.fsum(r.earned for r in results)
    for standard in missed:
        qp.standard(standard)
    share_each = (
        qp.constitution_reduction.value
        if constitution_reduction is None
        else as_number(
            constitution_reduction,
            "constitution_reduction",
            error=IncentiveError,
            minimum=0.0,
            maximum=1.0,
        )
    )
    if missed and constitution_reduction is None and not qp.constitution_reduction.confirmed:
        unconfirmed.append(
            f"constitution_reduction={share_each:g} per standard "
            f"({qp.constitution_reduction.status})"
        )
    reduction_share = min(1.0, share_each * len(missed))
    reduction = earned * reduction_share
    failures = []
    if quality_failure:
        failures.append("quality gateway: a serious quality failure in the year")
    if financial_deficit:
        failures.append("financial gateway: in deficit or over the resource limit")
    total = 0.0 if failures else earned - reduction
    return PremiumResult(
        scheme=qp.id,
        population=pop,
        value_per_head=per_head,
        maximum=maximum,
        measures=tuple(results),
        earned_before_reductions=earned,
        constitution_missed=missed,
        reduction_share=reduction_share,
        reduction=reduction,
        gateway_failures=tuple(failures),
        total=total,
        unconfirmed=tuple(unconfirmed),
    )


def _standards(given: object) -> tuple[str, ...]:
    """NHS Constitution standard ids, each once, in the order given."""
    if isinstance(given, str):
        given = (given,)
    try:
        items = list(given)  # type: ignore[call-overload]
    except TypeError:
        raise IncentiveError(
            f"constitution_missed must be a list of standard ids, got {given!r:.80}"
        ) from None
    for item in items:
        if not isinstance(item, str):
            raise IncentiveError(f"constitution_missed must hold standard ids, got {item!r:.60}")
    return tuple(dict.fromkeys(items))


class BCFPaymentResult(BaseModel):
    """The BCF pay-for-performance payment, per period and in total."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    periods: tuple[str, ...]
    baseline_admissions: ArrayField
    planned_avoided: ArrayField
    actual_avoided: ArrayField
    payment: ArrayField
    cost_per_admission: float
    pot: float
    total: float
    unearned: float
    unconfirmed: tuple[str, ...]

    @property
    def total_pence(self) -> float:
        return float(round_half_up(self.total, 2))

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
    ) -> Any:
        """The payment by period as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.bcf_payment_frame`."""
        from outcomes.frames import bcf_payment_frame

        return bcf_payment_frame(
            self, organisations=organisations, organisation_names=organisation_names
        )

    def __str__(self) -> str:
        rows = [
            [p, f"{b:,.0f}", f"{pa:,.1f}", f"{aa:,.1f}", money(pay)]
            for p, b, pa, aa, pay in zip(
                self.periods,
                self.baseline_admissions.ravel(),
                self.planned_avoided.ravel(),
                self.actual_avoided.ravel(),
                self.payment.ravel(),
                strict=True,
            )
        ]
        text = format_table(["period", "baseline", "planned avoided", "avoided", "payment"], rows)
        note = (
            "\nuses unconfirmed parameters: " + ", ".join(self.unconfirmed)
            if self.unconfirmed
            else ""
        )
        return (
            f"BCF performance payment at {money(self.cost_per_admission)} per admission, "
            f"pot {money(self.pot)}\n{text}\ntotal {money(self.total)}; unearned (stays with "
            f"local NHS services) {money(self.unearned)}{note}"
        )


def bcf_performance_payment(
    *,
    baseline_admissions: npt.ArrayLike,
    planned_reduction: npt.ArrayLike,
    actual_admissions: npt.ArrayLike,
    cost_per_admission: float | None = None,
    pot: float | None = None,
    periods: Sequence[str] | None = None,
    framework: BCFFramework | str = "bcf-2015-16",
) -> BCFPaymentResult:
    """The Better Care Fund pay-for-performance payment for non-elective admissions.

    Per period: ``planned_avoided = baseline x planned_reduction``; ``avoided = max(baseline -
    actual, 0)``; ``payment = min(avoided, planned_avoided) x cost_per_admission``. The total is
    capped at the pot (default: the planned amount, ``sum(planned_avoided) x cost``); what is not
    earned stays with local NHS (out-of-hospital) services. Give one value per quarter for a
    quarterly scheme, or a single annual value.

    The cost per admission defaults to the framework's figure, which is **unconfirmed**
    (GBP 1,490); the result lists it in ``unconfirmed``. Pass your plan's figure.

    >>> r = bcf_performance_payment(baseline_admissions=[5000, 5200, 5400, 5100],
    ...     planned_reduction=0.035, actual_admissions=[4900, 5000, 5300, 5150],
    ...     cost_per_admission=1490.0, periods=["Q1", "Q2", "Q3", "Q4"])
    >>> [round(float(p)) for p in r.payment], round(r.total), round(r.pot)
    ([149000, 271180, 149000, 0], 569180, 1079505)
    """
    bcf = load(framework, BCFFramework) if isinstance(framework, str) else framework
    if not isinstance(bcf, BCFFramework):
        raise IncentiveError(f"framework must be a BCF framework, got {type(bcf).__name__}")
    if bcf.payment is None:
        raise IncentiveError(
            f"framework {bcf.id!r} has no pay-for-performance element (payment is absent)"
        )
    rule = bcf.payment
    base = np.atleast_1d(
        as_float_array(
            baseline_admissions, "baseline_admissions", error=IncentiveError, nonnegative=True
        )
    )
    actual = np.atleast_1d(
        as_float_array(
            actual_admissions, "actual_admissions", error=IncentiveError, nonnegative=True
        )
    )
    reduction = as_float_array(planned_reduction, "planned_reduction", error=IncentiveError)
    if ((reduction < 0) | (reduction >= 1)).any():
        raise IncentiveError(
            f"planned_reduction must be a share in [0, 1), e.g. 0.035, got {planned_reduction!r:.80}"
        )
    if base.shape != actual.shape:
        raise IncentiveError(
            f"shapes do not match: baseline_admissions has shape {base.shape}, "
            f"actual_admissions has shape {actual.shape}"
        )
    if base.ndim != 1 or base.size == 0:
        raise IncentiveError(
            f"baseline_admissions must be one value per period (1-D), got shape {base.shape}"
        )
    shaped, _ = broadcast(IncentiveError, baseline_admissions=base, planned_reduction=reduction)
    if shaped.shape != base.shape:
        raise IncentiveError(
            f"planned_reduction must be one share or one per period: baseline_admissions has "
            f"shape {base.shape}, planned_reduction has shape {reduction.shape}"
        )
    if periods is None:
        labels = tuple(f"period {i + 1}" for i in range(base.shape[-1]))
    elif isinstance(periods, str) or not isinstance(periods, Sequence):
        raise IncentiveError(f"periods must be a list of labels, got {periods!r:.80}")
    else:
        labels = tuple(str(p) for p in periods)
    if len(labels) != base.shape[-1]:
        raise IncentiveError(f"periods has {len(labels)} labels for {base.shape[-1]} values")
    unconfirmed: list[str] = []
    if cost_per_admission is None:
        cost = rule.cost_per_admission.value
        if not rule.cost_per_admission.confirmed:
            unconfirmed.append(f"cost_per_admission={cost:g} ({rule.cost_per_admission.status})")
    else:
        cost = as_number(cost_per_admission, "cost_per_admission", error=IncentiveError, above=0)
    with np.errstate(over="ignore", invalid="ignore"):
        planned = base * reduction
        avoided = np.maximum(base - actual, 0.0)
        payment = np.minimum(avoided, planned) * cost
        planned_pot = float(planned.sum()) * cost
        paid = float(payment.sum())
    check_finite_result(
        np.asarray([planned_pot, paid]), "the payments", IncentiveError, "admissions too large"
    )
    cap = planned_pot if pot is None else as_number(pot, "pot", error=IncentiveError, minimum=0)
    total = min(paid, cap)
    return BCFPaymentResult(
        periods=labels,
        baseline_admissions=base,
        planned_avoided=planned,
        actual_avoided=avoided,
        payment=payment,
        cost_per_admission=cost,
        pot=cap,
        total=total,
        unearned=cap - total,
        unconfirmed=tuple(unconfirmed),
    )


# --------------------------------------------------------------------------------------------
# Quality and Outcomes Framework (GP practices)
# --------------------------------------------------------------------------------------------


class QOFPaymentResult(BaseModel):
    """QOF payment(s): one per element of the broadcast inputs, with the total.

    ``payment = points x point_value x list_size_adjustment x prevalence_adjustment``.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    edition: str
    points: ArrayField
    point_value: float
    list_size_adjustment: ArrayField
    prevalence_adjustment: ArrayField
    payment: ArrayField
    total: float
    unconfirmed: tuple[str, ...]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QOFPaymentResult):
            return NotImplemented
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash((self.edition, self.point_value))

    @property
    def payment_pence(self) -> Any:
        """The payment(s) rounded half-up to pence."""
        return round_half_up(self.payment, 2)

    @property
    def total_pence(self) -> float:
        """The total rounded half-up to pence."""
        return float(round_half_up(self.total, 2))

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
        measure: str | None = None,
        measure_name: str | None = None,
        period: str | None = None,
    ) -> Any:
        """The payments as a tidy DataFrame, one row per practice (extra ``pandas``); see
        :func:`outcomes.frames.qof_payment_frame`."""
        from outcomes.frames import qof_payment_frame

        return qof_payment_frame(
            self,
            organisations=organisations,
            organisation_names=organisation_names,
            measure=measure,
            measure_name=measure_name,
            period=period,
        )

    def __str__(self) -> str:
        lines = [
            f"QOF payment ({self.edition}) at GBP {self.point_value:,.2f} a point: "
            f"total GBP {self.total_pence:,.2f} over {self.payment.size} payment(s)"
        ]
        if self.unconfirmed:
            lines.append("uses unconfirmed parameters: " + "; ".join(self.unconfirmed))
        return "\n".join(lines)


def _edition(edition: QOFFramework | str) -> QOFFramework:
    qof = load(edition) if isinstance(edition, str) else edition
    if not isinstance(qof, QOFFramework):
        kind = getattr(qof, "kind", type(qof).__name__)
        raise IncentiveError(f"edition must be a QOF edition (kind 'qof'), got {kind!r}")
    return qof


def qof_payment(
    points: npt.ArrayLike,
    *,
    edition: QOFFramework | str,
    list_size_adjustment: npt.ArrayLike = 1.0,
    prevalence_adjustment: npt.ArrayLike = 1.0,
    point_value: float | None = None,
) -> QOFPaymentResult:
    """The QOF payment for points earned, by the edition's value of a point.

    Per indicator (or practice)::

        payment = points x point_value x list_size_adjustment x prevalence_adjustment

    where the list-size adjustment (CPI) is the practice list size / the national average list
    size, and the prevalence adjustment (APDF) the practice prevalence / the national
    prevalence (adjusted), for prevalence-based indicators only (leave it 1.0 otherwise).
    Inputs broadcast; ``total`` sums every payment. The point value comes from the edition
    (e.g. GBP 220.62 in 2024/25, **partly** confirmed) unless ``point_value=`` is given. The
    payment formula itself is partly confirmed (QOF-1), so it is always listed in
    ``unconfirmed``, as is an edition point value that is not confirmed.

    Parameters
    ----------
    points : array_like
        Points earned (>= 0), e.g. from :func:`qof_points`.
    edition : str or QOFFramework
        A QOF edition id (``'qof-2024-25'``) or a loaded edition.
    list_size_adjustment : array_like
        CPI, >= 0 (1.0 for a practice of national average size).
    prevalence_adjustment : array_like
        APDF, >= 0 (1.0 for an indicator that is not prevalence-based).
    point_value : float, optional
        GBP per point, > 0, overriding the edition's (needed for 2025/26, whose value was not
        found).

    Returns
    -------
    QOFPaymentResult
        ``payment`` (same shape as the broadcast inputs), ``total``, ``point_value`` and
        ``unconfirmed``.

    Raises
    ------
    IncentiveError
        The edition has no point value and ``point_value`` is not given (the message names the
        missing fact and why it is missing); inputs that are not finite numbers >= 0, or whose
        shapes do not broadcast (both shapes named); an edition that is not a QOF edition.
    UnknownCodeError
        An unknown edition id.

    References
    ----------
    QOF payment formula and point values as summarised by LMCs and the trade press (N50, N55,
    N48, N49); see ``catalogue/data/qof-2024-25.toml`` for every source.

    Examples
    --------
    >>> r = qof_payment([10.0, 20.0], edition="qof-2024-25", list_size_adjustment=1.2)
    >>> r.payment_pence.tolist(), r.total_pence
    ([2647.44, 5294.88], 7942.32)
    >>> qof_payment(100.0, edition="qof-2025-26", point_value=220.62).total_pence
    22062.0
    """
    qof = _edition(edition)
    unconfirmed: list[str] = []
    if point_value is None:
        if qof.point_value is None:
            raise IncentiveError(
                f"{qof.id} has no value of a QOF point (point_value): "
                f"{qof.point_value_missing_reason}"
            )
        value = qof.point_value.value
        if not qof.point_value.confirmed:
            unconfirmed.append(f"point_value={value:g} ({qof.point_value.status})")
    else:
        value = as_number(point_value, "point_value", error=IncentiveError, above=0)
    formula = qof.payment_formula
    if formula.status != "confirmed":
        unconfirmed.append(f"payment formula ({formula.ref or formula.id}, {formula.status})")
    names = ("points", "list_size_adjustment", "prevalence_adjustment")
    arrays = [
        as_float_array(v, name, error=IncentiveError, nonnegative=True)
        for v, name in zip(
            (points, list_size_adjustment, prevalence_adjustment), names, strict=True
        )
    ]
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays, strict=True))
        raise IncentiveError(f"shapes do not broadcast: {shapes}") from None
    pts, cpi, apdf = (np.broadcast_to(a, shape) for a in arrays)
    with np.errstate(over="ignore", invalid="ignore"):
        payment = pts * value * cpi * apdf
    if not np.isfinite(payment).all():
        raise IncentiveError("the payment overflows: points or adjustments are too large")
    return QOFPaymentResult(
        edition=qof.id,
        points=np.asarray(pts),
        point_value=value,
        list_size_adjustment=np.asarray(cpi),
        prevalence_adjustment=np.asarray(apdf),
        payment=np.asarray(payment),
        total=float(np.sum(payment)),
        unconfirmed=tuple(unconfirmed),
    )


@overload
def qof_points(achievement: float, *, max_points: float, lower: float, upper: float) -> float: ...
@overload
def qof_points(
    achievement: npt.ArrayLike,
    *,
    max_points: npt.ArrayLike,
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
) -> float | FloatArray: ...
def qof_points(
    achievement: npt.ArrayLike,
    *,
    max_points: npt.ArrayLike,
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
) -> float | FloatArray:
    """Points earned on one indicator: none below the lower threshold, all at the upper one.

    Linear sliding scale between the lower (LT) and upper (UT) achievement thresholds::

        points = max_points x clip((achievement - LT) / (UT - LT), 0, 1)

    The structure (nothing below LT, a sliding scale, full points at or above UT) is partly
    confirmed (QOF-2); that the scale is linear rests on the IIF source (N56) and the exact
    wording of the Statement of Financial Entitlements was not read. Achievement and thresholds
    share a scale (e.g. percent). NaN achievement (not reported) gives NaN points; use it only
    beside your own marker of the missing return.

    Parameters
    ----------
    achievement : array_like
        Achievement on the indicator (e.g. percent of the eligible patients).
    max_points : array_like
        Points available on the indicator (>= 0).
    lower, upper : array_like
        The lower and upper thresholds, ``lower < upper``.

    Returns
    -------
    float or numpy.ndarray
        Points earned, broadcast over the inputs.

    Raises
    ------
    IncentiveError
        Thresholds not finite or not ``lower < upper``; negative or infinite ``max_points``;
        infinite achievement; shapes that do not broadcast.

    References
    ----------
    Doncaster LMC, Investment and Impact Fund (N56); QOF 2025/26 lower/upper thresholds (N51,
    N52).

    Examples
    --------
    >>> qof_points(65.0, max_points=10.0, lower=40.0, upper=90.0)
    5.0
    >>> qof_points([30.0, 95.0], max_points=10.0, lower=40.0, upper=90.0).tolist()
    [0.0, 10.0]
    """
    ach = as_float_array(achievement, "achievement", error=IncentiveError, finite=False)
    if np.isinf(ach).any():
        raise IncentiveError("achievement must be finite, or NaN where not reported")
    top = as_float_array(max_points, "max_points", error=IncentiveError, nonnegative=True)
    lt = as_float_array(lower, "lower", error=IncentiveError)
    ut = as_float_array(upper, "upper", error=IncentiveError)
    # the broadcast achievement, for the shape (the sums below run on the inputs as given)
    shaped = broadcast(IncentiveError, achievement=ach, max_points=top, lower=lt, upper=ut)[0]
    if (lt >= ut).any():
        raise IncentiveError(f"lower must be < upper, got lower={lower!r}, upper={upper!r}")
    with np.errstate(over="ignore", invalid="ignore"):
        share = np.clip((ach - lt) / (ut - lt), 0.0, 1.0)
        points = np.broadcast_to(top * share, shaped.shape)
    if not np.isfinite(points[~np.isnan(shaped)]).all():
        raise IncentiveError("points overflow: thresholds or achievement are too far apart")
    return float(points) if points.ndim == 0 else np.asarray(points, dtype=np.float64)
