"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def static_files_collected(app_configs, **kwargs):
    """With DEBUG off, pages name their CSS and JS through the manifest that
    collectstatic writes; without it every page is a server error."""
    if settings.DEBUG:
        return []
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        return []
    return [
        Error(
            f"Static files have not been collected: {manifest} is missing, so every page would fail.",
            hint="Run `manage.py collectstatic --noinput` (make serve does) before starting the server.",
            id="oip.E001",
        )
    ]
