"""Pages of phase 1: the registry, the map and rings, import and export."""

from .map import network_map, network_rings
from .merge import organization_merge, person_merge
from .operation import network_job, network_job_file, network_mail, network_mail_bounced
from .registry import *  # noqa: F403 — the registry's views keep their old import path
from .registry import invitation_accept, network_view, person_change_link
from .transfer import (
    network_export,
    network_export_file,
    network_import,
    network_import_confirm,
    network_import_template,
)

__all__ = [
    "invitation_accept",
    "network_export",
    "network_export_file",
    "network_import",
    "network_import_confirm",
    "network_import_template",
    "network_job",
    "network_job_file",
    "network_mail",
    "network_mail_bounced",
    "network_map",
    "network_rings",
    "network_view",
    "organization_merge",
    "person_change_link",
    "person_merge",
]
