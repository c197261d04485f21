"""Portal forms. Labels and messages are the portal's own, so every language has them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from billing.models import Mode

User = get_user_model()


def _password_help() -> Any:
    return _("At least 8 characters, not a common password.")


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_password_help(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise forms.ValidationError(
                _("An account with this email already exists. Log in instead."), code="taken"
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            candidate = User(username=cleaned.get("email", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(AuthenticationForm):
    """Log in with the email address (it is the username)."""

    error_messages = {
        "invalid_login": _("That email and password do not match an account."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget.attrs.update({"autocomplete": "email"})
        self.fields["password"].label = _("Password")

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")


class ResetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("The two passwords do not match.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _password_help()
        self.fields["new_password2"].label = _("New password again")


class KeyCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("For you: where the key is used, e.g. 'staging server'."),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            (Mode.TEST, _("Test (sandbox, test credits)")),
            (Mode.LIVE, _("Live (real providers, live credits)")),
        ],
        initial=Mode.TEST,
        widget=forms.RadioSelect,
    )


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=2048,
        required=False,
        assume_scheme="https",
        help_text=_("A public https URL. Leave empty to stop sending events."),
        widget=forms.URLInput(attrs={"placeholder": "https://your-app.com/webhooks/doitong"}),
    )


class GenerationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("QUEUED", _("Queued")),
            ("PROCESSING", _("Processing")),
            ("COMPLETED", _("Completed")),
            ("FAILED", _("Failed")),
            ("CANCELLED", _("Cancelled")),
        ],
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[
            ("", _("Any type")),
            ("VIDEO", _("Video")),
            ("IMAGE", _("Image")),
            ("AUDIO", _("Audio")),
            ("AVATAR", _("Avatar")),
        ],
    )
