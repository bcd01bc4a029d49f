"""Property-testing machinery for downstream target tools (extra ``testing``: hypothesis).

Everything here is generated from the rule registry (:mod:`outcomes.rules`): :func:`rule_cases`
draws a registered rule with parameters from the rule's own examples, and
:func:`assert_trajectory_invariants` checks a trajectory against the invariants its rule
declares. A rule added to the registry is tested by every property test with no other edit.

Example, in a downstream test suite::

    from hypothesis import given
    from outcomes import percentage_change
    from outcomes.testing import assert_trajectory_invariants, baselines, periods

    @given(baselines(), periods())
    def test_my_targets(baseline, span):
        start, end = span
        t = percentage_change(baseline, -0.032, start=start, end=end, polarity="lower")
        assert_trajectory_invariants(t)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes.periods import period
from outcomes.polarity import Polarity
from outcomes.rules import get, specs
from outcomes.trajectory import Trajectory

__all__ = [
    "RuleCase",
    "assert_trajectory_invariants",
    "baselines",
    "peer_sets",
    "periods",
    "rule_cases",
]


def _st() -> Any:
    try:
        from hypothesis import strategies
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "outcomes.testing needs hypothesis: pip install 'outcomes[testing]'"
        ) from None
    return strategies


def baselines(min_value: float = 1.0, max_value: float = 1e5, *, size: int | None = None) -> Any:
    """Finite positive baselines: a float, or a 1-D array of ``size`` floats."""
    st = _st()
    element = st.floats(min_value=min_value, max_value=max_value, allow_nan=False)
    if size is None:
        return element
    return st.lists(element, min_size=size, max_size=size).map(np.asarray)


def peer_sets(min_size: int = 5, max_size: int = 60) -> Any:
    """Peer value arrays for quantile rules (more than 3 values, finite, positive)."""
    st = _st()
    return st.lists(
        st.floats(min_value=1.0, max_value=1e5, allow_nan=False),
        min_size=min_size,
        max_size=max_size,
    ).map(np.asarray)


def periods() -> Any:
    """``(start, end)`` pairs: a calendar- or financial-year baseline and a later financial year."""
    st = _st()

    @st.composite  # type: ignore[untyped-decorator]
    def pair(draw: Any) -> tuple[str, str]:
        year = draw(st.integers(min_value=2008, max_value=2020))
        start = f"{year}" if draw(st.booleans()) else f"{year}/{(year + 1) % 100:02d}"
        last = year + draw(st.integers(min_value=1, max_value=7))
        return start, f"{last}/{(last + 1) % 100:02d}"

    return pair()


@dataclass(frozen=True)
class RuleCase:
    """A registered rule with parameters drawn from its examples, over a span of periods.

    Parameters the rule measures in the measure's units (its spec's ``measured``) are stored
    for a baseline of 1 where they are ``"baseline"``-relative; :meth:`build` scales them.
    """

    name: str
    parameters: dict[str, Any]
    start: str
    end: str
    polarity: str | None = None
    scaled: dict[str, str] = field(default_factory=dict)

    def build(self, baseline: npt.ArrayLike, *, scale: float = 1.0) -> Trajectory:
        """The trajectory of this case for ``baseline``; ``scale`` multiplies the baseline and
        every parameter in the measure's units (for scale-equivariance)."""
        b = np.asarray(baseline, dtype=float) * scale
        spec = get(self.name)
        parameters = dict(self.parameters)
        for name, how in spec.measured.items():
            if name not in parameters or parameters[name] is None:
                continue
            value = np.asarray(parameters[name], dtype=float)
            # a multiple of the baseline scales with it (b is scaled already); a value scales
            parameters[name] = value * b if how == "baseline" else value * scale
        common: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.polarity is not None:
            common["polarity"] = self.polarity
        return spec.call(b, parameters, **common)


def rule_cases(names: Sequence[str] | None = None) -> Any:
    """A strategy of :class:`RuleCase`: every registered rule with examples (or ``names``)."""
    st = _st()
    chosen = [s for s in specs() if s.example is not None and (names is None or s.name in names)]

    @st.composite  # type: ignore[untyped-decorator]
    def case(draw: Any) -> RuleCase:
        spec = draw(st.sampled_from(chosen))
        start, end = draw(periods())
        assert spec.example is not None
        parameters = draw(spec.example(st, period(start), period(end)))
        polarity = draw(st.sampled_from(["higher", "lower"])) if spec.needs_polarity else None
        return RuleCase(spec.name, parameters, start, end, polarity)

    return case()


def assert_trajectory_invariants(trajectory: Trajectory, *, rtol: float = 1e-9) -> None:
    """Check the invariants the trajectory's rule declares in the registry (see
    :data:`outcomes.rules.INVARIANTS`), from the trajectory itself.

    * ``reaches_target``: the value at ``end`` equals ``target`` (to ``rtol``, relative);
    * ``monotone``: the path moves from the baseline toward the target and never overshoots it;
    * ``not_worse``: under the trajectory's polarity, no target is worse than the baseline;
    * always: ``values.shape == baseline.shape + (len(periods),)`` and every value is finite.

    A trajectory of a rule outside the registry (a composite, a roll-up) is checked for shape,
    finiteness and ``not_worse``.
    """
    t = trajectory
    values, base, target = t.values, t.baseline, t.target
    assert values.shape == (*base.shape, len(t.periods)), "values shape mismatch"
    assert np.all(np.isfinite(values)), "trajectory contains non-finite values"
    try:
        promised = get(t.rule.name).invariants
    except KeyError:
        promised = frozenset({"not_worse"})
    tol = rtol * np.maximum(np.abs(target), 1.0)
    if "reaches_target" in promised and t.end in t.periods:
        at_end = values[..., t.index(t.end)]
        assert np.all(np.abs(at_end - target) <= tol), "value at end differs from the target"
    if "monotone" in promised:
        direction = np.sign(target - base)[..., np.newaxis]
        steps = np.diff(np.concatenate([base[..., np.newaxis], values], axis=-1), axis=-1)
        slack = rtol * np.maximum(np.abs(values).max(initial=1.0), 1.0)
        assert np.all(steps * direction >= -slack), "path is not monotone toward the target"
        if t.end in t.periods:
            lo = np.minimum(base, target)[..., np.newaxis] - slack
            hi = np.maximum(base, target)[..., np.newaxis] + slack
            assert np.all((values >= lo) & (values <= hi)), "path overshoots the target"
    if (
        "not_worse" in promised
        and t.polarity is not None
        and t.polarity is not Polarity.NO_JUDGEMENT
    ):
        slack = rtol * np.maximum(np.abs(base), 1.0)[..., np.newaxis]
        worse = t.polarity.sign * (values - base[..., np.newaxis]) < -slack
        assert not np.any(worse), "a target is worse than the baseline under its polarity"
