import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .guide import SEARCH_MAX, guide_language, guide_page, guide_pages, guide_search
from .schedule import heartbeat_age

log = logging.getLogger("suhde.health")


def _check(name: str, probe) -> str:
    try:
        return probe()
    except Exception:  # the answer says which part failed; the log says why (never the client)
        log.exception("health check failed", extra={"kind": name})
        return "failed"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not used"
    cache.set("suhde:health", 1, 30)
    return "ok" if cache.get("suhde:health") == 1 else "failed"


def _worker() -> str:
    age = heartbeat_age()
    if age is None:
        return "never seen"
    return "ok" if age <= settings.SUHDE_HEALTH_WORKER_SECONDS else "late"


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring. 503 when this node cannot serve: its database or its
    Redis does not answer. A late or missing worker is "degraded" with 200, because taking web
    nodes out of rotation would not bring the worker back; monitoring alerts on it instead."""
    checks = {"database": _check("database", _database), "redis": _check("redis", _redis)}
    if checks["database"] == "ok":
        checks["worker"] = _check("worker", _worker)
    down = "failed" in (checks["database"], checks["redis"])
    status = "down" if down else ("ok" if checks.get("worker") == "ok" else "degraded")
    return JsonResponse({"status": status, **checks}, status=503 if down else 200)


def operator_statement(language: str) -> str:
    """The operator's own part of the accessibility statement: a plain-text file per language in
    the data folder (``accessibility/fi.txt``, ``sv.txt``, ``en.txt``), shown escaped."""
    folder = Path(settings.DATA_DIR) / "accessibility"
    for name in (f"{language}.txt", "en.txt"):
        try:
            return (folder / name).read_text(encoding="utf-8")[:20_000]
        except (OSError, UnicodeDecodeError):
            continue
    return ""


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (saavutettavuusseloste) the Act on the Provision of Digital
    Services asks for: open to everyone, in the visitor's language (docs/accessibility.md)."""
    context = {
        "operator": operator_statement(get_language() or "fi"),
        "contact": settings.SUHDE_ACCESSIBILITY_CONTACT,
    }
    return render(request, "common/accessibility.html", context)


def guide_index(request: HttpRequest) -> HttpResponse:
    """The guide's contents and its search, in the visitor's language; open to everyone."""
    text = request.GET.get("q", "")
    context = {"pages": list(guide_pages(guide_language()).values()), "q": text[:SEARCH_MAX]}
    if len(text) > SEARCH_MAX:
        context["error"] = _("The search is too long: at most %(max)d characters.") % {
            "max": SEARCH_MAX
        }
        return render(request, "common/guide_index.html", context, status=400)
    if text.strip():
        context["hits"] = guide_search(text)
    return render(request, "common/guide_index.html", context)


def guide_page_view(request: HttpRequest, key: str) -> HttpResponse:
    page = guide_page(key)
    if page is None:
        raise Http404(_("The guide has no such page."))
    others = [other for other in guide_pages(guide_language()).values() if other.key != key]
    return render(request, "common/guide_page.html", {"page": page, "others": others})
