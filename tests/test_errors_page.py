"""docs/errors.md: every exception and warning class is described, and its example messages
come from real calls (the page's ``pycon`` blocks run as doctests)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import outcomes
from outcomes import errors

PAGE = Path(__file__).parent.parent / "docs" / "errors.md"


def test_the_examples_run() -> None:
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    test = parser.get_doctest("\n".join(blocks), {}, "errors.md", str(PAGE), 0)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert result.attempted >= 20


def test_every_class_is_on_the_page() -> None:
    text = PAGE.read_text(encoding="utf-8")
    names = [n for n in errors.__all__ if n[0].isupper()] + ["QuantileWarning"]
    for name in names:
        assert f"`{name}`" in text, name
    for name in names[:-1]:
        assert getattr(outcomes, name) is getattr(errors, name)


def test_every_error_raised_is_an_outcomes_error() -> None:
    from outcomes.stats import QuantileWarning

    assert issubclass(QuantileWarning, errors.OutcomesWarning)
    for name in errors.__all__:
        value = getattr(errors, name)
        if (
            isinstance(value, type)
            and issubclass(value, Exception)
            and value.__name__.endswith("Error")
        ):
            assert issubclass(value, errors.OutcomesError)
