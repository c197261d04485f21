"""factory_boy factories for users and accounts (accounts go through the service)."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"dev{n}@example.com")
    email = factory.SelfAttribute("username")


class AccountFactory(factory.Factory):
    """An account on ``plan`` (default Free) with starter test credits."""

    class Meta:
        model = dict  # built through account_create, not the model constructor

    user = factory.SubFactory(UserFactory)
    plan = "free"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        from billing.accounts import account_create

        return account_create(user=kwargs["user"], plan_slug=kwargs["plan"])

    _build = _create
