"""Web pages, one package per area (role); shared pages in shared/."""
