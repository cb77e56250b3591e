from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "suhde.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from suhde.common.personal import personal_register
        from suhde.common.schedule import every
        from suhde.coordination.digest import digest_register
        from suhde.networks.continuum import checklist_register
        from suhde.networks.merge import merge_check_register
        from suhde.networks.navigation import nav_register
        from suhde.networks.signals import demo_loaded, person_email_changed

        from .checklist import survey_checklist
        from .digest import open_waves_section
        from .domain import merge_check, person_survey_erase
        from .jobs import jobs_register
        from .queries import person_answers

        checklist_register(1, survey_checklist)
        merge_check_register(merge_check)
        checklist_register(4, survey_checklist)
        demo_loaded.connect(_demo_waves, dispatch_uid="surveys-demo")
        person_email_changed.connect(_links_revoke, dispatch_uid="surveys-links-revoke")
        nav_register(
            phase=4, label=_("Surveys"), url_name="surveys:waves", matches=("surveys:",), order=10
        )
        digest_register(open_waves_section)
        jobs_register()
        personal_register(key="surveys", read=person_answers, erase=person_survey_erase)
        every("survey-reminders", 3600, "suhde.surveys.domain.reminders_due")


def _demo_waves(sender, network, **kwargs):
    from .demo import waves_demo_load

    waves_demo_load(network)


def _links_revoke(sender, person, old_email, new_email, **kwargs):
    from .domain import person_links_revoke

    person_links_revoke(person=person)
