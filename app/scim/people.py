"""What a SCIM User request says about a person, in OneVoice's terms (docs/scim.md)."""

from __future__ import annotations

from app.domain.directory import EMAIL, split_skills
from app.domain.provisioning import Person
from app.scim.resources import OneVoiceUser


def _email(resource) -> str:
    """The work e-mail: the primary one, else the one typed work, else the first; else
    the userName when it is an e-mail address."""
    emails = [e for e in resource.emails or [] if e.value]
    chosen = (next((e for e in emails if e.primary), None)
              or next((e for e in emails if str(e.type or "").lower() == "work"), None)
              or (emails[0] if emails else None))
    if chosen is not None:
        return str(chosen.value).strip().lower()
    user_name = (resource.user_name or "").strip().lower()
    return user_name if EMAIL.match(user_name) else ""


def _name(resource) -> str:
    if resource.display_name and resource.display_name.strip():
        return resource.display_name.strip()
    name = resource.name
    if name is not None:
        if name.formatted and name.formatted.strip():
            return name.formatted.strip()
        parts = [name.given_name, name.family_name]
        if any(parts):
            return " ".join(p.strip() for p in parts if p)
    return (resource.user_name or "").strip()


def person_from(resource, current=None) -> Person:
    """The person a User resource describes.

    Left out on creation: active = true, role = agent, no skills. Left out on replacement
    (``current`` given): without the OneVoice extension, role and skills stay as they are;
    with it, a missing role stays as it is.
    """
    extension = resource[OneVoiceUser]
    role = (extension.role if extension and extension.role else None)
    if role is None:
        role = current.role if current is not None else "agent"
    if extension is not None:
        skills = tuple(dict.fromkeys(split_skills(extension.skills or "")))
    else:
        skills = tuple(sorted(current.skill_codes)) if current is not None else ()
    return Person(
        user_name=(resource.user_name or "").strip(), email=_email(resource),
        name=_name(resource),
        external_id=resource.external_id if resource.external_id else None,
        active=True if resource.active is None else bool(resource.active),
        role=str(role).strip().lower(), skills=skills)
