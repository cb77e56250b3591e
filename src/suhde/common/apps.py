from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "suhde.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .files import private_storage
        from .logging import task_logged
        from .schedule import every

        every("outbox", 30, "suhde.common.mail.outbox_deliver")
        every("outbox-purge", 24 * 3600, "suhde.common.mail.outbox_purge")
        every("jobs-purge", 3600, "suhde.common.jobs.jobs_purge")
        task_finished.connect(task_logged, dispatch_uid="suhde-task-log")
        private_storage()  # before the first connection creates the SQLite file
