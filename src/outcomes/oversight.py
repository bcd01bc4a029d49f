"""NHS Oversight Framework 2025/26 segmentation: metric scores, average scores, segments, league table.

NHS England's method (methodology manual [N18], technical metric specification [N19]) runs in
four mechanical steps, and this module follows them:

1. each scored metric gets a score from **1.00 (best) to 4.00 (worst)** across the peer set
   (:func:`metric_scores`; e.g. OF0023, the 18-week RTT share, is scored from the rank of the
   percentage, higher is better);
2. a provider's metric scores are **averaged** into its average metric score;
3. the averages are **quartiled** into segments 1-4 (:func:`segments`; from 2026/27 by defined
   **thresholds** instead [N24]);
4. **overrides** (e.g. a financial override for a deficit) can move a segment, and segment 5 is
   for the most intensive support (Provider Improvement Programme).

League tables rank by segment, then by average score within the segment [N23, partly confirmed].

What the sources read do **not** give, and this module therefore marks as unconfirmed in every
result (``unconfirmed``): the exact mapping from a rank to a score between 1.00 and 4.00 (here
linear in the rank, ties sharing their average rank), the quartile convention for ties and
uneven peer counts (here the OHID rank-based quantile formula), the financial override rule
(the caller gives the override segment), and every per-metric scoring rule except OF0023.

>>> import numpy as np
>>> s = metric_scores([90.0, 70.0, 80.0, 60.0], polarity="higher")
>>> s.scores.round(2).tolist()
[1.0, 3.0, 2.0, 4.0]
>>> seg = segments([1.2, 3.9, 2.1, 2.8])
>>> seg.segments.tolist(), seg.league_table.tolist()
([1.0, 4.0, 2.0, 3.0], [0, 2, 3, 1])
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

from outcomes._arrays import FloatArray, as_float_array, check_choice
from outcomes._fields import ArrayField, TextArray, same_fields
from outcomes.errors import OutcomesError, ScoringError
from outcomes.polarity import Polarity

__all__ = [
    "BEST_SCORE",
    "WORST_SCORE",
    "MetricScoreStatus",
    "MetricScores",
    "SegmentStatus",
    "Segmentation",
    "metric_scores",
    "segments",
]

#: The best and worst metric scores (NOF 2025/26, confirmed [N18, N19]).
BEST_SCORE = 1.0
WORST_SCORE = 4.0

_RANK_MAPPING = (
    "rank-to-score mapping: score = 1 + 3 (rank - 1) / (n - 1) over the n peers with a value, "
    "ties sharing their average rank, a lone peer 2.50; NHS England publishes that scores run "
    "from 1.00 to 4.00 by rank [N19] but not the exact mapping (unconfirmed)"
)
_QUARTILE_RULE = (
    "quartile convention: OHID rank-based quantile, segment = floor(5 - ceil(4 (n + 1 - rank) "
    "/ n)) with rank 1 the lowest average and ties taking the best rank; NHS England says the "
    "averages are quartiled [N18] but not how ties and uneven counts are split (unconfirmed)"
)
_THRESHOLD_RULE = (
    "threshold convention: segment 1 at or below the first threshold, 4 above the third; "
    "defined thresholds replace quartiles from 2026/27 [N24], but the threshold values and the "
    "boundary convention were not read (unconfirmed)"
)
_OVERRIDE_RULE = (
    "overrides: the final segment is the worse of the computed segment and the override "
    "(an override never improves a segment); the financial override rule itself [N18] was not "
    "read, so the caller supplies the override segment (unconfirmed)"
)


class MetricScoreStatus(enum.StrEnum):
    """Why a metric score is (or is not) there."""

    SCORED = "SCORED"
    NOT_SCORED = "NOT_SCORED"  # the value is missing (NaN): no score, and not a peer


class SegmentStatus(enum.StrEnum):
    """How a segment was reached."""

    SEGMENTED = "SEGMENTED"
    OVERRIDDEN = "OVERRIDDEN"  # an override made the segment worse than the computed one
    NOT_SEGMENTED = "NOT_SEGMENTED"  # no average score and no override


def _to_int_array(value: Any) -> npt.NDArray[np.intp]:
    try:
        return np.asarray(value, dtype=np.intp)
    except (TypeError, ValueError):
        raise ValueError(f"expected integers, got {value!r}") from None


def _to_list(value: Any) -> Any:
    return value.tolist()


if TYPE_CHECKING:
    IndexArray = np.ndarray
else:
    IndexArray = Annotated[
        np.ndarray,
        PlainValidator(_to_int_array),
        PlainSerializer(_to_list, when_used="json"),
        WithJsonSchema({"type": ["integer", "array"], "description": "integer or nested arrays"}),
    ]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, BaseModel)
        return same_fields(self, other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)


class MetricScores(_Result):
    """Metric scores across a peer set (the last axis).

    ``scores`` run from 1.00 (best) to 4.00 (worst), NaN where the value is missing (``status``
    NOT_SCORED beside it). ``rank`` is the (average) rank, 1 = best; ``peers`` counts the
    values scored in each peer set. ``unconfirmed`` lists the parts of the method the sources
    do not confirm; ``notes`` says anything else the caller should know.
    """

    scores: ArrayField
    rank: ArrayField
    peers: ArrayField
    status: TextArray
    polarity: TextArray
    method: str
    metric: str | None = None
    notes: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
        period: str | None = None,
        unit: str | None = None,
    ) -> Any:
        """One row per organisation and peer set as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.metric_scores_frame`."""
        from outcomes.frames import metric_scores_frame

        return metric_scores_frame(
            self,
            organisations=organisations,
            organisation_names=organisation_names,
            period=period,
            unit=unit,
        )


class Segmentation(_Result):
    """Segments of a peer set (the last axis) from average metric scores.

    ``segments`` are 1-4 (5 only by override), NaN with ``status`` NOT_SEGMENTED where there is
    no average score and no override; ``computed`` are the segments before overrides.
    ``league_table`` lists positions along the last axis in league order (segment, then average
    score, then position; the not-segmented last); ``league_rank`` is each one's place (1 = top,
    NaN when not segmented).
    """

    average_scores: ArrayField
    segments: ArrayField
    computed: ArrayField
    status: TextArray
    league_table: IndexArray
    league_rank: ArrayField
    method: str
    thresholds: tuple[float, float, float] | None = None
    notes: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()

    def counts(self) -> dict[int, int]:
        """How many organisations are in each segment 1-5 (all leading axes together).

        >>> segments([1.1, 1.5, 2.5, 3.9]).counts()
        {1: 1, 2: 1, 3: 1, 4: 1, 5: 0}
        """
        seg = self.segments[~np.isnan(self.segments)].astype(np.intp)
        found = np.bincount(seg, minlength=6)
        return {k: int(found[k]) for k in range(1, 6)}

    def to_frame(
        self,
        *,
        organisations: Sequence[str] | None = None,
        organisation_names: Sequence[str] | None = None,
        period: str | None = None,
    ) -> Any:
        """One row per organisation and peer set as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.segmentation_frame`."""
        from outcomes.frames import segmentation_frame

        return segmentation_frame(
            self,
            organisations=organisations,
            organisation_names=organisation_names,
            period=period,
        )


def _signs(polarity: Any, shape: tuple[int, ...]) -> npt.NDArray[np.float64]:
    """+1/-1 per peer set (leading axes) from one polarity or one per peer set."""
    try:
        if isinstance(polarity, str | Polarity):
            parsed = [Polarity.parse(polarity)]
            pol_shape: tuple[int, ...] = ()
        else:
            raw = np.asarray(polarity, dtype=object)
            parsed = [Polarity.parse(p) for p in raw.ravel()]
            pol_shape = raw.shape
    except OutcomesError as error:  # Polarity.parse raises TrajectoryError
        raise ScoringError(
            f"polarity must be 'higher' or 'lower' (or one per peer set), got {polarity!r}: {error}"
        ) from None
    if any(p is Polarity.NO_JUDGEMENT for p in parsed):
        raise ScoringError(
            f"polarity must be 'higher' or 'lower' to rank a metric, got {polarity!r}"
        )
    signs = np.array([p.sign for p in parsed], dtype=np.float64).reshape(pol_shape)
    try:
        return np.broadcast_to(signs, shape)
    except ValueError:
        raise ScoringError(
            f"polarity has shape {pol_shape}, which does not broadcast to the peer sets of "
            f"values (shape {shape} before the last axis)"
        ) from None


def _sorted_runs(
    key: FloatArray,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """The stable order along the last axis (NaN last); where each run of equal sorted keys
    begins (NaN != NaN: each NaN is a run of its own); and each sorted place's run start."""
    order = np.argsort(key, axis=-1, kind="stable")
    sorted_key = np.take_along_axis(key, order, axis=-1)
    position = np.broadcast_to(np.arange(key.shape[-1]), key.shape)
    new_run = np.ones(key.shape, dtype=bool)
    new_run[..., 1:] = sorted_key[..., 1:] != sorted_key[..., :-1]
    run_start = np.maximum.accumulate(np.where(new_run, position, 0), axis=-1)
    return order, new_run, run_start


def _unsort(key: FloatArray, order: npt.NDArray[np.intp], sorted_rank: npt.ArrayLike) -> FloatArray:
    """Ranks in sorted order put back in the keys' order; NaN keys get NaN."""
    rank = np.empty(key.shape, dtype=np.float64)
    np.put_along_axis(rank, order, sorted_rank, axis=-1)
    rank[np.isnan(key)] = np.nan
    return rank


def _average_ranks(key: FloatArray) -> FloatArray:
    """Average rank (1 = smallest) along the last axis; NaN keys get NaN. No loop over rows."""
    n = key.shape[-1]
    order, new_run, run_start = _sorted_runs(key)
    run_end_flag = np.ones(key.shape, dtype=bool)
    run_end_flag[..., :-1] = new_run[..., 1:]
    ends = np.where(run_end_flag, np.arange(n), n - 1)
    run_end = np.flip(np.minimum.accumulate(np.flip(ends, axis=-1), axis=-1), axis=-1)
    return _unsort(key, order, (run_start + run_end) / 2.0 + 1.0)


def _min_ranks(key: FloatArray) -> FloatArray:
    """Minimum rank (1 = smallest; ties share the first rank) along the last axis; NaN -> NaN."""
    order, _, run_start = _sorted_runs(key)
    return _unsort(key, order, run_start + 1.0)


def _values(values: npt.ArrayLike, name: str) -> FloatArray:
    array = as_float_array(values, name, error=ScoringError, finite=False)
    if np.isinf(array).any():
        raise ScoringError(f"{name} must be finite, or NaN where missing; got an infinite value")
    return np.atleast_1d(array)


def _metric_rule(metric: str, edition: str, polarity: Any) -> tuple[list[str], list[str]]:
    """Notes and unconfirmed items from the edition's scoring rule for ``metric``."""
    from outcomes.catalogue import load
    from outcomes.catalogue.current import OversightFramework

    nof = load(edition)
    if not isinstance(nof, OversightFramework):
        raise ScoringError(f"edition must be an oversight edition, got {edition!r} ({nof.kind})")
    found = nof.metric(metric)
    label = f"{found.code}" + (f" ({found.of_id})" if found.of_id else "")
    notes: list[str] = []
    unconfirmed: list[str] = []
    rule = found.scoring
    if rule is None:
        unconfirmed.append(
            f"scoring rule of {label}: absent from {edition} ({found.scoring_missing_reason}); "
            "scored by rank as asked"
        )
        return notes, unconfirmed
    if rule.method != "rank":
        raise ScoringError(
            f"metric {label} is scored by method {rule.method!r} in {edition}, not by rank"
        )
    given = {Polarity.parse(p) for p in np.ravel(np.asarray(polarity, dtype=object))}
    if given != {rule.polarity}:
        raise ScoringError(
            f"polarity {polarity!r} contradicts {edition}: {label} is scored with "
            f"{rule.polarity.value!r} is better"
        )
    notes.append(f"{label}: {rule.description} [{', '.join(rule.sources)}; {rule.status}]")
    if rule.status != "confirmed":
        unconfirmed.append(f"scoring rule of {label} ({rule.status})")
    return notes, unconfirmed


def metric_scores(
    values: npt.ArrayLike,
    *,
    polarity: Polarity | str | npt.ArrayLike,
    method: Literal["rank"] = "rank",
    metric: str | None = None,
    edition: str = "oversight-2025-26",
) -> MetricScores:
    """Score one metric from 1.00 (best) to 4.00 (worst) across a peer set, by rank.

    The peer set is the **last axis** of ``values``; leading axes are independent peer sets
    (e.g. metrics x trusts, or quarters x trusts), scored at once. With ``n`` the number of
    peers that have a value and ``r`` a peer's rank (1 = best under ``polarity``)::

        score = 1 + 3 (r - 1) / (n - 1)            (n >= 2);   2.50 when n = 1

    so the best peer scores 1.00, the worst 4.00 and the scores are monotone in the value.
    **Ties** share the average of the ranks they span (two peers tied for best both get rank
    1.5), so equal values always get equal scores and the mean score stays 2.50. **Missing
    values** (NaN) are not peers: they get a NaN score with status ``NOT_SCORED`` and do not
    count in ``n``.

    Method as NHS England publishes it: each scored metric gets a score from 1.00 to 4.00 (some
    discrete, some continuous) [N18, N19]; for OF0023 (18-week RTT share, acute trusts, latest
    month) "from the rank of the % value, higher is better" [N19]. The linear mapping from rank
    to score above is **not** confirmed by the sources read and is listed in ``unconfirmed``.

    Parameters
    ----------
    values : array_like
        Metric values; the last axis is the peer set. NaN marks a missing value.
    polarity : str, Polarity or array_like
        ``'higher'`` or ``'lower'`` (which is better); or one per peer set (shape broadcastable
        to ``values.shape[:-1]``).
    method : {'rank'}
        The scoring method; only the rank method is published for a metric so far.
    metric : str, optional
        A metric code or OF id of ``edition`` (e.g. ``'OF0023'``): its scoring rule is checked
        against ``polarity`` and its status reported in ``notes`` / ``unconfirmed``.
    edition : str
        The oversight edition holding ``metric`` (default ``'oversight-2025-26'``).

    Returns
    -------
    MetricScores
        ``scores``, ``rank``, ``peers`` (count per peer set), ``status`` (SCORED / NOT_SCORED),
        ``polarity``, ``notes`` and ``unconfirmed``.

    Raises
    ------
    ScoringError
        Non-numeric or infinite values, a polarity other than higher/lower or of the wrong
        shape, an unknown method, or a polarity that contradicts the metric's rule.
    UnknownCodeError
        ``metric`` is not in the edition (with close matches).

    References
    ----------
    NHS England, NHS Oversight Framework 2025/26: methodology manual [N18]; technical metric
    specification document 2025/26 [N19].

    Examples
    --------
    >>> s = metric_scores([62.0, 55.0, float("nan"), 71.0, 55.0], polarity="higher",
    ...                   metric="OF0023")
    >>> s.scores.round(2).tolist()
    [2.0, 3.5, nan, 1.0, 3.5]
    >>> s.status.tolist()[2], int(s.peers)
    ('NOT_SCORED', 4)
    >>> metric_scores([[30.0, 25.0], [12.0, 9.0]], polarity=["lower", "higher"]).scores.tolist()
    [[4.0, 1.0], [1.0, 4.0]]
    """
    check_choice(method, "method", ("rank",), ScoringError)
    array = _values(values, "values")
    signs = _signs(polarity, array.shape[:-1])
    notes: list[str] = []
    unconfirmed: list[str] = [_RANK_MAPPING]
    if metric is not None:
        rule_notes, rule_unconfirmed = _metric_rule(metric, edition, polarity)
        notes.extend(rule_notes)
        unconfirmed.extend(rule_unconfirmed)
    missing = np.isnan(array)
    with np.errstate(invalid="ignore"):
        key = -signs[..., np.newaxis] * array  # smallest key = best peer
    key[missing] = np.nan
    rank = _average_ranks(key) if array.shape[-1] else np.full(array.shape, np.nan)
    peers = (~missing).sum(axis=-1).astype(np.float64)
    n = peers[..., np.newaxis]
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(n > 1, BEST_SCORE + 3.0 * (rank - 1.0) / np.where(n > 1, n - 1, 1), 2.5)
    scores = np.where(missing, np.nan, scores)
    if missing.any():
        notes.append(f"{int(missing.sum())} missing value(s): NaN score, status NOT_SCORED")
    if array.shape[-1] and (peers == 1).any():
        notes.append("a peer set with one value scores 2.50 (no one to rank against)")
    if np.ndim(values) == 0:
        notes.append("a single value is a peer set of one")
    status = np.where(missing, MetricScoreStatus.NOT_SCORED.value, MetricScoreStatus.SCORED.value)
    polarity_text = np.where(signs > 0, Polarity.HIGHER_IS_BETTER.value, "lower")
    scalar = np.ndim(values) == 0
    return MetricScores.model_construct(
        scores=np.asarray(scores[0] if scalar else scores),
        rank=np.asarray(rank[0] if scalar else rank),
        peers=np.asarray(peers),
        status=np.asarray(status[0] if scalar else status, dtype="<U10"),
        polarity=np.asarray(polarity_text, dtype="<U6"),
        method=method,
        metric=metric,
        notes=tuple(notes),
        unconfirmed=tuple(unconfirmed),
    )


def _overrides(overrides: Any, shape: tuple[int, ...]) -> FloatArray:
    """Override segments as a float array of ``shape``; NaN (or 0) = no override."""
    n = shape[-1]
    if isinstance(overrides, Mapping):
        out = np.full(shape, np.nan)
        for key, segment in overrides.items():
            if isinstance(key, bool) or not isinstance(key, int | np.integer) or not -n <= key < n:
                raise ScoringError(
                    f"overrides keys must be positions 0..{n - 1} along the peer axis, got {key!r}"
                )
            out[..., int(key)] = _override_value(segment, f"overrides[{key!r}]")
        return out
    array = as_float_array(overrides, "overrides", error=ScoringError, finite=False)
    try:
        array = np.broadcast_to(array, shape).copy()
    except ValueError:
        raise ScoringError(
            f"overrides has shape {array.shape}, average_scores {shape}; they must broadcast"
        ) from None
    array[array == 0] = np.nan
    given = array[~np.isnan(array)]
    bad = given[(given != np.round(given)) | (given < 1) | (given > 5)]
    if bad.size:
        raise ScoringError(f"overrides must be segments 1-5 (0 or NaN for none), got {bad[0]!r}")
    return array


def _override_value(value: Any, name: str) -> float:
    try:
        segment = float(value)
    except (TypeError, ValueError):
        raise ScoringError(f"{name} must be a segment 1-5, got {value!r}") from None
    if segment not in (1.0, 2.0, 3.0, 4.0, 5.0):
        raise ScoringError(f"{name} must be a segment 1-5, got {value!r}")
    return segment


def _thresholds(thresholds: Any) -> tuple[float, float, float]:
    if thresholds is None:
        raise ScoringError(
            "method 'thresholds' needs thresholds=(t1, t2, t3): the 2026/27 values were not "
            "read, so there is no default"
        )
    t = as_float_array(thresholds, "thresholds", error=ScoringError)
    if t.shape != (3,):
        raise ScoringError(f"thresholds must be three numbers (t1, t2, t3), got shape {t.shape}")
    if not (BEST_SCORE <= t[0] < t[1] < t[2] <= WORST_SCORE):
        raise ScoringError(
            f"thresholds must increase within [1, 4], got {tuple(float(x) for x in t)!r}"
        )
    return float(t[0]), float(t[1]), float(t[2])


def segments(
    average_scores: npt.ArrayLike,
    *,
    method: Literal["quartile", "thresholds"] = "quartile",
    thresholds: npt.ArrayLike | None = None,
    overrides: npt.ArrayLike | Mapping[int, int] | None = None,
) -> Segmentation:
    """Segments 1-4 (5 by override) and the league table from average metric scores.

    The peer set is the **last axis** of ``average_scores`` (lower is better: 1.00 best,
    4.00 worst); leading axes (e.g. quarters) are segmented independently, at once.

    * ``method="quartile"`` (NOF 2025/26 [N18]): with ``n`` peers that have an average and ``r``
      a peer's rank from the lowest average (ties take the best rank), the OHID rank-based
      quantile formula with four groups::

          segment = max(1, floor(5 - ceil(4 (n + 1 - r) / n)))

      which splits a peer set of ``4k`` distinct averages into four groups of ``k``; ties never
      straddle a boundary (they join the better segment).
    * ``method="thresholds"`` (NOF 2026/27 [N24]): with ``thresholds=(t1, t2, t3)``, segment 1
      at or below ``t1``, 2 up to ``t2``, 3 up to ``t3``, 4 above. There is no default: the
      2026/27 values were not read.
    * ``overrides`` (segment 1-5 per peer, NaN or 0 for none; or a mapping of position to
      segment): the final segment is the **worse** of the computed segment and the override, so
      a financial override or segment 5 (Provider Improvement Programme) moves a trust down,
      never up. An override also places a peer that has no average score.

    League table: by segment, then average score, then position (stable); peers with neither
    an average nor an override come last, unranked (NaN ``league_rank``) [N23].

    Parameters
    ----------
    average_scores : array_like
        Average metric scores in [1, 4]; NaN where an organisation has none.
    method : {'quartile', 'thresholds'}
        How averages become segments.
    thresholds : array_like of 3 floats, optional
        Increasing cut points in [1, 4] (method 'thresholds' only).
    overrides : array_like or mapping, optional
        Override segments, broadcastable to ``average_scores``, or ``{position: segment}``.

    Returns
    -------
    Segmentation
        ``segments``, ``computed`` (before overrides), ``status``, ``league_table``,
        ``league_rank``, ``notes`` and ``unconfirmed``.

    Raises
    ------
    ScoringError
        Averages that are not numbers, infinite or outside [1, 4]; an unknown method;
        thresholds missing, misplaced or not increasing; overrides that are not segments 1-5 or
        do not broadcast.

    References
    ----------
    NHS England, NHS Oversight Framework 2025/26: methodology manual [N18]; NHS Oversight
    Framework 2026/27: methodology manual [N24]; OHID/PHE rank-based quantiles
    (PHEindicatormethods ``phe_quantile``), as :func:`outcomes.stats.assign_quantiles`.

    Examples
    --------
    >>> seg = segments([2.1, 1.4, 3.2, 2.9, 1.9, 2.4, 3.6, 1.1], overrides={0: 5})
    >>> seg.computed.tolist()
    [2.0, 1.0, 4.0, 3.0, 2.0, 3.0, 4.0, 1.0]
    >>> seg.segments.tolist()
    [5.0, 1.0, 4.0, 3.0, 2.0, 3.0, 4.0, 1.0]
    >>> seg.league_table.tolist()
    [7, 1, 4, 5, 3, 2, 6, 0]
    >>> segments([1.5, 2.5, 3.5], method="thresholds", thresholds=(2.0, 2.5, 3.0)).segments
    array([1., 2., 4.])
    """
    check_choice(method, "method", ("quartile", "thresholds"), ScoringError)
    avg = _values(average_scores, "average_scores")
    given = avg[~np.isnan(avg)]
    out_of_range = given[(given < BEST_SCORE) | (given > WORST_SCORE)]
    if out_of_range.size:
        raise ScoringError(
            f"average_scores must be in [1, 4] (averages of metric scores), "
            f"got {float(out_of_range[0])!r}"
        )
    missing = np.isnan(avg)
    notes: list[str] = []
    unconfirmed: list[str] = []
    cut: tuple[float, float, float] | None = None
    if method == "quartile":
        if thresholds is not None:
            raise ScoringError("thresholds are used only with method='thresholds'")
        n = (~missing).sum(axis=-1, keepdims=True).astype(np.intp)
        rank = _min_ranks(avg)
        r = np.where(missing, 1, rank).astype(np.intp)
        safe_n = np.maximum(n, 1)
        groups = -((-4 * (safe_n + 1 - r)) // safe_n)  # ceil(4 (n + 1 - r) / n), exactly
        computed = np.maximum(1, 5 - groups).astype(np.float64)
        unconfirmed.append(_QUARTILE_RULE)
        if avg.shape[-1] and ((n > 0) & (n < 4)).any():
            notes.append("a peer set with fewer than 4 averages cannot fill four quartiles")
    else:
        cut = _thresholds(thresholds)
        computed = (np.searchsorted(np.asarray(cut), np.where(missing, 0.0, avg)) + 1).astype(
            np.float64
        )
        unconfirmed.append(_THRESHOLD_RULE)
    computed = np.where(missing, np.nan, computed)
    final = computed.copy()
    overridden = np.zeros(avg.shape, dtype=bool)
    if overrides is not None:
        over = _overrides(overrides, avg.shape)
        has = ~np.isnan(over)
        worse = has & (missing | (over > np.where(missing, 0.0, computed)))
        final = np.where(worse, over, final)
        overridden = worse
        unconfirmed.append(_OVERRIDE_RULE)
        if has.any() and not worse.any():
            notes.append("no override made a segment worse, so none changed")
    placed = ~np.isnan(final)
    status = np.full(avg.shape, SegmentStatus.SEGMENTED.value, dtype="<U13")
    status[overridden] = SegmentStatus.OVERRIDDEN.value
    status[~placed] = SegmentStatus.NOT_SEGMENTED.value
    if (~placed).any():
        notes.append(
            f"{int((~placed).sum())} organisation(s) with no average score and no override: "
            "NaN segment, status NOT_SEGMENTED, last in the league table"
        )
    position = np.broadcast_to(np.arange(avg.shape[-1]), avg.shape)
    seg_key = np.where(placed, final, np.inf)
    avg_key = np.where(missing, np.inf, avg)
    league = np.lexsort((position, avg_key, seg_key), axis=-1)
    league_rank = np.empty(avg.shape, dtype=np.float64)
    np.put_along_axis(
        league_rank, league, np.broadcast_to(np.arange(1.0, avg.shape[-1] + 1.0), avg.shape), -1
    )
    league_rank[~placed] = np.nan
    unconfirmed.append("league table order: by segment, then average score [N23] (partly)")
    scalar = np.ndim(average_scores) == 0

    def shaped(a: Any) -> Any:
        return np.asarray(a[0]) if scalar else a

    return Segmentation.model_construct(
        average_scores=shaped(avg),
        segments=shaped(final),
        computed=shaped(computed),
        status=shaped(status),
        league_table=shaped(np.asarray(league, dtype=np.intp)),
        league_rank=shaped(league_rank),
        method=method,
        thresholds=cut,
        notes=tuple(notes),
        unconfirmed=tuple(unconfirmed),
    )
