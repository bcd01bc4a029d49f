"""The schema of the framework catalogue: typed, frozen models of each kind of edition.

A framework edition is a data file (``catalogue/data/<id>.toml``) validated against one of these
models when it is loaded; inside the library the models are trusted. Every fact carries a
``status`` (confirmed / partly / unconfirmed) and the source keys it rests on; every model exports
a JSON Schema with ``model_json_schema()``. Lookups by code or id use dictionaries built once,
when the edition is loaded.

>>> from outcomes import frameworks
>>> frameworks.load("nhsof-2014-15").indicator("2.3i").polarity
<Polarity.LOWER_IS_BETTER: 'lower'>
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from outcomes._fields import PolarityField
from outcomes._format import key_path, problem_report
from outcomes.errors import FrameworkError, UnknownCodeError
from outcomes.periods import FinancialYear
from outcomes.polarity import Polarity
from outcomes.units import UNITS

__all__ = [
    "Ambition",
    "AmbitionMeasure",
    "AmbitionsFramework",
    "BCFFramework",
    "BCFMetric",
    "BCFPaymentRule",
    "CCGOISMapping",
    "CodeChange",
    "ConstitutionStandard",
    "Domain",
    "EditionDate",
    "Entry",
    "Gateway",
    "Indicator",
    "IndicatorGroup",
    "NHSOutcomesFramework",
    "Parameter",
    "QualityPremiumMeasure",
    "QualityPremiumScheme",
    "Status",
    "SupplementaryMeasure",
    "Wording",
    "framework_error",
]

Status = Literal["confirmed", "partly", "unconfirmed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False
    )


class Parameter(_Frozen):
    """A number from a public source, with its provenance.

    ``status`` is ``confirmed`` (the cited source states it for the year in question),
    ``partly`` (an adjacent edition states it) or ``unconfirmed`` (background knowledge only).
    """

    value: float
    unit: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


def _check_unit(value: str) -> str:
    if value not in UNITS:
        raise ValueError(f"unknown unit {value!r}; known units: {', '.join(sorted(UNITS))}")
    return value


def _check_optional_unit(value: str | None) -> str | None:
    return None if value is None else _check_unit(value)


def _code_key(code: str) -> str:
    """Normalise an indicator code for lookup: '2.3.i', '2.3i' and '2.3 i' are the same."""
    return re.sub(r"[\s.]", "", str(code).lower())


class Domain(_Frozen):
    """An NHS Outcomes Framework domain (1-5)."""

    number: int = Field(ge=1, le=5)
    title: str
    status: Status = "confirmed"
    sources: tuple[str, ...] = ()


class Wording(_Frozen):
    """Another wording of a name, as a named source prints it (e.g. a 2014 local plan)."""

    text: str = Field(min_length=1)
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class CodeChange(_Frozen):
    """What became of a code in a later edition: renamed (one new code), merged into another
    indicator, or retired. ``to`` holds the later code(s); ``edition`` the first edition with
    the change."""

    kind: Literal["renamed", "merged", "retired"]
    to: tuple[str, ...] = ()
    edition: FinancialYear | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _targets(self) -> CodeChange:
        if self.kind == "renamed" and len(self.to) != 1:
            raise ValueError(f"a renamed code has exactly one later code in 'to', got {self.to!r}")
        if self.kind == "merged" and not self.to:
            raise ValueError("a merged code names the later code(s) it went into in 'to'")
        if self.kind == "retired" and self.to:
            raise ValueError(f"a retired code has no later code, got to={self.to!r}")
        return self


class Indicator(_Frozen):
    """An NHSOF indicator, overarching or in an improvement area.

    An indicator that heads a group lists its ``members`` (e.g. 1.4 and its survival items
    1.4.i-1.4.iv); a pure group heading (e.g. 1b, 4a), built from the edition's ``groups``, has
    ``group=True``. ``ccg_ois`` gives the CCG Outcomes Indicator Set codes of its CCG-level
    version (members inherit their group's unless they declare their own); ``change`` records
    what became of the code in later editions (:attr:`renamed_to`).
    """

    code: str = Field(min_length=1)
    name: str
    name_status: Status | None = Field(
        default=None, description="the status of the name when it differs from the indicator's"
    )
    domain: int = Field(ge=1, le=5)
    level: Literal["overarching", "improvement"]
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    polarity: PolarityField
    data_source: str | None = None
    cross_references: tuple[str, ...] = ()
    cross_references_status: Status = "confirmed"
    portal_id: str | None = None
    placeholder: bool = False
    members: tuple[str, ...] = ()
    group: bool = False
    ccg_ois: tuple[str, ...] = ()
    wordings: tuple[Wording, ...] = ()
    change: CodeChange | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def renamed_to(self) -> str | None:
        """The code a later edition gives this indicator, if it was renamed (else ``None``).

        >>> from outcomes import frameworks
        >>> frameworks.load("nhsof-2014-15").indicator("1.6.ii").renamed_to
        '1c'
        """
        if self.change is None or self.change.kind != "renamed":
            return None
        return self.change.to[0]


class IndicatorGroup(_Frozen):
    """A group heading of NHSOF items (e.g. 1b: life expectancy at 75, males and females).

    Its unit and polarity are not stated: they are the members' when the members agree, else
    ``none`` (no judgement). ``name_status`` says whether a source gives the group's name.
    """

    code: str = Field(min_length=1)
    name: str
    name_status: Status
    members: tuple[str, ...] = Field(min_length=2)
    ccg_ois: tuple[str, ...] = ()
    change: CodeChange | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class CCGOISMapping(_Frozen):
    """Where the indicators' ``ccg_ois`` codes come from (the CCG Outcomes Indicator Set)."""

    edition: str
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class Entry(BaseModel):
    """One listable item of an edition (an indicator, ambition, metric, measure, objective...),
    in the same shape for every kind, for listings and lookups across frameworks."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    code: str
    name: str
    unit: str | None = None
    polarity: Polarity | None = None
    status: str = "confirmed"
    detail: str = ""
    fact: BaseModel | None = None


class _Catalogue(_Frozen):
    """Fields every framework file shares."""

    #: what the edition's entries are called in listings ("indicators", "metrics", ...)
    entry_kind: ClassVar[str] = "entries"

    id: str
    title: str
    publisher: str | None = None
    published: str | None = None
    description: str | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    def _cited(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """(location, source keys) of every fact in the file."""
        for name, value in self:
            yield from _walk_sources(name, value)

    @model_validator(mode="after")
    def _sources_are_listed(self) -> _Catalogue:
        missing = [
            f"{where}: source {key!r}"
            for where, keys in self._cited()
            for key in keys
            if key not in self.sources
        ]
        if missing:
            raise ValueError("cites sources missing from [sources]: " + "; ".join(missing))
        return self

    def unconfirmed(self) -> tuple[str, ...]:
        """Locations of every fact whose status is not 'confirmed'."""
        out: list[str] = []
        for name, value in self:
            out.extend(_walk_status(name, value))
        return tuple(out)

    def entries(self) -> tuple[Entry, ...]:
        """The edition's listable items (indicators, ambitions, metrics, measures...)."""
        return ()

    def entry(self, code: str | int) -> Entry:
        """One entry by its code, whatever the kind of edition ('2.3i', '3', 'pyll'...)."""
        key = _code_key(str(code))
        for e in self.entries():
            if _code_key(e.code) == key:
                return e
        raise UnknownCodeError(
            f"{self.entry_kind[:-1] if self.entry_kind.endswith('s') else self.entry_kind} in "
            f"{self.id}",
            code,
            [e.code for e in self.entries()],
        )


def _label(item: object, index: int) -> object:
    """How a list item is named in a location: its code, id, number or event, else its index."""
    for attr in ("code", "id", "number", "event"):
        value = getattr(item, attr, None)
        if value:
            return value
    return index


def _walk_sources(where: str, value: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    if isinstance(value, BaseModel):
        for name, sub in value:
            if name == "sources" or name.endswith("_sources"):
                if isinstance(sub, tuple):
                    yield (where if name == "sources" else f"{where}.{name}"), sub
            else:
                yield from _walk_sources(f"{where}.{name}", sub)
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _walk_sources(f"{where}.{key}", sub)
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            label = _label(sub, i)
            yield from _walk_sources(f"{where}[{label}]", sub)


def _walk_status(where: str, value: object) -> Iterator[str]:
    # a fact's own ``status``, and the status of one of its parts (``weight_status``,
    # ``parts_status``, ``name_status``...): each is listed when it is not 'confirmed'
    if isinstance(value, BaseModel):
        if getattr(value, "status", "confirmed") != "confirmed":
            yield f"{where} ({value.status})"  # type: ignore[attr-defined]
        for name, sub in value:
            if name.endswith("_status") and sub in ("partly", "unconfirmed"):
                yield f"{where}.{name} ({sub})"
            yield from _walk_status(f"{where}.{name}", sub)
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _walk_status(f"{where}.{key}", sub)
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            label = _label(sub, i)
            yield from _walk_status(f"{where}[{label}]", sub)


def _unique(items: tuple[Any, ...], attr: str, what: str, key: Any = str) -> None:
    seen: dict[Any, Any] = {}
    for item in items:
        k = key(getattr(item, attr))
        if k in seen:
            raise ValueError(f"duplicate {what} {getattr(item, attr)!r}")
        seen[k] = item


def _ois_key(code: str) -> str:
    """Normalise a CCG OIS code: 'CCG OIS 1.1', 'OIS 1.1' and '1.1' are the same; dots kept
    (1.1 and 1.10 differ)."""
    text = re.sub(r"\s", "", str(code).lower())
    return re.sub(r"^(ccg)?ois", "", text)


def _agreed(values: set[Any], default: Any) -> Any:
    return next(iter(values)) if len(values) == 1 else default


class NHSOutcomesFramework(_Catalogue):
    """One edition of the NHS Outcomes Framework: domains, indicators and their groups.

    Codes resolve however plans write them (``'2.3.i'``, ``'2.3i'``, ``'2.3 i'``). A group code
    (``'1b'``, ``'4a'``, ``'1.6'``) resolves to its heading, whose ``members`` are the items
    under it; :meth:`members` returns them as indicators.

    >>> from outcomes import frameworks
    >>> nhsof = frameworks.load("nhsof-2014-15")
    >>> nhsof.indicator("2.3i").name
    'Unplanned hospitalisation for chronic ambulatory care sensitive conditions'
    >>> nhsof.indicator("1b").members
    ('1b.i', '1b.ii')
    >>> nhsof.from_ccg_ois("1.1").code
    '1a'
    >>> nhsof.from_later_code("1c").code
    '1.6.ii'
    """

    kind: Literal["nhsof"]
    edition: Annotated[FinancialYear, Field(description="the financial year of the edition")]
    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]
    groups: tuple[IndicatorGroup, ...] = ()
    ccg_ois_mapping: CCGOISMapping | None = None

    @model_validator(mode="before")
    @classmethod
    def _members_inherit_ccg_ois(cls, data: Any) -> Any:
        """A member that does not declare ``ccg_ois`` takes its group's (the data say it once,
        at the head; ``ccg_ois = []`` on a member says it has no CCG-level version)."""
        if not isinstance(data, dict) or not isinstance(data.get("indicators"), list | tuple):
            return data
        heads = [
            h
            for h in (*data["indicators"], *(data.get("groups") or ()))
            if isinstance(h, dict) and h.get("members") and "ccg_ois" in h
        ]
        inherited = {
            _code_key(m): h["ccg_ois"]
            for h in heads
            if isinstance(h["members"], list | tuple)
            for m in h["members"]
        }
        if not inherited:
            return data
        indicators = [
            {**i, "ccg_ois": inherited[_code_key(i["code"])]}
            if isinstance(i, dict)
            and "ccg_ois" not in i
            and _code_key(str(i.get("code", ""))) in inherited
            else i
            for i in data["indicators"]
        ]
        return {**data, "indicators": indicators}

    @model_validator(mode="after")
    def _consistent(self) -> NHSOutcomesFramework:
        _unique(self.domains, "number", "domain number")
        items: tuple[Indicator | IndicatorGroup, ...] = (*self.indicators, *self.groups)
        _unique(items, "code", "indicator or group code", key=_code_key)
        numbers = {d.number for d in self.domains}
        for ind in self.indicators:
            if ind.domain not in numbers:
                raise ValueError(f"indicator {ind.code!r} is in domain {ind.domain}, not listed")
            if ind.group:
                raise ValueError(
                    f"indicator {ind.code!r}: group = true is for headings built from [[groups]]"
                )
        by_code = {_code_key(i.code): i for i in self.indicators}
        parent: dict[str, str] = {}
        for head in items:
            for code in head.members:
                member = by_code.get(_code_key(code))
                if member is None:
                    raise ValueError(f"{head.code!r} lists member {code!r}, not an indicator")
                if member.members:
                    raise ValueError(f"{head.code!r} lists {code!r}, itself a group heading")
                if _code_key(code) in parent:
                    raise ValueError(
                        f"{code!r} is a member of both {parent[_code_key(code)]!r} and "
                        f"{head.code!r}"
                    )
                parent[_code_key(code)] = head.code
            members = [by_code[_code_key(c)] for c in head.members]
            if len({(m.domain, m.level) for m in members}) > 1:
                raise ValueError(f"the members of {head.code!r} are not in one domain and level")
            if (
                isinstance(head, Indicator)
                and members
                and (members[0].domain, members[0].level) != (head.domain, head.level)
            ):
                raise ValueError(f"{head.code!r} and its members differ in domain or level")
        if self.ccg_ois_mapping is None and any(i.ccg_ois for i in items):
            raise ValueError("indicators give ccg_ois codes: say where from in [ccg_ois_mapping]")
        later: dict[str, str] = {}
        for item in items:
            if item.change is not None and item.change.kind == "renamed":
                key = _code_key(item.change.to[0])
                if key in later:
                    raise ValueError(
                        f"{later[key]!r} and {item.code!r} are both renamed to "
                        f"{item.change.to[0]!r}"
                    )
                later[key] = item.code
        return self

    _by_code: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _by_number: dict[int, Domain] = PrivateAttr(default_factory=dict)
    _heads: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _by_ois: dict[str, Indicator] = PrivateAttr(default_factory=dict)
    _by_later: dict[str, Indicator] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_code = {_code_key(i.code): i for i in self.indicators}
        self._by_number = {d.number: d for d in self.domains}
        # runs before the model validators: a group with a missing member is left for
        # _consistent to report
        self._heads = {
            _code_key(g.code): self._head(g)
            for g in self.groups
            if all(_code_key(c) in self._by_code for c in g.members)
        }
        self._by_code.update(self._heads)
        parent = {_code_key(m): h for h in self._by_code.values() if h.members for m in h.members}
        for item in self._by_code.values():
            above = parent.get(_code_key(item.code))
            for ois in item.ccg_ois:
                if above is None or ois not in above.ccg_ois:  # the highest level that has it
                    self._by_ois.setdefault(_ois_key(ois), item)
            if item.renamed_to is not None:
                self._by_later[_code_key(item.renamed_to)] = item

    def _head(self, group: IndicatorGroup) -> Indicator:
        """The heading of a group, as an indicator: the members' unit and polarity when they
        agree, else 'none' (no judgement)."""
        members = [self._by_code[_code_key(c)] for c in group.members]
        units = {m.unit for m in members}
        polarities = {m.polarity for m in members}
        return Indicator(
            code=group.code,
            name=group.name,
            name_status=group.name_status,
            domain=members[0].domain,
            level=members[0].level,
            unit=_agreed(units, "none"),
            polarity=_agreed(polarities, Polarity.NO_JUDGEMENT),
            placeholder=all(m.placeholder for m in members),
            members=group.members,
            group=True,
            ccg_ois=group.ccg_ois,
            change=group.change,
            status=group.status,
            sources=group.sources,
            note=group.note,
        )

    def indicator(self, code: str) -> Indicator:
        """The indicator or group heading with this code.

        ``'2.3.i'``, ``'2.3i'`` and ``'2.3 i'`` all work, and so do the plans' notations
        (``'1.6 i'``, ``'4a iii'``, ``'3.1 v'``).

        >>> from outcomes import frameworks
        >>> frameworks.load("nhsof-2014-15").indicator("4a iii").code
        '4a.iii'
        """
        found = self._by_code.get(_code_key(code))
        if found is None:
            raise UnknownCodeError("NHSOF indicator", code, [i.code for i in self._listed()])
        return found

    def members(self, code: str) -> tuple[Indicator, ...]:
        """The indicators under a group code (empty for an indicator with no members).

        >>> from outcomes import frameworks
        >>> [i.code for i in frameworks.load("nhsof-2014-15").members("1.6")]
        ['1.6.i', '1.6.ii', '1.6.iii']
        """
        return tuple(self._by_code[_code_key(c)] for c in self.indicator(code).members)

    def from_ccg_ois(self, code: str) -> Indicator:
        """The NHSOF indicator or group of a CCG Outcomes Indicator Set code.

        >>> from outcomes import frameworks
        >>> frameworks.load("nhsof-2014-15").from_ccg_ois("3.3").code
        '3.1'
        """
        found = self._by_ois.get(_ois_key(code))
        if found is None:
            raise UnknownCodeError(
                "CCG OIS indicator with an NHSOF counterpart", code, sorted(self._ois_codes())
            )
        return found

    def _ois_codes(self) -> set[str]:
        return {ois for i in self._by_code.values() for ois in i.ccg_ois}

    def from_later_code(self, code: str) -> Indicator:
        """The indicator of this edition that a later edition's code refers to.

        A renamed indicator is found by its new code (1c is 2014/15's 1.6.ii, and a later 1.6.ii
        is 2014/15's 1.6.iii); a code that no later change touches is the same indicator. A code
        whose 2014/15 indicator was renamed, merged or retired raises, saying why.

        >>> from outcomes import frameworks
        >>> nhsof = frameworks.load("nhsof-2014-15")
        >>> nhsof.from_later_code("1.5.i").code, nhsof.from_later_code("1.1").code
        ('1.5', '1.1')
        """
        renamed = self._by_later.get(_code_key(code))
        if renamed is not None:
            return renamed
        found = self._by_code.get(_code_key(code))
        if found is not None and found.change is None:
            return found
        if found is not None and found.change is not None:
            error = UnknownCodeError("later NHSOF code", code, ())
            error.message = (
                f"later NHSOF code {code!r} is not {self.edition}'s {found.code}: that "
                f"{_describe_change(found.change)}"
            )
            raise error
        known = [i.code for i in self._listed() if i.change is None]
        known += [i.renamed_to for i in self._by_later.values() if i.renamed_to]
        raise UnknownCodeError("later NHSOF code", code, known)

    def domain(self, number: int) -> Domain:
        """Domain 1-5."""
        found = self._by_number.get(number) if isinstance(number, int) else None
        if found is None:
            raise UnknownCodeError("NHSOF domain", number, [str(d.number) for d in self.domains])
        return found

    entry_kind: ClassVar[str] = "indicators"

    def _listed(self) -> tuple[Indicator, ...]:
        """Indicators and group headings in catalogue order (a heading before its members)."""
        out: list[Indicator] = []
        first_member = {
            _code_key(g.members[0]): self._heads[_code_key(g.code)] for g in self.groups
        }
        for ind in self.indicators:
            head = first_member.get(_code_key(ind.code))
            if head is not None:
                out.append(head)
            out.append(ind)
        return tuple(out)

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=i.code,
                name=i.name,
                unit=i.unit,
                polarity=i.polarity,
                status=i.status,
                detail=_indicator_detail(i),
                fact=i,
            )
            for i in self._listed()
        )

    def indicators_in(self, domain: int) -> tuple[Indicator, ...]:
        """The indicators of one domain, in catalogue order (group headings not included)."""
        self.domain(domain)
        return tuple(i for i in self.indicators if i.domain == domain)


def _indicator_detail(i: Indicator) -> str:
    parts = [f"domain {i.domain}, {i.level}"]
    if i.placeholder:
        parts.append("placeholder")
    if i.members:
        parts.append(("group of " if i.group else "with ") + ", ".join(i.members))
    if i.name_status not in (None, "confirmed"):
        parts.append(f"name {i.name_status}")
    if i.ccg_ois:
        parts.append("CCG OIS " + ", ".join(i.ccg_ois))
    if i.change is not None:
        parts.append(f"{_describe_change(i.change)} ({i.change.status})")
    return "; ".join(parts)


def _describe_change(change: CodeChange) -> str:
    """'was renamed 1c in 2015/16', 'was merged into 5.6 in 2015/16', 'was retired in 2015/16'."""
    went = {"renamed": " ", "merged": " into ", "retired": ""}[change.kind] + ", ".join(change.to)
    when = f" in {change.edition}" if change.edition else ""
    return f"was {change.kind}{went}{when}"


class AmbitionMeasure(_Frozen):
    """The measure by which an ambition is tracked: one indicator, or a composite of several."""

    name: str
    indicators: tuple[str, ...] = ()
    composite: bool = False
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    national_unit: Annotated[
        str | None, PlainValidator(_check_optional_unit), WithJsonSchema({"type": "string"})
    ] = Field(
        default=None, description="the national indicator's unit, when the CCG measure's differs"
    )
    polarity: PolarityField
    data_source: str | None = None
    level: Literal["ccg", "council", "national-only", "none"] = "ccg"
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _composite_has_parts(self) -> AmbitionMeasure:
        if self.composite and len(self.indicators) < 2:
            raise ValueError("a composite measure needs two or more indicators")
        return self


class SupplementaryMeasure(_Frozen):
    """A supplementary ('support') measure attached to the ambitions."""

    id: str
    name: str
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    polarity: PolarityField
    target: Parameter | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class Ambition(_Frozen):
    """One of the seven outcome ambitions of *Everyone Counts* 2014/15-2018/19."""

    number: int = Field(ge=1, le=7)
    title: str = Field(description="the ambition's wording in Everyone Counts")
    short_title: str | None = Field(default=None, description="a condensed title")
    wording: str | None = None
    domains: tuple[int, ...]
    measure: AmbitionMeasure
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def polarity(self) -> Polarity:
        """The measure's polarity (never taken from the ambition's wording)."""
        return self.measure.polarity


class AmbitionsFramework(_Catalogue):
    """The seven outcome ambitions, mapped to NHSOF domains and measures.

    >>> from outcomes import frameworks
    >>> amb = frameworks.load("ambitions-2014-19")
    >>> amb.ambition(3).measure.indicators
    ('2.3.i', '2.3.ii', '3a', '3.2')
    """

    kind: Literal["ambitions"]
    outcomes_framework: str
    first_year: FinancialYear
    last_year: FinancialYear
    ambitions: tuple[Ambition, ...]
    supplementary: tuple[SupplementaryMeasure, ...] = ()
    expectations: dict[str, Parameter] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> AmbitionsFramework:
        _unique(self.ambitions, "number", "ambition number")
        _unique(self.supplementary, "id", "supplementary measure id")
        return self

    _by_number: dict[int, Ambition] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_number = {a.number: a for a in self.ambitions}

    def ambition(self, number: int) -> Ambition:
        """Ambition 1-7."""
        found = self._by_number.get(number) if isinstance(number, int) else None
        if found is None:
            raise UnknownCodeError("ambition", number, [str(a.number) for a in self.ambitions])
        return found

    entry_kind: ClassVar[str] = "ambitions"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=str(a.number),
                name=a.title,
                unit=a.measure.unit,
                polarity=a.polarity,
                status=a.status,
                detail=" + ".join(a.measure.indicators) or "no CCG-level measure",
                fact=a,
            )
            for a in self.ambitions
        )

    @property
    def periods(self) -> tuple[FinancialYear, ...]:
        """The plan years, first to last."""
        return tuple(FinancialYear(y) for y in range(self.first_year.year, self.last_year.year + 1))


class BCFMetric(_Frozen):
    """A Better Care Fund metric (national, or the local slot)."""

    id: str
    number: int | None = None
    name: str
    definition: str
    unit: Annotated[str, PlainValidator(_check_unit), WithJsonSchema({"type": "string"})]
    denominator: str | None = None
    unit_status: Status | None = Field(
        default=None, description="the status of the unit when it differs from the metric's"
    )
    denominator_status: Status | None = Field(
        default=None, description="the status of the denominator when it differs from the metric's"
    )
    averaging: str | None = Field(
        default=None, description="how the figure is averaged over time, e.g. 'monthly average'"
    )
    averaging_status: Status | None = None
    polarity: PolarityField
    data_source: str | None = None
    cross_references: tuple[str, ...] = ()
    local: bool = False
    pay_for_performance: bool = False
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class BCFPaymentRule(_Frozen):
    """Parameters of the BCF pay-for-performance rule (after the July 2014 revision)."""

    description: str
    metric: str
    minimum_reduction: Parameter
    cost_per_admission: Parameter
    national_pot: Parameter | None = None
    payment_frequency: Literal["quarterly", "annual"] = "quarterly"
    frequency_status: Status = "unconfirmed"
    unearned: str
    status: Status
    sources: tuple[str, ...] = ()


class EditionDate(_Frozen):
    """A dated event of an edition: when it was published, revised, took effect or was replaced.

    ``date`` is as precise as the source: ``'2014-07'``, ``'2014-08-18'`` or a financial year.
    """

    event: Literal["published", "revised", "effective", "superseded"]
    date: str = Field(min_length=4)
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None


class BCFFramework(_Catalogue):
    """Better Care Fund metrics and its pay-for-performance rule.

    >>> from outcomes import frameworks
    >>> bcf = frameworks.load("bcf-2015-16")
    >>> bcf.metric("non-elective-admissions").polarity
    <Polarity.LOWER_IS_BETTER: 'lower'>
    """

    kind: Literal["bcf"]
    year: FinancialYear
    metrics: tuple[BCFMetric, ...]
    payment: BCFPaymentRule | None = None
    fund: dict[str, Parameter] = Field(default_factory=dict)
    dates: tuple[EditionDate, ...] = ()
    superseded_by: str | None = Field(
        default=None, description="the id of the edition that replaced this metric set"
    )

    def date(self, event: str) -> EditionDate | None:
        """The edition's date for an event ('published', 'revised', 'effective', 'superseded'),
        or ``None`` when the data give none.

        >>> from outcomes import frameworks
        >>> frameworks.load("bcf-2014-15-initial").date("superseded").date
        '2014-07'
        """
        return next((d for d in self.dates if d.event == event), None)

    @model_validator(mode="after")
    def _consistent(self) -> BCFFramework:
        _unique(self.metrics, "id", "metric id")
        if self.payment is not None and self.payment.metric not in {m.id for m in self.metrics}:
            raise ValueError(f"payment.metric {self.payment.metric!r} is not a listed metric")
        return self

    _by_id: dict[str, BCFMetric] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_id = {m.id: m for m in self.metrics}

    entry_kind: ClassVar[str] = "metrics"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=m.id,
                name=m.name,
                unit=None if m.local else m.unit,
                polarity=None if m.local else m.polarity,
                status=m.status,
                detail="local metric (unit and polarity set by the plan)"
                if m.local
                else m.definition,
                fact=m,
            )
            for m in self.metrics
        )

    def metric(self, metric_id: str) -> BCFMetric:
        """The metric with this id."""
        found = self._by_id.get(metric_id)
        if found is None:
            raise UnknownCodeError("BCF metric", metric_id, [m.id for m in self.metrics])
        return found


class QualityPremiumMeasure(_Frozen):
    """One measure of a quality premium scheme, with its share of the premium."""

    id: str
    name: str
    weight: float = Field(gt=0, le=1)
    weight_status: Status
    rule: str
    threshold: Parameter | None = None
    parts: dict[str, float] = Field(default_factory=dict)
    parts_status: Status | None = Field(
        default=None, description="how sure the split into parts is ('unconfirmed' if not given)"
    )
    parts_sources: tuple[str, ...] = ()
    ambition: int | None = None
    indicator: str | None = None
    status: Status
    sources: tuple[str, ...] = ()
    note: str | None = None

    @field_validator("parts")
    @classmethod
    def _parts_sum(cls, parts: dict[str, float]) -> dict[str, float]:
        if parts and abs(sum(parts.values()) - 1.0) > 1e-9:
            raise ValueError(f"parts must sum to 1, got {sum(parts.values())!r}")
        return parts

    @model_validator(mode="before")
    @classmethod
    def _split_has_a_status(cls, data: Any) -> Any:
        # a split with no stated status is not confirmed: say so rather than trust it
        if isinstance(data, dict) and data.get("parts") and data.get("parts_status") is None:
            return {**data, "parts_status": "unconfirmed"}
        return data

    @model_validator(mode="after")
    def _status_needs_parts(self) -> QualityPremiumMeasure:
        if not self.parts and (self.parts_status is not None or self.parts_sources):
            raise ValueError("parts_status/parts_sources given, but the measure has no parts")
        return self


class ConstitutionStandard(_Frozen):
    """An NHS Constitution right or pledge whose miss reduces the premium."""

    id: str
    name: str
    threshold: Parameter | None = None
    status: Status
    sources: tuple[str, ...] = ()


class Gateway(_Frozen):
    """A condition that must hold for any premium to be paid."""

    id: str
    description: str
    status: Status
    sources: tuple[str, ...] = ()


class QualityPremiumScheme(_Catalogue):
    """A Quality Premium scheme: measures with weights, reductions, gateways, value per head.

    >>> from outcomes import frameworks
    >>> qp = frameworks.load("quality-premium-2014-15")
    >>> [(m.id, m.weight) for m in qp.measures][:2]
    [('pyll', 0.15), ('iapt', 0.15)]
    """

    kind: Literal["quality-premium"]
    performance_year: FinancialYear
    paid_in: FinancialYear
    value_per_head: Parameter
    measures: tuple[QualityPremiumMeasure, ...]
    constitution_standards: tuple[ConstitutionStandard, ...] = ()
    constitution_reduction: Parameter
    gateways: tuple[Gateway, ...] = ()
    national_pot: Parameter | None = None
    national_paid: Parameter | None = None

    @model_validator(mode="after")
    def _consistent(self) -> QualityPremiumScheme:
        _unique(self.measures, "id", "measure id")
        _unique(self.constitution_standards, "id", "constitution standard id")
        _unique(self.gateways, "id", "gateway id")
        total = sum(m.weight for m in self.measures)
        if abs(total - 1.0) > 1e-9:
            weights = ", ".join(f"{m.id}={m.weight:g}" for m in self.measures)
            raise ValueError(f"measure weights must sum to 100%, got {total:.6%} ({weights})")
        return self

    _measures: dict[str, QualityPremiumMeasure] = PrivateAttr(default_factory=dict)
    _standards: dict[str, ConstitutionStandard] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._measures = {m.id: m for m in self.measures}
        self._standards = {s.id: s for s in self.constitution_standards}

    entry_kind: ClassVar[str] = "measures"

    def entries(self) -> tuple[Entry, ...]:
        return tuple(
            Entry(
                code=m.id,
                name=m.name,
                status=m.weight_status if m.status == "confirmed" else m.status,
                detail=f"weight {m.weight:.0%}; {m.rule}",
                fact=m,
            )
            for m in self.measures
        )

    def measure(self, measure_id: str) -> QualityPremiumMeasure:
        """The measure with this id."""
        found = self._measures.get(measure_id)
        if found is None:
            raise UnknownCodeError(
                "quality premium measure", measure_id, [m.id for m in self.measures]
            )
        return found

    def standard(self, standard_id: str) -> ConstitutionStandard:
        """The NHS Constitution standard with this id."""
        found = self._standards.get(standard_id)
        if found is None:
            raise UnknownCodeError(
                "NHS Constitution standard",
                standard_id,
                [s.id for s in self.constitution_standards],
            )
        return found


def framework_error(path: str, errors: list[dict[str, Any]], raw: Any) -> FrameworkError:
    """Format every pydantic error of a framework file with its location."""
    problems = []
    for err in errors:
        parts = list(err["loc"])
        if parts and isinstance(raw, dict) and parts[0] == raw.get("kind"):
            parts = parts[1:]  # the discriminator tag is not a key of the file
        where = key_path(parts, raw)
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
        problems.append(f"{path}: {where}: {err['msg']}{shown}")
    return FrameworkError(problem_report(path, problems), tuple(problems))
