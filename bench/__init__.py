"""Doitong's HTTP benchmark: ``./scripts/bench`` (see ``bench/README.md``).

The harness starts the real stack (PostgreSQL database, gunicorn, a Celery worker
on Redis), drives ``generate`` mutations and ``GET /api/ping`` through HTTP only,
then stops everything it started. It depends on the public API, not on internals.
"""
