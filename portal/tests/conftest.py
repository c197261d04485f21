"""Portal fixtures: a developer with a session, and a pipeline that finishes at once."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def developer(plans: None, django_user_model: Any) -> Any:
    """A user who signed up through the portal's path: Free plan, starter credits."""
    from billing.accounts import account_create

    user = django_user_model.objects.create_user(
        username="dev@example.com", email="dev@example.com", password="correct horse battery"
    )
    account_create(user=user)
    return user


@pytest.fixture
def dev_client(client: Any, developer: Any) -> Any:
    client.force_login(developer)
    return client


@pytest.fixture
def eager_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Run Celery tasks in-process: a sandbox job completes inside its ``generate`` request.

    Webhook deliveries are recorded instead of sent (no network in tests).
    """
    from doitong.celery import app
    from generations import webhooks

    sent: list[Any] = []

    def fake_post(delivery: Any, account: Any) -> Any:
        sent.append(delivery)
        return webhooks.AttemptResult(200, 3, "ok", "")

    monkeypatch.setattr(app.conf, "task_always_eager", True)
    monkeypatch.setattr(app.conf, "task_eager_propagates", False)
    monkeypatch.setattr(webhooks, "post", fake_post)
    return sent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives chromium through Playwright (skipped when either is missing)"
    )
