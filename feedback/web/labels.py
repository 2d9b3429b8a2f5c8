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

#: The safety scale ("How safe do you feel where you live?"), least safe first: the same
#: five faces, read back in words about safety, never "Happy".
SAFETY_LABELS = {
    "1": _l("Not safe at all"),
    "2": _l("Not very safe"),
    # Translators: the middle of five answers to "How safe do you feel?".
    "3": _l("A bit safe"),
    "4": _l("Safe"),
    "5": _l("Very safe"),
}

#: The words on each scale, by the questionnaire's ``scale`` name.
SCALE_LABELS = {"feelings": FACE_LABELS, "safety": SAFETY_LABELS}

#: A scale's choice for a child who wants to skip it; stored as ``not_say``, so a report
#: tells it apart from a question left unanswered.
# Translators: the last choice of a question, for a child who would rather not answer it.
NOT_SAY_LABEL = _l("I'd rather not say")

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
