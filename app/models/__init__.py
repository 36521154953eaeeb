"""SQLAlchemy models, one module per area; import them from here."""

from .base import utcnow
from .calls import Call
from .certification import Answer, Assignment, Attempt, AttemptItem, Certification, Requirement
from .content import Bulletin, BulletinEvent, BulletinVersion, Fact, Item, ItemOption
from .eligibility import EligibilityEvent, EligibilityState
from .engagement import ManagerReminder, Notification, PracticeCard, PracticeReview  # noqa: F401
from .idempotency import IdempotencyKey  # noqa: F401
from .people import ROLES, ApiToken, Skill, Team, User, agent_skills, managed_teams
from . import webhooks  # noqa: F401  (webhook tables; import them from app.models.webhooks)
from .search import bulletin_search  # noqa: F401  (the search index table)
from . import report_aggregates  # noqa: F401  (manager report aggregates)
from .accounts import AuditEntry, PersonLink  # noqa: F401  (invitations, resets, audit log)
from .sso import SsoEvent  # noqa: F401  (single sign-on audit trail)
from .security import SecurityEvent, SignInThrottle, UserSession  # noqa: F401

__all__ = [
    "ROLES", "Answer", "ApiToken", "Assignment", "Attempt", "AttemptItem", "Bulletin", "Call",
    "BulletinEvent",
    "BulletinVersion", "Certification", "EligibilityEvent", "EligibilityState", "Fact",
    "Item", "ItemOption", "Requirement", "Skill", "Team", "User", "agent_skills",
    "managed_teams", "utcnow",
]
