"""Small builders for the workshops tests: a meeting, a live session, participants."""

from datetime import timedelta

from django.utils import timezone

from suhde.workshops import domain, live


def meeting(network, user=None, **fields):
    data = {"title": "Network meeting", "starts_at": timezone.now() + timedelta(days=7)}
    data.update(fields)
    return domain.meeting_create(network=network, user=user, **data)


def session(network, kind="highlights", options=None, **fields):
    prompt = {"kind": kind, "question": "What works well?", "options": options or []}
    return live.session_create(
        network=network, user=None, title=fields.pop("title", "Live"), prompts=[prompt], **fields
    )


def join(session, name="", organization="", address="10.0.0.1"):
    participant, raw = live.participant_join(
        code=session.code, name=name, organization=organization, address=address
    )
    return participant, raw
