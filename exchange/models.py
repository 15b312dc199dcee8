"""The log of spreadsheet imports: what was uploaded, what its preview said,
and what applying it changed."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from actions.models import Review
from core.storage import private_storage
from programmes.models import Programme


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An administrator sees every import; a manager, those into their
        programmes (and reviews their programmes deliver) and their own."""
        from core.permissions import managed_programme_ids

        ids = managed_programme_ids(user, "exchange.add_importrun")
        if ids is None:
            return self
        return self.filter(
            models.Q(user=user) | models.Q(programme__in=ids) | models.Q(review__action_plans__programme__in=ids)
        ).distinct()


class ImportRun(models.Model):
    """One uploaded file: previewed, then applied (all of it) or never applied."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not applied"
        APPLIED = "applied", "Applied"
        REFUSED = "refused", "Refused"

    kind = models.CharField(max_length=40, help_text="Which sheet: actions, recommendations, projects …")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="imports")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, null=True, blank=True, related_name="imports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="imports/%Y/%m/", storage=private_storage)
    sheet = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True, help_text="What the preview showed: changes and problems.")
    baseline = models.JSONField(default=dict, blank=True, help_text="Per row: outcome, item and its version.")
    touched = models.JSONField(default=list, blank=True, help_text="[label, address, outcome] per row applied.")
    applied_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "spreadsheet import"

    def __str__(self):
        return f"Import {self.pk}: {self.filename}"

    def get_absolute_url(self):
        return reverse("exchange:import", args=[self.pk])

    @property
    def target(self):
        return self.programme or self.review

    @property
    def can_apply(self):
        return self.status == self.Status.PREVIEWED and not self.problem_count

    @property
    def history_reason(self):
        """What each changed item's history says beside the user's name."""
        return f"Import {self.pk}: {self.filename}"[:100]
