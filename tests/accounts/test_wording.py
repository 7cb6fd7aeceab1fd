"""Every page, message and email a runner gets from the accounts reads as Footcare's."""

import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.test import Client

from footcare.accounts.models import User
from tests.conftest import PASSWORD, make_runner

from .conftest import login

pytestmark = pytest.mark.django_db

ALLAUTH_EMAILS = Path(allauth.__file__).parent / "templates" / "account" / "email"
ALLAUTH_MESSAGES = Path(allauth.__file__).parent / "templates" / "account" / "messages"
OURS = Path(settings.BASE_DIR) / "templates"

# allauth's templates that cannot reach a runner with our settings: there are no phone
# numbers, resetting a password by code is off, and allauth 65 never sends email_confirm.
NEVER_SENT = re.compile(r"^(phone_|password_reset_code_|email_confirm_(message|subject))")

# allauth's own voice, which must not show through anywhere.
ALLAUTH_PHRASES = [
    "has given your email address to register",
    "You're receiving this",
    "You are receiving this",
    "Thank you for using",
    "password forgotten procedure",
    "in our database",
    "Please enter it in your open browser window",
    "take proper security precautions",
    "Successfully signed in",
    "Enter Email Verification Code",
    "Email Address",
    "Change Email",
    "Remember Me",
    "Change Password",
    "Password Reset",
    "Re-send Verification",
    "Bad Token",
    "and/or",
    "Incorrect code",
    "Too many failed login attempts",
]


def assert_ours(text: str) -> None:
    for phrase in ALLAUTH_PHRASES:
        assert phrase not in text, f"allauth's {phrase!r} shows through:\n{text}"


def assert_footcare_mail(message, subject: str) -> None:
    assert message.subject == f"[Footcare] {subject}"
    assert message.body.startswith("Hello from Footcare,\n\n")
    assert "Footcare: foot, ankle and calf strength for runners" in message.body
    assert_ours(message.subject + message.body)


@pytest.mark.parametrize(
    "name",
    sorted(
        path.name
        for path in [*ALLAUTH_EMAILS.glob("*.txt"), *ALLAUTH_MESSAGES.glob("*.txt")]
        if not NEVER_SENT.match(path.name)
    ),
)
def test_every_email_and_message_allauth_may_send_is_ours(name: str):
    folder = "email" if (ALLAUTH_EMAILS / name).exists() else "messages"

    origin = Path(get_template(f"account/{folder}/{name}").origin.name)

    assert OURS in origin.parents, f"account/{folder}/{name} is still allauth's"


def code_in(message) -> str:
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.MULTILINE).group(1)


def test_the_signup_code_email(client: Client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    [message] = mail.outbox
    assert_footcare_mail(message, "Your code to finish signing up")
    assert "Here is your code to finish creating your Footcare account" in message.body
    html = response.content.decode()
    assert "<h1>Check your email</h1>" in html
    assert '<label for="id_code">Code from the email</label>' in html
    assert "We have sent a code to new@example.com." in html
    assert_ours(html)


@pytest.mark.parametrize(
    ("logged_in_before", "subject", "says"),
    [
        # Signed up, never typed the code: allauth sends the signup code again.
        (False, "Your code to finish signing up", "finish creating your Footcare account"),
        # An account that was in use whose address is not confirmed (made in the admin).
        (True, "Your code to confirm your email address", "confirm this email address"),
    ],
)
def test_the_code_email_at_login_for_an_unconfirmed_address(
    client: Client, logged_in_before: bool, subject: str, says: str
):
    from django.utils import timezone

    user = User.objects.create_user("later@example.com", PASSWORD)
    if logged_in_before:
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = login(client, user.email)
    page = client.get(response.url).content.decode()

    [message] = mail.outbox
    assert_footcare_mail(message, subject)
    assert says in message.body
    assert "Check your email" in page
    assert_ours(page)


def test_the_account_already_exists_email(client: Client):
    make_runner("known@example.com")

    client.post(
        "/accounts/signup/",
        {"email": "known@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    [message] = mail.outbox
    assert_footcare_mail(message, "You already have an account")
    assert "http://testserver/accounts/password/reset/" in message.body


def test_the_unknown_account_email(client: Client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    [message] = mail.outbox
    assert_footcare_mail(message, "No account for this email address")
    assert "http://testserver/accounts/signup/" in message.body
    assert_ours(client.get(response.url).content.decode())


def test_the_reset_email_and_the_notice_after_the_reset(client: Client, runner: User):
    client.post("/accounts/password/reset/", {"email": runner.email})
    [reset] = mail.outbox
    assert_footcare_mail(reset, "Reset your password")
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", reset.body).group(1)

    form_page = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form_page.content.decode()
    assert_ours(form_page.content.decode())
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "fresh-hill-repeats-31", "password2": "fresh-hill-repeats-31"},
        follow=True,
    )

    assert "<h1>Your password is changed</h1>" in done.content.decode()
    notice = mail.outbox[-1]
    assert_footcare_mail(notice, "Your password was reset")
    assert "If it was not you, someone else may have your password." in notice.body
    assert_ours(client.get(link, follow=True).content.decode())


def test_the_password_changed_email(runner_client: Client, runner: User):
    page = runner_client.get("/accounts/password/change/").content.decode()
    response = runner_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-tempo-runs-55",
            "password2": "new-tempo-runs-55",
        },
        follow=True,
    )

    assert "<h1>Change your password</h1>" in page
    assert_ours(page)
    assert "Your password is changed." in response.content.decode()
    [message] = mail.outbox
    assert_footcare_mail(message, "Your password was changed")
    assert "The password of your Footcare account was changed." in message.body


def test_changing_the_email_address_mails_a_code_then_tells_the_old_address(
    runner_client: Client, runner: User
):
    page = runner_client.get("/accounts/email/").content.decode()
    assert "<h1>Your email address</h1>" in page
    assert_ours(page)

    reauthenticate = runner_client.post(
        "/accounts/email/", {"email": "ada.new@example.com", "action_add": ""}, follow=True
    )
    assert "<h1>Confirm it is you</h1>" in reauthenticate.content.decode()
    assert_ours(reauthenticate.content.decode())
    asked = runner_client.post(
        "/accounts/reauthenticate/",
        {"password": PASSWORD, "next": "/accounts/email/"},
        follow=True,
    )
    [code] = mail.outbox
    assert code.to == ["ada.new@example.com"]
    assert_footcare_mail(code, "Your code to confirm your email address")
    assert "We have sent a code to <strong>ada.new@example.com</strong>" in (asked.content.decode())
    assert_ours(asked.content.decode())

    runner_client.post("/accounts/confirm-email/", {"code": code_in(code)})

    changed = mail.outbox[-1]
    assert changed.to == ["ada@example.com"], "the old address hears of it"
    assert_footcare_mail(changed, "Your email address was changed")
    assert "from ada@example.com to ada.new@example.com" in changed.body


def test_the_login_and_logout_messages(client: Client, runner: User):
    from footcare.accounts.models import RunnerProfile

    RunnerProfile.objects.filter(user=runner).update(display_name="Ada")

    logged_in = client.get(login(client, runner.email).url).content.decode()
    logged_out = client.post("/accounts/logout/", follow=True).content.decode()

    assert "You are logged in as Ada." in logged_in
    assert "You are logged out." in logged_out


def test_a_name_in_a_message_is_escaped(client: Client, runner: User):
    from footcare.accounts.models import RunnerProfile

    RunnerProfile.objects.filter(user=runner).update(display_name="<b>Ada</b>")

    html = client.get(login(client, runner.email).url).content.decode()

    assert "You are logged in as &lt;b&gt;Ada&lt;/b&gt;." in html


@pytest.mark.parametrize(
    ("template", "extra", "subject", "says"),
    [
        ("login_code", {"code": "ABCD-EFGH"}, "Your login code", "ABCD-EFGH"),
        ("password_set", {}, "A password was set for your account", "was set"),
        (
            "email_deleted",
            {"deleted_email": "old@example.com"},
            "An email address was removed from your account",
            "old@example.com was removed",
        ),
    ],
)
def test_the_emails_no_flow_here_sends_yet_are_ours_too(
    rf, template: str, extra: dict, subject: str, says: str
):
    from allauth.account.adapter import get_adapter
    from allauth.core import context as allauth_context
    from django.utils import timezone

    request = rf.get("/")
    with allauth_context.request_context(request):
        message = get_adapter(request).render_mail(
            f"account/email/{template}",
            "ada@example.com",
            {
                "current_site": type("Site", (), {"domain": "testserver", "name": "Footcare"}),
                "timestamp": timezone.now(),
                "ip": "203.0.113.7",
                "user_agent": "Firefox",
                **extra,
            },
        )

    assert_footcare_mail(message, subject)
    assert says in message.body


def test_the_errors_allauth_raises_are_ours(client: Client, runner: User):
    wrong_password = login(client, runner.email, "not-my-password").content.decode()
    signing_up = Client()
    signing_up.post(
        "/accounts/signup/",
        {"email": "newer@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    wrong_code = signing_up.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"})

    assert "That email address and password do not match an account." in wrong_password
    assert "That code is not right." in wrong_code.content.decode()
    assert_ours(wrong_password)
    assert_ours(wrong_code.content.decode())
