"""The same form sent twice at once answers as once, and loses nothing (on PostgreSQL)."""

import pytest
from django.conf import global_settings
from django.core import mail
from django.test import Client

from footcare.accounts.models import User

from ..concurrency import double_submit, needs_parallel_database

pytestmark = [needs_parallel_database, pytest.mark.django_db(transaction=True)]

SIGNUP = {
    "email": "new.runner@example.com",
    "password1": "steady-calf-raises-41",
    "password2": "steady-calf-raises-41",
}


def test_a_double_clicked_signup_answers_both_clicks_like_any_signup(settings):
    # The real, slow hasher: it is what holds both requests between "is the address free?"
    # and saving it, as in production.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS

    responses = double_submit(Client(), "/accounts/signup/", SIGNUP)

    assert [response.status_code for response in responses] == [302, 302]
    assert {response.url for response in responses} == {"/accounts/confirm-email/"}
    assert User.objects.filter(email=SIGNUP["email"]).count() == 1
    # One code for the account; the click that lost the race mails as a known address does.
    assert all(message.to == [SIGNUP["email"]] for message in mail.outbox)
