"""The registry's kinds of removal, and how each comes back (see common/removals.py)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suhde.common.models import Removal
from suhde.common.removals import removal_kind_register, removal_rows

from . import access, domain, merge
from .models import CustomField, Membership, Network, Organization, Person, TieOrigin


def removal_slug(removal: Removal) -> str:
    """The slug of the network a removal was made in, for the link to where it came back."""
    return Network.objects.values_list("slug", flat=True).get(pk=removal.network_id)


def removal_page(name: str) -> Callable[[Removal], str]:
    """The link to a page of the removal's network (``"networks:ties"``) once restored."""
    return lambda removal: reverse(name, args=[removal_slug(removal)])


def _tie_check(removal: Removal) -> None:
    """A tie joins two current members: whoever has left must be restored first."""
    for row in removal_rows(removal, "networks.tie"):
        current = set(
            Membership.objects.filter(
                network=removal.network_id,
                person_id__in=[row["source"], row["target"]],
                left_on__isnull=True,
                person__archived_at__isnull=True,
            ).values_list("person_id", flat=True)
        )
        for person_id in (row["source"], row["target"]):
            if person_id not in current:
                name = Person.objects.filter(pk=person_id).values_list("name", flat=True).first()
                raise ValidationError(
                    _("%(name)s is no longer a member: restore them first.") % {"name": name or "?"}
                )


def _tie_origin_check(removal: Removal) -> None:
    """A source comes back to its tie: the tie must still stand between two members."""
    for row in removal_rows(removal, "networks.tieorigin"):
        if not access.ties_in(Network(pk=removal.network_id)).filter(pk=row["tie"]).exists():
            raise ValidationError(
                _("The tie of this source is gone: restore the tie first, if it is listed.")
            )


def _tie_origin_after(removal: Removal) -> None:
    """The returned source may be the most recent: the tie takes its strength again."""
    domain.ties_settle(tie_ids=[row["tie"] for row in removal_rows(removal, "networks.tieorigin")])


def _membership_restore(removal: Removal) -> None:
    membership = Membership.objects.filter(pk=removal.object_id).first()
    if membership is None:
        raise ValidationError(_("This can no longer be restored."))
    domain.membership_restore(membership=membership)


def _person_restore(removal: Removal) -> None:
    person = Person.objects.filter(pk=removal.object_id).first()
    if person is None:
        raise ValidationError(_("This can no longer be restored."))
    domain.person_archive(person=person, archived=False)


def _organization_restore(removal: Removal) -> None:
    organization = Organization.objects.filter(pk=removal.object_id).first()
    if organization is None:
        raise ValidationError(_("This can no longer be restored."))
    domain.organization_archive(organization=organization, archived=False)


def _network_restore(removal: Removal) -> None:
    network = Network.objects.filter(pk=removal.object_id).first()
    if network is None:
        raise ValidationError(_("This can no longer be restored."))
    domain.network_archive(network=network, archived=False)


def _person_url(removal: Removal) -> str:
    person_id = (
        Membership.objects.filter(pk=removal.object_id).values_list("person_id", flat=True).first()
        if removal.kind == domain.MEMBERSHIP_REMOVAL
        else removal.object_id
    )
    return reverse("networks:person", args=[removal_slug(removal), person_id])


def _tie_url(removal: Removal) -> str | None:
    tie_id = TieOrigin.objects.filter(pk=removal.object_id).values_list("tie_id", flat=True).first()
    return reverse("networks:tie", args=[removal_slug(removal), tie_id]) if tie_id else None


def _merge_after(removal: Removal) -> None:
    """The ties that took the merged record's sources have their own values again."""
    domain.ties_settle(tie_ids=removal.payload.get("settle", []))


def _merge_url(removal: Removal) -> str | None:
    if removal.kind == merge.ORGANIZATION_MERGE:
        return reverse("networks:organizations", args=[removal_slug(removal)])
    return reverse("networks:person", args=[removal_slug(removal), removal.object_id])


def _field_check(removal: Removal) -> None:
    """A field comes back under its name only if no field of that name was added meanwhile."""
    for row in removal_rows(removal, "networks.customfield"):
        taken = CustomField.objects.filter(
            network_id=removal.network_id, applies_to=row["applies_to"], name=row["name"]
        )
        if taken.exists():
            raise ValidationError(
                _("A field named “%(name)s” has been added since; rename or remove it first.")
                % {"name": row["name"]}
            )


def register() -> None:
    removal_kind_register(
        merge.PERSON_MERGE,
        label=gettext_lazy("merge of two people"),
        after=_merge_after,
        url=_merge_url,
    )
    removal_kind_register(
        merge.ORGANIZATION_MERGE,
        label=gettext_lazy("merge of two organizations"),
        url=_merge_url,
    )
    removal_kind_register(
        domain.CUSTOM_FIELD_REMOVAL,
        label=gettext_lazy("own field"),
        check=_field_check,
        url=removal_page("networks:fields"),
    )
    removal_kind_register(
        domain.MAP_VIEW_REMOVAL,
        label=gettext_lazy("saved map view"),
        url=removal_page("networks:map"),
    )
    removal_kind_register(
        domain.TIE_REMOVAL,
        label=gettext_lazy("tie"),
        check=_tie_check,
        url=removal_page("networks:ties"),
    )
    removal_kind_register(
        domain.TIE_ORIGIN_REMOVAL,
        label=gettext_lazy("source of a tie"),
        check=_tie_origin_check,
        after=_tie_origin_after,
        url=_tie_url,
    )
    removal_kind_register(
        domain.MEMBERSHIP_REMOVAL,
        label=gettext_lazy("membership"),
        restore=_membership_restore,
        url=_person_url,
    )
    removal_kind_register(
        domain.PERSON_REMOVAL,
        label=gettext_lazy("archived person"),
        restore=_person_restore,
        url=_person_url,
    )
    removal_kind_register(
        domain.ORGANIZATION_REMOVAL,
        label=gettext_lazy("archived organization"),
        restore=_organization_restore,
        url=removal_page("networks:organizations"),
    )
    removal_kind_register(
        domain.NETWORK_REMOVAL,
        label=gettext_lazy("archived network"),
        restore=_network_restore,
        url=removal_page("networks:home"),
    )
