"""Follow a background job the way a browser does: start it, open its page, fetch its file."""

from django.test import TestCase


def job_follow(client, url: str, data: dict | None = None):
    """POST to ``url``, run the job it queues (the test backend runs tasks at once), and return
    the job's finished page."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(url, data or {})
    assert started.status_code == 302, started.status_code
    assert "/jobs/" in started["Location"], started["Location"]
    return client.get(started["Location"])


def job_file(client, url: str, data: dict | None = None):
    """The file a job started at ``url`` made, as its page's download link serves it."""
    page = job_follow(client, url, data)
    assert page.status_code == 200
    return client.get(page.wsgi_request.path + "file/")
