"""The database tables, as SQLAlchemy 2 models, a module per part of the domain; every model
is named here too, so that ``from service.models import Message`` serves everyone and
importing this package registers every table on the metadata (the migrations compare
against it). The schema itself changes only by migration."""

from service.models.accounts import Account, AuditEvent, DashboardSession, IdempotencyRecord
from service.models.columns import Timestamp, UtcDateTime, utcnow
from service.models.facts import (
    Alert,
    CityThemeFacts,
    DepartmentRatingFacts,
    DirtyMark,
    FactVersion,
    MessageCounts,
    MessageFacts,
    RatingCounts,
    RatingFacts,
    ThemeFacts,
)
from service.models.messages import Message, MessageEvent, ReplyBand, ReplySignature
from service.models.ratings import Appeal, Rating, RatingFlag, RectificationCase
from service.models.reference import Department, Region, ServiceItem, Theme

__all__ = [
    "Timestamp",
    "UtcDateTime",
    "utcnow",
    "Region",
    "Department",
    "ServiceItem",
    "Theme",
    "Account",
    "DashboardSession",
    "IdempotencyRecord",
    "AuditEvent",
    "Rating",
    "RectificationCase",
    "Appeal",
    "RatingFlag",
    "Message",
    "MessageEvent",
    "ReplySignature",
    "ReplyBand",
    "RatingCounts",
    "RatingFacts",
    "DepartmentRatingFacts",
    "MessageCounts",
    "MessageFacts",
    "ThemeFacts",
    "CityThemeFacts",
    "DirtyMark",
    "FactVersion",
    "Alert",
]
