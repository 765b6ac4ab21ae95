"""The document set of `documents.md` as data: what each document is and when it fits a case.

Each kind module under `disputes.documents.kinds` registers its documents with
`@document(...)` on the function that builds the body context; `subjects` says
which instances the case has now (one per award, per hearing, per party…), so a
document only fits a case in the states where its facts exist.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from disputes.models import Case


@dataclass(frozen=True)
class Subject:
    """One instance of a document for a case: `key` is stable ("" when the case has one)."""

    key: str = ""
    label: str = ""
    label_params: dict[str, Any] = field(default_factory=dict)
    obj: Any = None


Subjects = Callable[[Session, Case], list[Subject]]
Builder = Callable[[Session, Case, Subject], dict[str, Any]]
# The act's own number (a case number, an award's 之一/之二…) and the date of the act a document records.
NumberOf = Callable[[Session, Case, Subject], "str | None"]
DateOf = Callable[[Session, Case, Subject], "date | None"]


@dataclass(frozen=True)
class DocumentKind:
    id: str
    title: str  # English msgid; the Chinese title is its translation
    family: str | None  # numbering family of the 文号 (with `number`: only when the act has none); None: no 文号
    track: str  # mediation, legal_aid, arbitration, litigation, file
    subjects: Subjects
    build: Builder
    template: str = ""
    order: int = 0
    # A document of an act with a number of its own (award, statement, decision, agreement) prints that number and
    # takes no 文号; `dated` gives the date of the act it records (None: the issue day). See docs/decisions.md.
    number: NumberOf | None = None
    dated: DateOf | None = None

    @property
    def template_name(self) -> str:
        return self.template or f"documents/{self.id}.html"


KINDS: dict[str, DocumentKind] = {}


def document(
    id: str,
    title: str,
    *,
    family: str | None,
    track: str,
    subjects: Subjects,
    order: int = 0,
    template: str = "",
    number: NumberOf | None = None,
    dated: DateOf | None = None,
) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        if id in KINDS:
            raise ValueError(f"document {id} registered twice")
        KINDS[id] = DocumentKind(id, title, family, track, subjects, build, template, order, number, dated)
        return build

    return register


def once_when(test: Callable[[Session, Case], bool]) -> Subjects:
    """Subjects for a document a case has at most once, when `test` holds."""
    return lambda session, case: [Subject()] if test(session, case) else []


def act_number(session: Session, case: Case, kind: DocumentKind, subject: Subject) -> str | None:
    """The number the act itself carries, if the kind prints one (None before the act is numbered)."""
    return kind.number(session, case, subject) if kind.number is not None else None


def act_date(session: Session, case: Case, kind: DocumentKind, subject: Subject) -> date | None:
    """The date of the act the document records; None for a document that records no dated act."""
    return kind.dated(session, case, subject) if kind.dated is not None else None


def load_kinds() -> dict[str, DocumentKind]:
    from disputes.documents import kinds

    for module in pkgutil.iter_modules(kinds.__path__):
        importlib.import_module(f"{kinds.__name__}.{module.name}")
    return KINDS


def kind(id: str) -> DocumentKind:
    kinds = load_kinds()
    if id not in kinds:
        raise KeyError(id)
    return kinds[id]


def available(session: Session, case: Case) -> list[tuple[DocumentKind, Subject]]:
    """Every document instance that fits the case now, in the order of the spec's set."""
    found = []
    for item in sorted(load_kinds().values(), key=lambda k: (k.order, k.id)):
        for subject in item.subjects(session, case):
            found.append((item, subject))
    return found
