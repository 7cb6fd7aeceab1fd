"""The profile's ticked conditions and equipment: an id no column can hold is refused."""

import pytest
from django.test import Client

from footcare.accounts.models import RunnerProfile, User


@pytest.mark.parametrize("sent", ["9" * 25, "7" * 10_000, "-" + "9" * 25])
def test_an_id_past_any_column_is_refused_beside_the_field(
    runner_client: Client, runner: User, sent
):
    before = list(RunnerProfile.objects.get(user=runner).equipment.values_list("pk", flat=True))

    response = runner_client.post(
        "/accounts/profile/",
        {"display_name": "Ada", "experience": "new", "time_zone": "UTC", "equipment": [sent]},
    )

    assert response.status_code == 400
    assert "Choose from the options shown." in response.text
    profile = RunnerProfile.objects.get(user=runner)
    assert list(profile.equipment.values_list("pk", flat=True)) == before
    assert profile.display_name != "Ada"
