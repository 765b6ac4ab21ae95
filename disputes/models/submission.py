"""One-time form tokens: a form submission is carried out once; a second post of it finds the first's result."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from disputes.extensions import db
from disputes.models.base import CreatedAtMixin


class FormSubmission(CreatedAtMixin, db.Model):
    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Where the first submission led (the case page); empty while that submission is still being carried out.
    result_url: Mapped[str | None] = mapped_column(sa.String(300))
