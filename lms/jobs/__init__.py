"""Scheduled work that is safe to start on several app nodes at once.

Each job (sweeps, reminders, email sending) takes a named lease in the database before it
runs; a second start while the lease is held does nothing and says so. A lease that
outlives its holder (a crashed node) expires, so a later run can take it over. The lease
is a row, not a PostgreSQL advisory lock, so SQLite deployments get the same guarantee."""
