"""People: accounts (the one table shared by companies), their memberships in companies with
a role, web sessions, one-time links, and the throttle on signing in (decision 30)."""
