"""``python -m outcomes``: the same as the ``outcomes`` command."""

import sys

from outcomes.cli import main

sys.exit(main())
