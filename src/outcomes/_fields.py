"""Pydantic field types shared by the result models: numpy arrays, text arrays, polarity.

Arrays are validated as float (or text) numpy arrays and written to JSON as nested lists, so a
result round-trips exactly through ``model_dump_json`` / ``model_validate_json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import BaseModel, PlainSerializer, PlainValidator, WithJsonSchema

from outcomes._arrays import FloatArray
from outcomes.polarity import Polarity

__all__ = ["ArrayField", "PolarityField", "TextArray", "same_fields"]


def _polarity(value: object) -> Polarity:
    return Polarity.parse(value)


def _polarity_text(value: Polarity) -> str:
    return Polarity.parse(value).value


PolarityField = Annotated[
    Polarity,
    PlainValidator(_polarity),
    PlainSerializer(_polarity_text),
    WithJsonSchema({"type": "string", "enum": [p.value for p in Polarity]}),
]


def _to_array(value: Any) -> FloatArray:
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        return value
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"expected numbers, got {value!r}") from None


def _to_text_array(value: Any) -> Any:
    return np.asarray(value, dtype=str)


def _array_to_json(value: Any) -> Any:
    return value.tolist()


def _array_field(validate: Any, json_type: str) -> Any:
    """A numpy array field: validated by ``validate``, written to JSON as nested lists."""
    return Annotated[
        np.ndarray,
        PlainValidator(validate),
        PlainSerializer(_array_to_json, when_used="json"),
        WithJsonSchema(
            {"type": [json_type, "array"], "description": f"{json_type} or nested arrays"}
        ),
    ]


if TYPE_CHECKING:  # type checkers see plain arrays; pydantic sees the validators
    ArrayField = np.ndarray
    TextArray = np.ndarray
else:
    ArrayField = _array_field(_to_array, "number")
    TextArray = _array_field(_to_text_array, "string")


def same_fields(a: BaseModel, b: BaseModel) -> bool:
    """Field-by-field equality of two models of one type; arrays compare by value (NaN == NaN)."""
    for name in type(a).model_fields:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if x is None or y is None:
                return False
            if not np.array_equal(x, y, equal_nan=np.asarray(x).dtype.kind == "f"):
                return False
        elif x != y:
            return False
    return True
