"""NHS Oversight Framework results as tidy frames: metric scores and segments, one row per
organisation (the peer set, the last axis) and peer set (the leading axes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from outcomes.frames._tidy import flat, identity, organisation_labels, tidy

if TYPE_CHECKING:
    from outcomes.oversight import MetricScores, Segmentation

__all__ = ["metric_scores_frame", "segmentation_frame"]


def _layout(
    shape: tuple[int, ...],
    organisations: Sequence[str] | None,
    organisation_names: Sequence[str] | None,
) -> tuple[int, list[str], list[str], list[str]]:
    """Rows, the organisation codes and names per row, and the peer-set label per row."""
    peers = shape[-1] if shape else 1
    leading = shape[:-1]
    sets = int(np.prod(leading)) if leading else 1
    codes, names = organisation_labels(peers, organisations, organisation_names)
    labels = [",".join(str(i) for i in idx) for idx in np.ndindex(*leading)] if leading else [""]
    return sets * peers, codes * sets, names * sets, list(np.repeat(labels, peers))


def metric_scores_frame(
    result: MetricScores,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    period: str | None = None,
    unit: str | None = None,
) -> Any:
    """Metric scores as a tidy frame, one row per organisation and peer set: the identity
    columns (``measure``: the metric), peer_set (the leading index, '' for one peer set),
    score, rank, peers, status, polarity and method.

    Parameters
    ----------
    result : MetricScores
    organisations, organisation_names : sequence of str, optional
        One code (and name) per organisation, in order; by default their positions.
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
    >>> from outcomes.oversight import metric_scores
    >>> s = metric_scores([0.9, 0.8, float("nan")], polarity="higher", metric="OF0023")
    >>> s.to_frame(organisations=["RXA", "RXB", "RXC"])[["organisation", "score", "status"]].values.tolist()
    [['RXA', 1.0, 'SCORED'], ['RXB', 4.0, 'SCORED'], ['RXC', nan, 'NOT_SCORED']]
    """
    scores = np.asarray(result.scores, dtype=float)
    shape = scores.shape
    rows, codes, names, sets = _layout(shape, organisations, organisation_names)

    return tidy(
        {
            "organisation": codes,
            "organisation_name": names,
            **identity(rows, measure=result.metric, period=period, unit=unit),
            "peer_set": sets,
            "score": scores.reshape(-1),
            "rank": flat(result.rank, shape),
            "peers": flat(np.asarray(result.peers, dtype=float)[..., None], shape),
            "status": flat(result.status, shape, str),
            "polarity": flat(np.asarray(result.polarity, dtype=str)[..., None], shape, str),
            "method": [result.method] * rows,
        }
    )


def segmentation_frame(
    result: Segmentation,
    *,
    organisations: Sequence[str] | None = None,
    organisation_names: Sequence[str] | None = None,
    period: str | None = None,
) -> Any:
    """Segments as a tidy frame, one row per organisation and peer set: the identity columns
    (``measure``: ``segment``), peer_set, average_score, segment, computed_segment (before
    overrides), status, league_rank (1 = top) and method.

    Parameters
    ----------
    result : Segmentation
    organisations, organisation_names : sequence of str, optional
        One code (and name) per organisation, in order; by default their positions.
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
    >>> from outcomes.oversight import segments
    >>> seg = segments([1.1, 1.5, 2.5, 3.9])
    >>> seg.to_frame(organisations=["RXA", "RXB", "RXC", "RXD"])["segment"].tolist()
    [1.0, 2.0, 3.0, 4.0]
    """
    average = np.asarray(result.average_scores, dtype=float)
    shape = average.shape
    rows, codes, names, sets = _layout(shape, organisations, organisation_names)

    return tidy(
        {
            "organisation": codes,
            "organisation_name": names,
            **identity(
                rows,
                measure="segment",
                measure_name="NHS Oversight Framework segment",
                period=period,
            ),
            "peer_set": sets,
            "average_score": average.reshape(-1),
            "segment": flat(result.segments, shape),
            "computed_segment": flat(result.computed, shape),
            "status": flat(result.status, shape, str),
            "league_rank": flat(result.league_rank, shape),
            "method": [result.method] * rows,
        }
    )
