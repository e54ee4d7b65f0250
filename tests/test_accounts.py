"""Sign-in, lockout after repeated failures, password reset by email."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-uji-123"


@pytest.fixture
def staff(db):
    return UserFactory(username="staf.padangpanjang", email="staf@padangpanjang.example")


@pytest.fixture(autouse=True)
def emails_sent_in_process(monkeypatch):
    """The reset email task runs in the test's process instead of going to the broker."""
    from accounts.tasks import send_password_reset

    monkeypatch.setattr(
        send_password_reset, "apply_async", lambda args, **options: send_password_reset.apply(args)
    )


def ask_reset(client, email="staf@padangpanjang.example", **extra):
    return client.post("/accounts/password_reset/", {"email": email}, **extra)


def sign_in(client, password):
    return client.post("/accounts/login/", {"username": "staf.padangpanjang", "password": password})


def test_signing_in_and_a_wrong_password_in_indonesian(client, staff):
    response = sign_in(client, "salah")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert sign_in(client, PASSWORD).status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "salah")
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_reset(client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Atur ulang kata sandi Replikasi"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    new_password = "kata-sandi-baru-2021"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    assert sign_in(client, new_password).status_code == 302


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, staff):
    response = client.post("/accounts/password_reset/", {"email": "siapa@tidak.ada"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_signed_in_users_language_is_remembered_for_pages_and_emails(client, staff):
    from accounts.models import UserPreference, language_of

    client.force_login(staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert UserPreference.objects.get(user=staff).language == "en"
    assert language_of(staff) == "en"
    # A new session on another browser (no language cookie) still gets English.
    other = type(client)()
    other.force_login(staff)
    assert '<html lang="en">' in other.get("/").content.decode()


def test_emails_follow_the_recipients_language(staff):
    from django.utils import translation

    from accounts.models import UserPreference, language_of

    UserPreference.objects.create(user=staff, language="en")
    with translation.override(language_of(staff)):
        assert translation.gettext("Catatan: %(note)s") == "Note: %(note)s"


def sign_in_from(client, address, password="salah", username="staf.padangpanjang"):
    """A sign-in through the TLS proxy (10.0.0.2), which wrote the client's address into the header."""
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_failures_from_elsewhere_do_not_lock_the_owner_out(client, staff, settings):
    settings.NUM_PROXIES = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from(client, "203.0.113.66")
    assert sign_in_from(client, "203.0.113.66", PASSWORD).status_code == 429
    assert sign_in_from(type(client)(), "198.51.100.10", PASSWORD).status_code == 302


def test_spraying_many_usernames_from_one_address_is_stopped(client, staff, settings):
    settings.NUM_PROXIES = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign-in-address": "3/hour"}
    for n in range(3):
        assert sign_in_from(client, "203.0.113.66", username=f"orang{n}").status_code == 200
    # Even the right password of an account never tried before is refused from that address now.
    refused = sign_in_from(client, "203.0.113.66", PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan masuk" in refused.content.decode()
    # Another address is not concerned.
    assert sign_in_from(type(client)(), "198.51.100.10", PASSWORD).status_code == 302


def test_a_completed_password_reset_unlocks_the_account(
    client, staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "salah")
    assert sign_in(client, PASSWORD).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        ask_reset(client)
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "kata-sandi-baru-2021"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert sign_in(client, new_password).status_code == 302


def test_the_reset_email_leaves_after_the_answer_through_the_queue(
    client, staff, django_capture_on_commit_callbacks, monkeypatch
):
    from accounts.tasks import send_password_reset

    queued = []
    monkeypatch.setattr(send_password_reset, "apply_async", lambda args, **options: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_reset(client).status_code == 302
        assert mail.outbox == [] and queued == []  # nothing sent inside the request
    assert len(queued) == 1 and queued[0][0] == staff.pk
    assert all("token" not in str(part) for part in queued[0][1:])


def test_reset_requests_are_limited_per_address_with_a_clear_429(client, staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password-reset-address": "2/hour"}
    assert [ask_reset(client, f"orang{n}@contoh.example").status_code for n in range(3)] == [302, 302, 429]
    refused = ask_reset(client)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Terlalu banyak permintaan" in refused.content.decode()


def test_reset_requests_for_one_email_send_no_more_mail_past_the_limit(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password-reset-email": "2/hour"}
    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            # From different addresses, and the same answer whether or not mail goes out.
            assert (
                ask_reset(client, "STAF@padangpanjang.example", REMOTE_ADDR=f"198.51.100.{n}").status_code
                == 302
            )
    assert len(mail.outbox) == 2


def test_password_change_attempts_are_limited_per_user(client, staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password-change": "2/hour"}
    client.force_login(staff)
    wrong = {
        "old_password": "salah",
        "new_password1": "baru-sekali-2021",
        "new_password2": "baru-sekali-2021",
    }
    assert [client.post("/accounts/password_change/", wrong).status_code for _ in range(3)] == [200, 200, 429]
    right = wrong | {"old_password": PASSWORD}
    assert client.post("/accounts/password_change/", right).status_code == 429
    assert "Terlalu banyak permintaan" in client.post("/accounts/password_change/", right).content.decode()
