from __future__ import annotations

from typing import Any

from django import forms

from footcare.accounts.models import RunnerProfile

BAD_TIME = "Enter a time of day such as 07:30."
BAD_CHANNEL = "Choose email, a calendar alarm or both."


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = RunnerProfile
        fields = ["reminders_on", "reminder_time", "reminder_channel"]
        widgets = {
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "reminder_channel": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reminder_time"].input_formats = ["%H:%M", "%H:%M:%S"]
        self.fields["reminder_time"].error_messages.update(required=BAD_TIME, invalid=BAD_TIME)
        self.fields["reminder_channel"].error_messages.update(
            required=BAD_CHANNEL, invalid_choice=BAD_CHANNEL
        )
        self.fields[
            "reminders_on"
        ].help_text = "Only on days your active plan has work on, and not once you have done it."

    def save(self, commit: bool = True) -> RunnerProfile:
        # Only these columns: the rest of the profile may have changed in another tab.
        profile = super().save(commit=False)
        if commit:
            profile.save(update_fields=[*self._meta.fields, "updated_at"])
        return profile
