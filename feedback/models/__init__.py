"""The domain model, one aggregate per module (see DESIGN.md, "Domain")."""

from feedback.models.alerts import (
    Alert, AlertReason, AlertState, AlertTier, Notification, NotificationStatus,
)
from feedback.models.api_tokens import ApiToken
from feedback.models.audit import AuditEvent, Outcome
from feedback.models.base import Base, today, utcnow
from feedback.models.board_store import BoardMonthCounts, BoardMonthVersion, month_number
from feedback.models.cases import AccessCode, Case
from feedback.models.invitations import StaffInvitation
from feedback.models.plans import ActionStatus, CommentLink, PlanAction, Reply, ReplyKind
from feedback.models.questionnaires import Questionnaire, QuestionnaireVersion
from feedback.models.quotes import Quote, QuoteState
from feedback.models.records import CaseRecordExport
from feedback.models.responses import (
    HELP_QUESTION, AgeBand, Answer, Comment, Response, Sentiment,
)
from feedback.models.sessions import ParticipationSession, SessionDevice
from feedback.models.sign_in import Passkey, RecoveryCode, SignInCounter, StaffSession
from feedback.models.staff import Pod, Role, StaffUser, manager_pods
from feedback.models.themes import (
    ResponseTheme, TagOrigin, TagStatus, ThemeTag, refresh_response_themes,
)
from feedback.models.web_sessions import WebSession

__all__ = [
    "HELP_QUESTION",
    "AccessCode", "ActionStatus", "AgeBand", "Alert", "AlertReason", "AlertState", "AlertTier",
    "Answer", "ApiToken",
    "AuditEvent", "Base", "BoardMonthCounts", "BoardMonthVersion", "Case", "CaseRecordExport",
    "Comment", "CommentLink",
    "Notification", "NotificationStatus", "Outcome", "ParticipationSession", "PlanAction",
    "Passkey", "Pod", "Questionnaire", "QuestionnaireVersion", "Quote", "QuoteState", "Reply",
    "RecoveryCode", "ReplyKind", "Response", "ResponseTheme", "Role", "Sentiment", "SessionDevice",
    "SignInCounter", "StaffInvitation", "StaffSession", "StaffUser",
    "TagOrigin",
    "TagStatus",
    "ThemeTag", "WebSession", "manager_pods",
    "month_number", "refresh_response_themes", "today",
    "utcnow",
]
