import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English: rules and pages run under the English locale (pages
    are reversed to their /en/ addresses)."""
    with translation.override("en"):
        yield
