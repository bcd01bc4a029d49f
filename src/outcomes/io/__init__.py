"""Files in and out: Fingertips exports, actuals and baselines tables in; CSV, JSON, Markdown,
plain text and Excel workbooks out.

* :mod:`outcomes.io.fingertips` - :func:`read_fingertips`, columnar, every bad row listed;
* :mod:`outcomes.io.inputs` - :func:`read_actuals`, :func:`read_baselines` (typed tables);
* :mod:`outcomes.io.writers` - :class:`Table` and the writers: atomic, formula-safe, no
  non-finite numbers, rounding half-up at the edge;
* :mod:`outcomes.io.results` - results (targets, scores, provenance) as tables.

Reading accepts UTF-8, UTF-8 with a BOM and Windows-1252 (what Excel writes).
"""

from outcomes._format import format_table
from outcomes._optional import require_pandas
from outcomes.io.fingertips import (
    FINGERTIPS_COLUMNS,
    FingertipsData,
    FingertipsRecord,
    read_fingertips,
)
from outcomes.io.inputs import ActualsTable, BaselinesTable, read_actuals, read_baselines
from outcomes.io.results import provenance_table, scores_tables, targets_tables
from outcomes.io.writers import (
    FORMATS,
    Column,
    Table,
    excel_safe,
    format_for,
    render,
    render_tables,
    to_markdown,
    write_atomic,
    write_csv,
    write_json,
    write_table,
    write_tables,
    write_xlsx,
)

__all__ = [
    "FINGERTIPS_COLUMNS",
    "FORMATS",
    "ActualsTable",
    "BaselinesTable",
    "Column",
    "FingertipsData",
    "FingertipsRecord",
    "Table",
    "excel_safe",
    "format_for",
    "format_table",
    "provenance_table",
    "read_actuals",
    "read_baselines",
    "read_fingertips",
    "render",
    "render_tables",
    "require_pandas",
    "scores_tables",
    "targets_tables",
    "to_markdown",
    "write_atomic",
    "write_csv",
    "write_json",
    "write_table",
    "write_tables",
    "write_xlsx",
]
