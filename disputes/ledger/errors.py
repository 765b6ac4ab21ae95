"""An error found in a ledger, by row and column, as a message id the caller renders in the reader's language."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from disputes.i18n import N_

MAX_ERRORS = 1000  # beyond this the report says how many more there were; a clerk fixes the first ones first
MAX_QUOTED = 80  # characters of a cell quoted in a message (a hostile cell may hold millions)
QUOTED = frozenset({"value", "code", "username", "names"})  # the parameters that quote a cell


def clip(value: str, limit: int = MAX_QUOTED) -> str:
    """At most `limit` characters of a quoted value, and “…” when it was longer."""
    return value if len(value) <= limit else value[:limit] + "…"


@dataclass(frozen=True)
class LedgerError:
    row: int  # the spreadsheet's row number: the header is row 1
    column: str | None
    message: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        """Quoted cells and column names are clipped, so a report never repeats a huge cell."""
        if self.column is not None and len(self.column) > MAX_QUOTED:
            object.__setattr__(self, "column", clip(self.column))
        if any(k in QUOTED and isinstance(v, str) and len(v) > MAX_QUOTED for k, v in self.params.items()):
            object.__setattr__(
                self,
                "params",
                {k: clip(v) if k in QUOTED and isinstance(v, str) else v for k, v in self.params.items()},
            )

    def text(self, gettext: Callable[[str], str]) -> str:
        message = gettext(self.message)
        return message % self.params if self.params else message

    def line(self, gettext: Callable[[str], str]) -> str:
        """“row 17, arbitration_closed_on: before arbitration_accepted_on”."""
        where = gettext(N_("row %(row)s")) % {"row": self.row} if self.row else gettext(N_("file"))
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.text(gettext)}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict) -> "LedgerError":
        return cls(data["row"], data.get("column"), data["message"], data.get("params") or {})


class ErrorLog(list):
    """The first `limit` errors found, and how many there were in all (`total`): a ledger of 100,000 bad rows
    must not hold a million errors in memory."""

    def __init__(self, limit: int = MAX_ERRORS):
        super().__init__()
        self.limit, self.total = limit, 0

    def append(self, error: LedgerError) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(error)


class LedgerInvalid(Exception):
    """The ledger has errors: nothing was written."""

    def __init__(self, errors: list[LedgerError], total: int | None = None):
        super().__init__(f"{total or len(errors)} error(s) in the ledger")
        self.errors = errors
        self.total = total or len(errors)


def report_csv(errors: Iterable[LedgerError], gettext: Callable[[str], str]) -> str:
    """The error report as CSV (row, column, message), with a BOM so that spreadsheet programs read UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(N_("Row")), gettext(N_("Column")), gettext(N_("Error"))])
    for error in errors:
        writer.writerow([error.row, error.column or "", error.text(gettext)])
    return "\ufeff" + out.getvalue()
