"""The post state machine: every transition, who may make it, and what it leaves behind."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agency.models import AuditEvent, Role
from campaigns.models import (
    Post,
    PostComment,
    PostRevision,
    PostState,
    PostVariant,
    ReviewStage,
    VariantState,
)
from campaigns.services.comments import post_comment_add
from campaigns.services.posts import post_create, post_update
from campaigns.services.transitions import post_refresh_state_from_variants
from campaigns.services.workflow import (
    post_approve,
    post_cancel,
    post_request_changes,
    post_restore,
    post_schedule,
    post_submit,
    post_unschedule,
    post_withdraw,
)
from campaigns.states import POST_TRANSITIONS
from campaigns.tests.factories import PostFactory, PublishingPolicyFactory
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("en")


def _reload(post):
    return Post.unscoped.select_related("brand").get(pk=post.pk)


def _submitted(draft, member_of_a, in_agency):
    with in_agency(draft.agency_id):
        return post_submit(actor=member_of_a, post=draft)


def test_a_new_post_is_a_draft_with_one_variant_per_account_and_a_first_revision(draft, accounts_a):
    assert draft.state == PostState.DRAFT
    variants = PostVariant.unscoped.filter(post=draft)
    assert sorted(v.social_account_id for v in variants) == sorted(a.pk for a in accounts_a)
    assert all(v.state == VariantState.PENDING and v.agency_id == draft.agency_id for v in variants)
    assert PostRevision.unscoped.filter(post=draft, version=1).exists()


def test_submitting_sends_the_post_to_internal_review_and_notifies_internal_approvers(
    draft, member_of_a, owner_of_a, client_of_a, in_agency
):
    post = _submitted(draft, member_of_a, in_agency)
    assert (post.state, post.review_stage) == (PostState.IN_REVIEW, ReviewStage.INTERNAL)
    recipients = set(Notification.unscoped.values_list("recipient_id", flat=True))
    assert owner_of_a.user_id in recipients
    assert client_of_a.user_id not in recipients
    assert AuditEvent.unscoped.filter(verb="post.submitted", target_id=str(post.pk)).exists()


def test_submission_is_refused_while_a_network_rule_is_broken(draft, member_of_a, in_agency):
    with in_agency(draft.agency_id):
        post_update(actor=member_of_a, post=draft, text="x" * 400)
        with pytest.raises(ValidationError) as refused:
            post_submit(actor=member_of_a, post=draft)
    assert any("Bluesky allows 300 characters" in m for m in refused.value.messages)
    assert _reload(draft).state == PostState.DRAFT


def test_submission_needs_at_least_one_account(member_of_a, brand_a, in_agency):
    with in_agency(brand_a.agency_id):
        post = post_create(actor=member_of_a, brand=brand_a, text="Bonjour")
        with pytest.raises(ValidationError, match="at least one account"):
            post_submit(actor=member_of_a, post=post)


def test_internal_then_client_approval_schedules_the_post_at_its_time(
    draft, member_of_a, owner_of_a, client_of_a, client_mode, in_agency
):
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post = post_approve(actor=owner_of_a, post=post, comment="OK pour moi")
        assert (post.state, post.review_stage) == (PostState.IN_REVIEW, ReviewStage.CLIENT)
        post = post_approve(actor=client_of_a, post=post)
    assert post.state == PostState.SCHEDULED
    variants = PostVariant.unscoped.filter(post=post)
    assert {v.state for v in variants} == {VariantState.SCHEDULED}
    assert {v.due_at for v in variants} == {post.scheduled_at}
    kinds = list(PostComment.unscoped.filter(post=post).values_list("kind", flat=True))
    assert kinds == ["approved", "approved"]


def test_internal_approval_alone_approves_when_the_brand_needs_no_client(
    draft, member_of_a, owner_of_a, agency_a, brand_a, in_agency
):
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="internal")
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post = post_approve(actor=owner_of_a, post=post)
    assert post.state == PostState.SCHEDULED


def test_a_brand_without_approval_schedules_at_submission(
    draft, member_of_a, agency_a, brand_a, in_agency
):
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="none")
    post = _submitted(draft, member_of_a, in_agency)
    assert post.state == PostState.SCHEDULED


def test_a_community_manager_cannot_approve(draft, member_of_a, in_agency):
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id), pytest.raises(PermissionDenied):
        post_approve(actor=member_of_a, post=post)


def test_a_client_approver_cannot_approve_at_the_internal_stage(
    draft, member_of_a, client_of_a, in_agency
):
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id), pytest.raises(PermissionDenied):
        post_approve(actor=client_of_a, post=post)


def test_an_owner_cannot_approve_in_the_clients_name(
    draft, member_of_a, owner_of_a, client_mode, in_agency
):
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post = post_approve(actor=owner_of_a, post=post)
        with pytest.raises(PermissionDenied):
            post_approve(actor=owner_of_a, post=post)


def test_a_client_approver_of_another_brand_cannot_approve(
    draft, member_of_a, owner_of_a, agency_a, member_factory, client_mode, in_agency
):
    from agency.tests.factories import BrandAccessFactory
    from clients.tests.factories import BrandFactory

    other_client = member_factory(agency_a, Role.CLIENT_APPROVER)
    BrandAccessFactory(
        membership=other_client, agency=agency_a, brand=BrandFactory(agency=agency_a)
    )
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post = post_approve(actor=owner_of_a, post=post)
        with pytest.raises(PermissionDenied):
            post_approve(actor=other_client, post=post)


def test_requesting_changes_needs_a_comment_and_returns_the_post_to_its_author(
    draft, member_of_a, owner_of_a, in_agency
):
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        with pytest.raises(ValidationError):
            post_request_changes(actor=owner_of_a, post=post, comment="  ")
        post = post_request_changes(actor=owner_of_a, post=post, comment="Ajoutez le prix.")
    assert post.state == PostState.CHANGES_REQUESTED
    note = Notification.unscoped.get(verb="post.changes_requested")
    assert note.recipient_id == member_of_a.user_id
    # Corrected and sent again.
    with in_agency(post.agency_id):
        post_update(actor=member_of_a, post=post, text="Menu à 45 MAD ce week-end !")
        post = post_submit(actor=member_of_a, post=_reload(post))
    assert post.state == PostState.IN_REVIEW


def test_an_edit_after_approval_sends_the_post_back_to_review_and_keeps_a_revision(
    draft, member_of_a, owner_of_a, client_of_a, client_mode, in_agency
):
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post_approve(actor=owner_of_a, post=post)
        post = post_approve(actor=client_of_a, post=_reload(post))
        assert post.state == PostState.SCHEDULED
        post = post_update(actor=member_of_a, post=post, text="Nouveau texte")
    assert (post.state, post.review_stage) == (PostState.IN_REVIEW, ReviewStage.INTERNAL)
    assert post.version == 2
    assert {v.state for v in PostVariant.unscoped.filter(post=post)} == {VariantState.PENDING}
    snapshots = list(PostRevision.unscoped.filter(post=post).order_by("version"))
    assert [r.snapshot["text"] for r in snapshots] == [draft.text, "Nouveau texte"]


def test_changing_only_the_labels_is_not_a_new_version(draft, member_of_a, in_agency):
    with in_agency(draft.agency_id):
        post = post_update(actor=member_of_a, post=draft, labels=["ramadan"])
    assert post.version == 1


def test_cancelling_a_scheduled_post_cancels_its_variants(
    draft, member_of_a, agency_a, brand_a, in_agency
):
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="none")
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post = post_cancel(actor=member_of_a, post=post)
        assert {v.state for v in PostVariant.unscoped.filter(post=post)} == {VariantState.CANCELLED}
        post = post_restore(actor=member_of_a, post=post)
    assert post.state == PostState.DRAFT
    assert {v.state for v in PostVariant.unscoped.filter(post=post)} == {VariantState.PENDING}


def test_unscheduling_keeps_the_approval(draft, member_of_a, agency_a, brand_a, in_agency):
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="none")
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post = post_unschedule(actor=member_of_a, post=post)
        assert post.state == PostState.APPROVED
        assert {v.due_at for v in PostVariant.unscoped.filter(post=post)} == {None}
        post = post_schedule(actor=member_of_a, post=post)
    assert post.state == PostState.SCHEDULED


def test_scheduling_in_the_past_is_refused(draft, member_of_a, agency_a, brand_a, in_agency):
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="none")
    with in_agency(draft.agency_id):
        post_update(actor=member_of_a, post=draft, scheduled_at=None)
        post = post_submit(actor=member_of_a, post=_reload(draft))
        assert post.state == PostState.APPROVED
        with pytest.raises(ValidationError, match="future"):
            post_schedule(
                actor=member_of_a, post=post, scheduled_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
            )


def test_a_published_post_cannot_go_back(agency_a, brand_a, member_of_a, in_agency):
    post = PostFactory(agency=agency_a, brand=brand_a, state=PostState.PUBLISHED)
    assert POST_TRANSITIONS[PostState.PUBLISHED] == frozenset()
    with in_agency(agency_a), pytest.raises(ValidationError):
        post_cancel(actor=member_of_a, post=post)
    with in_agency(agency_a), pytest.raises(ValidationError, match="cannot be edited"):
        post_update(actor=member_of_a, post=post, text="trop tard")


def test_withdrawing_a_post_in_review_makes_it_a_draft(draft, member_of_a, in_agency):
    post = _submitted(draft, member_of_a, in_agency)
    with in_agency(post.agency_id):
        post = post_withdraw(actor=member_of_a, post=post)
    assert (post.state, post.review_stage) == (PostState.DRAFT, "")


def test_an_analyst_cannot_write_posts(agency_a, brand_a, member_factory, in_agency):
    analyst = member_factory(agency_a, Role.ANALYST)
    with in_agency(agency_a), pytest.raises(PermissionDenied):
        post_create(actor=analyst, brand=brand_a, text="Bonjour")


def test_the_post_state_follows_its_variants_for_the_publishing_engine(
    draft, member_of_a, agency_a, brand_a, in_agency
):
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="none")
    post = _submitted(draft, member_of_a, in_agency)
    variants = list(PostVariant.unscoped.filter(post=post).order_by("id"))
    PostVariant.unscoped.filter(pk=variants[0].pk).update(state=VariantState.PUBLISHED)
    PostVariant.unscoped.filter(pk__in=[v.pk for v in variants[1:]]).update(
        state=VariantState.FAILED
    )
    Post.unscoped.filter(pk=post.pk).update(state=PostState.PUBLISHING)
    with in_agency(agency_a):
        post = post_refresh_state_from_variants(post=_reload(post))
    assert post.state == PostState.PARTLY_PUBLISHED


def test_variant_idempotency_key_changes_with_the_attempt(draft):
    variant = PostVariant.unscoped.filter(post=draft).first()
    first = variant.idempotency_key_for_attempt()
    variant.attempt += 1
    assert variant.idempotency_key_for_attempt() != first


def test_a_mention_in_a_comment_notifies_that_teammate(
    draft,
    member_of_a,
    owner_of_a,
    in_agency,
    mailoutbox,
    django_capture_on_commit_callbacks,
    eager_tasks,
):
    with in_agency(draft.agency_id), django_capture_on_commit_callbacks(execute=True):
        post_comment_add(actor=member_of_a, post=draft, body="@owner peux-tu relire ?")
    note = Notification.unscoped.get(verb="post.mentioned")
    assert note.recipient_id == owner_of_a.user_id
    assert [m.to for m in mailoutbox] == [[owner_of_a.user.email]]


def test_a_client_cannot_be_mentioned_on_a_brand_they_were_not_given(
    agency_a, member_of_a, member_factory, in_agency
):
    from clients.tests.factories import BrandFactory

    other_brand = BrandFactory(agency=agency_a)
    post = PostFactory(agency=agency_a, brand=other_brand)
    member_factory(agency_a, Role.CLIENT_VIEWER)  # client_viewer@atlas-digital.test
    with in_agency(agency_a):
        post_comment_add(actor=member_of_a, post=post, body="@client_viewer regarde")
    assert not Notification.unscoped.filter(verb="post.mentioned").exists()


def test_a_person_who_turned_mentions_off_is_not_notified(
    draft, member_of_a, owner_of_a, in_agency, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import NotificationPreference

    NotificationPreference.unscoped.create(
        agency_id=owner_of_a.agency_id, user=owner_of_a.user, channels={"post.mentioned": "off"}
    )
    with in_agency(draft.agency_id), django_capture_on_commit_callbacks(execute=True):
        post_comment_add(actor=member_of_a, post=draft, body="@owner relis stp")
    assert not Notification.unscoped.filter(verb="post.mentioned").exists()
    assert mailoutbox == []


def test_a_person_who_chose_in_app_only_gets_no_email(
    draft, member_of_a, owner_of_a, in_agency, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import NotificationPreference

    NotificationPreference.unscoped.create(
        agency_id=owner_of_a.agency_id, user=owner_of_a.user, channels={"post.mentioned": "in_app"}
    )
    with in_agency(draft.agency_id), django_capture_on_commit_callbacks(execute=True):
        post_comment_add(actor=member_of_a, post=draft, body="@owner relis stp")
    assert Notification.unscoped.filter(verb="post.mentioned").count() == 1
    assert mailoutbox == []
