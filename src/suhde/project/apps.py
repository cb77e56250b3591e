from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The top floor's commands: those that see the whole site, such as the API's schema.

    They live in an app of their own because a command must sit in an installed app, and one in
    ``common`` that imports ``suhde.api`` would run up every floor (docs/architecture.md).
    """

    name = "suhde.project"
    label = "project"
