"""What an audit reports: the fits, the flags, the explanations (JSON-serialisable models)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["AuditReport", "AuditReports", "Explanation", "Flag", "FlagKind", "RuleFit"]

FlagKind = Literal["inconsistent", "typo", "worse_than_baseline", "non_monotone"]


def _places(x: float) -> int:
    text = f"{x:.10f}".rstrip("0")
    return max(len(text.split(".")[1]) if "." in text else 0, 1)


class RuleFit(BaseModel):
    """One candidate rule fitted to a printed row: the registry's rule and form, the time
    indexing, the rounding, the fitted parameter (the plainest that prints the most cells), and
    for a two-phase rule the break period and the first phase's parameter."""

    model_config = ConfigDict(frozen=True)
    rule: str
    form: str
    indexing: str
    rounding: str
    parameter: str
    value: float
    interval: tuple[float, float]
    predicted: tuple[float, ...]
    residuals: tuple[float, ...]
    flagged: tuple[str, ...]
    percent: bool = False
    break_period: str | None = None
    first_parameter: str | None = None
    first_value: float | None = None

    @property
    def parameters(self) -> dict[str, Any]:
        """The fitted parameters as a plan file would set them (rule ``name`` included)."""
        out: dict[str, Any] = {"name": self.rule}
        if self.first_parameter is not None:
            out[self.first_parameter] = self.first_value
            out["break_period"] = self.break_period
        if self.parameter != "none":
            out[self.parameter] = self.value
        return out

    def _show(self, value: float) -> str:
        if self.percent:
            return f"{value:+.{_places(value * 100)}%}"
        return f"{value:g}"

    def describe(self) -> str:
        """One line, e.g. ``percentage_change compound -2.5%/yr (elapsed, half_up)``."""
        name = self.rule if self.form == self.rule else f"{self.rule} {self.form}"
        how = f"({self.indexing}, {self.rounding})"
        if self.break_period is not None and self.first_value is not None:
            first = self._show(self.first_value)
            what = "/yr" if self.first_parameter == "first_rate" else " step"
            return (
                f"{name}: {first}{what} to {self.break_period}, then {self._show(self.value)}/yr "
                f"{how}"
            )
        if self.parameter == "none":
            return f"{name} {how}"
        if self.parameter == "rate":
            return f"{name} {self._show(self.value)}/yr {how}"
        return f"{name} to {self.value:g} {how}"


class Explanation(BaseModel):
    """An alternative explanation that reproduces one flagged cell exactly."""

    model_config = ConfigDict(frozen=True)
    period: str
    printed: float
    explanation: str


class Flag(BaseModel):
    """A flagged cell: what was printed, what the fit prints there (at the printed precision,
    under the fit's rounding), the kind of problem, and the likely intended value for a typo."""

    model_config = ConfigDict(frozen=True)
    period: str
    printed: float
    expected: float | None
    kind: FlagKind
    suggested: float | None = None


class AuditReport(BaseModel):
    """The result of :func:`outcomes.audit` (JSON-serialisable)."""

    model_config = ConfigDict(frozen=True)
    measure: str | None
    audited: bool
    reason: str | None
    baseline: float | None
    start: str | None
    periods: tuple[str, ...]
    printed: tuple[float | None, ...]
    ndigits: int | None
    fits: tuple[RuleFit, ...] = ()
    best: RuleFit | None = None
    flags: tuple[Flag, ...] = ()
    explanations: tuple[Explanation, ...] = ()

    @property
    def flagged(self) -> tuple[str, ...]:
        """The periods whose cells the best fit does not reproduce (inconsistent or typo)."""
        return tuple(f.period for f in self.flags if f.kind in ("inconsistent", "typo"))

    @property
    def worse_than_baseline(self) -> tuple[str, ...]:
        return tuple(f.period for f in self.flags if f.kind == "worse_than_baseline")

    @property
    def non_monotone(self) -> tuple[str, ...]:
        return tuple(f.period for f in self.flags if f.kind == "non_monotone")

    @property
    def ok(self) -> bool:
        """Audited, with no flag of any kind."""
        return self.audited and not self.flags

    def to_frame(self) -> Any:
        """One row per printed cell as a tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.audit_frame`."""
        from outcomes.frames import audit_frame

        return audit_frame(self)

    def __str__(self) -> str:
        name = self.measure or "row"
        if not self.audited:
            return f"{name}: not audited: {self.reason}"
        assert self.best is not None
        lines = [f"{name}: {self.best.describe()}"]
        if not self.flags:
            lines.append("  every cell reproduced")
        nd = self.ndigits or 0
        for f in self.flags:
            shown = f"{f.printed:.{nd}f}"
            if f.kind == "typo":
                lines.append(
                    f"  {f.period}: printed {shown}; the rule gives {f.expected:.{nd}f}: likely a "
                    f"typo for {f.suggested:.{nd}f}"
                )
            elif f.kind == "inconsistent":
                expected = "nothing printable" if f.expected is None else f"{f.expected:.{nd}f}"
                lines.append(f"  {f.period}: printed {shown}; the rule gives {expected}")
            elif f.kind == "worse_than_baseline":
                lines.append(f"  {f.period}: printed {shown} is worse than the baseline")
            else:
                lines.append(
                    f"  {f.period}: printed {shown} turns back against the direction of travel"
                )
        for e in self.explanations:
            lines.append(f"    {e.period} would fit if {e.explanation}")
        return "\n".join(lines)


class AuditReports(list[AuditReport]):
    """The reports of :func:`outcomes.audit_table`, in the order of the rows: a list, with
    :meth:`to_frame`."""

    def to_frame(self) -> Any:
        """Every report's cells in one tidy DataFrame (extra ``pandas``); see
        :func:`outcomes.frames.audit_frame`."""
        from outcomes.frames import audit_frame

        return audit_frame(self)
