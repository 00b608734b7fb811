"""identity: users, profiles, sessions, skills, contact info

Revision ID: 0002_identity
Revises: 0001_reference
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_identity'
down_revision = '0001_reference'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_info',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_info'))
    )
    op.create_table('skill',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('parent_skill_id', sa.Uuid(), nullable=True),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('parent_skill_id IS NULL OR parent_skill_id <> id', name=op.f('ck_skill_not_own_parent')),
    sa.ForeignKeyConstraint(['parent_skill_id'], ['skill.id'], name=op.f('fk_skill_parent_skill_id_skill'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill')),
    sa.UniqueConstraint('slug', name=op.f('uq_skill_slug'))
    )
    op.create_table('user',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('email_normalized', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email_normalized', name=op.f('uq_user_email_normalized'))
    )
    op.create_table('skill_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['locale_key'], ['locale.key'], name=op.f('fk_skill_translation_locale_key_locale')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_skill_translation_skill_id_skill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('skill_id', 'locale_key', name=op.f('pk_skill_translation'))
    )
    op.create_index('uq_skill_translation_one_default', 'skill_translation', ['skill_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('user_learning_profile',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('courses_enrolled', sa.Integer(), nullable=False),
    sa.Column('courses_completed', sa.Integer(), nullable=False),
    sa.Column('lessons_completed', sa.Integer(), nullable=False),
    sa.Column('seconds_spent', sa.BigInteger(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('courses_completed >= 0', name=op.f('ck_user_learning_profile_courses_completed_non_negative')),
    sa.CheckConstraint('courses_enrolled >= 0', name=op.f('ck_user_learning_profile_courses_enrolled_non_negative')),
    sa.CheckConstraint('lessons_completed >= 0', name=op.f('ck_user_learning_profile_lessons_completed_non_negative')),
    sa.CheckConstraint('seconds_spent >= 0', name=op.f('ck_user_learning_profile_seconds_spent_non_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_learning_profile_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_learning_profile'))
    )
    op.create_table('user_profile',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint("type IN ('main', 'instructor')", name=op.f('ck_user_profile_type_valid')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_profile_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_profile')),
    sa.UniqueConstraint('slug', name=op.f('uq_user_profile_slug'))
    )
    op.create_index(op.f('ix_user_profile_user_id'), 'user_profile', ['user_id'], unique=False)
    op.create_table('user_session',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.create_table('user_instructor_profile',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('professional_title', sa.String(length=200), nullable=True),
    sa.Column('expertise_areas', sa.String(length=500), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['user_profile.id'], name=op.f('fk_user_instructor_profile_profile_id_user_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', name=op.f('pk_user_instructor_profile'))
    )
    op.create_table('user_instructor_profile_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['locale_key'], ['locale.key'], name=op.f('fk_user_instructor_profile_translation_locale_key_locale')),
    sa.ForeignKeyConstraint(['profile_id'], ['user_profile.id'], name=op.f('fk_user_instructor_profile_translation_profile_id_user_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'locale_key', name=op.f('pk_user_instructor_profile_translation'))
    )
    op.create_index('uq_user_instructor_profile_translation_one_default', 'user_instructor_profile_translation', ['profile_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('user_profile_contact_info',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('contact_info_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['contact_info_id'], ['contact_info.id'], name=op.f('fk_user_profile_contact_info_contact_info_id_contact_info'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['user_profile.id'], name=op.f('fk_user_profile_contact_info_profile_id_user_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'contact_info_id', name=op.f('pk_user_profile_contact_info'))
    )

def downgrade() -> None:
    op.drop_table('user_profile_contact_info')
    op.drop_index('uq_user_instructor_profile_translation_one_default', table_name='user_instructor_profile_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('user_instructor_profile_translation')
    op.drop_table('user_instructor_profile')
    op.drop_index(op.f('ix_user_session_user_id'), table_name='user_session')
    op.drop_table('user_session')
    op.drop_index(op.f('ix_user_profile_user_id'), table_name='user_profile')
    op.drop_table('user_profile')
    op.drop_table('user_learning_profile')
    op.drop_index('uq_skill_translation_one_default', table_name='skill_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('skill_translation')
    op.drop_table('user')
    op.drop_table('skill')
    op.drop_table('contact_info')
