import re

import pytest
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def test_home_page_says_what_footcare_is(client: Client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Strong feet for the miles ahead" in html
    assert 'href="#main"' in html, "skip link"
    assert '<main id="main"' in html
    assert "not medical advice" in html
    assert "seek care" in html


def test_pages_carry_an_enforced_csp_whose_nonce_matches_every_script(client: Client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["style-src"] == "'self'"
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)

    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "htmx and our script are loaded"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag
        assert "src=" in tag, f"no inline script: {tag}"
    assert not re.search(r"\sstyle=", html), "no inline style attributes"
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    assert "hx-on" not in html


def test_htmx_is_configured_and_sends_the_csrf_token(client: Client):
    html = client.get("/").content.decode()

    assert "django_htmx/htmx-2.min.js" in html
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html).group(1)
    assert '"historyRestoreAsHxRequest": false' in config
    assert '"allowEval": false' in config
    assert '"includeIndicatorStyles": false' in config
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html)
    assert token and len(token.group(1)) >= 32


def test_unknown_address_gets_the_styled_404_page(client: Client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/static/css/footcare.css"' in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls(__name__)
def test_server_error_gets_the_styled_500_page():
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "<script" not in html, "the 500 page has no nonce to give a script"


def test_home_refuses_a_post():
    client = Client(enforce_csrf_checks=False)

    assert client.post("/").status_code == 405


def test_security_headers_are_sent(client: Client):
    response = client.get("/")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_head_requests_are_answered_like_get(client: Client):
    # Uptime checkers and link checkers ask with HEAD.
    assert client.head("/").status_code == 200
    assert client.head("/healthz").status_code == 200
    assert client.head("/exercises/").status_code == 200


def test_favicon_ico_leads_to_our_icon(client: Client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("img/favicon.svg")
    assert "max-age=86400" in response.headers["Cache-Control"]


@pytest.mark.parametrize("ssl_redirect", [True, False])
def test_a_bad_host_gets_the_400_page_with_the_security_headers(settings, ssl_redirect: bool):
    # With HTTPS redirects on, the Host is refused inside SecurityMiddleware itself, before
    # any middleware could add a header to the answer.
    settings.SECURE_SSL_REDIRECT = ssl_redirect
    client = Client(HTTP_HOST="attacker.example")

    response = client.get("/")

    assert response.status_code == 400
    assert "We couldn’t understand that request" in response.content.decode()
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_one_field_renderer_draws_every_form():
    # Our forms, the library's filters and allauth's pages all draw a field through
    # templates/forms/field.html (allauth's through its `fields` element, which renders
    # `{{ form }}`), and Django sets aria-describedby and aria-invalid. Nothing draws a
    # field by hand, so nothing can drift from it.
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    for template in templates.rglob("*.html"):
        if template == templates / "forms" / "field.html":
            continue
        text = template.read_text(encoding="utf-8")
        assert "{% element field " not in text, template
        assert not re.search(r"aria-(describedby|invalid)=", text), template
