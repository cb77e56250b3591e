from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "suhde.workshops"
    label = "workshops"
    verbose_name = _("Meetings and live sessions")

    def ready(self) -> None:
        from suhde.common.personal import personal_register
        from suhde.networks.continuum import checklist_register
        from suhde.networks.navigation import nav_register

        from .checklist import meetings_checklist
        from .domain import person_posts_erase
        from .jobs import jobs_register
        from .queries import person_posts

        personal_register(key="workshops", read=person_posts, erase=person_posts_erase)

        checklist_register(3, meetings_checklist)
        from .undo import register

        register()
        jobs_register()
        pages = [
            (_("Meetings"), "workshops:meetings", ("workshops:meeting", "workshops:block")),
            (_("Participation"), "workshops:participation", ("workshops:participation",)),
            (_("Method library"), "workshops:methods", ("workshops:method",)),
            (
                _("Live sessions"),
                "workshops:sessions",
                ("workshops:session", "workshops:prompt", "workshops:post", "workshops:presenter"),
            ),
        ]
        for order, (label, url_name, matches) in enumerate(pages, start=30):
            nav_register(phase=3, label=label, url_name=url_name, matches=matches, order=order)
