"""How a date prints when a template does not say: 2024-05-31 and 2024-05-31 17:00, as the pages that do
say print it (tests/test_display.py), instead of Django's zh_Hans 2024年5月31日. Official documents keep
their prescribed 2024年05月31日 in their own code. Anything not named here is Django's zh_Hans format."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
