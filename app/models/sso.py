"""The audit trail of single sign-on: who signed in through the identity provider, what
their claims changed, and who was refused after the provider vouched for them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.models.base import UTCDateTime, utcnow


class SsoEvent(db.Model):
    """One sign-in through OpenID Connect: ``outcome`` is ``signed_in`` or the refusal code;
    ``changes`` the JSON of role/team updates the claims made (``{field: [old, new]}``)."""

    __tablename__ = "sso_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, index=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(512))  # issuer + " " + sub
    outcome: Mapped[str] = mapped_column(String(32))
    changes: Mapped[str | None] = mapped_column(Text)
