"""How fields are drawn: label, error, input, then help; a tick box before its label."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def positions(html: str, *needles: str) -> list[int]:
    return [html.index(needle) for needle in needles]


def test_the_login_form_goes_email_password_tick_box_button_then_reset_link(client: Client):
    html = client.get("/accounts/login/").content.decode()

    order = positions(
        html,
        'id="id_login"',
        'id="id_password"',
        'id="id_remember"',
        '<button type="submit">Log in</button>',
        'href="/accounts/password/reset/"',
    )
    assert order == sorted(order), order


def test_the_tick_box_comes_before_its_label_which_has_no_colon(client: Client):
    html = client.get("/accounts/login/").content.decode()

    assert re.search(
        r'<input type="checkbox" name="remember" id="id_remember">\s*'
        r'<label for="id_remember">Keep me logged in</label>',
        html,
    )
    assert "Remember Me" not in html


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_labels_are_in_sentence_case_without_a_colon(client: Client, url: str):
    labels = re.findall(r"<label[^>]*>([^<]+)</label>", client.get(url).content.decode())

    assert labels
    for label in labels:
        assert not label.strip().endswith(":"), label
        words = label.split()
        assert all(word.islower() for word in words[1:]), label


def test_help_follows_its_input_and_describes_it(runner_client: Client):
    html = runner_client.get("/accounts/profile/").content.decode()

    display_name = re.search(r"<input[^>]*id=\"id_display_name\"[^>]*>", html).group(0)
    assert 'aria-describedby="id_display_name_helptext"' in display_name
    input_at, help_at = positions(html, 'id="id_display_name"', 'id="id_display_name_helptext"')
    assert input_at < help_at


def test_an_error_comes_between_the_label_and_the_input_and_describes_it(client: Client):
    html = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "short", "password2": "short"},
    ).content.decode()

    label_at, error_at, input_at, help_at = positions(
        html,
        '<label for="id_password1">',
        'id="id_password1_error"',
        'id="id_password1"',
        'id="id_password1_helptext"',
    )
    assert label_at < error_at < input_at < help_at
    password = re.search(r"<input[^>]*id=\"id_password1\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in password
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in password


def test_a_group_of_choices_keeps_its_legend_and_help_first(runner_client: Client):
    html = runner_client.get("/accounts/profile/").content.decode()

    assert re.search(r"<fieldset[^>]*>\s*<legend>Experience with strength work</legend>", html)
    assert re.search(
        r'<fieldset aria-describedby="id_equipment_helptext">\s*<legend>Equipment at hand</legend>'
        r'\s*(<[^>]*>\s*)*?<div class="helptext" id="id_equipment_helptext">',
        html,
    )


def test_the_password_change_form_offers_the_reset_link_once_after_its_buttons(
    runner_client: Client,
):
    html = runner_client.get("/accounts/password/change/").content.decode()

    assert html.count('href="/accounts/password/reset/"') == 1
    button_at, link_at = positions(
        html, '<button type="submit">Change password</button>', 'href="/accounts/password/reset/"'
    )
    assert button_at < link_at
