"""Generate the reference pages from the code and the data files (run by `make docs`)."""

from __future__ import annotations

import inspect
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

from outcomes import frameworks, trajectories
from outcomes.cli import _parser
from outcomes.plan import Plan

DOCS = Path(__file__).parent
RULES = [
    "percentage_change",
    "to_target",
    "quantile_step",
    "reach_national",
    "national_or_quantile",
    "hold",
    "phase",
]


def rule_pages() -> None:
    for name in RULES:
        func = getattr(trajectories, name)
        doc = inspect.getdoc(func) or ""
        signature = f"{name}{inspect.signature(func)}".replace("'", '"')
        text = f"# `{name}`\n\n```python\n{signature}\n```\n\n"
        text += doc.replace(">>> ", "").replace("... ", "") + "\n"
        (DOCS / "rules" / f"{name}.md").write_text(text)


def framework_pages() -> None:
    for fid in frameworks.available():
        fw = frameworks.load(fid)
        lines = [
            f"# {fw.title}",
            "",
            f"Data file: `src/outcomes/frameworks/{fid}.toml`. "
            "Status: **confirmed**, **partly** (adjacent edition) or **unconfirmed** "
            "(background knowledge only).",
            "",
        ]
        if fw.description:
            lines += [fw.description, ""]
        if fw.kind == "nhsof":
            for d in fw.domains:
                lines += [
                    f"## Domain {d.number}: {d.title}",
                    "",
                    "| code | indicator | level | unit | better | cross-references | status |",
                    "|---|---|---|---|---|---|---|",
                ]
                for i in fw.indicators_in(d.number):
                    xref = ", ".join(i.cross_references)
                    if xref and i.cross_references_status != "confirmed":
                        xref += f" ({i.cross_references_status})"
                    lines.append(
                        f"| {i.code} | {i.name} | {i.level} | {i.unit} | "
                        f"{i.polarity.value} | {xref} | {i.status} |"
                    )
                lines.append("")
        elif fw.kind == "ambitions":
            lines += [
                "| # | ambition | domains | measure | indicators | unit | better | status |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for a in fw.ambitions:
                m = a.measure
                lines.append(
                    f"| {a.number} | {a.title} | {', '.join(map(str, a.domains))} | "
                    f"{m.name} | {' + '.join(m.indicators) or '-'} | {m.unit} | "
                    f"{m.polarity.value} | {m.status} |"
                )
            lines += ["", "## Expectations", ""]
            for key, p in fw.expectations.items():
                lines.append(f"- `{key}` = {p.value:g} ({p.status}): {p.note or ''}")
        elif fw.kind == "bcf":
            lines += [
                "| id | metric | unit | denominator | better | status |",
                "|---|---|---|---|---|---|",
            ]
            for m in fw.metrics:
                lines.append(
                    f"| {m.id} | {m.name} | {m.unit} | {m.denominator or ''} | "
                    f"{m.polarity.value} | {m.status} |"
                )
            p = fw.payment
            lines += [
                "",
                "## Pay for performance",
                "",
                p.description,
                "",
                f"- minimum reduction {p.minimum_reduction.value:.1%} "
                f"({p.minimum_reduction.status})",
                f"- cost per admission GBP {p.cost_per_admission.value:,.0f} "
                f"({p.cost_per_admission.status}): {p.cost_per_admission.note}",
            ]
        else:
            lines += [
                f"Value per head: GBP {fw.value_per_head.value:g} "
                f"({fw.value_per_head.status}). Constitution reduction: "
                f"{fw.constitution_reduction.value:.0%} per standard missed "
                f"({fw.constitution_reduction.status}).",
                "",
                "| id | measure | weight | weight status | rule |",
                "|---|---|---|---|---|",
            ]
            for m in fw.measures:
                lines.append(
                    f"| {m.id} | {m.name} | {m.weight:.0%} | {m.weight_status} | {m.rule} |"
                )
        lines += ["", "## Sources", ""]
        lines += [f"- **{k}**: {v}" for k, v in fw.sources.items()]
        (DOCS / "frameworks" / f"{fid}.md").write_text("\n".join(lines) + "\n")


def cli_page() -> None:
    parser = _parser()
    out = ["# CLI reference", "", "Exit codes: 0 ok, 1 problems in the inputs, 2 usage.", ""]
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        parser.print_help()
    out += ["```text", buffer.getvalue().rstrip(), "```", ""]
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            buffer = io.StringIO()
            with redirect_stdout(buffer):
                sub.print_help()
            out += [f"## `outcomes {name}`", "", "```text", buffer.getvalue().rstrip(), "```", ""]
    (DOCS / "cli.md").write_text("\n".join(out))


def plan_page() -> None:
    example = (DOCS.parent / "examples" / "illustrative-ccg.toml").read_text()
    text = [
        "# Plan-file reference",
        "",
        "A plan file is TOML. Every problem is reported at once with its key path, e.g. "
        "`measures.pyll.rule.rate: must be > -1 (a fall of less than 100%), got -1.5`.",
        "",
        "## Example",
        "",
        "```toml",
        example.rstrip(),
        "```",
        "",
        "## JSON Schema (generated from the model)",
        "",
        "```json",
        json.dumps(Plan.model_json_schema(), indent=2),
        "```",
        "",
    ]
    (DOCS / "plan-files.md").write_text("\n".join(text))


if __name__ == "__main__":
    rule_pages()
    framework_pages()
    cli_page()
    plan_page()
    print("generated rule, framework, CLI and plan-file pages")
