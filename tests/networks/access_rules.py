"""Who may open each route of the network registry (see tests/access.py)."""

from django.utils import timezone

from suhde.common.models import Job, OutboxMessage
from suhde.networks.models import Membership
from tests.access import (
    API_ANY,
    API_CREATE,
    API_MANAGE,
    API_VIEW,
    MANAGE,
    MANAGE_POST,
    SIGNED_IN,
    SIGNED_IN_POST,
    VIEW,
)

# A background job and its file are only for the one who started it (here the coordinator).
JOB_OWNER = {"anonymous": "login", "outsider": 404, "member": 404, "coordinator": 200}
API_JOB_OWNER = {"anonymous": 401, "outsider": 404, "member": 404, "coordinator": 200}


def _job(world):
    return Job.objects.create(
        kind="test", network_id=world.network.pk, user=world.coordinator, state=Job.State.DONE,
        output=b"%PDF-1.4", output_name="report.pdf", output_type="application/pdf",
    )  # fmt: skip


def _sent_mail(world):
    message = OutboxMessage.objects.create(
        kind="invitation", network_id=world.network.pk, to="p@example.org", subject="s",
        state=OutboxMessage.State.SENT, next_attempt_at=timezone.now(),
    )  # fmt: skip
    return {"slug": "core", "message_id": message.pk}


def _membership(world):
    return Membership.objects.get(person=world.people[0], network=world.network)


def _ended(world, network=None, person=None):
    """A membership that has ended, ready to be restored."""
    from suhde.networks.domain import membership_end

    membership = Membership.objects.get(
        person=person or world.people[2], network=network or world.network
    )
    membership_end(membership=membership)
    return membership


def _removal(world, tie=None):
    from suhde.networks.domain import tie_delete

    return tie_delete(tie=tie or world.tie)


def _duplicate_organization(world):
    from tests.factories import OrganizationFactory

    return OrganizationFactory(name="City youth services ry", networks=[world.network])


def _origin(tie):
    return tie.origins.get()


# name: (method, kwargs builder, expected, post data)
PAGES = {
    "networks:my_networks": ("get", lambda w: {}, SIGNED_IN, None),
    # Your own data: every signed-in person has some (the outsider downloads their own).
    "networks:my_export": ("get", lambda w: {}, SIGNED_IN, None),
    "networks:my_erase": ("get", lambda w: {}, SIGNED_IN, None),
    "networks:person_export": (
        "get",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE,
        None,
    ),
    "networks:person_erase": (
        "get",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE,
        None,
    ),
    "networks:ecosystem": ("get", lambda w: {}, SIGNED_IN, None),
    "networks:create": ("get", lambda w: {}, SIGNED_IN, None),
    "networks:home": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:edit": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:archive": ("post", lambda w: {"slug": "core"}, MANAGE_POST, {"archived": "1"}),
    "networks:phase": ("post", lambda w: {"slug": "core"}, MANAGE_POST, {"to_phase": "2"}),
    "networks:members": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:member_add": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:member_edit": (
        "get",
        lambda w: {"slug": "core", "membership_id": _membership(w).pk},
        MANAGE,
        None,
    ),
    "networks:member_end": (
        "post",
        lambda w: {"slug": "core", "membership_id": _membership(w).pk},
        MANAGE_POST,
        {},
    ),
    "networks:member_restore": (
        "post",
        lambda w: {"slug": "core", "membership_id": _ended(w).pk},
        MANAGE_POST,
        {},
    ),
    "networks:removed": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:audit": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:removal_restore": (
        "post",
        lambda w: {"slug": "core", "removal_id": _removal(w).pk},
        MANAGE_POST,
        {},
    ),
    "networks:person": ("get", lambda w: {"slug": "core", "person_id": w.people[0].pk}, VIEW, None),
    "networks:person_edit": (
        "get",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE,
        None,
    ),
    "networks:person_invite": (
        "post",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE_POST,
        {"role": "member"},
    ),
    "networks:person_archive": (
        "post",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE_POST,
        {"archived": "1"},
    ),
    "networks:person_merge": (
        "get",
        lambda w: {"slug": "core", "person_id": w.people[0].pk},
        MANAGE,
        None,
    ),
    "networks:organization_merge": (
        "get",
        lambda w: {"slug": "core", "organization_id": w.organization.pk},
        MANAGE,
        None,
    ),
    "networks:organizations": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:mail": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:mail_bounced": ("post", _sent_mail, MANAGE_POST, {"bounced": "1"}),
    "networks:job": ("get", lambda w: {"slug": "core", "job_id": _job(w).pk}, JOB_OWNER, None),
    "networks:job_file": ("get", lambda w: {"slug": "core", "job_id": _job(w).pk}, JOB_OWNER, None),
    "networks:organization_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:organization": (
        "get",
        lambda w: {"slug": "core", "organization_id": w.organization.pk},
        VIEW,
        None,
    ),
    "networks:organization_edit": (
        "get",
        lambda w: {"slug": "core", "organization_id": w.organization.pk},
        MANAGE,
        None,
    ),
    "networks:organization_archive": (
        "post",
        lambda w: {"slug": "core", "organization_id": w.organization.pk},
        MANAGE_POST,
        {"archived": "1"},
    ),
    "networks:ties": ("get", lambda w: {"slug": "core"}, VIEW, None),
    "networks:tie_create": ("get", lambda w: {"slug": "core"}, MANAGE, None),
    "networks:tie": ("get", lambda w: {"slug": "core", "tie_id": w.tie.pk}, VIEW, None),
    "networks:tie_edit": (
        "post",
        lambda w: {"slug": "core", "tie_id": w.tie.pk},
        MANAGE_POST,
        {"strength": "strong"},
    ),
    "networks:tie_delete": (
        "post",
        lambda w: {"slug": "core", "tie_id": w.tie.pk},
        MANAGE_POST,
        {},
    ),
    "networks:tie_origin_remove": (
        "post",
        lambda w: {"slug": "core", "tie_id": w.tie.pk, "origin_id": _origin(w.tie).pk},
        MANAGE_POST,
        {},
    ),
    "accounts:account": ("get", lambda w: {}, SIGNED_IN, None),
    "accounts:api_token_create": (
        "post",
        lambda w: {},
        SIGNED_IN_POST | {"outsider": 200, "member": 200, "coordinator": 200},
        {"name": "script"},
    ),
    "accounts:password_change": ("get", lambda w: {}, SIGNED_IN, None),
    "accounts:password_done": ("get", lambda w: {}, SIGNED_IN, None),
}
# Routes that answer the same to everyone by design; each says why.
PUBLIC = {
    "login": "the login page itself",
    "logout": "ends whatever session there is",
    "password_reset": "asks for an email address and always answers the same",
    "password_reset_done": "a static message",
    "password_reset_confirm": "guarded by Django's signed, expiring reset token",
    "password_reset_complete": "a static message",
    "invitation_accept": "guarded by the invitation token (tests/networks/test_invitations.py)",
    "healthz": "answers ok without any data, for the reverse proxy",
    "accessibility": "the accessibility statement the law asks to be open to everyone",
    "set_language": "stores the language choice only",
    "accounts:api_token_revoke": "acts only on the caller's own tokens (test below)",
}


OBJECT_ROUTES = {
    "networks:member_edit": (
        "membership_id",
        lambda w: Membership.objects.get(person=w.other_person).pk,
    ),
    "networks:member_end": (
        "membership_id",
        lambda w: Membership.objects.get(person=w.other_person).pk,
    ),
    "networks:person": ("person_id", lambda w: w.other_person.pk),
    "networks:person_edit": ("person_id", lambda w: w.other_person.pk),
    "networks:person_invite": ("person_id", lambda w: w.other_person.pk),
    "networks:person_archive": ("person_id", lambda w: w.other_person.pk),
    "networks:person_merge": ("person_id", lambda w: w.other_person.pk),
    "networks:person_export": ("person_id", lambda w: w.other_person.pk),
    "networks:person_erase": ("person_id", lambda w: w.other_person.pk),
    "networks:organization_merge": ("organization_id", lambda w: w.other_organization.pk),
    "networks:organization_edit": ("organization_id", lambda w: w.other_organization.pk),
    "networks:organization_archive": ("organization_id", lambda w: w.other_organization.pk),
    "networks:tie_delete": ("tie_id", lambda w: w.other_tie.pk),
    "networks:member_restore": (
        "membership_id",
        lambda w: _ended(w, network=w.other, person=w.other_person).pk,
    ),
    "networks:removal_restore": (
        "removal_id",
        lambda w: _removal(w, w.other_tie).pk,
    ),
    "networks:tie": ("tie_id", lambda w: w.other_tie.pk),
    "networks:tie_edit": ("tie_id", lambda w: w.other_tie.pk),
    "networks:organization": ("organization_id", lambda w: w.other_organization.pk),
}


def _tie_body(w):
    return {"network": "core", "source_id": w.people[1].pk, "target_id": w.people[2].pk}


API = {
    "network_list": ("get", lambda w: "/networks", None, API_ANY),
    "network_get": ("get", lambda w: "/networks/core", None, API_VIEW),
    "network_create": (
        "post",
        lambda w: "/networks",
        lambda w: {"name": "N", "slug": "n-new"},
        {"anonymous": 401, "outsider": 201, "member": 201, "coordinator": 201},
    ),
    "network_update": ("patch", lambda w: "/networks/core", lambda w: {"purpose": "x"}, API_MANAGE),
    "network_phase_change": (
        "post",
        lambda w: "/networks/core/phase",
        lambda w: {"to_phase": 2},
        API_CREATE,
    ),
    "organization_list": ("get", lambda w: "/organizations?network=core", None, API_VIEW),
    "organization_get": ("get", lambda w: f"/organizations/{w.organization.pk}", None, API_VIEW),
    "organization_create": (
        "post",
        lambda w: "/organizations",
        lambda w: {"network": "core", "name": "O", "sector": "third"},
        API_CREATE,
    ),
    "organization_update": (
        "patch",
        lambda w: f"/organizations/{w.organization.pk}",
        lambda w: {"notes": "x"},
        API_MANAGE,
    ),
    "person_list": ("get", lambda w: "/people?network=core", None, API_VIEW),
    "person_get": ("get", lambda w: f"/people/{w.people[0].pk}", None, API_VIEW),
    "person_search": ("get", lambda w: "/people/search?q=person", None, API_ANY),
    "person_export": (
        "get",
        lambda w: f"/people/{w.people[0].pk}/export?network=core",
        None,
        API_MANAGE,
    ),
    "person_erase": (
        "post",
        lambda w: f"/people/{w.people[2].pk}/erase",
        lambda w: {"network": "core", "confirm": True},
        API_MANAGE,
    ),
    "person_merge": (
        "post",
        lambda w: f"/people/{w.people[1].pk}/merge",
        lambda w: {"network": "core", "into": w.people[0].pk},
        API_MANAGE,
    ),
    "organization_merge": (
        "post",
        lambda w: f"/organizations/{_duplicate_organization(w).pk}/merge",
        lambda w: {"network": "core", "into": w.organization.pk},
        API_MANAGE,
    ),
    "person_create": (
        "post",
        lambda w: "/people",
        lambda w: {"network": "core", "name": "P"},
        API_CREATE,
    ),
    "person_update": (
        "patch",
        lambda w: f"/people/{w.people[0].pk}",
        lambda w: {"network": "core", "title": "x"},
        API_MANAGE,
    ),
    "membership_list": ("get", lambda w: "/memberships?network=core", None, API_VIEW),
    "membership_get": ("get", lambda w: f"/memberships/{_membership(w).pk}", None, API_VIEW),
    "membership_create": (
        "post",
        lambda w: "/memberships",
        lambda w: {"network": "core", "person_id": w.outsider.person.pk},
        API_CREATE | {"coordinator": 404},
    ),
    "membership_update": (
        "patch",
        lambda w: f"/memberships/{_membership(w).pk}",
        lambda w: {"role": "facilitator"},
        API_MANAGE,
    ),
    "tie_list": ("get", lambda w: "/ties?network=core", None, API_VIEW),
    "tie_get": ("get", lambda w: f"/ties/{w.tie.pk}", None, API_VIEW),
    "tie_create": ("post", lambda w: "/ties", _tie_body, API_CREATE),
    "tie_update": (
        "patch",
        lambda w: f"/ties/{w.tie.pk}",
        lambda w: {"strength": "strong"},
        API_MANAGE,
    ),
    "tie_delete": ("delete", lambda w: f"/ties/{w.tie.pk}", None, API_MANAGE),
    "removal_list": ("get", lambda w: "/networks/core/removals", None, API_MANAGE),
    "removal_restore": (
        "post",
        lambda w: f"/networks/core/removals/{_removal(w).pk}/restore",
        None,
        API_MANAGE,
    ),
}


# --- the map, rings, import and export (issue 3) ---------------------------------------------

PEOPLE_CSV = (
    b"name,email,organization,sector\n"
    b"New Person,new.person@example.org,City youth services,public\n"
)


def _pending(network, user):
    from suhde.networks.models import PendingImport

    return PendingImport.objects.create(
        network=network, created_by=user, people_name="people.csv", people_data=PEOPLE_CSV
    )


PAGES.update(
    {
        "networks:map": ("get", lambda w: {"slug": "core"}, VIEW, None),
        "networks:rings": ("get", lambda w: {"slug": "core"}, VIEW, None),
        "networks:import": ("get", lambda w: {"slug": "core"}, MANAGE, None),
        "networks:import_confirm": (
            "post",
            lambda w: {"slug": "core", "pending_id": _pending(w.network, w.coordinator).pk},
            MANAGE_POST | {"coordinator": 200},  # the page streams the import's progress
            {},
        ),
        "networks:import_template": (
            "get",
            lambda w: {"slug": "core", "kind": "people", "fmt": "xlsx"},
            MANAGE,
            None,
        ),
        "networks:export": ("get", lambda w: {"slug": "core"}, VIEW, None),
        "networks:export_file": ("get", lambda w: {"slug": "core", "fmt": "csv"}, VIEW, None),
    }
)
OBJECT_ROUTES["networks:import_confirm"] = (
    "pending_id",
    lambda w: _pending(w.other, w.outsider).pk,
)
API.update(
    {
        "network_map": ("get", lambda w: "/networks/core/map", None, API_VIEW),
        "network_export": ("get", lambda w: "/networks/core/export?format=gexf", None, API_VIEW),
        # A job is only for the one who started it (here the coordinator), as on the pages.
        "job_detail": ("get", lambda w: f"/networks/core/jobs/{_job(w).pk}", None, API_JOB_OWNER),
        "job_file": (
            "get",
            lambda w: f"/networks/core/jobs/{_job(w).pk}/file",
            None,
            API_JOB_OWNER,
        ),
        # A JSON body carries no file: the gate answers first, then the coordinator gets a 400.
        "network_import": (
            "post",
            lambda w: "/networks/core/import",
            lambda w: {},
            API_MANAGE | {"coordinator": 400},
        ),
    }
)


# --- saved map views, the presentation and one's own positions (issue 18) --------------------


def _map_view(world, network=None):
    from suhde.networks.domain import map_view_create

    return map_view_create(
        network=network or world.network, user=None, title="For the steering group"
    )


def _view_kwargs(world):
    return {"slug": "core", "view_id": _map_view(world).pk}


# Anyone who may view the map keeps their own positions; the answer is JSON.
PINS_POST = {"anonymous": "login", "outsider": 404, "member": 200, "coordinator": 200}

PAGES.update(
    {
        "networks:map_view_create": (
            "post",
            lambda w: {"slug": "core"},
            MANAGE_POST,
            {"title": "Partners by sector", "layout": "sector"},
        ),
        "networks:map_view": ("get", _view_kwargs, VIEW, None),
        "networks:map_view_update": ("post", _view_kwargs, MANAGE_POST, {"title": "Renamed"}),
        "networks:map_view_move": ("post", _view_kwargs, MANAGE_POST, {"step": "later"}),
        "networks:map_view_delete": ("get", _view_kwargs, MANAGE, None),
        "networks:map_present": ("get", lambda w: {"slug": "core"}, VIEW, None),
        "networks:map_pins": ("post", lambda w: {"slug": "core"}, PINS_POST, {"positions": "{}"}),
    }
)
# The member places partners on their own rings (the coordinator on anyone's); the partner "0" is
# nobody, so the answer is the form's message and nothing is written.
PAGES["networks:rings_place"] = (
    "post",
    lambda w: {"slug": "core", "person_id": w.member.person.pk},
    MANAGE_POST | {"member": 302},
    {"partner": "0", "strength": "strong"},
)
OBJECT_ROUTES["networks:rings_place"] = ("person_id", lambda w: w.other_person.pk)
for _name in ("map_view", "map_view_update", "map_view_move", "map_view_delete"):
    OBJECT_ROUTES[f"networks:{_name}"] = ("view_id", lambda w: _map_view(w, w.other).pk)
API.update(
    {
        "map_view_list": ("get", lambda w: "/networks/core/map/views", None, API_VIEW),
    }
)


# --- a person's own details and proposed changes (issue 12, point 1) -------------------------


def _change(world):
    """A change the coordinator proposed to the member's own record: only the member answers."""
    from suhde.networks.domain import person_change_propose

    return person_change_propose(
        network=world.network, person=world.member.person, user=world.coordinator, title="x"
    )


# Only the person a change is about finds it; to everyone else it does not exist.
OWN_CHANGE_POST = {"anonymous": "login", "outsider": 404, "member": 302, "coordinator": 404}
API_OWN_CHANGE = {"anonymous": 401, "outsider": 404, "member": 200, "coordinator": 404}

PAGES.update(
    {
        "networks:my_details": ("get", lambda w: {}, SIGNED_IN, None),
        "networks:my_change_accept": (
            "post",
            lambda w: {"change_id": _change(w).pk},
            OWN_CHANGE_POST,
            {},
        ),
        "networks:my_change_decline": (
            "post",
            lambda w: {"change_id": _change(w).pk},
            OWN_CHANGE_POST,
            {},
        ),
    }
)
PUBLIC["person_change_link"] = (
    "guarded by the proposal's mailed token (tests/networks/test_person_changes.py)"
)
API.update(
    {
        "person_change_create": (
            "post",
            lambda w: f"/people/{w.people[0].pk}/changes",
            lambda w: {"network": "core", "title": "x"},
            API_CREATE,
        ),
        "person_change_list": ("get", lambda w: "/person-changes", None, API_ANY),
        "person_change_accept": (
            "post",
            lambda w: f"/person-changes/{_change(w).pk}/accept",
            None,
            API_OWN_CHANGE,
        ),
        "person_change_decline": (
            "post",
            lambda w: f"/person-changes/{_change(w).pk}/decline",
            None,
            API_OWN_CHANGE,
        ),
    }
)


# --- custom fields and tags (issue 18, point 3) ----------------------------------------------


def _field(world, name="Area"):
    from suhde.networks.models import CustomField

    field, _created = CustomField.objects.get_or_create(
        network=world.network, applies_to="person", name=name, defaults={"kind": "text"}
    )
    return field


def _organization_field(world):
    from suhde.networks.models import CustomField

    field, _created = CustomField.objects.get_or_create(
        network=world.network, applies_to="organization", name="Size", defaults={"kind": "number"}
    )
    return field


API.update(
    {
        "custom_field_list": ("get", lambda w: "/networks/core/fields", None, API_VIEW),
        "custom_field_create": (
            "post",
            lambda w: "/networks/core/fields",
            lambda w: {"applies_to": "person", "name": "Theme", "kind": "tags"},
            API_CREATE,
        ),
        "custom_field_update": (
            "patch",
            lambda w: f"/networks/core/fields/{_field(w).pk}",
            lambda w: {"name": "Region"},
            API_MANAGE,
        ),
        "person_fields_get": (
            "get",
            lambda w: f"/networks/core/people/{w.people[0].pk}/fields",
            None,
            API_VIEW,
        ),
        "person_fields_update": (
            "patch",
            lambda w: f"/networks/core/people/{w.people[0].pk}/fields",
            lambda w: {"values": {_field(w).name: "North"}},
            API_MANAGE,
        ),
        "organization_fields_get": (
            "get",
            lambda w: f"/networks/core/organizations/{w.organization.pk}/fields",
            None,
            API_VIEW,
        ),
        "organization_fields_update": (
            "patch",
            lambda w: f"/networks/core/organizations/{w.organization.pk}/fields",
            lambda w: {"values": {_organization_field(w).name: "12"}},
            API_MANAGE,
        ),
    }
)


def _other_field(world):
    from suhde.networks.models import CustomField

    field, _created = CustomField.objects.get_or_create(
        network=world.other, applies_to="person", name="Theirs", defaults={"kind": "text"}
    )
    return field


PAGES.update(
    {
        "networks:fields": ("get", lambda w: {"slug": "core"}, MANAGE, None),
        "networks:field_edit": (
            "get",
            lambda w: {"slug": "core", "field_id": _field(w).pk},
            MANAGE,
            None,
        ),
        "networks:field_delete": (
            "get",
            lambda w: {"slug": "core", "field_id": _field(w).pk},
            MANAGE,
            None,
        ),
        "networks:person_fields": (
            "get",
            lambda w: {"slug": "core", "person_id": w.people[0].pk},
            MANAGE,
            None,
        ),
        "networks:organization_fields": (
            "get",
            lambda w: {"slug": "core", "organization_id": w.organization.pk},
            MANAGE,
            None,
        ),
    }
)
OBJECT_ROUTES.update(
    {
        "networks:field_edit": ("field_id", lambda w: _other_field(w).pk),
        "networks:field_delete": ("field_id", lambda w: _other_field(w).pk),
        "networks:person_fields": ("person_id", lambda w: w.other_person.pk),
        "networks:organization_fields": ("organization_id", lambda w: w.other_organization.pk),
    }
)
