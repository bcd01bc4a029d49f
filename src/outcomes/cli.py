"""The ``outcomes`` command: thin. It parses arguments, calls the library (the same functions a
notebook calls, in :mod:`outcomes.workflow`) and prints or writes what they return.

Exit codes: 0 ok; 1 problems in the inputs (all listed on stderr), an output refused, or
flagged cells; 2 usage (unknown options, a ``--format`` that contradicts the ``-o`` suffix, a
suffix with no format, a workbook to standard output, a chart that is not .png/.svg/.pdf).
The output format follows the ``-o`` suffix (``.csv``, ``.json``, ``.md``, ``.xlsx``, any case);
``-o -`` writes to standard output. Inputs are never overwritten (checked before any work);
files are written through a temporary file and renamed into place. A closed pipe
(``outcomes plan ... | head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from outcomes.errors import InputError, OutcomesError

__all__ = ["main"]


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------


class UsageError(OutcomesError):
    """The arguments contradict each other (exit status 2)."""


def _usage(args: argparse.Namespace) -> None:
    """Check the output arguments before any work: the format, the chart, the inputs."""
    from outcomes.io import format_for
    from outcomes.plot import chart_format

    output = getattr(args, "output", None)
    given = getattr(args, "format", None)
    if getattr(args, "command", None) == "report":
        return  # one HTML page: write_report checks its name and the inputs
    try:
        fmt = format_for(output, given)
        chart = getattr(args, "chart", None)
        if chart:
            chart_format(chart)
    except OutcomesError as error:
        raise UsageError(str(error)) from None
    if fmt == "xlsx" and (output is None or output == "-"):
        raise UsageError("a workbook cannot be written to standard output; give -o FILE.xlsx")
    for target in (output, getattr(args, "chart", None)):
        if target and target != "-":
            _not_an_input(target, _inputs(args))


def _not_an_input(target: str, inputs: Sequence[str]) -> None:
    from outcomes.errors import OutputError

    for given in inputs:
        try:
            same = Path(given).resolve() == Path(target).resolve()
        except OSError:
            continue
        if same:
            raise OutputError(f"{target}: refusing to overwrite an input file")


def _emit(tables: Sequence[Any], args: argparse.Namespace, inputs: Sequence[str] = ()) -> None:
    """Print the tables, or write them to ``-o`` in the format its suffix names."""
    from outcomes.io import format_for, render_tables, write_tables

    output = getattr(args, "output", None)
    fmt = format_for(output, getattr(args, "format", None))
    if output is None or output == "-":
        sys.stdout.write(render_tables(tables, fmt))
        return
    path = write_tables(
        tables, output, fmt, bom=not getattr(args, "no_bom", False), inputs=inputs, force=True
    )
    print(f"wrote {path}")


def _chart(args: argparse.Namespace, draw: Any) -> None:
    chart = getattr(args, "chart", None)
    if chart:
        draw(chart)
        print(f"chart: {chart}")


# --------------------------------------------------------------------------------------------
# the catalogue
# --------------------------------------------------------------------------------------------


def summary(framework_id: str) -> str:
    """A readable summary of one framework edition: its entries and what is unconfirmed."""
    from outcomes import catalogue
    from outcomes._format import format_table, shorten

    fw = catalogue.load(framework_id)
    rows = [
        [
            e.code,
            shorten(e.name, 64),
            e.unit or "",
            e.polarity.value if e.polarity else "",
            e.status,
        ]
        for e in fw.entries()
    ]
    head = f"{fw.title} ({fw.id}): {len(rows)} {fw.entry_kind}, {len(fw.unconfirmed())} facts not confirmed"
    table = format_table(["code", "name", "unit", "better", "status"], rows)
    return head + "\n" + "\n".join("  " + line for line in table.splitlines())


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from outcomes import catalogue
    from outcomes.io import Column, Table

    rows = []
    for fid in catalogue.available():
        fw = catalogue.load(fid)
        rows.append((fid, fw.title, f"{len(fw.entries())} {fw.entry_kind}", len(fw.unconfirmed())))
    _emit(
        [
            Table(
                "frameworks",
                (Column("id"), Column("title"), Column("contents"), Column("not confirmed")),
                rows,
            )
        ],
        args,
    )
    return 0


_LIST_KINDS = {
    "indicators": ("nhsof", "nhsof-2014-15"),
    "ambitions": ("ambitions", "ambitions-2014-19"),
    "bcf": ("bcf", "bcf-2015-16"),
    "premium": ("quality-premium", "quality-premium-2014-15"),
    "objectives": ("planning", "planning-2025-26"),
    "oversight": ("oversight", "oversight-2025-26"),
    "qof": ("qof", "qof-2025-26"),
}


def _cmd_list(args: argparse.Namespace) -> int:
    from outcomes import catalogue
    from outcomes.io import Column, Table

    kind, default = _LIST_KINDS[args.what]
    fid = args.framework or default
    fw = catalogue.load(fid)
    if fw.kind != kind:
        raise InputError(f"--framework {fid!r} is a {fw.kind!r} edition, not {kind!r}")
    rows = [
        (e.code, e.name, e.unit or "", e.polarity.value if e.polarity else "", e.status, e.detail)
        for e in fw.entries()
    ]
    table = Table(
        f"{args.what} ({fid})",
        (
            Column("code"),
            Column("name"),
            Column("unit"),
            Column("better"),
            Column("status"),
            Column("detail"),
        ),
        rows,
    )
    _emit([table], args)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from outcomes import catalogue

    fw = catalogue.load(args.id)
    code = args.code or args.indicator
    if code is None:
        if args.json:
            print(json.dumps(fw.model_dump(mode="json"), indent=2))
        else:
            print(summary(args.id))
        return 0
    entry = fw.entry(code)
    if args.json or args.indicator:
        payload = (
            entry.fact.model_dump(mode="json")
            if entry.fact is not None
            else entry.model_dump(mode="json")
        )
        print(json.dumps(payload, indent=2))
        return 0
    from outcomes._format import format_table, shorten

    fields = entry.fact.model_dump(mode="json") if entry.fact is not None else {}
    rows = [
        [k, shorten(json.dumps(v) if not isinstance(v, str) else v, 100)]
        for k, v in fields.items()
        if v not in (None, [], {}, "")
    ]
    print(f"{entry.code}: {entry.name} ({fw.id})")
    print(format_table(["field", "value"], rows))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from outcomes import catalogue, trajectory, workflow

    names: dict[str, Any] = {
        "Plan": workflow.Plan,
        "Trajectory": trajectory.Trajectory,
        "NHSOutcomesFramework": catalogue.NHSOutcomesFramework,
        "AmbitionsFramework": catalogue.AmbitionsFramework,
        "BCFFramework": catalogue.BCFFramework,
        "QualityPremiumScheme": catalogue.QualityPremiumScheme,
    }
    if args.model not in names:
        raise InputError(f"unknown model {args.model!r}; one of {', '.join(names)}")
    print(json.dumps(names[args.model].model_json_schema(), indent=2))
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    from outcomes import rules
    from outcomes.io import Column, Table

    rows = []
    for spec in rules.specs():
        fields = ", ".join(
            f"{name}={f.default!r}" if not f.is_required() else name
            for name, f in spec.parameters.model_fields.items()
        )
        rows.append((spec.name, spec.summary, fields))
    _emit(
        [Table("rules", (Column("rule"), Column("what it does"), Column("parameters")), rows)], args
    )
    return 0


# --------------------------------------------------------------------------------------------
# plan-level work
# --------------------------------------------------------------------------------------------


def _peers(args: argparse.Namespace) -> Any:
    if not getattr(args, "peers", None):
        return None
    from outcomes.workflow import select_peers

    return select_peers(
        args.peers,
        indicator=args.peers_indicator,
        period=args.peers_period,
        area_type=args.peers_area_type,
        sex=args.peers_sex,
        age=args.peers_age,
    )


def _history(args: argparse.Namespace) -> Any:
    if not getattr(args, "history", None):
        flags = [
            f"--history-{n.replace('_', '-')}"
            for n in ("indicator", "area_type", "sex", "age", "areas", "measure")
            if getattr(args, f"history_{n}", None) is not None
        ]
        if flags:
            raise InputError(f"{', '.join(flags)} select from a history file: give --history FILE")
        return None
    from outcomes.workflow import select_history

    chosen = select_history(
        args.history,
        indicator=args.history_indicator,
        area_type=args.history_area_type,
        sex=args.history_sex,
        age=args.history_age,
        areas=[a.strip() for a in args.history_areas.split(",") if a.strip()]
        if args.history_areas
        else None,
    )
    return {args.history_measure: chosen} if args.history_measure else chosen


def _inputs(args: argparse.Namespace, targets: Any = None) -> list[str]:
    """Every input file of the command: its arguments, and the files a plan names (baselines,
    peers, histories), so that no output is written over one of them."""
    named = []
    if targets is not None:
        named += [targets.sources["baselines"]] if "baselines" in targets.sources else []
        named += [peer_set.source for peer_set in targets.peers.values()]
        named += [str(h.source) for h in getattr(targets, "histories", {}).values()]
    return named + [
        p
        for p in (
            getattr(args, n, None)
            for n in ("plan", "actuals", "baselines", "peers", "history", "table")
        )
        if p
    ]


def _readable(args: argparse.Namespace) -> bool:
    """Whether to print the result as its readable text: no ``-o`` and no format but a table."""
    return args.output is None and args.format in (None, "table")


def _targets(args: argparse.Namespace) -> Any:
    """The plan's targets, with the baselines, peers and histories the options name."""
    from outcomes.workflow import run_plan

    return run_plan(args.plan, baselines=args.baselines, peers=_peers(args), history=_history(args))


def _scores(args: argparse.Namespace) -> Any:
    """The plan's scores against the actuals, with the inputs the options name."""
    from outcomes.workflow import score_plan

    return score_plan(
        args.plan,
        args.actuals,
        baselines=args.baselines,
        peers=_peers(args),
        history=_history(args),
    )


def _cmd_plan(args: argparse.Namespace) -> int:
    targets = _targets(args)
    inputs = _inputs(args, targets)
    if _readable(args):
        print(targets)
    else:
        _emit(targets.tables(), args, inputs)
    _chart(args, lambda path: _plot_targets(targets, path, inputs=inputs))
    return 0


def _plot_targets(
    targets: Any, path: str, scores: Any = None, *, inputs: Sequence[str] = (), force: bool = True
) -> Any:
    from outcomes.plot import plot_plan

    return plot_plan(
        targets,
        path,
        scores=scores,
        title=targets.organisation_names[0] if len(targets.organisations) == 1 else None,
        inputs=inputs,
        force=force,
    )


def _cmd_score(args: argparse.Namespace) -> int:
    scores = _scores(args)
    inputs = _inputs(args, scores.targets)
    if _readable(args):
        print(scores)
    else:
        _emit(scores.tables(), args, inputs)
    _chart(args, lambda path: _plot_targets(scores.targets, path, scores, inputs=inputs))
    return 0


def _cmd_premium(args: argparse.Namespace) -> int:
    from outcomes.io import Column, Table
    from outcomes.workflow import premium

    scores = _scores(args)
    result = premium(scores.targets.plan, scores, organisation=args.organisation)
    if _readable(args):
        print(result)
        return 0
    rows = [
        (r["measure"], r["weight"], r["allocation"], r["achieved"], r["earned"])
        for r in result.breakdown()
    ]
    table = Table(
        "premium",
        (
            Column("measure"),
            Column("weight", 2),
            Column("allocation (GBP)", 2),
            Column("achieved", 2),
            Column("earned (GBP)", 2),
        ),
        rows,
        note="\n".join(result.notes()),
    )
    _emit([table], args, _inputs(args, scores.targets))
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from outcomes.assurance import audit_table

    reports = audit_table(args.table)
    from outcomes.io import Column, Table

    if _readable(args):
        for report in reports:
            print(report)
    else:
        rows = [
            (
                r.measure or "",
                r.audited,
                r.reason or "",
                r.best.describe() if r.best else "",
                ", ".join(r.flagged),
            )
            for r in reports
        ]
        _emit(
            [
                Table(
                    "audit",
                    (
                        Column("row"),
                        Column("audited"),
                        Column("reason"),
                        Column("best rule"),
                        Column("flagged"),
                    ),
                    rows,
                )
            ],
            args,
            [args.table],
        )
    unread = sum(not r.audited for r in reports)
    flagged = sum(len(r.flagged) for r in reports)
    print(
        f"{len(reports) - unread} row(s) audited, {unread} not audited; {flagged} cell(s) flagged",
        file=sys.stderr,
    )
    return 1 if flagged or unread else 0


def _cmd_benchmark(args: argparse.Namespace) -> int:
    from outcomes.workflow import area_profile

    profile = area_profile(
        args.fingertips,
        indicator=args.indicator,
        period=args.period,
        area_type=args.area_type,
        sex=args.sex,
        age=args.age,
        level=args.level,
        polarity=args.polarity,
    )
    if _readable(args):
        print(profile)
    else:
        _emit([profile.table()], args, [args.fingertips])
    from outcomes.plot import plot_area_profile

    _chart(args, lambda path: plot_area_profile(profile, path, inputs=_inputs(args)))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from outcomes import catalogue
    from outcomes.errors import OutputError
    from outcomes.io import write_atomic, write_tables
    from outcomes.workflow import parse_plan, premium, run_plan, score_plan

    out = Path(args.out) if args.out else Path(_temp_folder())
    names = ("plan.toml", "actuals.csv", "targets.xlsx", "scores.xlsx", "ambitions.png",
             "report.html")  # fmt: skip
    paths = {name: out / name for name in names}
    existing = [str(p) for p in paths.values() if p.exists()]
    if existing and not args.force:
        raise OutputError(
            f"{', '.join(existing)}: exist(s) already; pass --force to overwrite, or choose "
            "another --out folder"
        )
    folder = resources.files("outcomes") / "demo"
    text = (folder / "illustrative-ccg.toml").read_text(encoding="utf-8")
    plan = parse_plan(text, source="illustrative-ccg.toml")
    print(
        "outcomes demo: an ILLUSTRATIVE CCG (made-up numbers), the seven ambitions 2014/15-2018/19"
    )
    print("(ambition 7 has no CCG-level measure, so it has no trajectory)\n")
    print(f"Framework editions shipped ({len(catalogue.available())}; `outcomes frameworks`):")
    print("  " + ", ".join(catalogue.available()) + "\n")
    targets = run_plan(plan)
    print(targets)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out}: cannot make the folder: {error.strerror or error}") from None
    write_atomic(paths["plan.toml"], text, force=args.force)
    write_atomic(
        paths["actuals.csv"], (folder / "actuals.csv").read_text(encoding="utf-8"), force=args.force
    )
    scores = score_plan(plan, paths["actuals.csv"])
    print("\nScores against illustrative actuals (missing actuals are GREY, never a miss):")
    print(scores)
    print()
    print(premium(plan, scores))
    print("\nFiles:")
    wrote = [
        write_tables(targets.tables(), paths["targets.xlsx"], "xlsx", force=args.force),
        write_tables(scores.tables(), paths["scores.xlsx"], "xlsx", force=args.force),
        _plot_targets(targets, str(paths["ambitions.png"]), scores, force=args.force),
    ]
    try:
        from outcomes.report import write_report

        wrote.append(write_report(scores, paths["report.html"], force=args.force))
    except ImportError as error:  # the report extra is not installed
        print(f"  (no report.html: {error})")
    for path in wrote:
        print(f"  {path}")
    plan_file, actuals = paths["plan.toml"], paths["actuals.csv"]
    print(
        "\nThe same with the commands (edit the plan to make it yours):\n"
        f"  outcomes plan {plan_file} -o targets.xlsx --chart ambitions.png\n"
        f"  outcomes score {plan_file} {actuals} -o scores.xlsx\n"
        f"  outcomes premium {plan_file} {actuals}\n"
        f"  outcomes report {plan_file} {actuals} -o report.html"
    )
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from outcomes.report import write_report

    result = _scores(args) if args.actuals else _targets(args)
    path = write_report(
        result, args.output, title=args.title, force=args.force, inputs=_inputs(args)
    )
    print(f"wrote {path}")
    return 0


def _report_parser(sub: Any) -> None:
    rp = sub.add_parser(
        "report",
        help="one self-contained HTML report of a plan and its actuals",
        epilog="example: outcomes report examples/illustrative-ccg.toml "
        "examples/illustrative-ccg-actuals.csv -o report.html",
    )
    rp.add_argument("plan")
    rp.add_argument("actuals", nargs="?", help="actuals to score (without them: targets only)")
    _plan_options(rp)
    rp.add_argument("-o", "--output", required=True, help="the HTML file to write")
    rp.add_argument("--title", help="the report's title (default: the organisations' names)")
    rp.add_argument("--force", action="store_true", help="overwrite the output if it exists")
    rp.set_defaults(func=_cmd_report)


def _temp_folder() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="outcomes-demo-")


# --------------------------------------------------------------------------------------------
# arguments
# --------------------------------------------------------------------------------------------


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        help="write here; the format follows the suffix "
        "(.csv .json .md .xlsx .txt); '-' for standard output",
    )
    p.add_argument(
        "--format",
        choices=["table", "csv", "json", "md", "xlsx"],
        help="the output format, when the file name does not say it",
    )
    p.add_argument(
        "--no-bom",
        action="store_true",
        help="CSV without the byte-order mark Excel needs to show £ and accents",
    )


def _plan_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--baselines", help="a CSV of baselines, one row per organisation and measure")
    p.add_argument("--peers", help="a Fingertips export to select quantile peers from")
    p.add_argument("--peers-indicator", type=int, help="the indicator id of the peer set")
    p.add_argument("--peers-period", help="the period of the peer set, e.g. 2017")
    p.add_argument("--peers-area-type", help="the area type of the peer set, e.g. 'County & UA'")
    p.add_argument("--peers-sex", help="the sex of the peer set, e.g. Persons")
    p.add_argument("--peers-age", help="the age group of the peer set, e.g. 'All ages'")
    p.add_argument(
        "--history",
        help="the record of the indicator (a Fingertips export, or a CSV of area, period, "
        "value[, lower, upper]): each measure's realism, and peer_achieved's history",
    )
    p.add_argument("--history-indicator", type=int, help="the indicator id of the history")
    p.add_argument("--history-area-type", help="the area type of the history, e.g. 'CCG'")
    p.add_argument("--history-sex", help="the sex of the history, e.g. Persons")
    p.add_argument("--history-age", help="the age group of the history, e.g. 'All ages'")
    p.add_argument("--history-areas", help="keep only these areas: codes separated by commas")
    p.add_argument(
        "--history-measure",
        help="the measure the history is for (default: those with a history in the plan, or "
        "the only measure)",
    )


def _rules_epilog() -> str:
    from outcomes import rules

    lines = ["rules (rule = { name = ..., ... } in a plan file; `outcomes rules` for parameters):"]
    lines += [f"  {s.name:<22} {s.summary}" for s in rules.specs()]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="outcomes",
        description="NHS outcome-ambition trajectories: plan, score, premium, audit.",
        epilog="example: outcomes plan examples/illustrative-ccg.toml -o targets.xlsx",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser(
        "frameworks", help="list the framework editions", epilog="example: outcomes frameworks"
    )
    _output_options(f)
    f.set_defaults(func=_cmd_frameworks)
    li = sub.add_parser(
        "list",
        help="list a framework's indicators, ambitions, metrics...",
        epilog="example: outcomes list indicators --framework nhsof-2014-15",
    )
    li.add_argument("what", choices=list(_LIST_KINDS))
    li.add_argument("--framework", help="the edition (default: the latest of its kind)")
    _output_options(li)
    li.set_defaults(func=_cmd_list)
    s = sub.add_parser(
        "show",
        help="summarise an edition, or show one of its entries",
        epilog="example: outcomes show nhsof-2014-15 2.3.i",
    )
    s.add_argument("id")
    s.add_argument("code", nargs="?", help="an indicator, ambition, metric or measure code")
    s.add_argument("--indicator", help=argparse.SUPPRESS)
    s.add_argument("--json", action="store_true", help="the raw data as JSON")
    s.set_defaults(func=_cmd_show)
    sc = sub.add_parser(
        "schema", help="print a model's JSON Schema", epilog="example: outcomes schema Plan"
    )
    sc.add_argument("model")
    sc.set_defaults(func=_cmd_schema)
    r = sub.add_parser(
        "rules",
        help="the trajectory rules and their parameters",
        description=_rules_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _output_options(r)
    r.set_defaults(func=_cmd_rules)
    for name, func, help_text in (
        ("plan", _cmd_plan, "every measure's targets for every organisation of a plan"),
        ("score", _cmd_score, "score actuals against a plan's published targets"),
        ("premium", _cmd_premium, "the quality premium from a plan and its actuals"),
    ):
        c = sub.add_parser(
            name,
            help=help_text,
            epilog=_rules_epilog()
            + f"\n\nexample: outcomes {name} examples/illustrative-ccg.toml"
            + (" examples/illustrative-ccg-actuals.csv" if name != "plan" else " -o targets.xlsx"),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        c.add_argument("plan")
        if name != "plan":
            c.add_argument("actuals")
        _plan_options(c)
        _output_options(c)
        if name == "premium":
            c.add_argument("--organisation", help="the organisation (for a plan of several)")
        else:
            c.add_argument("--chart", help="also draw a chart (PNG or SVG by the suffix)")
        c.set_defaults(func=func)
    _report_parser(sub)
    a = sub.add_parser(
        "audit",
        help="audit a CSV of published trajectory rows",
        epilog="example: outcomes audit examples/published-rows.csv",
    )
    a.add_argument("table")
    _output_options(a)
    a.set_defaults(func=_cmd_audit)
    bm = sub.add_parser(
        "benchmark",
        help="an indicator's area profile: value, interval, significance against England, trend",
        epilog="example: outcomes benchmark indicators-CountyUA.data.csv --indicator 93356 "
        "--period 2017 --area-type 'County & UA' --age 'All ages' -o profile.xlsx",
    )
    bm.add_argument("fingertips", help="a Fingertips export (CSV)")
    bm.add_argument(
        "--indicator", type=int, help="the indicator id (needed if the file has several)"
    )
    bm.add_argument("--period", required=True, help="the period, e.g. 2017 or 2016/17")
    bm.add_argument("--area-type", required=True, help="e.g. 'County & UA'")
    bm.add_argument("--sex", help="e.g. Persons (needed if the file has several)")
    bm.add_argument("--age", help="e.g. 'All ages' (needed if the file has several)")
    bm.add_argument(
        "--level",
        type=float,
        choices=[0.95, 0.998],
        default=0.95,
        help="the confidence level of the intervals compared with England",
    )
    bm.add_argument(
        "--polarity",
        choices=["higher", "lower", "none"],
        help="which way is better (default none: higher / lower than England)",
    )
    bm.add_argument("--chart", help="also draw a funnel plot (PNG or SVG by the suffix)")
    _output_options(bm)
    bm.set_defaults(func=_cmd_benchmark)
    d = sub.add_parser(
        "demo",
        help="the main job on the embedded illustrative example",
        epilog="example: outcomes demo --out out --force",
    )
    d.add_argument("--out", help="folder for the chart and files (default: a temp folder)")
    d.add_argument("--force", action="store_true", help="overwrite files already in --out")
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
        _usage(args)
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # the reader went away (`outcomes plan ... | head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except UsageError as error:
        print(f"usage error: {error}", file=sys.stderr)
        return 2
    except (OutcomesError, OSError) as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
