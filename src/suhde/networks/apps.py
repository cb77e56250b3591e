from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "suhde.networks"
    label = "networks"
    verbose_name = _("Networks")

    def ready(self) -> None:
        from suhde.accounts.sso import sign_in_register
        from suhde.common.links import link_register
        from suhde.common.personal import personal_register

        from . import domain, queries
        from .jobs import jobs_register
        from .navigation import nav_register
        from .sign_in import person_sign_in
        from .undo import register

        register()
        sign_in_register(person_sign_in)
        jobs_register()
        personal_register(key="networks", read=queries.person_data, erase=domain.person_data_erase)
        # The site's frame (common/templates/base.html) links to these.
        link_register(part="my_networks", url_name="networks:my_networks")
        link_register(part="ecosystem", url_name="networks:ecosystem")

        for order, (label, url_name, matches) in enumerate(
            [
                (
                    _("Members"),
                    "networks:members",
                    ("networks:members", "networks:member_", "networks:person"),
                ),
                (_("Organizations"), "networks:organizations", ("networks:organization",)),
                (_("Ties"), "networks:ties", ("networks:ties", "networks:tie_")),
                (_("Map"), "networks:map", ("networks:map",)),
                (_("Rings"), "networks:rings", ("networks:rings",)),
                (
                    _("Import and export"),
                    "networks:import",
                    ("networks:import", "networks:import_", "networks:export", "networks:export_"),
                ),
            ]
        ):
            nav_register(phase=1, label=label, url_name=url_name, matches=matches, order=order)
