"""The portal's pages. Mounted under a language prefix by doitong/urls.py."""

from django.urls import path

from portal.views import accounts, dashboard, docs, pages

app_name = "portal"
urlpatterns = [
    path("", pages.home, name="home"),
    path("pricing/", pages.pricing, name="pricing"),
    # Docs
    path("docs/", docs.docs_index, name="docs"),
    path("docs/providers/", docs.providers_index, name="providers"),
    path("docs/providers/<str:provider_id>/", docs.provider_detail, name="provider"),
    path("docs/api/", docs.api_reference, name="api_reference"),
    path("docs/api/schema.graphql", docs.schema_sdl, name="schema_sdl"),
    path("docs/<slug:slug>/", docs.doc_page, name="doc"),
    # Accounts
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Dashboard
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/keys/", dashboard.key_create, name="key_create"),
    path("dashboard/keys/<int:key_id>/revoke/", dashboard.key_revoke, name="key_revoke"),
    path("dashboard/credits/refill/", dashboard.credits_refill, name="credits_refill"),
    path("dashboard/webhooks/", dashboard.webhook_set, name="webhook_set"),
    path("dashboard/webhooks/rotate/", dashboard.webhook_rotate, name="webhook_rotate"),
    path(
        "dashboard/webhooks/deliveries/<str:delivery_id>/redeliver/",
        dashboard.webhook_redeliver,
        name="webhook_redeliver",
    ),
]
