"""The demo officer finds the 2010 programme and review in a real browser."""

from django.urls import reverse

from tests.browser.conftest import assert_no_axe_violations, log_in


def test_demo_officer_sees_programme_and_review(page, seeded):
    log_in(page, "demo-officer")
    page.get_by_role("link", name="Organisational Improvement Programme").first.click()
    # Its latest update, in the OIP update of 18 January 2012, gives no RAG.
    row = page.locator("#workstream-oip-2012-customer-service-improvement tr", has_text="Voice Recognition")
    assert row.locator(".rag").inner_text().strip().upper() == "NOT YET RATED"

    page.get_by_role("link", name="Reviews & action plans").click()
    page.get_by_role("link", name="London Efficiency Challenge").first.click()
    recommendation = page.locator("article.recommendation", has_text="A transactional website is required")
    assert recommendation.count() == 1
    assert recommendation.locator("tbody tr").count() >= 1
    assert "e-forms" in recommendation.inner_text()


def test_pages_have_no_wcag_violations(page, seeded):
    page.goto("/login/")
    assert_no_axe_violations(page)
    log_in(page, "demo-officer")
    for url in [
        reverse("home"),
        reverse("programmes:detail", args=["oip"]),
        reverse("actions:review", args=["lec-2010"]),
    ]:
        page.goto(url)
        assert_no_axe_violations(page)
