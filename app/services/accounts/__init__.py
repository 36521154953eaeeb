"""People and access: accounts, sessions, sign-in, tokens, directory."""
