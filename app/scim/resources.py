"""The SCIM resources OneVoice serves: models, what the discovery endpoints publish, and
each person or team as a SCIM resource.

Requests are read with scim2-models' full User and Group models (so what Okta or Entra ID
send, such as ``name.givenName`` or the enterprise extension, is understood); answers carry
only the attributes OneVoice keeps, and the Schemas endpoint publishes exactly those
(docs/scim.md has the mapping).
"""

from __future__ import annotations

from pydantic import Field
from scim2_models import (
    URN,
    Email,
    EnterpriseUser,
    Extension,
    Group,
    GroupMember,
    GroupMembership,
    Meta,
    Required,
    Schema,
    User,
)

from app.domain.provisioning import PROVISIONED_ROLES

ONEVOICE_USER = "urn:onevoice:params:scim:schemas:extension:2.0:User"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


class OneVoiceUser(Extension):
    """OneVoice's User extension: the person's role and, for an agent, skills (call types)."""

    __schema__ = URN(ONEVOICE_USER)

    role: str | None = Field(None, examples=list(PROVISIONED_ROLES))
    """agent, trainer, manager or admin (agent when not given)."""

    skills: str | None = None
    """Skill codes (call types the routing system routes on) separated by spaces, as one
    string so an identity provider maps it from one profile attribute; they count for
    agents."""


UserResource = User[OneVoiceUser | EnterpriseUser]
"""What a request may carry: the core User with OneVoice's and the enterprise extension."""

# Published attributes: (name, sub-attributes kept or None for all, required as published).
# OneVoice always holds a value for displayName, active, emails and role, so they cannot be
# removed and are published as required (a client that leaves them out on creation gets a
# default: docs/scim.md).
USER_ATTRIBUTES = {"userName": (None, True), "displayName": (None, True),
                   "active": (None, True), "emails": (("value", "type"), True),
                   "groups": (None, False)}
EXTENSION_ATTRIBUTES = {"role": (None, True), "skills": (None, False)}
GROUP_ATTRIBUTES = {"displayName": (None, True), "members": (("value", "$ref", "type"), False)}


def _trimmed(schema: Schema, keep: dict, description: str) -> Schema:
    attributes = []
    for attribute in schema.attributes:
        if attribute.name not in keep:
            continue
        subs, required = keep[attribute.name]
        attribute = attribute.model_copy(update={"required": Required(required)})
        if subs is not None:
            attribute.sub_attributes = [s for s in attribute.sub_attributes if s.name in subs]
            for sub in attribute.sub_attributes:
                if (attribute.name, sub.name) == ("emails", "type"):
                    sub.canonical_values = ["work"]
                if (attribute.name, sub.name) == ("emails", "value"):
                    sub.required = Required.true
        attributes.append(attribute)
    schema.attributes = attributes
    schema.description = description
    return schema


def published_schemas(skill_codes: list[str]) -> list[Schema]:
    """The User, OneVoice extension and Group schemas as OneVoice serves them.

    The extension's ``skills`` lists the skills that exist now as canonical values.
    """
    user = _trimmed(User.to_schema(), USER_ATTRIBUTES, "A OneVoice person (userName is "
                    "the sign-in name; emails holds the one work e-mail address)")
    extension = _trimmed(OneVoiceUser.to_schema(), EXTENSION_ATTRIBUTES,
                         "OneVoice role and skills")
    extension.name = "OneVoiceUser"
    for attribute in extension.attributes:
        if attribute.name == "skills":
            attribute.canonical_values = list(skill_codes) or None
    group = _trimmed(Group.to_schema(), GROUP_ATTRIBUTES, "A OneVoice team: its agents "
                     "and the managers who manage it")
    return [user, extension, group]


def user_resource(user, base: str) -> UserResource:
    """A person as a SCIM User (only the attributes OneVoice keeps)."""
    resource = UserResource(
        schemas=[CORE_USER, ONEVOICE_USER], id=str(user.id), external_id=user.external_id,
        user_name=user.user_name or user.email, display_name=user.name,
        active=bool(user.active), emails=[Email(value=user.email, type="work")],
        groups=_memberships(user, base) or None,
        meta=_meta("User", user, f"{base}/Users/{user.id}"))
    resource[OneVoiceUser] = OneVoiceUser(role=user.role,
                                          skills=" ".join(sorted(user.skill_codes)) or None)
    return resource


def _memberships(user, base: str) -> list[GroupMembership]:
    teams = list(user.managed) if user.role == "manager" else [user.team] if user.team else []
    return [GroupMembership(value=str(t.id), ref=f"{base}/Groups/{t.id}", display=t.name,
                            type="direct") for t in teams]


def group_resource(team, members, base: str) -> Group:
    """A team as a SCIM Group with its members."""
    return Group(
        schemas=[CORE_GROUP], id=str(team.id), external_id=team.external_id,
        display_name=team.name,
        members=[GroupMember(value=str(u.id), ref=f"{base}/Users/{u.id}", type="User")
                 for u in members] or None,
        meta=_meta("Group", team, f"{base}/Groups/{team.id}"))


def _meta(kind: str, row, location: str) -> Meta:
    modified = row.updated_at or row.created_at
    return Meta(resource_type=kind, created=row.created_at or modified,
                last_modified=modified, location=location, version=etag_of(row))


def etag_of(row) -> str:
    """A weak ETag: the row's id and modification time (microseconds)."""
    modified = row.updated_at or row.created_at
    stamp = int(modified.timestamp() * 1_000_000) if modified else 0
    return f'W/"{row.id}-{stamp}"'
