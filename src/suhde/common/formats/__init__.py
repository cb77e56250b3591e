"""Date and number formats per language, on top of Django's own (``FORMAT_MODULE_PATH``).

English follows no country's numeric dates: "12/07/2026" reads as July to a European and as
December to an American, so English dates spell the month ("12 Jul 2026"). Finnish and Swedish
keep Django's formats and add the few named formats our pages need (``extra_format``).
"""

from importlib import import_module

from django.utils.translation import get_language

EXTRA_FORMATS = ("WEEKDAY_DATE_FORMAT", "CHART_DATE_FORMAT")


def extra_format(name: str, language: str | None = None) -> str:
    """One of our own named formats (see ``EXTRA_FORMATS``) in the active language."""
    code = (language or get_language() or "fi").split("-")[0]
    module = import_module(f"{__name__}.{code if code in ('fi', 'sv', 'en') else 'fi'}.formats")
    return getattr(module, name)
