"""What the programme and action domains share: who is accountable, how
progress is rated, and how objects are named in page addresses.

Both `programmes` and `actions` hang every item off an accountable Owner and
rate it with the same RAG scale, so those live here rather than in either.
"""

import datetime
import itertools
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.history import describe_changes
from core.validators import reserved_refs, validate_ref, validate_sensible_date


class RAG(models.TextChoices):
    """The council's Red/Amber/Green rating, plus the two states reports need.

    Always shown with its word, never by colour alone.
    """

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"
    NOT_RATED = "not_rated", "Not yet rated"

    @classmethod
    def severity(cls, value):
        """Lower is worse; used to roll ratings up and to tell direction of travel."""
        return {cls.RED: 0, cls.AMBER: 1, cls.GREEN: 2, cls.COMPLETE: 3}.get(value)


class EditConflict(Exception):
    """Someone else saved the item after this user opened it."""

    def __init__(self, current, expected_version):
        self.current = current
        self.expected_version = expected_version
        super().__init__(f"{current} was changed by someone else (now version {current.version})")

    def changes(self):
        """(field label, value then, value now) for what the other person changed."""
        history = getattr(self.current, "history", None)
        if history is None:
            return []
        records = list(history.filter(version__gte=self.expected_version).order_by("history_date"))
        if len(records) < 2:
            return []
        delta = records[-1].diff_against(records[0], excluded_fields=["version"])
        return describe_changes(type(self.current), [(c.field, c.old, c.new) for c in delta.changes])

    @property
    def changed_by(self):
        history = getattr(self.current, "history", None)
        record = history.select_related("history_user").first() if history is not None else None
        return record.history_user if record else None

    @property
    def changed_by_name(self):
        """Who to name in the message: their full name, login, or “Someone else”."""
        who = self.changed_by
        return (who.get_full_name() or who.get_username()) if who else "Someone else"


class Versioned(models.Model):
    """A row two people may edit at once: every save bumps its version, and
    save_if_unchanged refuses a save made from a stale copy (EditConflict)."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save; stops two people overwriting each other."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    def save_if_unchanged(self, expected_version, **kwargs):
        """Save only if nobody else has saved since `expected_version` was read.

        The conditional UPDATE takes the row's write lock, so of two people who
        opened the same form, the second to save finds no row at their version
        and gets EditConflict instead of silently overwriting the first.
        """
        with transaction.atomic():
            claimed = (
                type(self)
                ._default_manager.filter(pk=self.pk, version=expected_version)
                .update(version=expected_version)
            )
            if not claimed:
                raise EditConflict(type(self)._default_manager.get(pk=self.pk), expected_version)
            self.version = expected_version
            self.save(**kwargs)


class OwnerQuerySet(models.QuerySet):
    def for_user(self, user):
        """Owners a login answers for: their own named owner and every team they belong to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(user=user) | Q(members=user)).distinct()


class OwnerManager(models.Manager.from_queryset(OwnerQuerySet)):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Owner(Versioned):
    """Whoever is accountable for an item: a named officer, or a team or role.

    The seeds name owners both ways ("Lorna Blackwood", "OIP Team", "COE",
    "AD OIP"), and many of them have no login. A person-owner may be linked to
    one login; a team-owner lists the logins that act for it.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Named officer"
        TEAM = "team", "Team or role"

    name = models.CharField(max_length=120, unique=True, help_text="As the council writes it, e.g. “OIP Team”.")
    full_name = models.CharField(
        max_length=200, blank=True, help_text="Spelt out, e.g. “Organisational Improvement Team”."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEAM)
    post_title = models.CharField(
        "post title", max_length=200, blank=True, help_text="e.g. “Assistant Director, Organisational Improvement”."
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Where they work, if not the council, e.g. “London Borough of Bexley”."
    )
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True, help_text="As the council prints it, e.g. 020 8461 7942.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owner",
        help_text="The login of a named officer, if they have one.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="teams",
        help_text="Logins that act for this team or role and may update its items.",
    )

    objects = OwnerManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    def get_absolute_url(self):
        return reverse("owner_detail", args=[self.pk])

    def can_be_edited_by(self, user):
        """Owners are shared by every programme, so any programme manager (whose
        role grants core.change_owner) may correct one, as in the admin."""
        return user.has_perm("core.change_owner")

    def validate_scope(self, user, original=None, **related):
        perm = "core.change_owner" if original is not None else "core.add_owner"
        if not user.has_perm(perm):
            raise PermissionDenied("Only programme managers can add or change people and teams.")

    @property
    def display_name(self):
        if self.full_name and self.full_name != self.name:
            return f"{self.name} ({self.full_name})"
        return self.name

    @property
    def name_and_post(self):
        """“Chris Spellman, Assistant Director, Organisational Improvement”, as a cover sheet names a contact."""
        return f"{self.name}, {self.post_title}" if self.post_title else self.name


def new_ref():
    """A short random ref, for rows nobody names: progress updates, and actions
    (whose titles are sentences)."""
    return uuid.uuid4().hex[:12]


class RefManager(models.Manager):
    """Fixtures name rows by their `ref`, so re-loading updates instead of duplicating."""

    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


def ref_field(**options):
    """The `ref` of a RefModel; a model that needs another option (a default) redeclares it with this."""
    return models.SlugField(
        max_length=60,
        unique=True,
        blank=True,
        validators=[validate_ref],
        help_text="Used in its page address. Leave blank to have one made for it.",
        **options,
    )


class RefModel(models.Model):
    """An object named by a `ref`: the slug its page address and the seed
    fixtures use (its natural key), unique among objects of its kind.

    A ref left blank is made from the object's name when it is validated or
    saved, so the browser's forms, the admin, imports and the seed loader all
    make the same one. A ref that a page address uses for something else
    (`new`, `projects`: core.validators.reserved_refs) is refused, and never made.
    """

    # Leaves room for "-2", "-3" … within the field's 60 characters.
    STEM_LENGTH = 50
    # What the object is called: what __str__ shows and a blank ref is made from.
    NAME_FIELD = "name"

    ref = ref_field()

    objects = RefManager()

    class Meta:
        abstract = True

    def __str__(self):
        return getattr(self, self.NAME_FIELD)

    def natural_key(self):
        return (self.ref,)

    def ref_stem(self):
        """What a blank ref is made from."""
        return str(self)

    def fill_ref(self):
        """Make a blank ref: the slug of ref_stem(), or the first of slug-2,
        slug-3 … that no other object of this kind has and no page address uses."""
        if self.ref:
            return
        stem = slugify(self.ref_stem())[: self.STEM_LENGTH].strip("-") or self._meta.model_name
        others = type(self)._default_manager.filter(ref__startswith=stem).exclude(pk=self.pk)
        taken = reserved_refs() | set(others.values_list("ref", flat=True))
        candidates = itertools.chain([stem], (f"{stem}-{n}" for n in itertools.count(2)))
        self.ref = next(ref for ref in candidates if ref not in taken)

    def full_clean(self, *args, **kwargs):
        self.fill_ref()  # first, so a made ref is checked like a typed one
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.fill_ref()  # for objects created in code without validating
        super().save(*args, **kwargs)


class ProgressUpdate(RefModel):
    """A progress update on a project or action: the record of what was said
    at the time, so it is only ever added to, never rewritten. Nobody names
    one, so its ref is random."""

    ref = models.CharField(max_length=60, unique=True, default=new_ref, editable=False)
    seed_written_once = True  # core.seed: a reload leaves an existing update as it is

    class Meta:
        abstract = True

    @property
    def author_display(self):
        """Who wrote it, as a timeline shows it. Subclasses have `author`, the
        login that saved it, and `author_name`, who wrote it when it was typed
        in on their behalf: then both are named, “entered by Pat Manager for
        Chris Spellman”."""
        login = (self.author.get_full_name() or self.author.get_username()) if self.author else ""
        name = self.author_name.strip()
        if login and name and name != login:
            return f"entered by {login} for {name}"
        return login or name or "—"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            plural = self._meta.verbose_name_plural
            raise ValueError(f"{plural[:1].upper()}{plural[1:]} are append-only: record a new update instead.")
        super().save(*args, **kwargs)


class AccountableQuerySet(models.QuerySet):
    """Due-date behaviour shared by every accountable item."""

    def open(self):
        return self.exclude(rag=RAG.COMPLETE)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))

    def owned_by(self, user):
        return self.filter(owner__in=Owner.objects.for_user(user))


class Accountable(Versioned):
    """Every programme, workstream, project, recommendation and action has a RAG,
    an accountable owner and a due date.

    The seeds give deadlines in words ("mid-April", "post-elections"), so the
    original wording is kept beside the real date used for overdue logic.
    """

    rag = models.CharField("RAG status", max_length=12, choices=RAG.choices, default=RAG.NOT_RATED)
    owner = models.ForeignKey(
        Owner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who is accountable: a named officer or a team/role.",
    )
    due_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_sensible_date],
        help_text="The real date used to decide whether it is overdue.",
    )
    due_wording = models.CharField(
        "deadline as written",
        max_length=300,
        blank=True,
        help_text="The deadline in the source's own words, e.g. “by end of June 2010”.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(rag__in=RAG.values), name="%(app_label)s_%(class)s_rag_valid"),
        ]

    @property
    def is_complete(self):
        return self.rag == RAG.COMPLETE

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.due_date and not self.is_complete and self.due_date < today)

    @property
    def overdue(self):
        return self.is_overdue()

    @property
    def rag_conflict(self):
        """Overdue but rated Green: managers should challenge it. (The RAG
        first: working out today's date is the slower half, and list pages
        ask this of every row.)"""
        return self.rag == RAG.GREEN and self.overdue


class DataStamp(models.Model):
    """One row whose token changes with every write: see ``core.datastamp``."""

    token = models.BigIntegerField()

    class Meta:
        db_table = "core_datastamp"
        verbose_name = "data stamp"

    def __str__(self):
        return f"Data stamp {self.token}"
