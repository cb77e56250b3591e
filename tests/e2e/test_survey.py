"""A member answers the survey from a phone-sized Chromium window, with axe on every step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from suhde.surveys import domain
from suhde.surveys.models import Response
from tests.e2e.conftest import axe_violations
from tests.factories import MembershipFactory, NetworkFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_answers_on_a_phone(browser, live_server):
    network = NetworkFactory(slug="phone")
    organization = OrganizationFactory(name="Nuorisopalvelut", networks=[network])
    people = [PersonFactory(organization=organization, name=f"Henkilö {i}") for i in range(4)]
    for person in people:
        MembershipFactory(person=person, network=network)
    wave = domain.wave_create(
        network=network, user=None, title="Kevät", closes_at=timezone.now() + timedelta(days=5), k=3
    )
    token = domain.survey_link_create(invitation=wave.invitations.get(person=people[0]))
    context = browser.new_context(
        locale="fi-FI", viewport={"width": 390, "height": 844}, bypass_csp=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{token}/")
    assert axe_violations(page) == []
    page.locator("main a.btn-lg").click()
    page.wait_for_url("**/partners/")
    page.wait_for_load_state("load")
    page.fill("#roster-search", "Henkilö 2")
    page.locator(f"#partner-{people[1].pk}").wait_for(state="hidden")
    page.fill("#roster-search", "")
    page.check(f"#partner-{people[1].pk}")
    page.check(f"#partner-{people[2].pk}")
    assert axe_violations(page) == []
    page.locator("main button.btn-primary").click()
    for _ in range(2):
        page.wait_for_selector("fieldset.survey-question")
        assert axe_violations(page) == []
        page.locator("label[for=id_level_3]").click()
        page.locator("label[for=id_T1_0]").click()
        page.locator("main button.btn-primary").click()
    page.locator("label[for=id_C1_4]").click()
    page.locator("main button.btn-primary").click()
    page.fill("#id_works", "Yhteiset aamukahvit.")
    page.locator("main button.btn-primary").click()
    assert axe_violations(page) == []
    page.locator("main button.btn-primary").click()
    page.wait_for_url("**/thanks/")
    response = Response.objects.get(respondent=people[0])
    assert response.submitted_at is not None
    assert sorted(response.partners.values_list("level", "t1")) == [(4, 1), (4, 1)]
    assert response.c1 == 5
    context.close()
