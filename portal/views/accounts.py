"""Sign-up, log-in, log-out and password reset.

A new developer gets an account through `billing.accounts.account_create`: the
Free plan, the starter test balance and a ``whsec_`` webhook secret. In
development, password-reset mail goes to the console (settings.EMAIL_BACKEND).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.decorators import ratelimit

from billing.accounts import account_create
from portal.forms import LoginForm, ResetPasswordForm, ResetRequestForm, SignupForm

User = get_user_model()

# Sign-up and log-in attempts per client address (django-ratelimit on the cache).
AUTH_RATE = "20/m"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@ratelimit(key="ip", rate=AUTH_RATE, method="POST", block=False)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many attempts. Wait a minute and try again."))
        elif form.is_valid():
            email = form.cleaned_data["email"]
            with transaction.atomic():
                user = User.objects.create_user(
                    username=email, email=email, password=form.cleaned_data["password1"]
                )
                account_create(user=user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to Doitong! Your Free plan comes with test credits: create a test key."),
            )
            return redirect("portal:dashboard")
    return render(request, "portal/accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "portal/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:dashboard")

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        from django_ratelimit.core import is_ratelimited

        if is_ratelimited(request, group="portal.login", key="ip", rate=AUTH_RATE, increment=True):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Too many attempts. Wait a minute and try again."))
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return str(reverse_lazy("portal:dashboard"))


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:home")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/accounts/password_reset_form.html"
    email_template_name = "portal/accounts/password_reset_email.txt"
    subject_template_name = "portal/accounts/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/accounts/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("portal:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/accounts/password_reset_complete.html"
