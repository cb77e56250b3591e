from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathsConfig(AppConfig):
    name = "suhde.paths"
    label = "paths"
    verbose_name = _("Service paths")

    def ready(self) -> None:
        from suhde.common.links import link_register
        from suhde.common.personal import personal_register
        from suhde.common.removals import removal_kind_register
        from suhde.networks.continuum import checklist_register
        from suhde.networks.navigation import nav_register
        from suhde.networks.signals import demo_loaded

        from .checklist import path_checklist
        from .domain import PATH_REMOVAL, STAGE_REMOVAL, person_roles_erase
        from .jobs import jobs_register
        from .queries import person_roles

        jobs_register()
        personal_register(key="paths", read=person_roles, erase=person_roles_erase)
        # Seeing the path and its handoffs is phase 1; working on its gaps shows in phase 3.
        checklist_register(1, path_checklist)
        nav_register(
            phase=1,
            label=_("Service paths"),
            url_name="paths:paths",
            matches=("paths:",),
            order=60,
        )
        removal_kind_register(PATH_REMOVAL, label=_("service path"))
        removal_kind_register(STAGE_REMOVAL, label=_("stage of a service path"))
        # The charter (a floor below) links an annex back to the transition it records.
        link_register(part="service_path_transition", url_name="paths:transition")
        demo_loaded.connect(_demo_paths, dispatch_uid="paths-demo")


def _demo_paths(sender, network, **kwargs):
    from .demo import paths_demo_load

    paths_demo_load(network)
