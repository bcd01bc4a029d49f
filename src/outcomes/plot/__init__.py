"""Charts a public-health analyst would publish (the ``plot`` extra: matplotlib).

Every chart has human axis labels from the unit table, an honest time axis (periods placed at
their midpoints, so 2012 and 2014/15 sit 2.25 years apart), colours that survive grey-scale
printing (colour *and* shape, Okabe-Ito palette) and a legend in words. Figures are plain
matplotlib ``Figure`` objects: show them in a notebook, or save them with :func:`save_figure`
(PNG, PDF, or SVG whose text stays text).

* :func:`plot_trajectory`, :func:`plot_plan` - targets, actuals with their intervals and RAG
  ratings, peers' quantile bounds, the national value; one panel per organisation.
* :func:`plot_funnel`, :func:`plot_trend`, :func:`plot_area_profile` - funnel plot with 95%
  and 99.8% limits; a recent trend with significance against the benchmark; an area profile's
  funnel around England.
* :func:`plot_changes`, :func:`plot_fan` - the record of peers' changes with the plan's change
  marked; a fan of the forecast with the target.
"""

from outcomes.plot._base import CHART_FORMATS, chart_format, figure_svg, save_figure
from outcomes.plot.benchmark import (
    FUNNEL_STYLE,
    SIGNIFICANCE_STYLE,
    plot_area_profile,
    plot_funnel,
    plot_trend,
)
from outcomes.plot.plans import (
    MAX_PANELS,
    RAG_STYLES,
    RagStyle,
    axis_label,
    midpoint_year,
    plot_plan,
    plot_trajectory,
)
from outcomes.plot.realism import plot_changes, plot_fan

__all__ = [
    "CHART_FORMATS",
    "FUNNEL_STYLE",
    "MAX_PANELS",
    "RAG_STYLES",
    "SIGNIFICANCE_STYLE",
    "RagStyle",
    "axis_label",
    "chart_format",
    "figure_svg",
    "midpoint_year",
    "plot_area_profile",
    "plot_changes",
    "plot_fan",
    "plot_funnel",
    "plot_plan",
    "plot_trajectory",
    "plot_trend",
    "save_figure",
]
