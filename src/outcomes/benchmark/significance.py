"""Is an area significantly different from its benchmark? The Fingertips comparers."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Literal, overload

import numpy as np
import numpy.typing as npt

from outcomes._arrays import FloatArray, check_choice
from outcomes.benchmark._common import (
    TextResult,
    _array,
    _broadcast,
    _ordered,
    _positive,
    _text,
)
from outcomes.errors import ScoringError
from outcomes.polarity import Polarity
from outcomes.stats.intervals import confidence_level as _confidence
from outcomes.stats.intervals import z_value


class Significance(enum.StrEnum):
    """An area compared with a benchmark (Fingertips' ``Significance``).

    ``BETTER``/``SIMILAR``/``WORSE`` when the polarity makes a judgement; ``HIGHER``/``LOWER``
    when it does not; ``BEST``/``WORST`` (``HIGHEST``/``LOWEST`` without a judgement) from the
    two-level method beyond the 99.8% interval; ``NOT_COMPARED`` where data are missing
    (Fingertips' "None").
    """

    BETTER = "BETTER"
    SIMILAR = "SIMILAR"
    WORSE = "WORSE"
    HIGHER = "HIGHER"
    LOWER = "LOWER"
    BEST = "BEST"
    WORST = "WORST"
    HIGHEST = "HIGHEST"
    LOWEST = "LOWEST"
    NOT_COMPARED = "NOT_COMPARED"

    @property
    def label(self) -> str:
        """Wording for a table: ``"Better"``, ``"Similar"``, ``"Not compared"``...

        >>> Significance.NOT_COMPARED.label
        'Not compared'
        """
        return self.value.replace("_", " ").capitalize()


# --------------------------------------------------------------------------------------------
# compare: significance against a benchmark
# --------------------------------------------------------------------------------------------

CompareMethod = Literal[
    "single_overlap", "double_overlap", "two_level", "spc_proportion", "spc_dsr"
]

_NEEDS: dict[str, tuple[str, ...]] = {
    "single_overlap": ("lower", "upper"),
    "double_overlap": ("lower", "upper", "benchmark_lower", "benchmark_upper"),
    "two_level": ("lower", "upper", "lower_998", "upper_998"),
    "spc_proportion": ("denominator",),
    "spc_dsr": ("denominator",),
}

# raw direction codes of the area relative to the benchmark, before the polarity is applied
_NONE, _LOW, _SAME, _HIGH, _LOWEST, _HIGHEST = range(6)

_SIGNIFICANCE_TABLE: dict[Polarity, tuple[str, ...]] = {
    Polarity.HIGHER_IS_BETTER: ("NOT_COMPARED", "WORSE", "SIMILAR", "BETTER", "WORST", "BEST"),
    Polarity.LOWER_IS_BETTER: ("NOT_COMPARED", "BETTER", "SIMILAR", "WORSE", "BEST", "WORST"),
    Polarity.NO_JUDGEMENT: ("NOT_COMPARED", "LOWER", "SIMILAR", "HIGHER", "LOWEST", "HIGHEST"),
}


@overload
def compare(
    value: float,
    benchmark: float,
    *,
    polarity: object,
    lower: float | None = ...,
    upper: float | None = ...,
    benchmark_lower: float | None = ...,
    benchmark_upper: float | None = ...,
    lower_998: float | None = ...,
    upper_998: float | None = ...,
    denominator: float | None = ...,
    per: float = ...,
    confidence: float = ...,
    method: CompareMethod = ...,
) -> Significance: ...


@overload
def compare(
    value: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    *,
    polarity: object,
    lower: npt.ArrayLike | None = ...,
    upper: npt.ArrayLike | None = ...,
    benchmark_lower: npt.ArrayLike | None = ...,
    benchmark_upper: npt.ArrayLike | None = ...,
    lower_998: npt.ArrayLike | None = ...,
    upper_998: npt.ArrayLike | None = ...,
    denominator: npt.ArrayLike | None = ...,
    per: float = ...,
    confidence: float = ...,
    method: CompareMethod = ...,
) -> TextResult: ...


def compare(
    value: npt.ArrayLike,
    benchmark: npt.ArrayLike,
    *,
    polarity: object,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    benchmark_lower: npt.ArrayLike | None = None,
    benchmark_upper: npt.ArrayLike | None = None,
    lower_998: npt.ArrayLike | None = None,
    upper_998: npt.ArrayLike | None = None,
    denominator: npt.ArrayLike | None = None,
    per: float = 1,
    confidence: float = 0.95,
    method: CompareMethod = "single_overlap",
) -> Significance | TextResult:
    """Significance of each area's value against a benchmark, as Fingertips' comparers judge it.

    With ``B`` the benchmark value, ``[L, U]`` the area's interval and ``V`` its value (bounds
    inclusive throughout, as Fingertips):

    * ``"single_overlap"`` (Fingertips comparator 1, "CIs overlapping reference value"):
      SIMILAR if ``L <= B <= U``; otherwise LOWER if ``V < B`` else HIGHER.
    * ``"double_overlap"``: SIMILAR if the two intervals overlap (``L <= U_B`` when ``V < B``,
      else ``L_B <= U``); otherwise LOWER/HIGHER as above. The change between two periods is
      this method with the earlier period as the benchmark.
    * ``"two_level"`` (comparator 17, 95% and 99.8%): SIMILAR inside the 95% interval; HIGHER
      if ``L998 <= B <= L``, LOWER if ``U <= B <= U998``; beyond the 99.8% interval HIGHEST /
      LOWEST.
    * ``"spc_proportion"`` (SPC for proportions): control limits around the benchmark
      proportion ``P0 = B/per`` for the area's denominator ``N``, with ``E = N P0`` and ``z``
      for ``confidence``: ``(2E + z^2 -/+ z sqrt(z^2 + 4E(1 - P0))) / (2(N + z^2))``;
      HIGHER if ``V/per`` is above the upper limit, LOWER if below the lower (strictly).
    * ``"spc_dsr"`` (SPC for DSRs): with ``E = B N / per`` expected events for the population
      ``N``, the exact Poisson limits at one-sided ``p = (1 - confidence)/2`` - the mean with
      ``P(X >= ceil(E)) = p`` and the mean with ``P(X <= floor(E)) = p`` (Fingertips sums the
      Poisson probabilities over whole counts) - times ``per / N``; compared strictly.

    Then the polarity names the direction: HIGHER is BETTER where higher is better and WORSE
    where lower is better (HIGHEST -> BEST/WORST likewise); with polarity ``"none"`` the
    directions stay HIGHER/LOWER. Missing data (NaN in any input the method needs, or a
    denominator <= 0) give NOT_COMPARED.

    Parameters
    ----------
    value, benchmark : array_like
        The areas' values and the benchmark (e.g. England), broadcast together.
    polarity : {"higher", "lower", "none"} or Polarity
        Which direction is good.
    lower, upper : array_like, optional
        The value's confidence interval (95% for the overlap methods; compute it with
        :mod:`outcomes.stats`). Needed by the three overlap methods.
    benchmark_lower, benchmark_upper : array_like, optional
        The benchmark's interval (``"double_overlap"``).
    lower_998, upper_998 : array_like, optional
        The value's 99.8% interval (``"two_level"``).
    denominator : array_like, optional
        The area's denominator (``"spc_proportion"``) or population (``"spc_dsr"``).
    per : float, default 1
        The values' multiplier: 100 for a percentage, 100,000 for a rate per 100,000 (SPC
        methods).
    confidence : float, default 0.95
        The control limits' level for the SPC methods (Fingertips uses 0.95 or 0.998). The
        overlap methods use the intervals as given and ignore it.
    method : str, default "single_overlap"
        One of the five methods above. Arguments a method does not use are ignored.

    Returns
    -------
    numpy.ndarray of str, or Significance
        :class:`Significance` values of the broadcast shape (one member for scalar inputs).

    Raises
    ------
    ScoringError
        An unknown method, a missing argument the method needs, an interval with
        lower > upper, an infinite value, shapes that do not broadcast, a benchmark proportion
        outside [0, 1] or a negative benchmark rate (SPC methods).

    References
    ----------
    Fingertips ``SingleOverlappingCIsForOneCILevelComparer``,
    ``SingleOverlappingCIsForTwoCILevelsComparer``, ``DoubleOverlappingCIsComparer``,
    ``SpcForProportionsComparer``, ``SpcForDsrComparer`` (fingertips-open, commit 6780897, MIT).
    APHO Technical Briefing 2, *Statistical process control methods in public health
    intelligence* (2008). Flowers J. (2007) *Technical Briefing 3: Commonly used public health
    statistics and their confidence intervals*, APHO.

    Examples
    --------
    >>> compare([3.3, 2.9, 4.5], 3.0, polarity="lower",
    ...         lower=[3.2, 2.5, 4.1], upper=[3.5, 3.2, 4.9]).tolist()
    ['WORSE', 'SIMILAR', 'WORSE']
    >>> compare(2.6, 3.0, polarity="higher", lower=2.5, upper=2.7, lower_998=2.3,
    ...         upper_998=2.9, method="two_level")
    <Significance.WORST: 'WORST'>
    >>> compare(float("nan"), 3.0, polarity="higher", lower=1.0, upper=2.0)
    <Significance.NOT_COMPARED: 'NOT_COMPARED'>
    """
    pol = Polarity.parse(polarity)
    name = check_choice(method, "method", tuple(_NEEDS), ScoringError)
    given = {
        "lower": lower,
        "upper": upper,
        "benchmark_lower": benchmark_lower,
        "benchmark_upper": benchmark_upper,
        "lower_998": lower_998,
        "upper_998": upper_998,
        "denominator": denominator,
    }
    missing = [n for n in _NEEDS[name] if given[n] is None]
    if missing:
        raise ScoringError(
            f"method={name!r} needs {', '.join(_NEEDS[name])}; missing: {', '.join(missing)}"
        )
    named = {"value": _array(value, "value"), "benchmark": _array(benchmark, "benchmark")}
    for field in _NEEDS[name]:
        named[field] = _array(given[field], field)
    scalar = all(a.ndim == 0 for a in named.values())
    arrays = dict(zip(named, _broadcast(named), strict=True))
    v, b = arrays["value"], arrays["benchmark"]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if name in ("single_overlap", "double_overlap", "two_level"):
            codes = _overlap_codes(name, v, b, arrays)
        else:
            codes = _spc_codes(name, v, b, arrays["denominator"], _positive(per, "per"), confidence)
    return _text(Significance, _SIGNIFICANCE_TABLE[pol], codes, scalar)  # type: ignore[no-any-return]


def _direction(v: FloatArray, b: FloatArray) -> npt.NDArray[np.int8]:
    return np.where(v < b, np.int8(_LOW), np.int8(_HIGH))


def _overlap_codes(
    name: str, v: FloatArray, b: FloatArray, arrays: Mapping[str, FloatArray]
) -> npt.NDArray[np.int8]:
    lo, hi = arrays["lower"], arrays["upper"]
    _ordered(lo, hi, ("lower", "upper"))
    valid = ~(np.isnan(v) | np.isnan(b) | np.isnan(lo) | np.isnan(hi))
    if name == "single_overlap":
        similar = (b >= lo) & (b <= hi)
        codes = np.where(similar, np.int8(_SAME), _direction(v, b))
    elif name == "double_overlap":
        blo, bhi = arrays["benchmark_lower"], arrays["benchmark_upper"]
        _ordered(blo, bhi, ("benchmark_lower", "benchmark_upper"))
        valid &= ~(np.isnan(blo) | np.isnan(bhi))
        overlap = np.where(b < v, lo <= bhi, blo <= hi)
        codes = np.where(overlap, np.int8(_SAME), _direction(v, b))
    else:
        lo3, hi3 = arrays["lower_998"], arrays["upper_998"]
        _ordered(lo3, hi3, ("lower_998", "upper_998"))
        valid &= ~(np.isnan(lo3) | np.isnan(hi3))
        beyond = np.where(v < b, np.int8(_LOWEST), np.int8(_HIGHEST))
        codes = np.where(
            (b >= lo) & (b <= hi),
            np.int8(_SAME),
            np.where(
                (b <= lo) & (b >= lo3),
                np.int8(_HIGH),
                np.where((b <= hi3) & (b >= hi), np.int8(_LOW), beyond),
            ),
        )
    codes = np.asarray(codes, dtype=np.int8)
    codes[~valid] = _NONE
    return codes


def _spc_codes(
    name: str, v: FloatArray, b: FloatArray, n: FloatArray, per: float, confidence: float
) -> npt.NDArray[np.int8]:
    conf = _confidence(confidence)
    valid = ~(np.isnan(v) | np.isnan(b) | np.isnan(n)) & (n > 0)
    if name == "spc_proportion":
        p0 = b / per
        bad = valid & ((p0 < 0) | (p0 > 1))
        if bad.any():
            raise ScoringError(
                f"benchmark must be a proportion between 0 and per={per:g}, "
                f"got {float(b[bad].flat[0])!r}"
            )
        z = z_value(conf)
        nn = np.where(valid, n, 1.0)
        expected = nn * np.where(valid, p0, 0.0)
        spread = z * np.sqrt(z * z + 4 * expected * (1 - np.where(valid, p0, 0.0)))
        centre, scale = 2 * expected + z * z, 2 * (nn + z * z)
        low_limit, high_limit, observed = (
            (centre - spread) / scale,
            (centre + spread) / scale,
            v / per,
        )
    else:
        from scipy.special import gammainccinv, gammaincinv

        bad = valid & (b < 0)
        if bad.any():
            raise ScoringError(f"benchmark must be a rate >= 0, got {float(b[bad].flat[0])!r}")
        p = (1.0 - conf) / 2.0
        nn = np.where(valid, n, 1.0)
        expected = np.where(valid, b, 0.0) * nn / per
        up, down = np.ceil(expected), np.floor(expected)
        low_mean = np.where(up > 0, gammaincinv(np.maximum(up, 1.0), p), 0.0)
        high_mean = gammainccinv(down + 1.0, p)
        low_limit, high_limit, observed = low_mean / nn * per, high_mean / nn * per, v
    codes = np.where(
        high_limit < observed,
        np.int8(_HIGH),
        np.where(low_limit > observed, np.int8(_LOW), np.int8(_SAME)),
    )
    codes = np.asarray(codes, dtype=np.int8)
    codes[~valid] = _NONE
    return codes
