"""Compatibility module: the names that lived in ``outcomes.models`` before the catalogue and the
trajectory model got modules of their own. New code imports from :mod:`outcomes.catalogue`,
:mod:`outcomes.trajectory` and :mod:`outcomes.polarity`.

>>> from outcomes.models import Polarity, Trajectory
>>> Polarity.parse("low")
<Polarity.LOWER_IS_BETTER: 'lower'>
"""

from outcomes.catalogue.models import (
    Ambition,
    AmbitionMeasure,
    AmbitionsFramework,
    BCFFramework,
    BCFMetric,
    BCFPaymentRule,
    ConstitutionStandard,
    Domain,
    Gateway,
    Indicator,
    NHSOutcomesFramework,
    Parameter,
    QualityPremiumMeasure,
    QualityPremiumScheme,
    SupplementaryMeasure,
)
from outcomes.polarity import Polarity
from outcomes.trajectory import Change, Rule, Trajectory

__all__ = [
    "Ambition",
    "AmbitionMeasure",
    "AmbitionsFramework",
    "BCFFramework",
    "BCFMetric",
    "BCFPaymentRule",
    "Change",
    "ConstitutionStandard",
    "Domain",
    "Gateway",
    "Indicator",
    "NHSOutcomesFramework",
    "Parameter",
    "Polarity",
    "QualityPremiumMeasure",
    "QualityPremiumScheme",
    "Rule",
    "SupplementaryMeasure",
    "Trajectory",
]
