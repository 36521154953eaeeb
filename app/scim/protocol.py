"""Reading SCIM requests and writing SCIM answers: bodies, list queries, ETags."""

from __future__ import annotations

from flask import request
from scim2_models import (
    Context,
    InvalidSyntaxException,
    ListResponse,
    NotFoundException,
    PatchOp,
    PreconditionFailedException,
    ScimPolicy,
    SearchRequest,
)

from app.scim.errors import scim_response

POLICY = ScimPolicy(remove_value_as_filter=ScimPolicy.RemoveValue.apply)
"""Strict RFC reading, with the PATCH form Microsoft Entra ID sends to take members out of a
group: a ``remove`` whose ``value`` names the members. (Entra's ``emails[type eq "work"]``
always matches: OneVoice answers its one e-mail typed work.)"""

MAX_RESULTS = 1000
DEFAULT_COUNT = 100


def base_url() -> str:
    """The SCIM base URL of this request (``https://host/scim/v2``)."""
    return request.host_url.rstrip("/") + "/scim/v2"


def resource_id(text: str) -> int:
    """A resource id from the URL; any other text names no resource (404)."""
    if not text.isdigit() or len(text) > 18:
        raise NotFoundException(detail=f"no resource with id {text!r}")
    return int(text)


def json_body() -> dict:
    """The request's JSON object (application/scim+json or application/json)."""
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise InvalidSyntaxException(detail="the body must be a JSON object "
                                     "(Content-Type: application/scim+json)")
    return body


def search_from_query(model) -> SearchRequest:
    """A SearchRequest from the query string: filter, startIndex, count, attributes."""
    args = request.args
    data: dict = {}
    for name in ("filter", "startIndex", "count", "sortBy", "sortOrder"):
        if name in args:
            data[name] = args[name]
    for name in ("attributes", "excludedAttributes"):
        if args.get(name):
            data[name] = [part.strip() for part in args[name].split(",") if part.strip()]
    return SearchRequest[model].model_validate(data, scim_ctx=Context.SEARCH_REQUEST)


def read(model, context):
    """The request body as ``model`` in the SCIM ``context``, under POLICY."""
    return model.model_validate(json_body(), scim_ctx=context, scim_policy=POLICY)


def apply_patch(model, resource) -> None:
    """Apply the request's PatchOp to ``resource`` (all operations, in order)."""
    patch = read(PatchOp[model], Context.RESOURCE_PATCH_REQUEST)
    patch.patch(resource, scim_policy=POLICY)


def search_from_body(model) -> SearchRequest:
    """A SearchRequest from a POST .search body."""
    return SearchRequest[model].model_validate(json_body(), scim_ctx=Context.SEARCH_REQUEST)


def page_of(search: SearchRequest) -> tuple[int, int]:
    """``(startIndex, count)``: from 1, at most MAX_RESULTS (RFC 7644 §3.4.2.4)."""
    start = max(1, search.start_index or 1)
    count = DEFAULT_COUNT if search.count is None else min(max(0, search.count), MAX_RESULTS)
    return start, count


def list_response(model, total: int, start: int, resources: list, search: SearchRequest):
    """A ListResponse with only the attributes the client asked for."""
    listing = ListResponse[model](total_results=total, start_index=start,
                                  items_per_page=len(resources), resources=resources)
    payload = listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search)
    payload.setdefault("Resources", [])
    return scim_response(payload)


def resource_response(resource, status: int = 200, search=None):
    """One resource with its ETag (and Location when created)."""
    headers = {"ETag": resource.meta.version}
    if status == 201:
        headers["Location"] = resource.meta.location
    context = Context.RESOURCE_CREATION_RESPONSE if status == 201 else \
        Context.RESOURCE_QUERY_RESPONSE
    return scim_response(resource.model_dump(scim_ctx=context, response_parameters=search),
                         status, headers)


def check_if_match(current_etag: str) -> None:
    """A write with ``If-Match`` that no longer matches is refused (412)."""
    wanted = request.headers.get("If-Match")
    if wanted and wanted.strip() != "*" and current_etag not in {
            tag.strip() for tag in wanted.split(",")}:
        raise PreconditionFailedException(detail="the resource changed since that ETag "
                                          f"(now {current_etag})")


def not_modified(current_etag: str) -> bool:
    """Whether a GET's ``If-None-Match`` names the current version."""
    wanted = request.headers.get("If-None-Match") or ""
    return current_etag in {tag.strip() for tag in wanted.split(",")}
