from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "suhde.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from suhde.common.links import link_register
        from suhde.common.personal import personal_register

        from . import signals  # noqa: F401  (connects the audit receivers)
        from .domain import sign_in_identity_personal_erase, sign_in_identity_rows

        personal_register(
            key="accounts", read=sign_in_identity_rows, erase=sign_in_identity_personal_erase
        )

        # The site's frame and error pages (common) link to these.
        link_register(part="login", url_name="login")
        link_register(part="account", url_name="accounts:account")
