"""Error pages speak the user's language in the site's layout, with DEBUG off as in production."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_404_in_the_users_language_and_the_sites_layout(client):
    page = client.get("/tidak-ada/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Halaman tidak ditemukan" in html and 'class="site-header"' in html and 'lang="id"' in html
    english = client.get("/tidak-ada/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page not found" in english and 'lang="en"' in english


def test_a_refused_form_post_is_a_403_in_the_sites_layout(settings):
    from django.test import Client

    csrf_checking = Client(enforce_csrf_checks=True)
    page = csrf_checking.post("/i18n/setlang/", {"language": "en"})
    assert page.status_code == 403 and "Akses ditolak" in page.content.decode()


def test_a_server_error_page_renders_without_a_database_or_a_request_context():
    request = RequestFactory().get("/")
    with translation.override("en"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500 and "Server error" in html and 'class="site-header"' in html
