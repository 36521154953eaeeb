"""A trivial WSGI app answering every request with the same bytes: no Flask, no database.

B1 serves it with the same gunicorn settings to measure what the load generator and gunicorn
alone can do; when that ceiling is far above the app's numbers, the generator is not what
limits them.
"""

BODY = b'{"ok":true}\n'


def app(environ, start_response):
    """The same small JSON answer for every request."""
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]
