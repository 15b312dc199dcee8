from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data in and out in bulk: spreadsheet imports (with their preview and
    log) and the open-data feed.

    It sits on top of every other app, since an import or a feed spans
    programmes and reviews alike; none imports it. The spreadsheet mechanics
    (reading, writing, neutralising) are in core, so every app's lists can
    offer their own downloads.
    """

    name = "exchange"
    label = "exchange"
    verbose_name = "Imports and open data"
