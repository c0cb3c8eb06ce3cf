"""The people slice's use cases: ``accounts`` (people and their memberships), ``signing_in``
(passwords, the throttle, sessions) and ``links`` (one-time links)."""
