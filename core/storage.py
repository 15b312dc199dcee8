"""Where uploaded and generated papers are kept: outside STATIC_ROOT and
never served by the web server directly. They are downloaded only through
views that check who is asking (PRIVATE_MEDIA_ROOT, see settings)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """A callable, so migrations name this function rather than a machine's
    folder, and tests that change PRIVATE_MEDIA_ROOT get their own."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
