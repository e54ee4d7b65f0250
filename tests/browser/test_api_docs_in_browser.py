"""The API documentation page loads Swagger UI from the installed package, renders the live schema,
and breaks no rule of the Content-Security-Policy (no inline script or style)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_the_schema_under_the_strict_csp(live_server, page, screenshot, reference_data):
    from playwright.sync_api import expect

    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Replikasi API", timeout=15000)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/innovations/").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/proposals/{id}/submit/")).to_be_visible()
    screenshot("api-docs")
    assert violations == []
