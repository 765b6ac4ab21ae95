"""Checking every row before anything is written (ledger.md, “Rules”), pure: the database facts come in a Context.

A good row becomes a `Row` of typed values; a bad one adds LedgerErrors naming its row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from disputes import identity
from disputes.i18n import N_
from disputes.ledger.columns import (
    CATEGORIES,
    CLAIM_LISTS,
    DATES,
    ENUMS,
    ITEM_RULINGS,
    LIST_SEPARATOR,
    MAX_EXTENSION_DAYS,
    ORDER,
    PAIRS,
    STARTS,
    TRACK_COLUMNS,
)
from disputes.ledger.errors import ErrorLog, LedgerError
from disputes.ledger.parse import MAX_CELL
from disputes.models.base import MAX_MONEY

# Employers recur across a ledger's rows: their codes are checked once per import run (the functions are pure).
valid_credit_code = lru_cache(maxsize=65536)(identity.is_valid_credit_code)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
AWARDS = ("award_final", "award_nonfinal", "award_mixed")
LENGTHS = {"registry_no": 64, "applicant_name": 120, "respondent_name": 120, "litigation_case_no": 64}


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    kind: str
    path: str
    parent_id: int | None
    active: bool = True


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    unit_id: int
    roles: frozenset[str]


@dataclass
class Context:
    units: dict[str, UnitInfo]
    users: dict[str, UserInfo]
    existing: dict[str, int]  # registry_no → case id, for the numbers in the file that are already in the database
    today: date
    update: bool = False
    allowed_unit_ids: set[int] | None = None  # units the importing user may register cases in (None: any)
    existing_units: dict[int, UnitInfo] = field(default_factory=dict)  # case id → the unit holding it now
    editable: set[int] | None = None  # ids of the existing cases the importing user may edit (None: any)
    masked_ids: dict[str, str] = field(default_factory=dict)  # registry_no → the applicant's ID number on record
    minimum_wage: Callable[[int, date], Decimal | None] = lambda unit_id, on: None


@dataclass
class Row:
    number: int
    values: dict  # column → typed value (date, int, Decimal, list, str) or None
    unit: UnitInfo
    case_id: int | None = None  # set when --update replaces an existing case
    mediator: UserInfo | None = None
    arbitrator: UserInfo | None = None
    approver_id: int | None = None  # who approved the closure and issued the award: the arbitrator, else unknown
    minimum_wage: Decimal | None = None
    raw: dict = field(default_factory=dict)

    def __getitem__(self, column: str):
        return self.values.get(column)


class _Checker:
    def __init__(self, number: int, cells: dict, ctx: Context, errors: list[LedgerError]):
        self.number, self.cells, self.ctx, self.errors = number, cells, ctx, errors
        self.values: dict = {}
        self.bad: set[str] = set()
        self.long: set[str] = set()  # cells over MAX_CELL characters: reported once, then read as empty
        self.failed = False

    def error(self, column: str | None, message: str, **params) -> None:
        self.errors.append(LedgerError(self.number, column, message, params))
        self.failed = True
        if column:
            self.bad.add(column)

    def text(self, column: str) -> str:
        return "" if column in self.long else self.cells.get(column, "")

    def parse(self) -> None:
        if self.cells.get("__extra__"):
            self.error(None, N_("the row has more cells than the header has columns"))
        for column, value in self.cells.items():
            if len(value) > MAX_CELL:
                self.error(column, N_("longer than %(limit)s characters"), limit=f"{MAX_CELL:,}")
                self.long.add(column)
        for column in (
            "registry_no",
            "unit_code",
            "registered_on",
            "applicant_name",
            "respondent_name",
            "claim_categories",
        ):
            if not self.text(column) and column not in self.long:
                self.error(column, N_("required"))
        for column, limit in LENGTHS.items():
            if len(self.text(column)) > limit:
                self.error(column, N_("longer than %(limit)s characters"), limit=limit)
        for column in DATES:
            self.values[column] = self._date(column)
        for column, allowed in ENUMS.items():
            value = self.text(column)
            if value and value not in allowed:
                self.error(column, N_("“%(value)s” is not one of %(allowed)s"), value=value, allowed=", ".join(allowed))
            self.values[column] = value if value in allowed else None
        self.values["litigation_case_no"] = self.text("litigation_case_no").strip() or None
        self.values["workers"] = self._int("workers", minimum=1, default=1)
        self.values["suspended_days"] = self._int("suspended_days", minimum=0)
        extension = self._int("extension_days", minimum=0)
        if extension is not None and extension > MAX_EXTENSION_DAYS:
            self.error("extension_days", N_("more than %(limit)s days"), limit=MAX_EXTENSION_DAYS)
        self.values["extension_days"] = extension
        self.values["claim_amount"] = self._amount("claim_amount")
        self.values["migrant_wage"] = self._flag("migrant_wage")
        self.values["claim_categories"] = self._categories()
        for column in ("resolved_amount", "recovered_amount"):
            self.values[column] = self._amount(column)
        for column, allowed in CLAIM_LISTS.items():
            self.values[column] = self._claim_list(column, allowed)
        self.values["litigation_item_results"] = self._item_results()
        for column in ("registry_no", "applicant_name", "respondent_name"):
            self.values[column] = self.text(column)
        self.values["applicant_id_no"] = self._applicant_id()
        self.values["respondent_credit_code"] = self._identity(
            "respondent_credit_code", valid_credit_code, N_("not a valid unified social credit code (check digit)")
        )

    def _date(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            if not ISO_DATE.match(value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            self.error(column, N_("“%(value)s” is not a date (YYYY-MM-DD)"), value=value)
            return None
        if day > self.ctx.today:
            self.error(column, N_("in the future"))
        return day

    def _int(self, column: str, minimum: int, default: int | None = None) -> int | None:
        value = self.text(column)
        if not value:
            return default
        if not (value.isascii() and value.isdigit()) or int(value) < minimum:
            self.error(
                column, N_("“%(value)s” is not a whole number of at least %(minimum)s"), value=value, minimum=minimum
            )
            return default
        return int(value)

    def _amount(self, column: str) -> Decimal | None:
        value = self.text(column).replace(",", "")
        if not value:
            return None
        if not AMOUNT.match(value):
            self.error(column, N_("“%(value)s” is not an amount in yuan (up to 2 decimals)"), value=value)
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern already excludes it
            return None
        if amount > MAX_MONEY:
            self.error(column, N_("more than %(limit)s yuan"), limit=f"{MAX_MONEY:,}")
            return None
        return amount

    def _flag(self, column: str) -> bool:
        value = self.text(column)
        if value not in ("", "0", "1"):
            self.error(column, N_("must be 1, 0 or empty"))
        return value == "1"

    def _categories(self) -> list[str]:
        names = [n.strip() for n in self.text("claim_categories").split(LIST_SEPARATOR) if n.strip()]
        unknown = [n for n in names if n not in CATEGORIES]
        if unknown:
            self.error("claim_categories", N_("unknown claim category: %(names)s"), names=", ".join(unknown))
        return list(dict.fromkeys(n for n in names if n in CATEGORIES))

    def _claim_list(self, column: str, allowed: tuple[str, ...]) -> list[str | None]:
        """One value per claim category, in its order (an empty item: not recorded); empty: none recorded."""
        raw = self.text(column)
        if not raw:
            return []
        names = [n.strip() or None for n in raw.split(LIST_SEPARATOR)]
        unknown = [n for n in names if n is not None and n not in allowed]
        if unknown:
            allowed_text = ", ".join(allowed)
            self.error(column, N_("“%(value)s” is not one of %(allowed)s"), value=unknown[0], allowed=allowed_text)
            return []
        if len(names) != len(self.values["claim_categories"]):
            self.error(column, N_("give one value per claim category"))
            return []
        return names

    def _item_results(self) -> list[str]:
        """The court's result for every claim item, in the order of claim_categories (the officer's form wants one
        for every item too: workflow.litigation.record_item_results); empty: none recorded."""
        column = "litigation_item_results"
        raw = self.text(column)
        if not raw:
            return []
        names = [n.strip() for n in raw.split(LIST_SEPARATOR)]
        unknown = [n for n in names if n and n not in ITEM_RULINGS]
        if unknown:
            allowed = ", ".join(ITEM_RULINGS)
            self.error(column, N_("“%(value)s” is not one of %(allowed)s"), value=unknown[0], allowed=allowed)
            return []
        if len(names) != len(self.values["claim_categories"]) or not all(names):
            self.error(column, N_("give the court's result for every claim category, in their order"))
            return []
        return names

    def _applicant_id(self) -> str | None:
        """A masked number (as exports write them) stands for the number on record of the case it updates."""
        value = identity.normalise(self.text("applicant_id_no"))
        if value and identity.is_masked_resident_id(value):
            on_record = self.ctx.masked_ids.get(self.text("registry_no")) if self.ctx.update else None
            if on_record and identity.mask_resident_id(on_record) == value:
                return on_record
            self.error(
                "applicant_id_no",
                N_(
                    "a masked ID number only stands for the number already on record of "
                    "the case it updates: give the full number or leave the cell empty"
                ),
            )
            return None
        return self._identity(
            "applicant_id_no", identity.is_valid_resident_id, N_("not a valid resident ID number (check digit)")
        )

    def _identity(self, column: str, valid, message: str) -> str | None:
        value = identity.normalise(self.text(column))
        if value and not valid(value):
            self.error(column, message)
            return None
        return value or None

    def relations(self) -> None:
        v = self.values
        for earlier, later in ORDER:
            if v[earlier] and v[later] and v[later] < v[earlier]:
                self.error(later, N_("before %(other)s"), other=earlier)
        for track, start in STARTS.items():
            for column in TRACK_COLUMNS[track]:
                if self.text(column) and not v[start] and start not in self.bad:
                    self.error(column, N_("needs %(other)s"), other=start)
        for day, value in PAIRS:
            if v[day] and not v[value] and value not in self.bad:
                self.error(value, N_("needed when %(other)s is given"), other=day)
            if v[value] and not v[day] and day not in self.bad:
                self.error(day, N_("needed when %(other)s is given"), other=value)
        if v["mediation_received_on"] and v["arbitration_received_on"]:
            if not v["mediation_ended_on"]:
                self.error("arbitration_received_on", N_("the mediation must end first (mediation_ended_on)"))
            elif v["arbitration_received_on"] < v["mediation_ended_on"]:
                self.error("arbitration_received_on", N_("before %(other)s"), other="mediation_ended_on")
        self._arbitration()
        self._litigation()

    def _arbitration(self) -> None:
        v = self.values
        closure, accepted = v["arbitration_closure"], v["arbitration_accepted_on"]
        if closure == "refused" and accepted:
            self.error("arbitration_accepted_on", N_("a refused application was never accepted"))
        if closure and closure not in ("refused", "deemed_withdrawn") and not accepted and v["arbitration_received_on"]:
            self.error("arbitration_closure", N_("needs %(other)s"), other="arbitration_accepted_on")
        for column in ("suspended_days", "extension_days"):
            if v[column] and not accepted and column not in self.bad and v["arbitration_received_on"]:
                self.error(column, N_("needs %(other)s"), other="arbitration_accepted_on")
        if v["suspended_days"] and accepted:
            end = v["arbitration_closed_on"] or self.ctx.today
            if v["suspended_days"] > (end - accepted).days:
                self.error(
                    "suspended_days", N_("longer than the time between acceptance and %(end)s"), end=end.isoformat()
                )

    def _litigation(self) -> None:
        v = self.values
        if not v["litigation_filed_on"]:
            return
        closure = v["arbitration_closure"]
        if not closure or not v["arbitration_closed_on"]:
            self.error("litigation_filed_on", N_("a lawsuit needs the arbitration closed or refused first"))
        elif v["litigation_filed_on"] < v["arbitration_closed_on"]:
            self.error("litigation_filed_on", N_("before %(other)s"), other="arbitration_closed_on")
        if not v["litigation_by"] and "litigation_by" not in self.bad:
            self.error("litigation_by", N_("needed when %(other)s is given"), other="litigation_filed_on")
        outcome = v["litigation_outcome"]
        for column in ("litigation_judged_on", "litigation_item_results"):
            if v[column] and not v["litigation_closed_on"] and "litigation_closed_on" not in self.bad:
                self.error("litigation_closed_on", N_("needed when %(other)s is given"), other=column)
        if outcome and v["litigation_closed_on"] is None and "litigation_closed_on" not in self.bad:
            self.error("litigation_closed_on", N_("needed when %(other)s is given"), other="litigation_outcome")
        if v["litigation_closed_on"] and not outcome and "litigation_outcome" not in self.bad:
            self.error("litigation_outcome", N_("needed when %(other)s is given"), other="litigation_closed_on")
        if outcome in ("revoked", "upheld"):
            if v["litigation_by"] != "employer":
                self.error("litigation_by", N_("only the employer applies to revoke an award"))
            if closure not in ("award_final", "award_mixed"):
                self.error("litigation_outcome", N_("only a final award can be revoked"))
        elif outcome and v["litigation_by"] == "employer" and closure == "award_final":
            self.error(
                "litigation_outcome", N_("an employer cannot sue against a final award, only apply to revoke it")
            )

    def people(self) -> tuple[UnitInfo | None, UserInfo | None, UserInfo | None]:
        ctx = self.ctx
        unit = ctx.units.get(self.text("unit_code"))
        if self.text("unit_code") and unit is None:
            self.error("unit_code", N_("unknown unit “%(code)s”"), code=self.text("unit_code"))
        elif unit is not None and not unit.active:
            self.error("unit_code", N_("the unit “%(code)s” is inactive"), code=unit.code)
        elif unit is not None and ctx.allowed_unit_ids is not None and unit.id not in ctx.allowed_unit_ids:
            self.error("unit_code", N_("you may not register cases in “%(code)s”"), code=unit.code)
        found = []
        for column, role in (("mediator", "mediator"), ("arbitrator", "arbitrator")):
            name = self.text(column)
            user = ctx.users.get(name) if name else None
            if name and user is None:
                self.error(column, N_("unknown user “%(username)s”"), username=name)
            elif user is not None and role not in user.roles and "supervisor" not in user.roles:
                self.error(column, N_("“%(username)s” is not a %(role)s"), username=name, role=role)
                user = None
            found.append(user)
        mediator, arbitrator = found
        return unit, mediator, arbitrator


def _may_replace(check: _Checker, ctx: Context, case_id: int, registry_no: str) -> None:
    """An update replaces only a case the importer may edit, held by a unit the importer holds (policy.py)."""
    if ctx.editable is not None and case_id not in ctx.editable:
        check.error("registry_no", N_("you may not change the case “%(value)s”"), value=registry_no)
        return
    held_by = ctx.existing_units.get(case_id)
    if ctx.allowed_unit_ids is not None and held_by is not None and held_by.id not in ctx.allowed_unit_ids:
        check.error(
            "unit_code",
            N_(
                "the case “%(value)s” is held by “%(code)s”, a unit you do not hold: you may not "
                "replace it or move it out of that unit"
            ),
            value=registry_no,
            code=held_by.code,
        )


def validate(
    sheet_rows: list[tuple[int, dict]],
    ctx: Context,
    on_row: Callable[[int], None] | None = None,
) -> tuple[list[Row], ErrorLog]:
    """Every row checked; the good ones typed. The caller writes nothing when the error log is not empty
    (it keeps the first MAX_ERRORS errors and the total)."""
    errors = ErrorLog()
    rows: list[Row] = []
    first_seen: dict[str, int] = {}
    for index, (number, cells) in enumerate(sheet_rows, 1):
        check = _Checker(number, cells, ctx, errors)
        check.parse()
        check.relations()
        unit, mediator, arbitrator = check.people()
        registry_no = check.values["registry_no"]
        case_id = None
        if registry_no:
            if registry_no in first_seen:
                check.error(
                    "registry_no",
                    N_("“%(value)s” also on row %(other)s"),
                    value=registry_no,
                    other=first_seen[registry_no],
                )
            first_seen.setdefault(registry_no, number)
            case_id = ctx.existing.get(registry_no)
            if case_id is not None and not ctx.update:
                check.error(
                    "registry_no", N_("“%(value)s” is already registered (use update to replace it)"), value=registry_no
                )
            elif case_id is not None:
                _may_replace(check, ctx, case_id, registry_no)
        # ledger.md: mediator and arbitrator are optional. History is imported as given: without an arbitrator the
        # approver of the closure, the award's issuer and the suspension's and extension's people are unknown (NULL,
        # shown as “not recorded”), never the clerk who imported the file.
        approver = arbitrator.id if arbitrator else None
        closure = check.values["arbitration_closure"]
        wage = None  # the figure the finality was judged against, when one is on record (the row gives the finality)
        if closure in AWARDS and unit is not None and check.values["arbitration_closed_on"]:
            wage = ctx.minimum_wage(unit.id, check.values["arbitration_closed_on"])
        if not check.failed and unit is not None:
            rows.append(Row(number, check.values, unit, case_id, mediator, arbitrator, approver, wage, cells))
        if on_row and index % 1000 == 0:
            on_row(index)
    return rows, errors
