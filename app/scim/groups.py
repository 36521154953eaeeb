"""SCIM Groups: teams and their members.

Thin views over app/services/accounts/provisioning_teams.py.
"""

from __future__ import annotations

from scim2_models import Context, Group, InvalidValueException

from app.core.security import allow
from app.scim import bp
from app.scim.protocol import (
    apply_patch,
    base_url,
    check_if_match,
    list_response,
    not_modified,
    page_of,
    read,
    resource_id,
    resource_response,
    search_from_body,
    search_from_query,
)
from app.scim.resources import etag_of, group_resource
from app.services.accounts import provisioning_teams as teams


def _resource(team, members=None) -> Group:
    if members is None:
        members = teams.members_of([team]).get(team.id, [])
    return group_resource(team, members, base_url())


def _wants_members(search) -> bool:
    """Whether the answer shows members (identity providers often exclude them)."""
    def names(paths):
        return {str(p).rsplit(":", 1)[-1].split(".")[0].lower() for p in paths or []}

    if search.attributes:
        return "members" in names(search.attributes)
    return "members" not in names(search.excluded_attributes)


def _listing(search):
    start, count = page_of(search)
    total, found = teams.list_teams(search.filter, start, count)
    members = teams.members_of(found) if _wants_members(search) else {}
    return list_response(Group, total, start,
                         [_resource(t, members.get(t.id, [])) for t in found], search)


def _member_ids(group: Group) -> list[int]:
    """The member ids a Group names; a value that is no id names no User (400 later)."""
    ids = []
    for member in group.members or []:
        if str(member.type or "User").lower() != "user":
            raise InvalidValueException(detail=f"members: {member.value!r} is a "
                                        f"{member.type}; a team's members are Users only")
        text = str(member.value or "")
        ids.append(int(text) if text.isdigit() and len(text) <= 18 else -1)
    return list(dict.fromkeys(ids))


def _fields(group: Group) -> tuple[str, str | None, list[int]]:
    return (group.display_name or "", group.external_id or None, _member_ids(group))


@bp.get("/Groups")
@allow("integration", api=True)
def list_groups():
    """Groups (teams) matching ``filter``, a page at a time."""
    return _listing(search_from_query(Group))


@bp.post("/Groups/.search")
@allow("integration", api=True)
def search_groups():
    """The same query as a POST body (SearchRequest)."""
    return _listing(search_from_body(Group))


@bp.get("/Groups/<group_id>")
@allow("integration", api=True)
def get_group(group_id: str):
    """One Group with its members (304 when If-None-Match names its version)."""
    resource = _resource(teams.get_team(resource_id(group_id)))
    if not_modified(resource.meta.version):
        return "", 304
    return resource_response(resource, search=search_from_query(Group))


@bp.post("/Groups")
@allow("integration", api=True)
def create_group():
    """Create a team (its code made from displayName) with its members."""
    group = read(Group, Context.RESOURCE_CREATION_REQUEST)
    return resource_response(_resource(teams.create_group(*_fields(group))), status=201)


@bp.put("/Groups/<group_id>")
@allow("integration", api=True)
def replace_group(group_id: str):
    """Replace the team's name, externalId and members."""
    team = teams.get_team(resource_id(group_id))
    check_if_match(etag_of(team))
    group = read(Group, Context.RESOURCE_REPLACEMENT_REQUEST)
    return resource_response(_resource(teams.replace_group(team.id, *_fields(group))))


@bp.patch("/Groups/<group_id>")
@allow("integration", api=True)
def patch_group(group_id: str):
    """Add, replace or remove the name, externalId or members, all or nothing."""
    team = teams.get_team(resource_id(group_id))
    check_if_match(etag_of(team))
    group = _resource(team)
    apply_patch(Group, group)
    return resource_response(_resource(teams.replace_group(team.id, *_fields(group))))


@bp.delete("/Groups/<group_id>")
@allow("integration", api=True)
def delete_group(group_id: str):
    """Delete the team: its agents are left without a team."""
    team = teams.get_team(resource_id(group_id))
    check_if_match(etag_of(team))
    teams.delete_group(team.id)
    return "", 204
