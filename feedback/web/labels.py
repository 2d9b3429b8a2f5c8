"""Words for codes, in the reader's language. The English must match the taxonomy's."""

from flask_babel import lazy_gettext as _l

from feedback.models import AlertReason, AlertState, AlertTier, Role, Sentiment

#: Theme labels shown to staff (TAXONOMY.md); tests check them against the lexicon file.
THEME_LABELS = {
    "safety": _l("Feeling safe"),
    "home": _l("Home and where I live"),
    "family": _l("Family and seeing family"),
    "friends": _l("Friends and relationships"),
    "school": _l("School and learning"),
    "health": _l("Health and feelings"),
    "social_worker": _l("My social worker and other workers"),
    "being_heard": _l("Being listened to and having a say"),
    "activities": _l("Fun, hobbies and activities"),
    "identity": _l("Who I am"),
    "future": _l("Growing up and the future"),
}

#: The plan section each theme's actions sit in.
PLAN_SECTIONS = {
    "safety": _l("Ensuring safety"),
    "home": _l("Stability / basic care"),
    "family": _l("Family and social relationships"),
    "friends": _l("Family and social relationships"),
    "school": _l("Education"),
    "health": _l("Health / emotional and behavioural development"),
    "social_worker": _l("Professional relationship"),
    "being_heard": _l("Participation"),
    "activities": _l("Leisure / social presentation"),
    "identity": _l("Identity"),
    "future": _l("Self-care skills / pathway plan"),
}

#: The five faces a child chooses from, saddest first (the child's pages show these words
#: under the faces; staff pages and the case record show the same words).
FACE_LABELS = {
    "1": _l("Very sad"),
    "2": _l("Sad"),
    # Translators: the middle one of five faces, neither happy nor sad.
    "3": _l("OK"),
    "4": _l("Happy"),
    "5": _l("Very happy"),
}

SENTIMENT_LABELS = {
    Sentiment.POSITIVE: _l("Positive"),
    Sentiment.NEGATIVE: _l("Negative"),
    Sentiment.MIXED: _l("Mixed"),
    Sentiment.NEUTRAL: _l("Neutral"),
}

ALERT_REASON_LABELS = {
    AlertReason.BUTTON: _l("The child pressed “I need help now”"),
    AlertReason.DETECTOR: _l("Possible disclosure found in the words"),
    AlertReason.DETECTOR_FAILURE: _l("Could not be checked automatically"),
}

ALERT_TIER_LABELS = {
    AlertTier.URGENT: _l("Urgent"),
    AlertTier.CONCERN: _l("Concern: read today"),
}

ALERT_STATE_LABELS = {
    AlertState.NEW: _l("New"),
    AlertState.ESCALATED: _l("Escalated"),
    AlertState.ACKNOWLEDGED: _l("Acknowledged"),
    AlertState.CLOSED: _l("Closed"),
}

ROLE_LABELS = {
    Role.WORKER: _l("Social worker"),
    Role.MANAGER: _l("Manager"),
    Role.BOARD: _l("Board analyst"),
    Role.ADMIN: _l("Administrator"),
}
