"""Plan-level work: targets for every organisation and measure, scores against actuals, the
premium. What the CLI does and what a notebook calls: the same functions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from outcomes._format import format_table, problem_report, shorten
from outcomes.catalogue import QualityPremiumScheme, find_objective, load
from outcomes.errors import InputError, OutcomesError
from outcomes.incentives import PremiumResult, quality_premium
from outcomes.io.fingertips import FingertipsData, read_fingertips
from outcomes.io.inputs import ActualsTable, BaselinesTable, read_actuals, read_baselines
from outcomes.periods import Period
from outcomes.polarity import Polarity
from outcomes.realism import Realism
from outcomes.rules import get
from outcomes.rules.objectives import objective_provenance
from outcomes.scoring import Score, _actual_text, _target_text, score
from outcomes.trajectory import Trajectory
from outcomes.units import check_counts
from outcomes.workflow.history import (
    HistoryArg,
    HistorySet,
    measure_realism,
    resolve_histories,
)
from outcomes.workflow.peers import PeerSet, select_peers
from outcomes.workflow.planfile import MeasurePlan, PeerSelection, Plan, describe_measure, load_plan

__all__ = ["PlanScores", "PlanTargets", "premium", "run_plan", "score_plan"]

PlanLike = Plan | str | Path
PeersArg = Mapping[str, PeerSet | npt.ArrayLike] | PeerSet | None


@dataclass(frozen=True)
class PlanTargets(Mapping[str, Trajectory]):
    """Every measure's trajectory for every organisation of a plan (a mapping of measure key to
    :class:`~outcomes.Trajectory`, each with an organisation axis), and their provenance."""

    plan: Plan
    trajectories: dict[str, Trajectory]
    organisations: tuple[str, ...]
    organisation_names: tuple[str, ...]
    populations: tuple[float, ...]
    peers: dict[str, PeerSet] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    histories: dict[str, HistorySet] = field(default_factory=dict)
    realism: dict[str, Realism] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Trajectory:
        return self.trajectories[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.trajectories)

    def __len__(self) -> int:
        return len(self.trajectories)

    def published(self, key: str) -> Trajectory:
        """A measure's targets as published: rounded half-up to the plan's precision."""
        t = self.trajectories[key]
        return t.rounded(self.plan.measures[key].ndigits)

    def provenance(self) -> dict[str, str]:
        """Where the targets came from: the plan, the baselines, every peer set used."""
        out = dict(self.sources)
        for key, peer_set in self.peers.items():
            out[f"peers for {key}"] = peer_set.describe()
        for key, history in self.histories.items():
            out[f"history for {key}"] = history.describe()
        for key, t in self.trajectories.items():
            objective = objective_provenance(t)
            if objective is not None:
                out[f"objective for {key}"] = objective
        if self.plan.illustrative_plan:
            out["illustrative"] = "made-up numbers, not a real organisation"
        return out

    def tables(self) -> Any:
        """The targets as tables to write (see :mod:`outcomes.io.results`)."""
        from outcomes.io.results import realism_table, targets_tables

        tables = targets_tables(self.trajectories, provenance=self.provenance())
        if self.realism:  # before the provenance, which stays last
            tables.insert(len(tables) - 1, realism_table(self.realism))
        return tables

    def to_frame(self) -> Any:
        """Every measure's targets in one tidy DataFrame (extra ``pandas``): ``measure`` is
        the plan's measure key; see :func:`outcomes.frames.targets_frame`."""
        from outcomes.frames import targets_frame

        return targets_frame(self.trajectories)

    def __str__(self) -> str:
        columns = sorted({p for t in self.values() for p in t.periods})
        rows = []
        for key, t in self.items():
            nd = self.plan.measures[key].ndigits
            shown = t.rounded(nd)
            for i, code in enumerate(self.organisations):
                by_period = dict(zip(t.periods, shown.values[i], strict=True))
                rows.append(
                    [
                        key,
                        code,
                        f"{t.baseline[i]:,.10g} ({t.start})",
                        *(f"{by_period[p]:,.{nd}f}" if p in by_period else "" for p in columns),
                        shorten(t.rule.describe(), 60),
                    ]
                )
        header = ["measure", "organisation", "baseline", *(str(p) for p in columns), "rule"]
        title = ", ".join(
            f"{n} ({c})"
            for c, n in zip(self.organisations[:3], self.organisation_names[:3], strict=True)
        ) + (f" and {len(self.organisations) - 3} more" if len(self.organisations) > 3 else "")
        flag = " - ILLUSTRATIVE" if self.plan.illustrative_plan else ""
        peers = "".join(f"\npeers for {k}: {p.describe()}" for k, p in self.peers.items())
        objectives = "".join(
            f"\nobjective for {k}: {words}"
            for k, t in self.items()
            if (words := objective_provenance(t, cite=False)) is not None
        )
        return (
            f"{title}{flag}\n{format_table(header, rows)}{peers}{objectives}"
            f"{_realism_lines(self.realism)}"
        )


def _realism_lines(realism: Mapping[str, Realism]) -> str:
    lines = []
    for key, r in realism.items():
        many = len(r.organisations) > 1
        for code, sentence in zip(r.organisations, r.sentences(), strict=True):
            lines.append(f"\nrealism of {key}{' for ' + code if many else ''}: {sentence}")
    return "".join(lines)


@dataclass(frozen=True)
class PlanScores(Mapping[str, Score]):
    """Every measure's scores for every organisation of a plan, with the targets they were
    scored against."""

    targets: PlanTargets
    scores: dict[str, Score]
    actuals_source: str

    def __getitem__(self, key: str) -> Score:
        return self.scores[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.scores)

    def __len__(self) -> int:
        return len(self.scores)

    def provenance(self) -> dict[str, str]:
        """The targets' provenance and the actuals file."""
        return {**self.targets.provenance(), "actuals": self.actuals_source}

    @property
    def realism(self) -> dict[str, Realism]:
        """Each measure's :class:`~outcomes.realism.Realism` (measures with a history)."""
        return self.targets.realism

    def tables(self) -> Any:
        """The scores as tables to write (see :mod:`outcomes.io.results`)."""
        from outcomes.io.results import provenance_table, realism_table, scores_tables

        return [
            *scores_tables(self.scores),
            *([realism_table(self.realism)] if self.realism else []),
            provenance_table(self.targets.trajectories, self.provenance()),
        ]

    def to_frame(self) -> Any:
        """Every scored cell in one tidy DataFrame (extra ``pandas``): ``measure`` is the
        plan's measure key; see :func:`outcomes.frames.scores_frame`."""
        from outcomes.frames import scores_frame

        return scores_frame(self.scores)

    def __str__(self) -> str:
        rows = [
            [
                key,
                r["organisation"],
                r["period"],
                _target_text(r["target"], s.ndigits),
                _actual_text(r["actual"], s.ndigits),
                r["rag"],
                r["verdict"],
            ]
            for key, s in self.items()
            for r in s.to_records()
        ]
        return format_table(
            ["measure", "organisation", "period", "target", "actual", "RAG", "verdict"], rows
        ) + _realism_lines(self.realism)


def _plan(plan: PlanLike) -> Plan:
    if isinstance(plan, Plan):
        return plan
    if isinstance(plan, str | Path):
        return load_plan(plan)
    raise InputError(f"plan must be a Plan or the path of a plan file, got {type(plan).__name__}")


def _baselines_table(plan: Plan, baselines: object) -> BaselinesTable | None:
    if baselines is None:
        if plan.baselines is None:
            return None
        return read_baselines(plan.path(plan.baselines))
    if isinstance(baselines, BaselinesTable):
        return baselines
    if isinstance(baselines, str | Path):
        return read_baselines(baselines)
    if hasattr(baselines, "to_dict"):  # a pandas DataFrame
        from outcomes.frames import baselines_from_frame

        return baselines_from_frame(baselines)
    raise InputError(
        f"baselines must be a BaselinesTable, a CSV path or a DataFrame, got {type(baselines).__name__}"
    )


def _periods(plan: Plan, m: MeasurePlan) -> tuple[Any, Period]:
    end = m.end or plan.end
    if m.end is None and "end" not in plan.model_fields_set and m.objective is not None:
        end = find_objective(m.objective).deadline  # no end given: the objective's deadline
    if m.periods is not None:
        return m.periods, end
    if plan.first is None:
        return None, end
    out: list[Period] = []
    current = plan.first
    while current <= end and len(out) < 1200:
        out.append(current)
        current = current.next()
    return out, end


def _peer_set(
    key: str,
    m: MeasurePlan,
    plan: Plan,
    peers: PeersArg,
    cache: dict[tuple[Any, ...], PeerSet],
    exports: dict[str, FingertipsData],
) -> PeerSet | None:
    """A measure's peer set: given, or selected as the plan says (each selection once, and each
    export read once however many selections it serves)."""
    if isinstance(peers, PeerSet):
        return peers
    if isinstance(peers, Mapping) and key in peers:
        given = peers[key]
        return given if isinstance(given, PeerSet) else PeerSet.from_values(given)
    selection: PeerSelection | None = m.peers or plan.peers
    if selection is None:
        return None
    file = (m.peers.file if m.peers and m.peers.file else None) or (
        plan.peers.file if plan.peers else None
    )
    if file is None:
        raise InputError(
            f"measures.{key}.peers: the selection names no file; give file = '...' in [peers] "
            "or --peers FILE"
        )
    merged = {
        name: getattr(m.peers, name, None)
        if m.peers and getattr(m.peers, name) is not None
        else getattr(plan.peers, name, None)
        for name in ("indicator", "period", "area_type", "sex", "age")
    }
    cache_key = (file, *merged.values())
    if cache_key not in cache:
        if file not in exports:
            exports[file] = read_fingertips(plan.path(file))
        cache[cache_key] = select_peers(exports[file], **merged)
    return cache[cache_key]


def _check_baseline_counts(
    source: str, key: str, rows: Mapping[str, Any], unit_id: str | None
) -> None:
    """A baselines table's counts within their denominators for a share of a population, each
    problem with its line."""
    problems = []
    for line, x, n in zip(rows["lines"], rows["count"], rows["denominator"], strict=True):
        try:
            check_counts(x, n, unit_id, f"{source}: line {line}, measure {key!r}", error=InputError)
        except InputError as error:
            problems.append(str(error))
    if problems:
        raise InputError(problem_report(source, problems), tuple(problems))


def run_plan(
    plan: PlanLike,
    *,
    baselines: object = None,
    peers: PeersArg = None,
    history: HistoryArg = None,
) -> PlanTargets:
    """Every measure's trajectory for every organisation of a plan.

    Parameters
    ----------
    plan : Plan or path
        A validated plan (:func:`load_plan`) or the path of a plan file.
    baselines : BaselinesTable, path or DataFrame, optional
        One row per organisation and measure (overrides the plan's ``baselines`` file and its
        ``[organisation]``).
    peers : mapping or PeerSet, optional
        Peer values for quantile rules: a :class:`PeerSet` from :func:`select_peers` for every
        measure that needs peers, or a mapping of measure key to a peer set or plain values.
        Otherwise the plan's ``[peers]`` selection is used.
    history : HistorySet or mapping, optional
        The record of the measure's indicator (:func:`select_history`): one for every measure
        that asks for a history (``history = {...}`` in the plan, or a ``peer_achieved`` rule;
        the only measure of a one-measure plan), or a mapping of measure key to a history.
        Otherwise the plan's ``history`` selections are used. Each measure with a history gets
        its realism (``targets.realism[key]``), and a ``peer_achieved`` rule its history.

    Returns
    -------
    PlanTargets
        A mapping of measure key to trajectory, each with one row per organisation.

    Examples
    --------
    >>> targets = run_plan("examples/illustrative-ccg.toml")
    >>> targets["pyll"].rounded(1).values.tolist()
    [[2081.6, 2015.0, 1950.5, 1888.1, 1827.7]]
    >>> targets.organisations
    ('99Z',)
    """
    plan = _plan(plan)
    table = _baselines_table(plan, baselines)
    sources: dict[str, str] = {}
    if table is not None:
        codes = table.organisations()
        named = table.names()
        names = tuple(named.get(c, "") for c in codes)
        pops = table.populations()
        populations = tuple(pops.get(c, float("nan")) for c in codes)
        sources["baselines"] = table.source
    else:
        if plan.organisation is None:
            raise InputError(
                "the plan has no [organisation] table and names no baselines file: give the "
                "baselines (a DataFrame or a CSV path, baselines=...; --baselines FILE)"
            )
        codes = (plan.organisation.code,)
        names = (plan.organisation.name,)
        populations = (plan.organisation.population,)
    if plan.source is not None or plan.folder is not None:
        sources.setdefault("plan", plan.source or str(plan.folder))
    out: dict[str, Trajectory] = {}
    used: dict[str, PeerSet] = {}
    cache: dict[tuple[Any, ...], PeerSet] = {}
    exports: dict[str, FingertipsData] = {}
    histories = resolve_histories(plan, history)
    realism: dict[str, Realism] = {}
    for key, m in plan.measures.items():
        name, polarity, unit_id = describe_measure(m)
        spec = get(m.rule.name)
        parameters = m.rule.model_dump(exclude={"name"})
        for needed in spec.inputs:
            if needed == "peers" and parameters.get("peers") is None:
                peer_set = _peer_set(key, m, plan, peers, cache, exports)
                if peer_set is None:
                    raise InputError(
                        f"measures.{key}.rule.peers: {spec.name} needs peer values: give peers = "
                        "[...] in the rule, a [peers] selection of a Fingertips file, or --peers"
                    )
                parameters["peers"] = peer_set.values
                used[key] = peer_set
            elif needed == "peers":
                parameters["peers"] = np.asarray(parameters["peers"], dtype=float)
            elif needed == "history":
                _fill_history(key, spec.name, parameters, histories.get(key))
        if table is not None:
            rows = table.for_measure(key, codes)
            baseline: Any = rows["value"]
            start: Any = rows["period"]
            _check_baseline_counts(table.source, key, rows, unit_id)
        else:
            assert m.baseline is not None
            baseline = np.array([m.baseline.value])
            start = m.baseline.period
        periods, end = _periods(plan, m)
        try:
            t = spec.call(
                baseline,
                parameters,
                start=start,
                end=end,
                periods=periods,
                polarity=polarity,
                unit=unit_id,
                measure=name,
            )
        except OutcomesError as error:
            raise type(error)(f"measures.{key}: {error}") from None
        out[key] = t.with_organisations(codes, names).model_copy(update={"ndigits": m.ndigits})
        if key in histories:
            if polarity is None or polarity is Polarity.NO_JUDGEMENT:
                raise InputError(
                    f"measures.{key}.history: realism needs the measure's polarity ('higher' or "
                    "'lower' is better)"
                )
            realism[key] = measure_realism(key, plan, out[key].rounded(m.ndigits), histories[key])
    return PlanTargets(
        plan=plan,
        trajectories=out,
        organisations=tuple(codes),
        organisation_names=names,
        populations=populations,
        peers=used,
        sources=sources,
        histories=histories,
        realism=realism,
    )


def _fill_history(
    key: str, rule: str, parameters: dict[str, Any], history: HistorySet | None
) -> None:
    """A rule's history (and limits) from the measure's history, or from the plan file as given."""
    if parameters.get("history") is not None:
        for name in ("history", "lower", "upper"):
            if parameters.get(name) is not None:
                parameters[name] = np.asarray(
                    [[np.nan if v is None else v for v in row] for row in parameters[name]],
                    dtype=float,
                )
        return
    if history is None:
        raise InputError(
            f"measures.{key}.rule.history: {rule} needs the peers' history: give history = "
            "[[...]] in the rule, a [history] selection of a file, or --history"
        )
    parameters["history"] = history.values
    if parameters.get("lower") is None and history.lower is not None:
        parameters["lower"], parameters["upper"] = history.lower, history.upper
        parameters["confidence"] = history.confidence


def _actuals_table(actuals: object) -> ActualsTable:
    if isinstance(actuals, ActualsTable):
        return actuals
    if isinstance(actuals, str | Path):
        return read_actuals(actuals)
    if hasattr(actuals, "to_dict"):
        from outcomes.frames import actuals_from_frame

        return actuals_from_frame(actuals)
    if isinstance(actuals, list):
        return ActualsTable.from_rows(actuals)
    raise InputError(
        f"actuals must be an ActualsTable, a CSV path, a DataFrame or a list of rows, got "
        f"{type(actuals).__name__}"
    )


def score_plan(
    plan: PlanLike,
    actuals: object,
    *,
    baselines: object = None,
    peers: PeersArg = None,
    benchmark: Mapping[str, npt.ArrayLike] | None = None,
    history: HistoryArg = None,
) -> PlanScores:
    """Score actuals against every measure's published targets, for every organisation.

    Targets are judged as published (rounded half-up to the measure's ``ndigits``), with the
    measure's ``tolerance`` and ``amber_progress`` from the plan. Intervals come from the
    actuals' ``lower``/``upper`` or ``count``/``denominator`` where given.

    Parameters
    ----------
    plan : Plan or path
    actuals : ActualsTable, path, DataFrame or list of dicts
        Columns ``measure, period, value`` and optionally ``organisation``, ``lower``, ``upper``,
        ``count``, ``denominator``.
    baselines, peers
        As for :func:`run_plan`.
    benchmark : mapping, optional
        Measure key -> the benchmark (e.g. England) per period, or per organisation and period;
        each scored cell then carries its significance against it (a ``benchmark`` column in the
        actuals does the same).
    history : HistorySet or mapping, optional
        As for :func:`run_plan`: each measure with a history gets its realism
        (``scores.realism[key]``), shown in the tables, the printout and the report.

    Examples
    --------
    >>> scores = score_plan("examples/illustrative-ccg.toml", "examples/illustrative-ccg-actuals.csv")
    >>> scores["pyll"].rag.tolist()
    [['GREEN', 'GREEN', 'GREY', 'GREY', 'GREY']]
    """
    targets = run_plan(plan, baselines=baselines, peers=peers, history=history)
    table = _actuals_table(actuals)
    unknown = [k for k in table.measures() if k not in targets]
    if unknown:
        raise InputError(
            f"{table.source}: actuals for measures the plan does not have: {', '.join(unknown)} "
            f"(the plan has {', '.join(targets)})"
        )
    scores: dict[str, Score] = {}
    for key, m in targets.plan.measures.items():
        t = targets.published(key)
        cells = table.cells(key, targets.organisations, [str(p) for p in t.periods])
        kwargs: dict[str, Any] = {}
        if (~np.isnan(cells["lower"])).any() or (~np.isnan(cells["upper"])).any():
            kwargs = {"lower": cells["lower"], "upper": cells["upper"]}
        elif (~np.isnan(cells["count"])).any():
            kwargs = {"count": cells["count"], "denominator": cells["denominator"]}
        if benchmark is not None and key in benchmark:
            kwargs["benchmark"] = benchmark[key]
        elif (~np.isnan(cells["benchmark"])).any():
            kwargs["benchmark"] = cells["benchmark"]
        try:
            scores[key] = score(
                t,
                cells["value"],
                tolerance=m.tolerance,
                tolerance_kind=m.tolerance_kind,
                amber_progress=m.amber_progress,
                **kwargs,
            )
        except OutcomesError as error:
            raise type(error)(f"measure {key!r}: {error}") from None
    return PlanScores(targets=targets, scores=scores, actuals_source=table.source)


def premium(
    plan: PlanLike, scores: PlanScores | Mapping[str, Score], *, organisation: str | None = None
) -> PremiumResult:
    """The Quality Premium of one organisation from its plan's scores.

    A measure tied to a premium measure (``quality_premium = "pyll"``) is achieved when its
    target for the scheme's performance year was met; the plan's ``[quality_premium]`` table
    gives the rest (other measures' achievement, missed Constitution standards, gateways).
    A missing actual for the year leaves the measure not assessed.

    Examples
    --------
    >>> scores = score_plan("examples/illustrative-ccg.toml", "examples/illustrative-ccg-actuals.csv")
    >>> premium("examples/illustrative-ccg.toml", scores).total_pence
    750004.69
    """
    plan = _plan(plan)
    if plan.quality_premium is None:
        raise InputError("the plan has no [quality_premium] table")
    if not isinstance(scores, Mapping) or not all(isinstance(s, Score) for s in scores.values()):
        raise InputError(
            f"scores must be score_plan's result (or a mapping of measure key to Score), got "
            f"{type(scores).__name__}"
        )
    qp_plan = plan.quality_premium
    scheme = load(qp_plan.scheme, QualityPremiumScheme)
    targets = scores.targets if isinstance(scores, PlanScores) else None
    codes = (
        targets.organisations
        if targets is not None
        else ((plan.organisation.code,) if plan.organisation else ())
    )
    if organisation is None:
        if len(codes) != 1:
            raise InputError(
                f"the plan has {len(codes)} organisations; name one with organisation=... "
                f"({', '.join(codes[:5])}{' ...' if len(codes) > 5 else ''})"
            )
        organisation = codes[0]
    if organisation not in codes:
        raise InputError(f"organisation {organisation!r} is not in the plan")
    row = codes.index(organisation)
    if targets is not None:
        population = targets.populations[row]
    else:
        assert plan.organisation is not None
        population = plan.organisation.population
    year = str(scheme.performance_year)
    achieved: dict[str, Any] = dict(qp_plan.achieved)
    for key, m in plan.measures.items():
        if m.quality_premium and key in scores and m.quality_premium not in achieved:
            s = scores[key]
            labels = [str(p) for p in s.periods]
            if year in labels:
                j = labels.index(year)
                available = np.asarray(s.available).reshape(-1, len(labels))[row, j]
                if available:
                    achieved[m.quality_premium] = bool(
                        np.asarray(s.met).reshape(-1, len(labels))[row, j]
                    )
    return quality_premium(
        scheme,
        population=population,
        achieved=achieved,
        constitution_missed=qp_plan.constitution_missed,
        quality_failure=qp_plan.quality_failure,
        financial_deficit=qp_plan.financial_deficit,
    )
