"""The All actions download writes each action's recommendations from one
query per chunk (actions.imports.with_recommendation_numbers), not a
prefetch: the same text, in the same order, as the action's page lists
them, and a fixed number of queries however many actions have none."""

import csv
import io

from django.urls import reverse

from actions.imports import ACTIONS, short_numbers, with_recommendation_numbers
from actions.models import ActionItem
from tests import factories


def test_numbers_match_the_recommendations_in_their_order(db):
    review = factories.make_review()
    first = factories.make_area(review=review, number=1)
    third = factories.make_area(review=review, number=3)
    recs = [
        factories.make_recommendation(area=third, number=2),
        factories.make_recommendation(area=first, number=4),
        factories.make_recommendation(area=first, number=1),
    ]
    answering = factories.make_action(title="Answers three", recommendations=recs)
    factories.make_action(title="Answers none")

    numbered = {a.title: a.recommendation_numbers for a in with_recommendation_numbers(ActionItem.objects.all())}

    assert numbered == {"Answers three": "1.1, 1.4, 3.2", "Answers none": ""}
    assert numbered["Answers three"] == short_numbers(answering)


def test_chunks_cover_every_action(db):
    rec = factories.make_recommendation()
    for i in range(5):
        factories.make_action(title=f"Action {i}", recommendations=[rec] if i % 2 else [])
    seen = list(with_recommendation_numbers(ActionItem.objects.order_by("title"), chunk_size=2))
    assert [a.title for a in seen] == [f"Action {i}" for i in range(5)]
    number = f"{rec.area.number}.{rec.number}"
    assert [a.recommendation_numbers for a in seen] == ["", number, "", number, ""]


def test_download_writes_them_with_constant_queries(client, officer, django_assert_num_queries):
    rec = factories.make_recommendation()
    for i in range(6):
        factories.make_action(title=f"Action {i}", recommendations=[rec] if i < 2 else [])
    client.force_login(officer)
    with django_assert_num_queries(4):
        response = client.get(reverse("actions:list"), {"download": "csv"})
        content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content, newline="")))
    column = rows[0].index("Recommendations")
    by_title = {row[rows[0].index("Action")]: row[column] for row in rows[1:]}
    assert by_title["Action 0"] == f"{rec.area.number}.{rec.number}"
    assert by_title["Action 5"] == ""
    assert ACTIONS.column("Recommendations").heading == rows[0][column]
