"""``{% outbox_counts network.pk "wave" wave.pk mail_url %}``: how the mail sent from here fared."""

from django import template

from suhde.common.mail import outbox_counts as counts_of

register = template.Library()


@register.inclusion_tag("common/_mail_counts.html")
def outbox_counts(
    network_id: int, source: str = "", object_id: int | str | None = None, mail_url: str = ""
) -> dict[str, object]:
    key = f"{source}:{object_id}" if object_id is not None else source
    return {"counts": counts_of(network_id=network_id, source=key), "mail_url": mail_url}
