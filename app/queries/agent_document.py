"""The routing system's hot path: one agent's stored eligibility document and its ETag."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from app.core.extensions import db
from app.derived import eligibility_documents as documents
from app.errors import NotFound
from app.models import User, utcnow
from app.models.eligibility import eligibility_documents
from app.queries.eligibility_view import refresh_if_due
from app.queries.reports import visible_team_ids

# Built once (not per request): the agent's scope and check time and their stored document,
# in one statement: the routing system's hot path (docs/performance.md, B1).
AGENT_DOCUMENT = (
    select(User.id, User.team_id, User.eligibility_check_at, eligibility_documents.c.body,
           eligibility_documents.c.etag)
    .outerjoin(eligibility_documents, eligibility_documents.c.user_id == User.id)
    .where(User.external_id == bindparam("external_id"), User.role == "agent")
)


def agent_document(viewer: User, external_id: str) -> tuple[str, str]:
    """The stored document of an agent the viewer may see, as (body, etag).

    A gate or an expiry the worker has not applied yet is applied first; NotFound for an
    unknown agent or one outside the viewer's teams.
    """
    row = db.session.execute(AGENT_DOCUMENT, {"external_id": external_id}).first()
    allowed = visible_team_ids(viewer)
    if row is None or (allowed is not None and row.team_id not in allowed):
        raise NotFound("no_agent", field="external_id", ref=external_id)
    if row.eligibility_check_at is not None and row.eligibility_check_at <= utcnow():
        refresh_if_due(db.session.get(User, row.id))  # its commit stores the new document
        row = db.session.execute(AGENT_DOCUMENT, {"external_id": external_id}).first()
    body, etag = row.body, row.etag
    if body is None:  # written around the services and not rebuilt yet
        body, etag = documents.build(db.session, [row.id])[row.id]
    return body, etag
