from __future__ import annotations

from typing import Any

from django import forms

from footcare.accounts.forms import put_errors_in_our_words
from routines.plans.forms import OnceTokenField

from .models import EXPIRY_CHOICES, ShareLink


class ShareLinkForm(forms.ModelForm):
    expires_in = forms.TypedChoiceField(
        label="Stops working after",
        choices=EXPIRY_CHOICES,
        coerce=int,
        initial=30,
        help_text="You can stop it sooner at any time.",
    )
    token = OnceTokenField()

    class Meta:
        model = ShareLink
        fields = ["label", "show_plan", "show_log", "show_pain", "weeks"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        put_errors_in_our_words(self.fields)
        self.fields["label"].error_messages["required"] = (
            "Say whom the link is for, such as “Dr Okafor, physio”."
        )
        self.fields["weeks"].error_messages["invalid_choice"] = "Choose how many weeks to show."
        self.fields["expires_in"].error_messages["invalid_choice"] = (
            "Choose when the link stops working."
        )

    def clean_label(self) -> str:
        return " ".join(self.cleaned_data["label"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(name) for name in ("show_plan", "show_log", "show_pain")):
            raise forms.ValidationError("Choose at least one thing to show.")
        return data
