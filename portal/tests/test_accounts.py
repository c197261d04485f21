"""Sign-up, log-in, log-out and password reset."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from billing.credits import balance_get
from billing.models import Account

pytestmark = pytest.mark.django_db


def test_signing_up_creates_a_free_account_with_test_credits_and_a_secret(
    client: Any, plans: None
) -> None:
    # Given a visitor on the sign-up page
    assert client.get("/en/signup/").status_code == 200
    # When they sign up
    response = client.post(
        "/en/signup/",
        {
            "email": "Ada@Example.com",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    # Then they land on their dashboard, logged in, with a Free account
    assert response.status_code == 302 and response["Location"] == "/en/dashboard/"
    account = Account.objects.get(user__email="ada@example.com")
    assert account.plan.slug == "free"
    assert balance_get(account=account, mode="test") == settings.STARTER_TEST_CREDITS
    assert balance_get(account=account, mode="live") == 0
    assert account.webhook_secret.startswith("whsec_")
    dashboard = client.get("/en/dashboard/")
    assert dashboard.status_code == 200 and b"ada@example.com" in dashboard.content


def test_sign_up_refuses_a_taken_email_and_weak_or_mismatched_passwords(
    client: Any, developer: Any
) -> None:
    response = client.post(
        "/en/signup/",
        {
            "email": "DEV@example.com",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 200
    assert "An account with this email already exists" in response.content.decode()
    response = client.post(
        "/en/signup/",
        {"email": "new@example.com", "password1": "password", "password2": "password"},
    )
    assert "This password is too common." in response.content.decode()
    response = client.post(
        "/en/signup/",
        {"email": "new@example.com", "password1": "a-long-passphrase", "password2": "another-one!"},
    )
    assert "The two passwords do not match." in response.content.decode()
    assert not Account.objects.filter(user__email="new@example.com").exists()


def test_sign_up_errors_are_translated_in_romansh(client: Any, plans: None) -> None:
    response = client.post(
        "/rm/signup/", {"email": "x@example.com", "password1": "short", "password2": "short"}
    )
    body = response.content.decode()
    assert 'lang="rm"' in body
    assert "This password is too short" not in body


def test_logging_in_and_out(client: Any, developer: Any) -> None:
    response = client.post(
        "/en/login/", {"username": "DEV@example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and response["Location"] == "/en/dashboard/"
    response = client.post("/en/logout/")
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert client.get("/en/dashboard/").status_code == 302


def test_a_wrong_password_is_refused_with_the_portals_message(client: Any, developer: Any) -> None:
    response = client.post("/pt-br/login/", {"username": "dev@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_dashboard_needs_a_log_in_in_the_current_language(client: Any) -> None:
    response = client.get("/ko/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/ko/login/?next=%2Fko%2Fdashboard%2F"


def test_the_old_unprefixed_login_url_still_works(client: Any) -> None:
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 302 and response["Location"] == "/hi/login/"


def test_password_reset_by_email(client: Any, developer: Any) -> None:
    # Given a developer who forgot their password
    response = client.post("/en/password-reset/", {"email": "dev@example.com"})
    assert response.status_code == 302 and response["Location"] == "/en/password-reset/sent/"
    # Then an email with a one-time link goes out
    (message,) = mail.outbox
    assert message.subject == "Reset your Doitong password"
    link = re.search(r"http://testserver(/en/reset/\S+/)", message.body).group(1)
    # When they follow it and choose a new password
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"}
    )
    assert response.status_code == 302 and response["Location"] == "/en/reset/done/"
    # Then the new password logs them in
    assert client.login(username="dev@example.com", password="brand-new-passphrase")


def test_password_reset_does_not_reveal_unknown_emails(client: Any, plans: None) -> None:
    response = client.post("/en/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and not mail.outbox


def test_development_prints_email_to_the_console() -> None:
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "doitong.settings"}
    env.pop("DJANGO_EMAIL_BACKEND", None)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "django.core.mail.backends.console.EmailBackend"
