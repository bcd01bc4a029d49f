"""Generate the reference pages from the code and the data files (run by `make docs`).

Everything here is generated from one place each: rule pages and the rule table from the rule
registry (`outcomes.rules`), framework pages from the catalogue's data files, the CLI page from
the argument parser, the plan-file reference from the plan model and the registry. The Rules
section of `mkdocs.yml` is rewritten between its markers, so a new rule needs no edit here.
"""

from __future__ import annotations

import inspect
import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from outcomes import catalogue, rules
from outcomes.cli import _parser
from outcomes.rules import INVARIANTS, phase

DOCS = Path(__file__).parent
MKDOCS = DOCS.parent / "mkdocs.yml"


def _doc_to_markdown(doc: str) -> str:
    """A numpydoc docstring as Markdown: sections as headings, examples as Python code blocks,
    Sphinx roles as code."""
    doc = re.sub(r":(?:func|class|mod|data|meth|attr):`~?([^`]+)`", r"`\1`", doc)
    out: list[str] = []
    lines = doc.splitlines()
    i = 0
    in_code = False
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if re.fullmatch(r"-{3,}", nxt.strip()) and line.strip():
            if in_code:
                out.append("```")
                in_code = False
            out.append(f"**{line.strip()}**")
            out.append("")
            i += 2
            continue
        if line.lstrip().startswith(">>> "):
            if not in_code:
                out.append("```python")
                in_code = True
            out.append(line.lstrip()[4:])
        elif line.lstrip().startswith("... ") and in_code:
            out.append(line.lstrip()[4:])
        elif in_code and line.strip():
            out.append("# " + line.strip())  # the printed result
        else:
            if in_code:
                out.append("```")
                in_code = False
            out.append(line)
        i += 1
    if in_code:
        out.append("```")
    return "\n".join(out)


def _plain(annotation: Any) -> Any:
    """The annotation without ``Annotated[...]`` metadata (validators are not part of the type
    a reader writes)."""
    import typing

    if typing.get_origin(annotation) is typing.Annotated:
        return _plain(typing.get_args(annotation)[0])
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is None or not args:
        return annotation
    plain = tuple(_plain(a) for a in args)
    if plain == args:
        return annotation
    if origin in (typing.Union, __import__("types").UnionType):
        import functools
        import operator

        return functools.reduce(operator.or_, plain)
    try:
        return origin[plain if len(plain) > 1 else plain[0]]
    except TypeError:
        return annotation


def _type_name(annotation: Any) -> str:
    annotation = _plain(annotation)
    text = str(annotation) if getattr(annotation, "__args__", None) else None
    text = text or getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "").replace("NoneType", "None")


def _signature(name: str, function: Any) -> str:
    """A signature as it reads in code, one parameter a line (annotations without quotes)."""
    parts = []
    star = False
    for p in inspect.signature(function).parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        text = p.name + (f": {p.annotation}" if p.annotation is not p.empty else "")
        if p.default is not p.empty:
            text += f" = {p.default!r}"
        parts.append(text)
    returns = inspect.signature(function).return_annotation
    return f"{name}(\n    " + ",\n    ".join(parts) + f",\n) -> {returns}"


def _parameter_table(spec: rules.RuleSpec) -> list[str]:
    rows = ["| parameter | type | default | meaning |", "|---|---|---|---|"]
    for name, field in spec.parameters.model_fields.items():
        default = "required" if field.is_required() else f"`{field.default!r}`"
        kind = _type_name(field.annotation).replace("|", "or")
        rows.append(f"| `{name}` | {kind} | {default} | {field.description or ''} |")
    return rows


def rule_pages() -> list[str]:
    """One page per registered rule (and `phase`), and the rule table on the index page."""
    folder = DOCS / "rules"
    for old in folder.glob("*.md"):
        if old.name != "index.md":
            old.unlink()
    names = []
    for spec in rules.specs():
        signature = _signature(spec.name, spec.function)
        invariants = ", ".join(f"{k} ({INVARIANTS[k]})" for k in sorted(spec.invariants)) or "none"
        text = [
            f"# `{spec.name}`",
            "",
            spec.summary[0].upper() + spec.summary[1:] + ".",
            "",
            "```python",
            signature,
            "```",
            "",
            "## In a plan file",
            "",
            "```toml",
            f'rule = {{ name = "{spec.name}", ... }}',
            "```",
            "",
            *_parameter_table(spec),
            "",
            f"**Invariants** (checked by `outcomes.testing.assert_trajectory_invariants`): {invariants}.",
            "",
            "**Audit:** "
            + (
                ", ".join(f"`{f.label}`" for f in spec.audit)
                + " forms, fitted by their closed-form inverse."
                if spec.audit
                else "not fitted by the audit."
            ),
            "",
            "## Reference",
            "",
            _doc_to_markdown(inspect.getdoc(spec.function) or ""),
            "",
        ]
        (folder / f"{spec.name}.md").write_text("\n".join(text))
        names.append(spec.name)
    doc = _doc_to_markdown(inspect.getdoc(phase) or "")
    (folder / "phase.md").write_text(
        f"# `phase`\n\n```python\n{_signature('phase', phase)}\n```\n\n{doc}\n"
    )
    names.append("phase")
    index = (folder / "index.md").read_text()
    table = ["| rule | what it does | parameters |", "|---|---|---|"]
    for spec in rules.specs():
        params = ", ".join(f"`{n}`" for n in spec.parameters.model_fields) or "none"
        table.append(f"| [`{spec.name}`]({spec.name}.md) | {spec.summary} | {params} |")
    index = re.sub(
        r"<!-- rules:start -->.*<!-- rules:end -->",
        "<!-- rules:start -->\n" + "\n".join(table) + "\n<!-- rules:end -->",
        index,
        flags=re.S,
    )
    (folder / "index.md").write_text(index)
    return names


def framework_pages() -> list[str]:
    """One page per catalogue edition: its entries, what is not confirmed, its sources."""
    folder = DOCS / "frameworks"
    for old in folder.glob("*.md"):
        old.unlink()
    ids = []
    for fid in catalogue.available():
        fw = catalogue.load(fid)
        lines = [
            f"# {fw.title}",
            "",
            f"Edition `{fid}` (kind `{fw.kind}`), data file "
            f"`src/outcomes/catalogue/data/{fid}.toml`. Every fact has a status: **confirmed**, "
            "**partly** (a secondary source or an adjacent edition) or **unconfirmed** "
            "(background knowledge only); results that use an unconfirmed fact say so.",
            "",
        ]
        if fw.description:
            lines += [fw.description.strip(), ""]
        lines += [
            f"## {fw.entry_kind.capitalize()}",
            "",
            "| code | name | unit | better | status | detail |",
            "|---|---|---|---|---|---|",
        ]
        for e in fw.entries():
            lines.append(
                f"| {e.code} | {e.name} | {e.unit or ''} | "
                f"{e.polarity.value if e.polarity else ''} | {e.status} | "
                f"{e.detail.replace('|', '/')} |"
            )
        unconfirmed = fw.unconfirmed()
        lines += ["", f"## Not confirmed ({len(unconfirmed)})", ""]
        lines += [f"- `{u}`" for u in unconfirmed] or ["Every fact is confirmed."]
        lines += ["", "## Sources", ""]
        lines += [f"- **{k}**: {v}" for k, v in fw.sources.items()]
        (folder / f"{fid}.md").write_text("\n".join(lines) + "\n")
        ids.append(fid)
    return ids


def cli_page() -> None:
    parser = _parser()
    out = [
        "# CLI reference",
        "",
        "Exit codes: 0 ok; 1 problems in the inputs (all listed) or flagged cells; 2 usage. "
        "Output follows the `-o` suffix (`.csv`, `.json`, `.md`, `.xlsx`); `-o -` is standard "
        "output; an input file is never overwritten.",
        "",
    ]
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
    """The plan-file reference: prose, then a table per rule from the registry."""
    head = (DOCS / "plan-files.intro.md").read_text()
    parts = [head.rstrip(), "", "## Rules and their parameters", ""]
    parts += [
        "Every parameter a rule function takes, a plan file can set; these tables are generated "
        "from the rule registry.",
        "",
    ]
    for spec in rules.specs():
        parts += [f"### `{spec.name}`", "", spec.summary[0].upper() + spec.summary[1:] + ".", ""]
        parts += _parameter_table(spec)
        for name in spec.inputs:
            parts += ["", f"`{name}` may instead come from data (see {name.capitalize()})."]
        parts += [""]
    (DOCS / "plan-files.md").write_text("\n".join(parts) + "\n")


def nav(rule_names: list[str], framework_ids: list[str]) -> None:
    """Rewrite the generated parts of mkdocs.yml's nav."""
    text = MKDOCS.read_text()
    rule_lines = ["      - Overview: rules/index.md"] + [
        f"      - {n}: rules/{n}.md" for n in rule_names
    ]
    fw_lines = [
        f"      - {json.dumps(catalogue.load(f).title)}: frameworks/{f}.md" for f in framework_ids
    ]
    for marker, lines in (("rules", rule_lines), ("frameworks", fw_lines)):
        text = re.sub(
            rf"( *# {marker}:start\n).*?( *# {marker}:end)",
            lambda m, lines=lines: m.group(1) + "\n".join(lines) + "\n" + m.group(2),
            text,
            flags=re.S,
        )
    MKDOCS.write_text(text)


if __name__ == "__main__":
    names = rule_pages()
    ids = framework_pages()
    cli_page()
    plan_page()
    nav(names, ids)
    print("generated rule, framework, CLI and plan-file pages and the nav")
