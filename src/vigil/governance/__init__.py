"""Who may do what, and the record that they did: users, roles, scopes, tokens, the audit chain."""
