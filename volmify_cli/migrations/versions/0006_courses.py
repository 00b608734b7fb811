"""courses: content, lessons, skills, ratings, enrollments, progress

Revision ID: 0006_courses
Revises: 0005_offers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006_courses'
down_revision = '0005_offers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_lesson',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=True),
    sa.Column('content_ref', sa.String(length=500), nullable=True),
    sa.Column('creator_profile_id', sa.Uuid(), nullable=True),
    sa.Column('origin_org_id', sa.Uuid(), nullable=True),
    sa.Column('origin_lesson_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint("type IN ('video', 'text', 'quiz', 'assignment', 'interactive')", name=op.f('ck_org_lesson_type_valid')),
    sa.CheckConstraint('estimated_minutes IS NULL OR estimated_minutes >= 0', name=op.f('ck_org_lesson_estimated_minutes_non_negative')),
    sa.ForeignKeyConstraint(['creator_profile_id'], ['user_profile.id'], name=op.f('fk_org_lesson_creator_profile_id_user_profile'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_lesson_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_lesson')),
    sa.UniqueConstraint('org_id', 'slug', name=op.f('uq_org_lesson_org_id_slug'))
    )
    op.create_table('org_lesson_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('lesson_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'lesson_id'], ['org_lesson.org_id', 'org_lesson.id'], name=op.f('fk_org_lesson_translation_org_id_lesson_id_org_lesson'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_lesson_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_lesson_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'lesson_id', 'locale_key', name=op.f('pk_org_lesson_translation'))
    )
    op.create_index('uq_org_lesson_translation_one_default', 'org_lesson_translation', ['org_id', 'lesson_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_product_course',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('product_type', sa.String(length=20), server_default=sa.text("'course'"), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('difficulty', sa.Integer(), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=True),
    sa.CheckConstraint("level IN ('beginner', 'intermediate', 'advanced', 'expert')", name=op.f('ck_org_product_course_level_valid')),
    sa.CheckConstraint("product_type = 'course'", name=op.f('ck_org_product_course_product_type_fixed')),
    sa.CheckConstraint('difficulty >= 1 AND difficulty <= 10', name=op.f('ck_org_product_course_difficulty_range')),
    sa.CheckConstraint('estimated_minutes IS NULL OR estimated_minutes >= 0', name=op.f('ck_org_product_course_estimated_minutes_non_negative')),
    sa.ForeignKeyConstraint(['org_id', 'product_id', 'product_type'], ['org_product.org_id', 'org_product.id', 'org_product.type'], name=op.f('fk_org_product_course_org_id_product_id_product_type_o_702ca6cc'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_course_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'product_id', name=op.f('pk_org_product_course'))
    )
    op.create_table('org_course_module',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('course_id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('required_access_tier', sa.Integer(), nullable=False),
    sa.Column('is_required', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=True),
    sa.CheckConstraint('required_access_tier >= 1', name=op.f('ck_org_course_module_required_access_tier_min')),
    sa.ForeignKeyConstraint(['org_id', 'course_id'], ['org_product_course.org_id', 'org_product_course.product_id'], name=op.f('fk_org_course_module_org_id_course_id_org_product_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_course_module_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_course_module')),
    sa.UniqueConstraint('org_id', 'course_id', 'slug', name=op.f('uq_org_course_module_org_id_course_id_slug'))
    )
    op.create_table('org_product_course_rating',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('course_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('level_rating', sa.String(length=20), nullable=False),
    sa.Column('difficulty_rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('instructor_response', sa.Text(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("level_rating IN ('beginner', 'intermediate', 'advanced', 'expert')", name=op.f('ck_org_product_course_rating_level_rating_valid')),
    sa.CheckConstraint('difficulty_rating >= 1 AND difficulty_rating <= 10', name=op.f('ck_org_product_course_rating_difficulty_rating_range')),
    sa.ForeignKeyConstraint(['org_id', 'course_id'], ['org_product_course.org_id', 'org_product_course.product_id'], name=op.f('fk_org_product_course_rating_org_id_course_id_org_prod_32aea677'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_course_rating_org_id_org'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_org_product_course_rating_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_product_course_rating')),
    sa.UniqueConstraint('org_id', 'course_id', 'user_id', name=op.f('uq_org_product_course_rating_org_id_course_id_user_id'))
    )
    op.create_table('org_product_course_skill',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('course_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('proficiency_level', sa.String(length=20), nullable=True),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('taught', 'prerequisite')", name=op.f('ck_org_product_course_skill_kind_valid')),
    sa.CheckConstraint("proficiency_level IS NULL OR proficiency_level IN ('beginner', 'intermediate', 'advanced', 'expert')", name=op.f('ck_org_product_course_skill_proficiency_level_valid')),
    sa.CheckConstraint('weight >= 1 AND weight <= 10', name=op.f('ck_org_product_course_skill_weight_range')),
    sa.ForeignKeyConstraint(['org_id', 'course_id'], ['org_product_course.org_id', 'org_product_course.product_id'], name=op.f('fk_org_product_course_skill_org_id_course_id_org_product_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_course_skill_org_id_org'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_org_product_course_skill_skill_id_skill')),
    sa.PrimaryKeyConstraint('org_id', 'course_id', 'skill_id', name=op.f('pk_org_product_course_skill'))
    )
    op.create_table('org_product_course_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('prerequisites', sa.Text(), nullable=True),
    sa.Column('target_audience', sa.Text(), nullable=True),
    sa.Column('learning_outcomes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_product_course_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'product_id'], ['org_product_course.org_id', 'org_product_course.product_id'], name=op.f('fk_org_product_course_translation_org_id_product_id_or_be0ed235'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_product_course_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'product_id', 'locale_key', name=op.f('pk_org_product_course_translation'))
    )
    op.create_index('uq_org_product_course_translation_one_default', 'org_product_course_translation', ['org_id', 'product_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_course_module_section',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('module_id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('required_access_tier', sa.Integer(), nullable=False),
    sa.Column('is_required', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=True),
    sa.CheckConstraint('required_access_tier >= 1', name=op.f('ck_org_course_module_section_required_access_tier_min')),
    sa.ForeignKeyConstraint(['org_id', 'module_id'], ['org_course_module.org_id', 'org_course_module.id'], name=op.f('fk_org_course_module_section_org_id_module_id_org_course_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_course_module_section_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_course_module_section')),
    sa.UniqueConstraint('org_id', 'module_id', 'slug', name=op.f('uq_org_course_module_section_org_id_module_id_slug'))
    )
    op.create_table('org_course_module_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('module_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_course_module_translation_org_id_locale_key_org_locale')),
    sa.ForeignKeyConstraint(['org_id', 'module_id'], ['org_course_module.org_id', 'org_course_module.id'], name=op.f('fk_org_course_module_translation_org_id_module_id_org__0dca25a6'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_course_module_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'module_id', 'locale_key', name=op.f('pk_org_course_module_translation'))
    )
    op.create_index('uq_org_course_module_translation_one_default', 'org_course_module_translation', ['org_id', 'module_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_course_module_section_lesson',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('section_id', sa.Uuid(), nullable=False),
    sa.Column('lesson_id', sa.Uuid(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('required_access_tier', sa.Integer(), nullable=False),
    sa.Column('is_required', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('prerequisite_lesson_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint('required_access_tier >= 1', name=op.f('ck_org_course_module_section_lesson_required_access_tier_min')),
    sa.ForeignKeyConstraint(['org_id', 'lesson_id'], ['org_lesson.org_id', 'org_lesson.id'], name=op.f('fk_org_course_module_section_lesson_org_id_lesson_id_org_lesson')),
    sa.ForeignKeyConstraint(['org_id', 'prerequisite_lesson_id'], ['org_lesson.org_id', 'org_lesson.id'], name=op.f('fk_org_course_module_section_lesson_org_id_prerequisit_a6afc97a')),
    sa.ForeignKeyConstraint(['org_id', 'section_id'], ['org_course_module_section.org_id', 'org_course_module_section.id'], name=op.f('fk_org_course_module_section_lesson_org_id_section_id__3f77f58d'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_course_module_section_lesson_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_course_module_section_lesson')),
    sa.UniqueConstraint('org_id', 'section_id', 'lesson_id', name=op.f('uq_org_course_module_section_lesson_org_id_section_id_lesson_id'))
    )
    op.create_table('org_course_module_section_translation',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('locale_key', sa.String(length=35), nullable=False),
    sa.Column('is_default', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('section_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['org_id', 'locale_key'], ['org_locale.org_id', 'org_locale.locale_key'], name=op.f('fk_org_course_module_section_translation_org_id_locale_0adacf97')),
    sa.ForeignKeyConstraint(['org_id', 'section_id'], ['org_course_module_section.org_id', 'org_course_module_section.id'], name=op.f('fk_org_course_module_section_translation_org_id_sectio_02911d62'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_course_module_section_translation_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'section_id', 'locale_key', name=op.f('pk_org_course_module_section_translation'))
    )
    op.create_index('uq_org_course_module_section_translation_one_default', 'org_course_module_section_translation', ['org_id', 'section_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.create_table('org_member_course_enrollment',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('course_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('access_tier', sa.Integer(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('subscription_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'completed')", name=op.f('ck_org_member_course_enrollment_status_valid')),
    sa.CheckConstraint('access_tier >= 1', name=op.f('ck_org_member_course_enrollment_access_tier_min')),
    sa.ForeignKeyConstraint(['org_id', 'course_id'], ['org_product_course.org_id', 'org_product_course.product_id'], name=op.f('fk_org_member_course_enrollment_org_id_course_id_org_p_a0a2f4c8')),
    sa.ForeignKeyConstraint(['org_id', 'member_id'], ['org_member.org_id', 'org_member.id'], name=op.f('fk_org_member_course_enrollment_org_id_member_id_org_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'subscription_id'], ['org_member_subscription.org_id', 'org_member_subscription.id'], name=op.f('fk_org_member_course_enrollment_org_id_subscription_id_6294013f')),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_member_course_enrollment_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'id', name=op.f('pk_org_member_course_enrollment')),
    sa.UniqueConstraint('org_id', 'member_id', 'course_id', name=op.f('uq_org_member_course_enrollment_org_id_member_id_course_id'))
    )
    op.create_table('org_member_lesson_progress',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('placement_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('seconds_spent', sa.BigInteger(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'completed')", name=op.f('ck_org_member_lesson_progress_status_valid')),
    sa.CheckConstraint('percent >= 0 AND percent <= 100', name=op.f('ck_org_member_lesson_progress_percent_range')),
    sa.CheckConstraint('seconds_spent >= 0', name=op.f('ck_org_member_lesson_progress_seconds_spent_non_negative')),
    sa.ForeignKeyConstraint(['org_id', 'enrollment_id'], ['org_member_course_enrollment.org_id', 'org_member_course_enrollment.id'], name=op.f('fk_org_member_lesson_progress_org_id_enrollment_id_org_c1eb8ae2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id', 'placement_id'], ['org_course_module_section_lesson.org_id', 'org_course_module_section_lesson.id'], name=op.f('fk_org_member_lesson_progress_org_id_placement_id_org__cba07076'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['org.id'], name=op.f('fk_org_member_lesson_progress_org_id_org'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'enrollment_id', 'placement_id', name=op.f('pk_org_member_lesson_progress'))
    )

def downgrade() -> None:
    op.drop_table('org_member_lesson_progress')
    op.drop_table('org_member_course_enrollment')
    op.drop_index('uq_org_course_module_section_translation_one_default', table_name='org_course_module_section_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_course_module_section_translation')
    op.drop_table('org_course_module_section_lesson')
    op.drop_index('uq_org_course_module_translation_one_default', table_name='org_course_module_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_course_module_translation')
    op.drop_table('org_course_module_section')
    op.drop_index('uq_org_product_course_translation_one_default', table_name='org_product_course_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_product_course_translation')
    op.drop_table('org_product_course_skill')
    op.drop_table('org_product_course_rating')
    op.drop_table('org_course_module')
    op.drop_table('org_product_course')
    op.drop_index('uq_org_lesson_translation_one_default', table_name='org_lesson_translation', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    op.drop_table('org_lesson_translation')
    op.drop_table('org_lesson')
