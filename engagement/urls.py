"""The inbox's pages, in the dashboard namespace (config/urls.py): ``dashboard:inbox`` …"""

from django.urls import path

from engagement.views import (
    approvals,
    conversation,
    inbox,
    metrics,
    moderation,
    presence,
    replies,
    saved_replies,
    sla,
)

urlpatterns = [
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/bulk/", inbox.inbox_bulk, name="inbox_bulk"),
    path("inbox/<int:conversation_id>/", conversation.conversation, name="conversation"),
    path(
        "inbox/<int:conversation_id>/status/",
        conversation.conversation_status,
        name="conversation_status",
    ),
    path(
        "inbox/<int:conversation_id>/assign/",
        conversation.conversation_assign,
        name="conversation_assign",
    ),
    path(
        "inbox/<int:conversation_id>/note/",
        conversation.conversation_note,
        name="conversation_note",
    ),
    path(
        "inbox/<int:conversation_id>/labels/",
        conversation.conversation_labels,
        name="conversation_labels",
    ),
    path(
        "inbox/<int:conversation_id>/priority/",
        conversation.conversation_priority,
        name="conversation_priority",
    ),
    path(
        "inbox/<int:conversation_id>/presence/",
        presence.conversation_presence,
        name="conversation_presence",
    ),
    path(
        "inbox/<int:conversation_id>/reply/",
        replies.conversation_reply,
        name="conversation_reply",
    ),
    path(
        "inbox/<int:conversation_id>/messages/<int:message_id>/action/",
        replies.message_action,
        name="conversation_message_action",
    ),
    path(
        "inbox/<int:conversation_id>/actions/<int:outbound_action_id>/retry/",
        replies.action_retry_view,
        name="conversation_action_retry",
    ),
    path("inbox/brands/<int:brand_id>/sla/", sla.brand_sla, name="brand_sla"),
    path("brands/<int:brand_id>/moderation/", moderation.rule_list, name="moderation_rules"),
    path(
        "brands/<int:brand_id>/moderation/new/",
        moderation.rule_create,
        name="moderation_rule_create",
    ),
    path(
        "brands/<int:brand_id>/moderation/<int:moderation_rule_id>/",
        moderation.rule_edit,
        name="moderation_rule_edit",
    ),
    path(
        "brands/<int:brand_id>/moderation/<int:moderation_rule_id>/move/",
        moderation.rule_move,
        name="moderation_rule_move",
    ),
    path(
        "brands/<int:brand_id>/moderation/<int:moderation_rule_id>/enable/",
        moderation.rule_enable,
        name="moderation_rule_enable",
    ),
    path(
        "brands/<int:brand_id>/moderation/<int:moderation_rule_id>/delete/",
        moderation.rule_delete,
        name="moderation_rule_delete",
    ),
    path(
        "brands/<int:brand_id>/moderation/<int:moderation_rule_id>/dry-run/",
        moderation.rule_dry_run_view,
        name="moderation_rule_dry_run",
    ),
    path(
        "brands/<int:brand_id>/moderation/authors/",
        moderation.author_lists,
        name="moderation_authors",
    ),
    path(
        "brands/<int:brand_id>/moderation/authors/<int:brand_author_id>/remove/",
        moderation.author_remove,
        name="moderation_author_remove",
    ),
    path("inbox/saved-replies/", saved_replies.saved_reply_list, name="saved_replies"),
    path("inbox/saved-replies/new/", saved_replies.saved_reply_create, name="saved_reply_create"),
    path(
        "inbox/saved-replies/<int:saved_reply_id>/",
        saved_replies.saved_reply_edit,
        name="saved_reply_edit",
    ),
    path(
        "inbox/saved-replies/<int:saved_reply_id>/delete/",
        saved_replies.saved_reply_delete,
        name="saved_reply_delete",
    ),
    path(
        "inbox/brands/<int:brand_id>/reply-settings/",
        saved_replies.reply_settings,
        name="reply_settings",
    ),
    path("inbox/approvals/", approvals.reply_approvals, name="reply_approvals"),
    path(
        "inbox/approvals/<int:reply_approval_id>/approve/",
        approvals.reply_approval_approve,
        name="reply_approval_approve",
    ),
    path(
        "inbox/approvals/<int:reply_approval_id>/reject/",
        approvals.reply_approval_reject,
        name="reply_approval_reject",
    ),
    path("inbox/metrics/", metrics.inbox_metrics_page, name="inbox_metrics"),
]
