"""The ``outcomes`` command: thin, it parses arguments, calls the library and prints.

Exit codes: 0 ok, 1 problems in the inputs (all listed on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from outcomes.errors import InputError, OutcomesError

__all__ = ["main"]
T = TypeVar("T")


def _progress(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """A progress bar on stderr when it is a terminal; silent otherwise."""
    show = sys.stderr.isatty() and total > 20
    for i, item in enumerate(items, start=1):
        if show and (i % max(total // 50, 1) == 0 or i == total):
            done = int(30 * i / total)
            sys.stderr.write(f"\r{label} [{'#' * done}{'.' * (30 - done)}] {i}/{total}")
            sys.stderr.flush()
        yield item
    if show:
        sys.stderr.write("\n")


def _out(text: str, path: str | None) -> None:
    if path:
        Path(path).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        print(f"wrote {path}")
    else:
        print(text)


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from outcomes import frameworks
    from outcomes.io import format_table

    rows = []
    for fid in frameworks.available():
        fw = frameworks.load(fid)
        counts = {
            "nhsof": lambda f: f"{len(f.domains)} domains, {len(f.indicators)} indicators",
            "ambitions": lambda f: f"{len(f.ambitions)} ambitions",
            "bcf": lambda f: f"{len(f.metrics)} metrics",
            "quality-premium": lambda f: f"{len(f.measures)} measures",
        }[fw.kind](fw)
        rows.append([fid, fw.title, counts, str(len(fw.unconfirmed()))])
    print(format_table(["id", "title", "contents", "unconfirmed facts"], rows))
    return 0


def summary(framework_id: str) -> str:
    """A readable summary of one framework edition."""
    from outcomes import frameworks
    from outcomes.io import format_table

    fw: Any = frameworks.load(framework_id)
    lines = [f"{fw.title} ({fw.id})"]
    if fw.kind == "nhsof":
        for d in fw.domains:
            lines.append(
                f"  Domain {d.number}: {d.title} ({len(fw.indicators_in(d.number))} indicators)"
            )
    elif fw.kind == "ambitions":
        for a in fw.ambitions:
            m = a.measure
            parts = " + ".join(m.indicators) or "no CCG measure"
            lines.append(
                f"  {a.number}. {a.title} [{parts}; {m.polarity.value} is better; {m.status}]"
            )
    elif fw.kind == "bcf":
        for m in fw.metrics:
            detail = (
                "unit and polarity set by the plan"
                if m.local
                else f"{m.unit}, {m.polarity.value} is better"
            )
            lines.append(f"  {m.id}: {m.name} ({detail})")
        p = fw.payment
        lines.append(
            f"  pay for performance: {p.metric}, minimum reduction "
            f"{p.minimum_reduction.value:.1%}, cost per admission "
            f"GBP {p.cost_per_admission.value:,.0f} ({p.cost_per_admission.status})"
        )
    else:
        rows = [[m.id, f"{m.weight:.0%}", m.weight_status] for m in fw.measures]
        lines.append(
            f"  GBP {fw.value_per_head.value:g} per head ({fw.value_per_head.status}); "
            f"Constitution reduction {fw.constitution_reduction.value:.0%} per standard "
            f"({fw.constitution_reduction.status})"
        )
        lines.extend(
            "  " + line for line in format_table(["measure", "weight", "status"], rows).splitlines()
        )
    return "\n".join(lines)


def _cmd_show(args: argparse.Namespace) -> int:
    from outcomes import frameworks

    fw: Any = frameworks.load(args.id)
    if args.indicator:
        if fw.kind != "nhsof":
            raise InputError(f"--indicator needs an NHSOF edition, {args.id!r} is {fw.kind!r}")
        print(json.dumps(fw.indicator(args.indicator).model_dump(mode="json"), indent=2))
    else:
        print(summary(args.id))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from outcomes import models, plan

    names: dict[str, Any] = {
        "Plan": plan.Plan,
        "Trajectory": models.Trajectory,
        "NHSOutcomesFramework": models.NHSOutcomesFramework,
        "AmbitionsFramework": models.AmbitionsFramework,
        "BCFFramework": models.BCFFramework,
        "QualityPremiumScheme": models.QualityPremiumScheme,
    }
    if args.model not in names:
        raise InputError(f"unknown model {args.model!r}; one of {', '.join(names)}")
    print(json.dumps(names[args.model].model_json_schema(), indent=2))
    return 0


def _peers_from(args: argparse.Namespace, plan: Any) -> dict[str, Any] | None:
    if not getattr(args, "peers", None):
        return None
    from outcomes.io import read_fingertips

    data = read_fingertips(args.peers)
    values = data.peers(
        period=args.peers_period, area_type=args.peers_area_type, age=args.peers_age
    )
    return {
        key: values
        for key, m in plan.measures.items()
        if getattr(m.rule, "peers", "absent") is None
    }


def _render(trajectories: dict[str, Any], plan: Any, fmt: str) -> str:
    from outcomes.io import format_table, to_markdown, trajectory_rows, write_csv, write_json

    nd = {k: m.ndigits for k, m in plan.measures.items()}
    rows = trajectory_rows(trajectories, nd, plan.organisation.code)
    if fmt == "csv":
        return write_csv(rows)
    if fmt == "json":
        return write_json(rows)
    if fmt == "md":
        return to_markdown(rows)
    columns = sorted({p for t in trajectories.values() for p in t.periods})
    table_rows = []
    for key, t in trajectories.items():
        shown = dict(zip(t.periods, t.rounded(nd[key]).values.reshape(-1), strict=True))
        table_rows.append(
            [
                key,
                f"{float(t.baseline):g} ({t.start})",
                *(f"{shown[p]:.{nd[key]}f}" if p in shown else "" for p in columns),
                t.rule.describe()[:48],
            ]
        )
    header = ["measure", "baseline", *(str(p) for p in columns), "rule"]
    return (
        f"{plan.organisation.name} ({plan.organisation.code})"
        + (" - ILLUSTRATIVE" if plan.organisation.illustrative else "")
        + "\n"
        + format_table(header, table_rows)
    )


def _cmd_plan(args: argparse.Namespace) -> int:
    from outcomes.plan import load_plan, run_plan

    plan = load_plan(args.plan)
    trajectories = run_plan(plan, peers=_peers_from(args, plan))
    if args.output and args.output.endswith(".xlsx"):
        from outcomes.io import write_xlsx

        write_xlsx(trajectories, args.output, {k: m.ndigits for k, m in plan.measures.items()})
        print(f"wrote {args.output}")
    else:
        _out(_render(trajectories, plan, args.format), args.output)
    if args.chart:
        from outcomes.plot import plot_plan

        print(f"chart: {plot_plan(trajectories, args.chart, title=plan.organisation.name)}")
    return 0


def _score_all(plan: Any, trajectories: dict[str, Any], actuals_path: str) -> dict[str, Any]:
    from outcomes.io import read_actuals
    from outcomes.plan import describe_measure
    from outcomes.scoring import score

    actuals = read_actuals(actuals_path)
    unknown = [k for k in actuals if k not in trajectories]
    if unknown:
        raise InputError(
            f"{actuals_path}: actuals for measures the plan does not have: {', '.join(unknown)}"
        )
    scores = {}
    for key, t in trajectories.items():
        given = actuals.get(key, {})
        labels = [str(p) for p in t.periods]
        bad = [p for p in given if p not in labels]
        if bad:
            raise InputError(
                f"{actuals_path}: measure {key!r} has actuals for {', '.join(bad)}, "
                f"outside its periods {', '.join(labels)}"
            )
        values = [given.get(p, {}).get("value", "") for p in labels]
        kwargs: dict[str, Any] = {}
        if any("lower" in given.get(p, {}) for p in labels):
            kwargs["lower"] = [given.get(p, {}).get("lower", float("nan")) for p in labels]
            kwargs["upper"] = [given.get(p, {}).get("upper", float("nan")) for p in labels]
        elif any("count" in given.get(p, {}) for p in labels):
            kwargs["count"] = [given.get(p, {}).get("count", float("nan")) for p in labels]
            kwargs["denominator"] = [
                given.get(p, {}).get("denominator", float("nan")) for p in labels
            ]
        _, polarity, _ = describe_measure(plan.measures[key])
        # actuals are judged against the targets as published, at the plan's precision
        published = t.rounded(plan.measures[key].ndigits)
        scores[key] = score(published, values, polarity=polarity, **kwargs)
    return scores


def _score_table(scores: dict[str, Any], periods: tuple[str, ...] | None = None) -> str:
    """One line per measure and period: target, actual, RAG and verdict."""
    from outcomes.io import format_table

    rows = [
        [
            key,
            r["period"],
            f"{r['target']:.6g}",
            "missing" if r["actual"] is None else f"{r['actual']:.6g}",
            r["rag"],
            r["verdict"],
        ]
        for key, score in scores.items()
        for r in score.to_records()
        if periods is None or r["period"] in periods
    ]
    return format_table(["measure", "period", "target", "actual", "RAG", "verdict"], rows)


def _cmd_score(args: argparse.Namespace) -> int:
    from outcomes.plan import load_plan, run_plan

    plan = load_plan(args.plan)
    trajectories = run_plan(plan, peers=_peers_from(args, plan))
    scores = _score_all(plan, trajectories, args.actuals)
    print(_score_table(scores))
    return 0


def _premium(plan: Any, scores: dict[str, Any]) -> Any:
    from outcomes.incentives import quality_premium

    qp_plan = plan.quality_premium
    if qp_plan is None:
        raise InputError("the plan has no [quality_premium] table")
    from outcomes import frameworks

    scheme: Any = frameworks.load(qp_plan.scheme)
    year = str(scheme.performance_year)
    achieved: dict[str, Any] = dict(qp_plan.achieved)
    for key, m in plan.measures.items():
        if m.quality_premium and key in scores and m.quality_premium not in achieved:
            s = scores[key]
            labels = [str(p) for p in s.periods]
            if year in labels and bool(s.available[labels.index(year)]):
                achieved[m.quality_premium] = bool(s.met[labels.index(year)])
    return quality_premium(
        scheme,
        population=plan.organisation.population,
        achieved=achieved,
        constitution_missed=qp_plan.constitution_missed,
        quality_failure=qp_plan.quality_failure,
        financial_deficit=qp_plan.financial_deficit,
    )


def _cmd_premium(args: argparse.Namespace) -> int:
    from outcomes.plan import load_plan, run_plan

    plan = load_plan(args.plan)
    trajectories = run_plan(plan)
    print(_premium(plan, _score_all(plan, trajectories, args.actuals)))
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    import csv

    from outcomes.audit import audit

    with open(args.table, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if len(rows) < 2 or len(rows[0]) < 4:
        raise InputError(
            f"{args.table}: needs a header 'code, baseline, start, <periods...>' "
            "and at least one row"
        )
    header, body = rows[0], rows[1:]
    periods = header[3:]
    flagged = 0
    for row in _progress(body, len(body), "auditing"):
        code, base, start, *cells = row + [""] * (len(header) - len(row))
        try:
            baseline = float(base)
        except ValueError:
            baseline = float("nan")
        report = audit(cells, baseline=baseline, start=start, periods=periods, measure=code)
        if (
            not report.audited
            and report.reason
            and "baseline" not in report.reason
            and (baseline != baseline)
        ):
            report = report.model_copy(
                update={"reason": f"baseline {base!r} is not a number; " + report.reason}
            )
        print(report)
        flagged += len(report.flagged)
    print(f"{len(body)} row(s) audited; {flagged} cell(s) flagged")
    return 1 if flagged else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from outcomes.plan import parse_plan, run_plan
    from outcomes.plot import plot_plan

    folder = resources.files("outcomes") / "demo"
    plan = parse_plan(
        (folder / "illustrative-ccg.toml").read_text(encoding="utf-8"),
        source="illustrative-ccg.toml",
    )
    print(
        "outcomes demo: an ILLUSTRATIVE CCG (made-up numbers), the seven ambitions 2014/15-2018/19"
    )
    print("(ambition 7 has no CCG-level measure, so it has no trajectory)\n")
    from outcomes import frameworks

    print("The framework catalogue:\n")
    for framework_id in frameworks.available():
        print(summary(framework_id) + "\n")
    trajectories = run_plan(plan)
    print(_render(trajectories, plan, "table"))
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="outcomes-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    actuals = out / "actuals.csv"
    actuals.write_text((folder / "actuals.csv").read_text(encoding="utf-8"), encoding="utf-8")
    scores = _score_all(plan, trajectories, str(actuals))
    print("\nScores against illustrative actuals (missing actuals are GREY, never a miss):")
    print(_score_table(scores, periods=("2014/15", "2015/16")))
    print()
    print(_premium(plan, scores))
    chart = plot_plan(
        trajectories,
        out / "ambitions.png",
        scores=scores,
        title=f"{plan.organisation.name} (illustrative)",
    )
    print(f"\nchart: {chart}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="outcomes",
        description="NHS outcome-ambition trajectories.",
        epilog="example: outcomes plan examples/illustrative-ccg.toml --format csv -o out.csv",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser(
        "frameworks", help="list the framework editions", epilog="example: outcomes frameworks"
    )
    f.set_defaults(func=_cmd_frameworks)
    s = sub.add_parser(
        "show",
        help="summarise a framework or show one indicator",
        epilog="example: outcomes show nhsof-2014-15 --indicator 2.3.i",
    )
    s.add_argument("id")
    s.add_argument("--indicator")
    s.set_defaults(func=_cmd_show)
    sc = sub.add_parser(
        "schema", help="print a model's JSON Schema", epilog="example: outcomes schema Plan"
    )
    sc.add_argument("model")
    sc.set_defaults(func=_cmd_schema)
    for name, func, help_text in (
        ("plan", _cmd_plan, "generate a plan's trajectories"),
        ("score", _cmd_score, "score actuals against a plan"),
        ("premium", _cmd_premium, "quality premium from a plan"),
    ):
        c = sub.add_parser(
            name,
            help=help_text,
            epilog=f"example: outcomes {name} examples/illustrative-ccg.toml"
            + (
                " examples/illustrative-ccg-actuals.csv"
                if name != "plan"
                else " --format csv -o out.csv"
            ),
        )
        c.add_argument("plan")
        if name != "plan":
            c.add_argument("actuals")
        c.add_argument("--peers", help="a Fingertips export to take quantile peers from")
        c.add_argument("--peers-period", default=None)
        c.add_argument("--peers-area-type", default=None)
        c.add_argument("--peers-age", default=None)
        if name == "plan":
            c.add_argument("--format", choices=["table", "csv", "json", "md"], default="table")
            c.add_argument("-o", "--output", help="write here (.xlsx writes a workbook)")
            c.add_argument("--chart", help="also write a chart (PNG or SVG)")
        c.set_defaults(func=func)
    a = sub.add_parser(
        "audit",
        help="audit a CSV of published trajectory rows",
        epilog="example: outcomes audit examples/published-rows.csv",
    )
    a.add_argument("table")
    a.set_defaults(func=_cmd_audit)
    d = sub.add_parser(
        "demo",
        help="the main job on the embedded illustrative example",
        epilog="example: outcomes demo --out out",
    )
    d.add_argument("--out", help="folder for the chart and files (default: a temp folder)")
    d.set_defaults(func=_cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 input problems, 2 usage)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return int(args.func(args))
    except (OutcomesError, OSError) as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
