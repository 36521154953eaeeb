"""SCIM filters (RFC 7644 §3.4.2.2) as SQL: a scim2-models filter tree to a WHERE clause.

The filter is parsed and checked by scim2-models (``ScimFilter``); this module walks its
tree and builds one SQLAlchemy expression, so a lookup such as ``userName eq "x"`` is one
indexed query on either engine. Every comparison is false (never NULL) for an unassigned
attribute, so ``not`` and ``ne`` mean what RFC 7644 says. Strings compare without regard
to case unless the attribute is case-exact (``externalId``, ``id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from scim2_models import InvalidFilterException
from scim2_models.path import FilterVisitor, LogicalOperator
from sqlalchemy import and_, false, func, not_, or_, select, true

from app.models import Skill, Team, User, managed_teams

ONEVOICE_USER = "urn:onevoice:params:scim:schemas:extension:2.0:User"


@dataclass(frozen=True)
class Column:
    """A filterable attribute: its SQL expression and SCIM type."""

    expr: object
    kind: str = "string"  # string | exact | boolean | datetime | id | member
    many: bool = False  # a multi-valued attribute compared through EXISTS


def _user_columns() -> dict[str, Column]:
    return {
        "id": Column(User.id, "id"),
        "username": Column(func.coalesce(User.user_name, User.email)),
        "externalid": Column(User.external_id, "exact"),
        "displayname": Column(User.name),
        "emails": Column(User.email), "emails.value": Column(User.email),
        "emails.type": Column(None, "work"),
        "active": Column(User.active, "boolean"),
        "meta.created": Column(User.created_at, "datetime"),
        "meta.lastmodified": Column(User.updated_at, "datetime"),
        "role": Column(User.role), "skills": Column(Skill.code, many=True),
        "groups": Column(User.team_id, "id"), "groups.value": Column(User.team_id, "id"),
    }


def _group_columns() -> dict[str, Column]:
    return {
        "id": Column(Team.id, "id"),
        "externalid": Column(Team.external_id, "exact"),
        "displayname": Column(Team.name),
        "meta.created": Column(Team.created_at, "datetime"),
        "meta.lastmodified": Column(Team.updated_at, "datetime"),
        "members": Column(None, "member"), "members.value": Column(None, "member"),
    }


def where_users(ast):
    """The WHERE clause of a User filter; InvalidFilterException names what is wrong."""
    return _SqlFilter(_user_columns(), "User").visit(ast)


def where_groups(ast):
    """The WHERE clause of a Group filter."""
    return _SqlFilter(_group_columns(), "Group").visit(ast)


class _SqlFilter(FilterVisitor):
    def __init__(self, columns: dict[str, Column], kind: str, prefix: str = ""):
        self.columns, self.kind, self.prefix = columns, kind, prefix

    def _column(self, attr_path) -> tuple[str, Column]:
        uri = (attr_path.uri or "").lower()
        core = f"urn:ietf:params:scim:schemas:core:2.0:{self.kind.lower()}"
        if uri and uri not in (ONEVOICE_USER.lower(), core):
            raise InvalidFilterException(detail=f"'{attr_path}' is not filterable")
        name = self.prefix + attr_path.attr.lower()
        if attr_path.sub_attr:
            name += "." + attr_path.sub_attr.lower()
        column = self.columns.get(name)
        if column is None or (name in ("role", "skills") and self.kind != "User"):
            raise InvalidFilterException(detail=f"'{attr_path}' is not an attribute a "
                                         f"{self.kind} filter can use in OneVoice")
        return name, column

    def visit_logical_expr(self, node):
        terms = [self.visit(term) for term in node.terms]
        return and_(*terms) if node.op == LogicalOperator.and_ else or_(*terms)

    def visit_not(self, node):
        return not_(self.visit(node.expr))

    def visit_present(self, node):
        _, column = self._column(node.attr_path)
        if column.kind == "member":
            return or_(select(User.id).where(User.team_id == Team.id).exists(),
                       select(managed_teams.c.user_id)
                       .where(managed_teams.c.team_id == Team.id).exists())
        if column.many:
            return User.skills.any()
        present = column.expr.is_not(None)
        return and_(present, column.expr != "") if column.kind == "string" else present

    def visit_value_path(self, node):
        inner = _SqlFilter(self.columns, self.kind, prefix=node.attr_path.attr.lower() + ".")
        return inner.visit(node.val_filter)

    def visit_comparison(self, node):
        _, column = self._column(node.attr_path)
        op, value = node.op.value, node.value
        if column.kind == "member":
            return _member(op, value)
        if column.many:
            return User.skills.any(_compare(Column(Skill.code), op, value))
        return _compare(column, op, value)


def _member(op: str, value) -> object:
    if op != "eq":
        raise InvalidFilterException(detail="members can only be compared with eq")
    user_id = _id(value)
    return or_(Team.id.in_(select(User.team_id).where(User.id == user_id,
                                                      User.role == "agent")),
               Team.id.in_(select(managed_teams.c.team_id)
                           .where(managed_teams.c.user_id == user_id)))


def _id(value) -> int:
    text = str(value)
    if not text.isdigit() or len(text) > 18:
        return -1  # no resource has this id
    return int(text)


def _compare(column: Column, op: str, value) -> object:
    expr, kind = column.expr, column.kind
    if value is None:
        return {"eq": expr.is_(None), "ne": expr.is_not(None)}.get(op) or _refuse(op, "null")
    if kind == "work":
        matched = _string_op(op, "work", str(value).lower())
        return true() if matched else false()
    if kind == "id":
        value = _id(value)
    elif kind == "datetime":
        value = _datetime(value)
    elif kind == "boolean":
        if op not in ("eq", "ne") or not isinstance(value, bool):
            raise InvalidFilterException(detail=f"a boolean compares with eq or ne to "
                                         f"true or false, not {op} {value!r}")
    elif kind == "string":
        expr, value = func.lower(expr), str(value).lower()
    else:
        value = str(value)
    return _sql_op(expr, op, value, kind)


def _sql_op(expr, op: str, value, kind: str) -> object:
    assigned = expr.is_not(None)
    if op == "ne":
        return or_(expr.is_(None), expr != value)
    if op in ("co", "sw", "ew"):
        if kind not in ("string", "exact"):
            _refuse(op, kind)
        method = {"co": expr.contains, "sw": expr.startswith, "ew": expr.endswith}[op]
        return and_(assigned, method(value, autoescape=True))
    compare = {"eq": expr.__eq__, "gt": expr.__gt__, "ge": expr.__ge__,
               "lt": expr.__lt__, "le": expr.__le__}.get(op)
    if compare is None:
        _refuse(op, kind)
    return and_(assigned, compare(value))


def _string_op(op: str, held: str, value: str) -> bool:
    return {"eq": held == value, "ne": held != value, "co": value in held,
            "sw": held.startswith(value), "ew": held.endswith(value),
            "gt": held > value, "ge": held >= value, "lt": held < value,
            "le": held <= value}[op]


def _datetime(value) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidFilterException(detail=f"{value!r} is not an RFC 3339 date-time") \
            from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _refuse(op: str, kind: str):
    raise InvalidFilterException(detail=f"the operator {op} does not apply to a {kind} value")
