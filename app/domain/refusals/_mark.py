"""The extraction marker of the catalogue modules."""


def N_(text: str) -> str:  # noqa: N802 - Babel's default keyword for "translate later"
    """Mark ``text`` for ``pybabel extract``; it is translated when rendered."""
    return text
