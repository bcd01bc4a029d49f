"""Property-testing machinery for downstream target tools (extra ``testing``: hypothesis).

Strategies for valid inputs and :func:`assert_trajectory_invariants`, which checks a trajectory
against the invariants every rule promises, reading the rule from the trajectory itself.

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

from typing import Any

import numpy as np

from outcomes.models import Polarity, Trajectory

__all__ = [
    "assert_trajectory_invariants",
    "baselines",
    "build",
    "peer_sets",
    "periods",
    "rules",
]

RULE_NAMES = (
    "percentage_change",
    "to_target",
    "quantile_step",
    "reach_national",
    "national_or_quantile",
    "hold",
)
MONOTONE_PROFILES = ("linear", "geometric", "front-loaded", "back-loaded")


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


def rules() -> Any:
    """``(rule name, parameters)`` pairs that :func:`build` turns into a trajectory."""
    st = _st()
    polarity = st.sampled_from(["higher", "lower"])
    profile = st.sampled_from(MONOTONE_PROFILES)
    return st.one_of(
        st.tuples(
            st.just("percentage_change"),
            st.fixed_dictionaries(
                {"rate": st.floats(min_value=-0.14, max_value=0.3), "compound": st.booleans()}
            ),
        ),
        st.tuples(
            st.just("to_target"),
            st.fixed_dictionaries(
                {"relative_target": st.floats(min_value=0.2, max_value=2.0), "profile": profile}
            ),
        ),
        st.tuples(
            st.just("quantile_step"),
            st.fixed_dictionaries(
                {
                    "polarity": polarity,
                    "peers": peer_sets(),
                    "quantiles": st.sampled_from([4, 5]),
                    "steps": st.integers(min_value=1, max_value=3),
                    "aim": st.sampled_from(["boundary", "middle"]),
                    "profile": profile,
                }
            ),
        ),
        st.tuples(
            st.just("reach_national"),
            st.fixed_dictionaries(
                {
                    "polarity": polarity,
                    "national": st.floats(min_value=1.0, max_value=1e5),
                    "profile": profile,
                }
            ),
        ),
        st.tuples(
            st.just("national_or_quantile"),
            st.fixed_dictionaries(
                {
                    "polarity": polarity,
                    "peers": peer_sets(),
                    "national": st.floats(min_value=1.0, max_value=1e5),
                    "profile": profile,
                }
            ),
        ),
        st.tuples(st.just("hold"), st.just({})),
    )


def build(
    name: str,
    parameters: dict[str, Any],
    baseline: Any,
    start: str,
    end: str,
    *,
    scale: float = 1.0,
) -> Trajectory:
    """Build a trajectory from a :func:`rules` draw; ``scale`` multiplies every value input."""
    import outcomes.trajectories as tr

    b = np.asarray(baseline, dtype=float) * scale
    p = dict(parameters)
    if name == "percentage_change":
        return tr.percentage_change(b, p["rate"], start=start, end=end, compound=p["compound"])
    if name == "to_target":
        return tr.to_target(b, b * p["relative_target"], start=start, end=end, profile=p["profile"])
    if name == "hold":
        return tr.hold(b, start=start, end=end)
    if name == "reach_national":
        return tr.reach_national(
            b,
            p["national"] * scale,
            polarity=p["polarity"],
            start=start,
            end=end,
            profile=p["profile"],
        )
    if name == "quantile_step":
        return tr.quantile_step(
            b,
            np.asarray(p["peers"]) * scale,
            polarity=p["polarity"],
            start=start,
            end=end,
            quantiles=p["quantiles"],
            steps=p["steps"],
            aim=p["aim"],
            profile=p["profile"],
        )
    if name == "national_or_quantile":
        return tr.national_or_quantile(
            b,
            np.asarray(p["peers"]) * scale,
            p["national"] * scale,
            polarity=p["polarity"],
            start=start,
            end=end,
            profile=p["profile"],
        )
    raise ValueError(f"unknown rule {name!r}; known: {', '.join(RULE_NAMES)}")


def assert_trajectory_invariants(trajectory: Trajectory, *, rtol: float = 1e-9) -> None:
    """Check the invariants every rule promises, from the trajectory's own recorded rule.

    * the value at ``end`` equals ``target`` (to ``rtol``, relative);
    * for monotone profiles, the path moves from the baseline toward the target and never
      overshoots it (each value lies between the baseline and the target, in order);
    * under the trajectory's polarity, no target is worse than the baseline;
    * shapes agree: ``values.shape == baseline.shape + (len(periods),)``.
    """
    t = trajectory
    values, base, target = t.values, t.baseline, t.target
    assert values.shape == (*base.shape, len(t.periods)), "values shape mismatch"
    assert np.all(np.isfinite(values)), "trajectory contains non-finite values"
    tol = rtol * np.maximum(np.abs(target), 1.0)
    if t.end in t.periods:
        at_end = values[..., t.index(t.end)]
        assert np.all(np.abs(at_end - target) <= tol), "value at end differs from the target"
    profile = t.rule.parameters.get("profile", "linear")
    monotone = t.rule.name in ("percentage_change", "hold") or profile in MONOTONE_PROFILES
    if monotone:
        direction = np.sign(target - base)[..., np.newaxis]
        steps = np.diff(np.concatenate([base[..., np.newaxis], values], axis=-1), axis=-1)
        slack = rtol * np.maximum(np.abs(values).max(initial=1.0), 1.0)
        assert np.all(steps * direction >= -slack), "path is not monotone toward the target"
        if t.rule.name != "percentage_change" or t.end in t.periods:
            lo = np.minimum(base, target)[..., np.newaxis] - slack
            hi = np.maximum(base, target)[..., np.newaxis] + slack
            assert np.all((values >= lo) & (values <= hi)), "path overshoots the target"
    if t.polarity is not None and t.polarity is not Polarity.NO_JUDGEMENT:
        slack = rtol * np.maximum(np.abs(base), 1.0)[..., np.newaxis]
        worse = t.polarity.sign * (values - base[..., np.newaxis]) < -slack
        assert not np.any(worse), "a target is worse than the baseline under its polarity"
