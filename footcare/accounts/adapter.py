"""allauth's account adapter: its error messages in our words, and one lock per account."""

import contextlib
import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.userkit import filter_users_by_email
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """The mail server did not take an email the runner needs to go on (a code, a link).

    `footcare.accounts.middleware.EmailOutageMiddleware` answers it with a page that says so;
    views that save something before sending run in a transaction, so nothing stays saved.
    """


class AccountAdapter(DefaultAccountAdapter):
    # Only the messages our settings can show (no usernames, no phones); allauth's own
    # stand for the rest. A wrong password and an unknown address share one message, so
    # that the login form does not reveal who has an account.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is switched off.",
        "cannot_remove_primary_email": "You cannot remove the address you log in with.",
        "duplicate_email": "That is already your email address.",
        "email_password_mismatch": (
            "That email address and password do not match an account. Check both and try again."
        ),
        "enter_current_password": "That is not your current password.",
        "incorrect_code": "That code is not right. Check the email we sent and try again.",
        "incorrect_password": "That is not your password.",
        "invalid_or_expired_key": "This link no longer works. Ask for a new one.",
        "invalid_password_reset": "This link no longer works. Ask for a new one.",
        "same_as_current": "That is already your email address.",
        # The account's failed-login lock (pre_authenticate below), wherever the password
        # was typed: the login, reauthentication, the password change, account deletion.
        "account_locked": (
            "Too many login attempts in a short time. "
            "Wait a few minutes and try again, or reset your password."
        ),
        # allauth's name for it, but with the lock under its own name, what is left is a
        # right password for an address still waiting for its code, when the last code
        # went out seconds ago and a new one may not be sent yet.
        "too_many_login_attempts": (
            "We sent a code to this address a moment ago. "
            "Wait a few seconds, then log in again and we will send a new one."
        ),
        "rate_limited": "That was a lot of requests in a short time. Wait a minute and try again.",
        "unverified_primary_email": "Confirm that email address before you log in with it.",
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Name the failed-login counter after the account, and nothing about the request.

        allauth prefixes the site's domain, which without the sites framework is the
        request's Host header, port included: every allowed host name and port then had
        its own five guesses. Resolving the address to its account also gives an account
        with a second address one counter, not one per address. An address with no account
        still gets its own counter, so that guesses at it cost the same as at a real one.
        """
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
        users = filter_users_by_email(login, prefer_verified=True, for_login=True)
        return f"account:{users[0].pk}" if users else f"address:{login}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        try:
            super().send_mail(template_prefix, email, context)
        except OSError as error:  # smtplib's errors, refused connections and timeouts alike
            logger.error("Could not send %s: %s", template_prefix, error)
            # An email that never left does not count towards the address's one email per
            # 10 seconds: trying again must send one, not answer "too many attempts".
            ratelimit.clear(allauth_context.request, action="confirm_email", key=email.lower())
            raise EmailNotSent(template_prefix) from error

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        # A notice that something changed (the password, the address) follows a change
        # already made: failing the request then would report a change as failed that was
        # not. The error is logged instead.
        with contextlib.suppress(EmailNotSent):
            super().send_notification_mail(template_prefix, user, context, email)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth gives the lock the same message as a login that waits for a code to be
        # sent; they are told apart so that each can say what happened.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            raise self.validation_error("account_locked") from error
