"""SQLAlchemy models, one module per area; import them from here."""

from app.models import (
    report_aggregates,  # noqa: F401  (manager report aggregates)
    time_pass_stages,  # noqa: F401  (the time pass computed ahead of an instant)
    trend_snapshots,  # noqa: F401  (weekly snapshots of the readiness trend)
    webhooks,  # noqa: F401  (webhook tables; import them from app.models.webhooks)
)
from app.models.accounts import AuditEntry, PersonLink  # noqa: F401  (invitations, resets, audit log)
from app.models.base import utcnow
from app.models.calls import Call
from app.models.certification import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Certification,
    Requirement,
)
from app.models.content import Bulletin, BulletinEvent, BulletinVersion, Fact, Item, ItemOption
from app.models.eligibility import EligibilityEvent, EligibilityState
from app.models.engagement import ManagerReminder, Notification, PracticeCard, PracticeReview  # noqa: F401
from app.models.idempotency import IdempotencyKey  # noqa: F401
from app.models.people import ROLES, ApiToken, Skill, Team, User, agent_skills, managed_teams
from app.models.search import bulletin_search  # noqa: F401  (the search index table)
from app.models.security import SecurityEvent, SignInThrottle, UserSession  # noqa: F401
from app.models.sso import SsoEvent  # noqa: F401  (single sign-on audit trail)

__all__ = [
    "ROLES", "Answer", "ApiToken", "Assignment", "Attempt", "AttemptItem", "Bulletin", "Call",
    "BulletinEvent",
    "BulletinVersion", "Certification", "EligibilityEvent", "EligibilityState", "Fact",
    "Item", "ItemOption", "Requirement", "Skill", "Team", "User", "agent_skills",
    "managed_teams", "utcnow",
]
