from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import include, path

from footcare import views
from footcare.accounts import views as account_views

# The admin signs in through allauth's login page, so its throttling covers staff too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


def _password_change_on_the_site(request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
    # The admin's own form checks the old password on the user directly: unlimited guesses
    # from a stolen staff session, no lock, no "password changed" email. The site's page
    # does all three, so staff change their password there.
    return redirect("account_change_password")


admin.site.password_change = _password_change_on_the_site  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("", include("exercises.urls")),
    path("", include("routines.plans.urls")),
    path("", include("routines.training.urls")),
    path("", include("routines.progress.suggestion_urls")),
    path("", include("routines.progress.urls")),
    path("admin/", admin.site.urls),
    # Ahead of allauth's own logout so that GET is refused rather than asked to confirm.
    path("accounts/logout/", account_views.logout, name="account_logout"),
    # Ahead of allauth's own too: these save before they mail, so they run in a transaction.
    path("accounts/signup/", account_views.signup, name="account_signup"),
    path(
        "accounts/confirm-email/",
        account_views.email_verification_sent,
        name="account_email_verification_sent",
    ),
    path("accounts/", include("footcare.accounts.urls")),
    path("accounts/", include("allauth.urls")),
]

# Error pages that carry the security headers, and a 503 when the database or cache is down.
handler400 = views.bad_request
handler500 = views.server_error
