"""Every cache of the service's own state is in the app's registry: named, bounded,
emptied with the app (``feedback/services/caching.py``)."""

import re
from pathlib import Path

import pytest

from feedback.services.caching import BoundedCache, CacheRegistry
from feedback.web.caches import caches

PACKAGE = Path(__file__).resolve().parent.parent / "feedback"
#: Memoised pure functions of data shipped with the code (never of a request, the
#: database or the configuration), so a process may keep them. Anything else is
#: kept in the registry. (``feedback/theming`` is a library with no app state: the
#: import test proves it reaches neither Flask nor a database.)
PURE_FUNCTIONS = {
    ("services/working_time.py", "_bank_holidays"),  # England's bank holidays in a year
    ("web/forms.py", "_catalogue"),  # WTForms' own message catalogue for a locale
    ("web/i18n.py", "babel_locale"),  # a Language's Babel locale
    ("web/i18n.py", "_best_match"),  # an Accept-Language header's best offered language
    ("web/i18n.py", "_language_of"),  # a Babel locale's Language
    ("services/redaction.py", "_word_list"),  # a shipped list of first names or places
}
#: Per-app objects kept in ``app.extensions`` that are not caches of data.
EXTENSIONS = {"caches", "session_engine", "redis", "journey_tokens", "theming", "totp_box",
              "council_group_roles"}

MEMOISED = re.compile(r"^@(?:functools\.)?(?:lru_cache|cache)\b.*\n(?:@.*\n)*def (\w+)", re.M)
MODULE_STORE = re.compile(r"^(_?\w+)\s*(?::[^=\n]+)?=\s*(?:\{\}|dict\(\)|OrderedDict\(\)|\[\])",
                          re.M)
EXTENSION_KEY = re.compile(r"extensions(?:\[|\.setdefault\(|\.get\()\s*[\"'](\w+)[\"']")


def service_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not relative.startswith("theming/"):
            yield relative, path.read_text(encoding="utf-8")


def test_only_pure_functions_are_memoised_outside_the_registry():
    memoised = {(name, function) for name, source in service_modules()
                for function in MEMOISED.findall(source)}
    assert memoised == PURE_FUNCTIONS


def test_no_module_keeps_a_store_of_its_own():
    stores = [(name, store) for name, source in service_modules()
              for store in MODULE_STORE.findall(source)]
    assert stores == []


def test_the_app_keeps_no_other_store_in_its_extensions():
    used = {key for _, source in service_modules() for key in EXTENSION_KEY.findall(source)}
    assert used <= EXTENSIONS


def test_a_bounded_cache_forgets_the_least_recently_used_entry():
    cache: BoundedCache[str, int] = BoundedCache("test", 2)
    made = []

    def make(value):
        made.append(value)
        return value

    cache.get_or_make("a", lambda: make(1))
    cache.get_or_make("b", lambda: make(2))
    assert cache.get_or_make("a", lambda: make(9)) == 1  # kept; now the most recent
    cache.get_or_make("c", lambda: make(3))  # "b" goes
    assert len(cache) == 2
    assert cache.get_or_make("b", lambda: make(4)) == 4
    assert made == [1, 2, 3, 4]
    with pytest.raises(ValueError):
        BoundedCache("empty", 0)


def test_clearing_the_registry_empties_every_cache():
    registry = CacheRegistry()
    small = registry.bounded("small", 10)
    small.get_or_make("key", lambda: "value")
    assert registry.bounded("small", 10) is small
    registry.clear()
    assert len(small) == 0
    assert registry.names() == ["small"]


def test_each_app_has_its_own_caches(app, app_factory, client):
    assert client.get("/").status_code == 200
    assert "fragments.html" in caches().names()
    other = app_factory()
    with other.app_context():
        assert caches() is not app.extensions["caches"]
        assert caches().names() == []
