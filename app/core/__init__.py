"""Core of the app: settings, extensions, the database, security, languages."""
