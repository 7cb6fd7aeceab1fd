import uuid
from datetime import date, timedelta
from typing import Any, ClassVar

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django import forms
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.core import validators
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.http import HttpRequest, HttpResponse

from exercises.cache import kept_for_version
from footcare import clock
from footcare.forms import (
    LongSelect,
    ModelIdsField,
    OnePassCheckboxes,
    OnePassForm,
    OnePassNumberInput,
    OnePassRadios,
    OnePassTextInput,
)
from footcare.text import has_invisible_characters

from .models import (
    BIRTH_YEAR_FIRST,
    BIRTH_YEAR_MESSAGE,
    CALF_RAISES_MAX,
    CalfRaiseTest,
    RunnerProfile,
    RunType,
    User,
)

NEW_PASSWORD_HELP = (
    "At least 8 characters. Not a common password, not only numbers, and not like your "
    "email address."
)


def put_errors_in_our_words(fields: dict[str, forms.Field]) -> None:
    """Django's own error messages, which only a tampered form meets, in our words.

    The page never sends an empty required field, a value over its length or a choice it
    did not offer; a form sent some other way got "Ensure this value has at most 60
    characters (it has 61)." A field's own message (set after this) wins.
    """
    for field in fields.values():
        field.error_messages["required"] = "Fill this in."
        if getattr(field, "max_length", None):
            field.error_messages["max_length"] = (
                f"Keep this to {field.max_length} characters or fewer."
            )
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = "Type an email address, such as name@example.com."
        if isinstance(field, forms.ChoiceField | forms.ModelMultipleChoiceField):
            for code in ("invalid_choice", "invalid_list", "invalid_pk_value"):
                field.error_messages[code] = "Choose from the options shown."


INVISIBLE_IN_NAME = (
    "Your name has a character that does not show, or that turns the text around it. "
    "Type it again with letters, numbers, spaces and punctuation."
)


class InOurWords:
    """allauth's form with our labels and help, in sentence case, and no placeholders.

    Placeholders only repeated the labels, and vanish as soon as one types.
    """

    labels: ClassVar[dict[str, str]] = {}
    help_texts: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = self.fields  # type: ignore[attr-defined]
        for name, label in self.labels.items():
            if name in fields:
                fields[name].label = label
        for name, help_text in self.help_texts.items():
            if name in fields:
                fields[name].help_text = help_text
        for field in fields.values():
            field.widget.attrs.pop("placeholder", None)
        put_errors_in_our_words(fields)


class LoginForm(InOurWords, allauth_forms.LoginForm):
    labels: ClassVar = {"login": "Email address", "remember": "Keep me logged in"}
    # The reset link follows the Log in button instead (account/login.html): as the
    # password's help it came between the password and the button in the tab order.
    help_texts: ClassVar = {"password": ""}


class SignupForm(InOurWords, allauth_forms.SignupForm):
    labels: ClassVar = {"email": "Email address", "password2": "Password again"}
    help_texts: ClassVar = {"password1": NEW_PASSWORD_HELP}

    # The browser's own zone, filled in by static/js/time_zone.js; the runner can change it
    # on their profile.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_sex(self) -> str:
        # Optional, so an empty answer clears it; a form sent without the field (an old tab)
        # keeps what was saved.
        return self.cleaned_data["sex"] if "sex" in self.data else self.instance.sex

    def clean_birth_year(self) -> int | None:
        if "birth_year" not in self.data:
            return self.instance.birth_year
        return self.cleaned_data["birth_year"]

    def clean_weight_unit(self) -> str:
        return self.cleaned_data["weight_unit"] or self.instance.weight_unit

    def clean_time_zone(self) -> str:
        """The browser's zone, or "" for none or one the system does not know (a browser
        without JavaScript, or a tampered form): the signup goes on in the site's zone."""
        name = self.cleaned_data["time_zone"]
        return name if name in clock.time_zone_names() else ""

    def custom_signup(self, request: HttpRequest, user: User) -> None:
        super().custom_signup(request, user)
        if self.cleaned_data["time_zone"]:
            RunnerProfile.objects.filter(user=user).update(time_zone=self.cleaned_data["time_zone"])

    def try_save(self, request: HttpRequest) -> tuple[User | None, HttpResponse | None]:
        if not self.cleaned_data["time_zone"]:
            # Said whether or not the address has an account, so that it tells nothing.
            messages.info(
                request,
                f"We could not tell your time zone, so your days follow {clock.site_time_zone()}"
                " for now. Choose yours on your profile.",
            )
        if self.account_already_exists:
            # Only a new account hashed the password, so a known address answered in a
            # tenth of the time and the clock told who has an account. Hash it anyway.
            make_password(self.cleaned_data["password1"])
            return super().try_save(request)
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            # The same new address twice at once (a double click): both submissions found
            # it free, and the database's unique key let only the first in. The second
            # answers as any signup with a known address does. The first has just used the
            # address's one email per 10 seconds, which would turn that answer into a 429.
            self.account_already_exists = True
            ratelimit.clear(request, action="confirm_email", key=self.cleaned_data["email"])
            return super().try_save(request)


class ConfirmEmailVerificationCodeForm(InOurWords, allauth_forms.ConfirmEmailVerificationCodeForm):
    labels: ClassVar = {"code": "Code from the email"}


class ChangeEmailForm(InOurWords, allauth_forms.ChangeEmailForm):
    labels: ClassVar = {"email": "Email address"}


class AddEmailForm(InOurWords, allauth_forms.AddEmailForm):
    labels: ClassVar = {"email": "New email address"}


class ChangePasswordForm(InOurWords, allauth_forms.ChangePasswordForm):
    labels: ClassVar = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "New password again",
    }
    # The reset link follows the button (account/password_change.html), as on the login page.
    help_texts: ClassVar = {"oldpassword": "", "password1": NEW_PASSWORD_HELP}

    def clean_oldpassword(self) -> str:
        # allauth checks the password on the user directly, which counted only this page's
        # own 5 a minute and kept answering while the login was locked. Through the
        # adapter it counts towards the account's failed-login lock, and is refused with
        # the lock's message while the lock holds.
        password = self.cleaned_data.get("oldpassword", "")
        if not get_adapter().reauthenticate(self.user, password):
            raise get_adapter().validation_error("enter_current_password")
        return password


class ReauthenticateForm(InOurWords, allauth_forms.ReauthenticateForm):
    labels: ClassVar = {"password": "Your password"}
    # The reset link follows the button (account/reauthenticate.html).
    help_texts: ClassVar = {"password": ""}


class ResetPasswordForm(InOurWords, allauth_forms.ResetPasswordForm):
    labels: ClassVar = {"email": "Email address"}


class ResetPasswordKeyForm(InOurWords, allauth_forms.ResetPasswordKeyForm):
    labels: ClassVar = {"password1": "New password", "password2": "New password again"}
    help_texts: ClassVar = {"password1": NEW_PASSWORD_HELP}


# The library's lists the profile offers, the same for every runner: kept in the cache under
# the content version (`exercises.cache`), as the published ladders are.
LIBRARY_CHOICES_KEY = "library:profile-choices"
# The profile's many-to-many fields: who the runner is and what they have.
CHOSEN_FIELDS = ("conditions", "hurting_now", "equipment")


def _chosen_field(name: str) -> forms.Field:
    """The form field the model's many-to-many makes, as a ModelForm would make it (label,
    help, not required), taking ids (ModelIdsField) and drawn in one pass."""
    return RunnerProfile._meta.get_field(name).formfield(
        form_class=ModelIdsField, widget=OnePassCheckboxes
    )


def chosen_ids(profile: RunnerProfile) -> dict[str, list[int]]:
    """The ids the runner has ticked in each list, in one query (a ModelForm reads each
    list's rows, whole, in a query of its own)."""
    parts = []
    for number, name in enumerate(CHOSEN_FIELDS):
        field = RunnerProfile._meta.get_field(name)
        parts.append(
            field.remote_field.through.objects.filter(**{field.m2m_field_name(): profile.pk})
            .annotate(field_number=Value(number))
            .values_list("field_number", f"{field.m2m_reverse_field_name()}_id")
            .order_by()
        )
    chosen: dict[str, list[int]] = {name: [] for name in CHOSEN_FIELDS}
    for number, pk in parts[0].union(*parts[1:], all=True):
        chosen[CHOSEN_FIELDS[number]].append(pk)
    return chosen


class RunnerProfileForm(OnePassForm, forms.ModelForm):
    """Everything on the profile but the weekly pattern, which is saved a day at a time."""

    # Not the model form's own: their ticked ids come in one query (chosen_ids) and the
    # lists they offer from the cache (library_choices), not five queries a page.
    conditions = _chosen_field("conditions")
    hurting_now = _chosen_field("hurting_now")
    equipment = _chosen_field("equipment")

    field_order: ClassVar = [
        "display_name",
        "experience",
        "time_zone",
        "weight_unit",
        "conditions",
        "hurting_now",
        "equipment",
        "sex",
        "birth_year",
    ]

    class Meta:
        model = RunnerProfile
        fields = ["display_name", "experience", "time_zone", "weight_unit", "sex", "birth_year"]
        widgets = {
            "display_name": OnePassTextInput,
            "experience": OnePassRadios,
            "sex": OnePassRadios,
            "weight_unit": OnePassRadios,
            "birth_year": OnePassNumberInput,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk is not None:
            kwargs["initial"] = {**chosen_ids(instance), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        offered = library_choices(self.fields["conditions"], self.fields["equipment"])
        for name in CHOSEN_FIELDS:
            # What is drawn; what is sent is still checked against the library's rows.
            self.fields[name].widget.choices = offered[
                "equipment" if name == "equipment" else "conditions"
            ]
        self.fields["display_name"].widget.attrs.update(autocomplete="nickname")
        put_errors_in_our_words(self.fields)
        self.fields["display_name"].error_messages.update(
            max_length="Keep your name to 60 characters or fewer.",
            # Django's validator catches U+0000 before clean_display_name sees it.
            null_characters_not_allowed=INVISIBLE_IN_NAME,
        )
        self.fields["experience"].error_messages["required"] = (
            "Choose how much strength work you have done."
        )
        self.fields["experience"].error_messages["invalid_choice"] = (
            "Choose how much strength work you have done."
        )
        self.fields["sex"].error_messages["invalid_choice"] = (
            "Choose female, male or rather not say."
        )
        year = self.fields["birth_year"]
        year.widget.attrs.update(
            min=BIRTH_YEAR_FIRST,
            max=clock.today().year,
            inputmode="numeric",
            autocomplete="bday-year",
        )
        for error in ("invalid", "min_value", "max_value"):
            year.error_messages[error] = BIRTH_YEAR_MESSAGE
        # A form sent without it (an old tab) keeps the unit (clean_weight_unit).
        self.fields["weight_unit"].required = False
        self.fields["weight_unit"].error_messages["invalid_choice"] = "Choose kilograms or pounds."
        # The system's zones, a choice each (the model field holds no list, see there).
        model_field = self.fields["time_zone"]
        self.fields["time_zone"] = forms.ChoiceField(
            choices=clock.time_zone_choices,
            widget=LongSelect,
            # The page always sends one; a form without it keeps the zone (clean_time_zone).
            required=False,
            label=model_field.label,
            help_text=model_field.help_text,
            error_messages={"required": clock.BAD_TIME_ZONE, "invalid_choice": clock.BAD_TIME_ZONE},
        )

    def save(self, commit: bool = True) -> RunnerProfile:
        """Write only the columns this form owns.

        The weekly pattern is saved a day at a time, in place, while this form may have been
        loaded minutes before: a whole-row save wrote all seven days back from that stale
        copy, and lost days saved in between (19 of 35 in a probe).
        """
        profile = super().save(commit=False)
        save_model_m2m = self.save_m2m

        def save_m2m() -> None:
            save_model_m2m()
            for name in CHOSEN_FIELDS:
                getattr(profile, name).set(self.cleaned_data[name])
            # A condition that hurts now is one to guard against, ticked or not above.
            profile.conditions.add(*self.cleaned_data.get("hurting_now", []))

        self.save_m2m = save_m2m
        if commit:
            fields = self._meta.fields or []
            owned = [
                name for name in fields if not RunnerProfile._meta.get_field(name).many_to_many
            ]
            profile.save(update_fields=[*owned, "updated_at"])
            self.save_m2m()
        return profile

    def clean_sex(self) -> str:
        # Optional, so an empty answer clears it; a form sent without the field (an old tab)
        # keeps what was saved.
        return self.cleaned_data["sex"] if "sex" in self.data else self.instance.sex

    def clean_birth_year(self) -> int | None:
        if "birth_year" not in self.data:
            return self.instance.birth_year
        return self.cleaned_data["birth_year"]

    def clean_weight_unit(self) -> str:
        return self.cleaned_data["weight_unit"] or self.instance.weight_unit

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"] or self.instance.time_zone

    def clean_display_name(self) -> str:
        if has_invisible_characters(self.cleaned_data["display_name"]):
            raise forms.ValidationError(INVISIBLE_IN_NAME)
        name = " ".join(self.cleaned_data["display_name"].split())
        if name and not any(character.isalnum() for character in name):
            raise forms.ValidationError("Use at least one letter or number in your name.")
        return name


def library_choices(
    conditions: forms.ModelMultipleChoiceField, equipment: forms.ModelMultipleChoiceField
) -> dict[str, list[tuple[int, str]]]:
    """The conditions and the equipment the profile offers, as (id, name) in the fields'
    order, from the cache in one read while the library is unchanged; read again, in two
    queries, after an edit."""
    return kept_for_version(
        LIBRARY_CHOICES_KEY,
        lambda: {
            "conditions": [(obj.pk, str(obj)) for obj in conditions.queryset],
            "equipment": [(obj.pk, str(obj)) for obj in equipment.queryset],
        },
    )


RUN_TYPE_CHOICE = "Choose rest, an easy run, a long run or a hard workout."


class RunDayForm(OnePassForm, forms.Form):
    """One day of the weekly running pattern (its errors drawn in one pass)."""

    run_type = forms.ChoiceField(choices=RunType.choices, widget=LongSelect)

    def __init__(self, *args: Any, day: str, **kwargs: Any) -> None:
        self.day = day
        kwargs.setdefault("prefix", day)
        super().__init__(*args, **kwargs)
        self.fields["run_type"].label = day.capitalize()
        self.fields["run_type"].error_messages.update(
            required=RUN_TYPE_CHOICE, invalid_choice=RUN_TYPE_CHOICE
        )

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
        self.fields["password"].error_messages["required"] = (
            "Type your password to delete your account."
        )

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


CALF_TEST_DAYS_BACK = 60
RAISES_ATTRS = {"min": 0, "max": CALF_RAISES_MAX, "inputmode": "numeric"}


class CalfRaiseTestForm(forms.ModelForm):
    """One calf capacity test: both legs' raises, the surface and the day."""

    token = forms.UUIDField(required=False, initial=uuid.uuid4, widget=forms.HiddenInput)

    class Meta:
        model = CalfRaiseTest
        fields = ["tested_on", "surface", "left", "right"]
        widgets = {
            "tested_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "surface": forms.RadioSelect,
            "left": forms.NumberInput(
                attrs={"min": 0, "max": CALF_RAISES_MAX, "inputmode": "numeric"}
            ),
            "right": forms.NumberInput(
                attrs={"min": 0, "max": CALF_RAISES_MAX, "inputmode": "numeric"}
            ),
        }

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["tested_on"].initial = today
        put_errors_in_our_words(self.fields)
        self.fields["tested_on"].error_messages.update(
            required="Give the date of the test.", invalid="Give the date as a day, month and year."
        )
        self.fields["surface"].error_messages.update(
            required="Choose a step edge or flat ground.",
            invalid_choice="Choose a step edge or flat ground.",
        )
        for side in ("left", "right"):
            message = f"Count the {side} leg's raises: a whole number from 0 to {CALF_RAISES_MAX}."
            self.fields[side].error_messages.update(
                required=message, invalid=message, max_value=message, min_value=message
            )
            self.fields[side].validators = [
                validators.MinValueValidator(0, message=message),
                validators.MaxValueValidator(CALF_RAISES_MAX, message=message),
            ]

    def clean_tested_on(self) -> date:
        tested_on = self.cleaned_data["tested_on"]
        if tested_on > self.today:
            raise forms.ValidationError("The test cannot be in the future.")
        if tested_on < self.today - timedelta(days=CALF_TEST_DAYS_BACK):
            raise forms.ValidationError(f"Record a test from the last {CALF_TEST_DAYS_BACK} days.")
        return tested_on
