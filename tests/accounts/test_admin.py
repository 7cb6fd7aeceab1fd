import re

import pytest
from django.core.management import call_command
from django.test import Client

from footcare.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    admin = User.objects.create_superuser("admin@example.com", "a-long-admin-password-3")
    client.force_login(admin)
    return client


def test_the_admin_sidebar_names_each_app_once(staff_client: Client):
    html = staff_client.get("/admin/").content.decode()

    sections = re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)
    assert "Runners and users" in sections
    assert len(sections) == len(set(sections)), sections


def test_the_apps_name_needs_no_migration():
    # verbose_name lives on the AppConfig, which migrations never record.
    call_command("makemigrations", "accounts", check=True, dry_run=True, verbosity=0)
