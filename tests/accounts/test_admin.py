import re

import pytest
from django.core.management import call_command
from django.test import Client

from footcare.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_admin_sidebar_names_each_app_once(superuser_client: Client):
    html = superuser_client.get("/admin/").content.decode()

    sections = re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)
    assert "Runners and users" in sections
    assert len(sections) == len(set(sections)), sections


def test_the_apps_name_needs_no_migration():
    # verbose_name lives on the AppConfig, which migrations never record.
    call_command("makemigrations", "accounts", check=True, dry_run=True, verbosity=0)


def test_a_superuser_made_at_the_command_line_logs_in_and_opens_the_admin(
    client: Client, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-operators-long-password-8")
    call_command("createsuperuser", interactive=False, email="Operator@Example.com", verbosity=0)

    response = client.post(
        "/accounts/login/",
        {
            "login": "operator@example.com",
            "password": "an-operators-long-password-8",
            "next": "/admin/",
        },
    )

    assert response.status_code == 302
    assert response.url == "/admin/", "no emailed code asked for"
    assert client.get("/admin/").status_code == 200


def test_a_superusers_address_is_recorded_verified_and_primary():
    from allauth.account.models import EmailAddress

    user = User.objects.create_superuser("Boss@Example.com", "a-long-admin-password-3")

    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("boss@example.com", True, True)


def test_an_ordinary_user_still_verifies_their_address():
    from allauth.account.models import EmailAddress

    User.objects.create_user("runner@example.com", "a-long-runner-password-3")

    assert not EmailAddress.objects.filter(email="runner@example.com").exists()
