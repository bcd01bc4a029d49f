"""Plan assurance: audit published trajectory rows against the rule registry.

Give it a printed row and it finds the rule, the time indexing, the rounding and the plainest
parameters behind it, and flags each cell that does not follow, with the kind of problem
(inconsistent, a likely typo, worse than the baseline, turning back). The fits use the
registry's closed-form inverses and run vectorised over many rows at once.

>>> from outcomes import audit
>>> audit(["75", "76", "77", "78", "79"], baseline=74.2, start="2012/13",
...       periods=["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]).best.describe()
'to_target linear to 79 (plan-year, half_up)'
"""

from outcomes.assurance.core import audit, audit_table
from outcomes.assurance.models import AuditReport, AuditReports, Explanation, Flag, RuleFit
from outcomes.assurance.rows import table_period

__all__ = [
    "AuditReport",
    "AuditReports",
    "Explanation",
    "Flag",
    "RuleFit",
    "audit",
    "audit_table",
    "table_period",
]
