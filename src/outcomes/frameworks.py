"""The documented path to the framework catalogue: ``outcomes.frameworks.load(id)``.

The catalogue itself (its models, data files and loading) is :mod:`outcomes.catalogue`; this
module keeps the short, documented names.

>>> from outcomes import frameworks
>>> frameworks.load("nhsof-2014-15").indicator("1.1").unit
'per_100000'
"""

from outcomes.catalogue import available, load, load_file, parse

__all__ = ["available", "load", "load_file", "parse"]
