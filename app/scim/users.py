"""SCIM Users: people (agents and staff). Thin views over app/services/accounts/provisioning.py."""

from __future__ import annotations

from scim2_models import Context

from app.core.security import allow
from app.scim import bp
from app.scim.people import person_from
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
from app.scim.resources import UserResource, etag_of, user_resource
from app.services.accounts import provisioning


def _listing(search):
    start, count = page_of(search)
    total, users = provisioning.list_people(search.filter, start, count)
    base = base_url()
    return list_response(UserResource, total, start,
                         [user_resource(u, base) for u in users], search)


@bp.get("/Users")
@allow("integration", api=True)
def list_users():
    """Users matching ``filter``, a page at a time (startIndex, count)."""
    return _listing(search_from_query(UserResource))


@bp.post("/Users/.search")
@allow("integration", api=True)
def search_users():
    """The same query as a POST body (SearchRequest)."""
    return _listing(search_from_body(UserResource))


@bp.get("/Users/<user_id>")
@allow("integration", api=True)
def get_user(user_id: str):
    """One User (304 when If-None-Match names its version)."""
    user = provisioning.get_person(resource_id(user_id))
    return _answer(user, search=search_from_query(UserResource))


@bp.post("/Users")
@allow("integration", api=True)
def create_user():
    """Create a person (201 with Location)."""
    resource = read(UserResource, Context.RESOURCE_CREATION_REQUEST)
    return _answer(provisioning.create_person(person_from(resource)), status=201)


@bp.put("/Users/<user_id>")
@allow("integration", api=True)
def replace_user(user_id: str):
    """Replace a person's attributes (group memberships are kept)."""
    user = provisioning.get_person(resource_id(user_id))
    check_if_match(etag_of(user))
    resource = read(UserResource, Context.RESOURCE_REPLACEMENT_REQUEST)
    return _answer(provisioning.replace_person(user.id, person_from(resource, user)))


@bp.patch("/Users/<user_id>")
@allow("integration", api=True)
def patch_user(user_id: str):
    """Apply add/replace/remove operations, all or nothing."""
    user = provisioning.get_person(resource_id(user_id))
    check_if_match(etag_of(user))
    resource = user_resource(user, base_url())
    apply_patch(UserResource, resource)
    return _answer(provisioning.replace_person(user.id, person_from(resource, user)))


@bp.delete("/Users/<user_id>")
@allow("integration", api=True)
def delete_user(user_id: str):
    """Deprovision: the person is deactivated, their access ends, and they leave SCIM."""
    user = provisioning.get_person(resource_id(user_id))
    check_if_match(etag_of(user))
    provisioning.delete_person(user.id)
    return "", 204


def _answer(user, status: int = 200, search=None):
    resource = user_resource(user, base_url())
    if status == 200 and search is not None and not_modified(resource.meta.version):
        return "", 304
    return resource_response(resource, status, search)
