"""Reproduce the model-choice backtests of docs/realism.md (run from the repository root).

Every candidate is scored by outcomes.realism.backtest's protocol: every rolling origin with at
least 3 periods of history, horizons 1 and 2, Brier score averaged over every forecast, then
over five planned changes per indicator. Candidates:

* base rate: the historical share of changes at least as good as the plan (a constant);
* random walk + drift: last value moved by the mean common change, spread of past changes;
* the chosen model (outcomes.realism.forecast), and the same with one choice undone:
  no winsorising of the changes, no guard on the trend variance, the persistence of transient
  deviations fixed instead of estimated (0: pure noise; 0.98: nearly a random walk), or (PYLL)
  no published limits.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr

import outcomes.realism as realism

DATA = Path("tests/data")


def series() -> dict[str, tuple[Any, list[float], str, dict[str, Any]]]:
    pyll = realism.history_from_frame(
        pd.read_csv(DATA / "pyll_ccg_2009_2014_person_limits.csv", dtype=str),
        area="Level",
        period="Reporting period",
        value="DSR",
        lower="CI lower",
        upper="CI upper",
    )
    mar = pd.read_csv(DATA / "mar_ccg_non_elective_monthly_2013_2019.csv", dtype=str)
    mar = mar[mar["Org Code"] != "X24"]
    year = mar["Month"].str[:4].astype(int) - (mar["Month"].str[5:7].astype(int) < 4)
    mar = mar.assign(
        fy=year.astype(str), n=mar["Total Non-elective G&A Admissions (FFCEs)"].astype(float)
    )
    annual = mar.groupby(["Org Code", "fy"]).agg(months=("Month", "nunique"), n=("n", "sum"))
    annual = annual[annual["months"] == 12].reset_index()
    mar_h = realism.history_from_frame(annual, area="Org Code", period="fy", value="n")
    dtoc = realism.history_from_frame(
        pd.read_csv(DATA / "dtoc_delayed_days_la_financial_year_2011_2019.csv"),
        area="Name",
        period="financial_year",
        value="delayed_days",
    )

    def ascof(name: str) -> Any:
        df = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
        return realism.history_from_frame(
            df[df["area_name"] != "England"], area="area_name", period="period", value="value"
        )

    a2a = ascof("ascof_2a2_care_home_admissions_65plus_trafford_peers_2014_2024.csv")
    a2b = ascof("ascof_2b1_home_91_days_after_reablement_greater_manchester_2010_2018.csv")
    limits = {"lower": pyll.lower, "upper": pyll.upper}
    return {
        "PYLL (211 CCGs, 2009-2014, with limits)": (
            pyll.values,
            [-0.05, -0.032, -0.01, 0.0, 0.02],
            "lower",
            limits,
        ),
        "Delayed days (150 councils, 2011/12-2018/19)": (
            dtoc.values,
            [-0.2, -0.1, 0.0, 0.1, 0.2],
            "lower",
            {},
        ),
        "Emergency admissions (219 CCGs, 2013/14-2018/19)": (
            mar_h.values,
            [-0.035, 0.0, 0.02, 0.03, 0.05],
            "lower",
            {},
        ),
        "ASCOF 2A(2) (16 councils, 2014/15-2023/24)": (
            a2a.values,
            [-0.1, -0.05, -0.02, 0.0, 0.05],
            "lower",
            {},
        ),
        "ASCOF 2B(1) (10 councils, 2010/11-2017/18)": (
            a2b.values,
            [-0.02, 0.0, 0.01, 0.02, 0.05],
            "higher",
            {},
        ),
    }


def random_walk(values: np.ndarray, plan: float, polarity: str) -> float:
    """Brier score of a random walk with the mean common drift, on the backtest's protocol."""
    sign = -1 if polarity == "lower" else 1
    y = np.log(values)
    scores = []
    for origin in range(2, y.shape[1] - 1):
        seen = y[:, : origin + 1]
        for h in (1, 2):
            if origin + h >= y.shape[1]:
                continue
            step = seen[:, h:] - seen[:, :-h]
            drift = np.nanmean(np.nanmean(np.diff(seen, axis=1), axis=0)) * h
            sd = np.nanstd(step)
            target = y[:, origin] + h * np.log1p(plan)
            outcome = y[:, origin + h]
            ok = ~np.isnan(target) & ~np.isnan(outcome)
            p = ndtr(sign * (y[:, origin] + drift - target) / sd)
            met = sign * outcome >= sign * target
            scores.append((p[ok] - met[ok]) ** 2)
    return float(np.mean(np.concatenate(scores)))


@contextmanager
def setting(**values: Any) -> Any:
    old = {k: getattr(realism, k) for k in values}
    for k, v in values.items():
        setattr(realism, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(realism, k, v)


def brier(
    values: np.ndarray, plans: list[float], polarity: str, extra: dict[str, Any], **constants: Any
) -> tuple[float, float]:
    """Mean Brier score of the model and of the base rate over the plans."""
    with setting(**constants):
        runs = [
            realism.backtest(values, planned_change=p, polarity=polarity, **extra) for p in plans
        ]
    return float(np.mean([b.brier for b in runs])), float(np.mean([b.brier_base for b in runs]))


def main() -> None:
    rows = []
    for name, (values, plans, polarity, limits) in series().items():

        def mean_brier(extra: dict[str, Any], **constants: Any) -> tuple[float, float]:
            return brier(values, plans, polarity, extra, **constants)  # noqa: B023 - called at once

        chosen, base = mean_brier(limits)
        cells = {
            "base rate": base,
            "random walk + drift": float(
                np.mean([random_walk(values, p, polarity) for p in plans])
            ),
            "chosen model": chosen,
            "no winsorising": mean_brier(limits, WINSOR_MADS=np.inf)[0],
            "unguarded trend": mean_brier(limits, TREND_GUARD_SE=0.0)[0],
            "phi fixed 0": mean_brier(limits, PERSISTENCE_GRID=np.array([0.0]))[0],
            "phi fixed 0.98": mean_brier(limits, PERSISTENCE_GRID=np.array([0.98]))[0],
        }
        if limits:
            cells["no published limits"] = mean_brier({})[0]
        rows.append((name, cells))
    columns = [
        "base rate",
        "random walk + drift",
        "chosen model",
        "no winsorising",
        "unguarded trend",
        "phi fixed 0",
        "phi fixed 0.98",
        "no published limits",
    ]
    print("| indicator | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, cells in rows:
        print(
            f"| {name} | "
            + " | ".join(f"{cells[c]:.4f}" if c in cells else "-" for c in columns)
            + " |"
        )


if __name__ == "__main__":
    main()
