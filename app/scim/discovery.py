"""Discovery (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas."""

from __future__ import annotations

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    ETag,
    Filter,
    ListResponse,
    Meta,
    NotFoundException,
    NotImplementedException,
    Patch,
    ResourceType,
    Schema,
    SchemaExtension,
    ServiceProviderConfig,
    Sort,
)

from app.core.security import allow
from app.scim import bp
from app.scim.errors import scim_response
from app.scim.protocol import MAX_RESULTS, base_url
from app.scim.resources import CORE_GROUP, CORE_USER, ONEVOICE_USER, published_schemas
from app.services.accounts.directory import teams_and_skills


@bp.get("/ServiceProviderConfig")
@allow("integration", api=True)
def service_provider_config():
    """What this SCIM service supports."""
    config = ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False), sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[AuthenticationScheme(
            type="oauthbearertoken", name="OneVoice API token", primary=True,
            description="Authorization: Bearer <token of an integration account>")],
        meta=Meta(resource_type="ServiceProviderConfig",
                  location=f"{base_url()}/ServiceProviderConfig"))
    return scim_response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _resource_types() -> list[ResourceType]:
    base = base_url()
    return [
        ResourceType(id="User", name="User", endpoint="/Users", schema_=CORE_USER,
                     description="People: agents and staff",
                     schema_extensions=[SchemaExtension(schema_=ONEVOICE_USER, required=True)],
                     meta=Meta(resource_type="ResourceType",
                               location=f"{base}/ResourceTypes/User")),
        ResourceType(id="Group", name="Group", endpoint="/Groups", schema_=CORE_GROUP,
                     description="Teams", meta=Meta(resource_type="ResourceType",
                                                    location=f"{base}/ResourceTypes/Group")),
    ]


def _schemas() -> list[Schema]:
    base = base_url()
    schemas = published_schemas([skill.code for skill in teams_and_skills()[1]])
    for schema in schemas:
        schema.meta = Meta(resource_type="Schema", location=f"{base}/Schemas/{schema.id}")
    return schemas


def _listing(model, items: list):
    listing = ListResponse[model](total_results=len(items), start_index=1,
                                  items_per_page=len(items), resources=items)
    return scim_response(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


def _one(items: list, wanted: str, kind: str):
    for item in items:
        if item.id == wanted:
            return scim_response(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    raise NotFoundException(detail=f"no {kind} {wanted!r}")


@bp.get("/ResourceTypes")
@allow("integration", api=True)
def resource_types():
    """The resource types served: User and Group."""
    return _listing(ResourceType, _resource_types())


@bp.get("/ResourceTypes/<name>")
@allow("integration", api=True)
def resource_type(name: str):
    """One resource type by id."""
    return _one(_resource_types(), name, "resource type")


@bp.get("/Schemas")
@allow("integration", api=True)
def schemas():
    """The schemas served, with only the attributes OneVoice keeps."""
    return _listing(Schema, _schemas())


@bp.get("/Schemas/<path:urn>")
@allow("integration", api=True)
def schema(urn: str):
    """One schema by its URN."""
    return _one(_schemas(), urn, "schema")


@bp.post("/.search")
@allow("integration", api=True)
def search_everything():
    """Searching Users and Groups at once is not offered (RFC 7644 §3.4.3 allows 501)."""
    raise NotImplementedException(detail="search /Users/.search or /Groups/.search; "
                                  "searching several resource types at once is not offered")
