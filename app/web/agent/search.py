"""Agents: search the bulletins in force during a call (the knowledge base)."""

from __future__ import annotations

from flask import render_template, request

from app.core.security import allow
from app.errors import ServiceError
from app.queries.search import search as search_bulletins
from app.web.agent import bp
from app.web.shared.refusals import refusal_text


@bp.get("/search")
@allow("agent")
def search():
    """Find facts and text of the bulletins in force (or scheduled); each result links to
    the fact on its bulletin page."""
    query = request.args.get("q", "")
    if not query.strip():
        return render_template("agent/search.html", query="", terms=(), results=None,
                               error=None)
    try:
        terms, results = search_bulletins(query)
    except ServiceError as error:
        return render_template("agent/search.html", query=query, terms=(), results=None,
                               error=refusal_text(error)), 400
    return render_template("agent/search.html", query=query, terms=terms, results=results,
                           error=None)
