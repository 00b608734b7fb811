"""core: global reference data and identity (locale, currency, country, users and profiles)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Integer, PrimaryKeyConstraint, String, Text
from sqlmodel import Field

from volmify_cli.enums import ProfileType, TextDirection
from volmify_cli.models.base import (
    LOCALE_KEY,
    Base,
    GlobalRow,
    GlobalTranslation,
    Timestamps,
    check,
    enum_check,
    flag,
    global_translation_args,
    non_negative,
    text_field,
    utc_field,
)


class Locale(Timestamps, table=True):
    """The global locale registry (BCP 47 keys, validated with babel when added)."""

    __tablename__ = "locale"

    key: str = Field(sa_type=String(LOCALE_KEY), primary_key=True)
    english_name: str = text_field(200)
    native_name: str = text_field(200)
    direction: str = Field(default=TextDirection.LTR, sa_type=String(3), nullable=False)
    is_active: bool = flag(True)

    __table_args__ = (enum_check("direction", TextDirection),)


class Currency(Base, table=True):
    """ISO 4217, seeded by the first migration from the project's own table."""

    __tablename__ = "currency"

    code: str = Field(sa_type=String(3), primary_key=True)
    name: str = text_field(200)
    numeric_code: int = Field(sa_type=Integer, nullable=False)
    minor_units: int = Field(sa_type=Integer, nullable=False)
    symbol: str = text_field(16)
    is_active: bool = flag(True)

    __table_args__ = (
        check("minor_units_range", "minor_units >= 0 AND minor_units <= 4"),
        check("code_upper", "code = upper(code)"),
    )


class Country(Base, table=True):
    """ISO 3166-1."""

    __tablename__ = "country"

    code: str = Field(sa_type=String(2), primary_key=True)
    alpha3: str = Field(sa_type=String(3), nullable=False, unique=True)
    name: str = text_field(200)
    default_currency_code: str | None = Field(
        default=None, sa_type=String(3), foreign_key="currency.code"
    )
    default_locale_key: str | None = Field(
        default=None, sa_type=String(LOCALE_KEY), foreign_key="locale.key", ondelete="SET NULL"
    )


class User(GlobalRow, table=True):
    """A global account. E-mail is unique case-insensitively through its normalised column
    (lower-cased in Python: SQLite's lower() only folds ASCII, so no CHECK compares them)."""

    __tablename__ = "user"

    email: str = text_field(320)
    email_normalized: str = Field(sa_type=String(320), nullable=False, unique=True)
    name: str = text_field(200)
    display_name: str | None = text_field(200, nullable=True, default=None)


class UserProfile(GlobalRow, table=True):
    """A public identity of a user (main or instructor), addressed by a global slug."""

    __tablename__ = "user_profile"

    user_id: uuid.UUID = Field(
        foreign_key="user.id", ondelete="CASCADE", nullable=False, index=True
    )
    type: str = Field(sa_type=String(20), nullable=False)
    slug: str = Field(sa_type=String(120), nullable=False, unique=True)
    display_name: str = text_field(200)
    is_active: bool = flag(True)

    __table_args__ = (enum_check("type", ProfileType),)


class UserInstructorProfile(Timestamps, table=True):
    """1:1 extension of an instructor-type profile."""

    __tablename__ = "user_instructor_profile"

    profile_id: uuid.UUID = Field(
        primary_key=True, foreign_key="user_profile.id", ondelete="CASCADE"
    )
    professional_title: str | None = text_field(200, nullable=True, default=None)
    expertise_areas: str | None = text_field(500, nullable=True, default=None)
    verified_at: dt.datetime | None = utc_field(default=None)


class UserInstructorProfileTranslation(GlobalTranslation, table=True):
    __tablename__ = "user_instructor_profile_translation"

    profile_id: uuid.UUID = Field(nullable=False)
    title: str | None = text_field(200, nullable=True, default=None)
    bio: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = global_translation_args(
        "user_instructor_profile_translation", "profile_id", "user_profile"
    )


class UserSession(GlobalRow, table=True):
    """A sign-in session; the CLI only lists and revokes them."""

    __tablename__ = "user_session"

    user_id: uuid.UUID = Field(
        foreign_key="user.id", ondelete="CASCADE", nullable=False, index=True
    )
    token_hash: str = Field(sa_type=String(128), nullable=False, unique=True)
    expires_at: dt.datetime = utc_field(nullable=False)
    revoked_at: dt.datetime | None = utc_field(default=None)
    ip_address: str | None = text_field(45, nullable=True, default=None)
    user_agent: str | None = text_field(500, nullable=True, default=None)


class UserLearningProfile(Timestamps, table=True):
    """Per user, cross-organization learning totals (derived from progress, refreshable)."""

    __tablename__ = "user_learning_profile"

    user_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE", nullable=False)
    courses_enrolled: int = Field(default=0, nullable=False)
    courses_completed: int = Field(default=0, nullable=False)
    lessons_completed: int = Field(default=0, nullable=False)
    seconds_spent: int = Field(default=0, sa_type=BigInteger, nullable=False)
    refreshed_at: dt.datetime | None = utc_field(default=None)

    __table_args__ = (
        PrimaryKeyConstraint("user_id"),
        non_negative("courses_enrolled"),
        non_negative("courses_completed"),
        non_negative("lessons_completed"),
        non_negative("seconds_spent"),
    )
