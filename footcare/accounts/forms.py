from typing import Any

from allauth.account.adapter import get_adapter
from django import forms
from django.http import HttpRequest

from .models import RunnerProfile, RunType, User


class RunnerProfileForm(forms.ModelForm):
    """Everything on the profile but the weekly pattern, which is saved a day at a time."""

    class Meta:
        model = RunnerProfile
        fields = ["display_name", "units", "experience", "conditions", "equipment"]
        widgets = {
            "units": forms.RadioSelect,
            "experience": forms.RadioSelect,
            "conditions": forms.CheckboxSelectMultiple,
            "equipment": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs.update(autocomplete="nickname")

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if name and not any(character.isalnum() for character in name):
            raise forms.ValidationError("Use at least one letter or number in your name.")
        return name


class RunDayForm(forms.Form):
    """One day of the weekly running pattern."""

    run_type = forms.ChoiceField(choices=RunType.choices)

    def __init__(self, *args: Any, day: str, **kwargs: Any) -> None:
        self.day = day
        kwargs.setdefault("prefix", day)
        super().__init__(*args, **kwargs)
        self.fields["run_type"].label = day.capitalize()

    @property
    def saved_label(self) -> str:
        """The label of the run type the form holds, for telling the runner what was saved."""
        value = self.data.get(self.add_prefix("run_type")) if self.is_bound else None
        value = value or self.initial.get("run_type", "")
        return RunType(value).label if value in RunType.values else ""


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        self.request = request
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through allauth's adapter, so a wrong password here counts towards the same
        # failed-login limits as the login form: a stolen session cannot guess its way on.
        authenticated = get_adapter(self.request).authenticate(
            self.request, email=self.user.email, password=password
        )
        if authenticated is None or authenticated.pk != self.user.pk:
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password
