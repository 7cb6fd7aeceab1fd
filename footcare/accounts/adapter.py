"""allauth's account adapter, with its error messages in our words."""

from allauth.account.adapter import DefaultAccountAdapter


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
        # Also what an unconfirmed runner sees when logging in again before a new code
        # may be sent, so it speaks of attempts, not of failures.
        "too_many_login_attempts": (
            "Too many login attempts in a short time. "
            "Wait a few minutes and try again, or reset your password."
        ),
        "rate_limited": "That was a lot of requests in a short time. Wait a minute and try again.",
        "unverified_primary_email": "Confirm that email address before you log in with it.",
    }
