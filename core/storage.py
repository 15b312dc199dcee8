"""Where uploaded and generated papers are kept: outside STATIC_ROOT and
never served by the web server directly. They are downloaded only through
views that check who is asking (PRIVATE_MEDIA_ROOT, see settings)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read when first used and again when
    the setting changes: a FileField calls its storage callable once, at
    import, so a folder fixed then would ignore the tests' tmp_path."""

    @cached_property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_storage():
    """A callable, so migrations name this function rather than a machine's
    folder."""
    return PrivateStorage(base_url=None)
