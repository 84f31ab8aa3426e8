import inspect
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from networks.adapter import NetworkAdapter
from networks.base import Capabilities, Credentials, Network, NotSupported, PostContent
from networks.registry import ADAPTERS, NETWORK_CHOICES, display_name, get_adapter

# Capability -> (method, arguments that would be valid if the capability were true).
METHODS = {
    "first_comment": ("publish_first_comment", ("post", "text")),
    "find_existing_post": ("find_existing_post", (PostContent(text="x"),)),
    "read_comments": ("list_comments", ("post",)),
    "search_mentions": ("search_mentions", ("query",)),
    "read_mentions": ("mention_notifications", ()),
    "read_direct_messages": ("list_direct_messages", ()),
    "send_direct_messages": ("send_direct_message", ("thread", "recipient", "text")),
    "read_own_posts": ("list_recent_posts", (datetime(2026, 11, 1, tzinfo=UTC),)),
    "reply": ("reply", ("parent", "text")),
    "hide_comment": ("hide_comment", ("comment",)),
    "delete_comment": ("delete_comment", ("comment",)),
    "like": ("like_comment", ("comment",)),
    "private_reply": ("send_private_reply", ("comment", "text")),
    "post_metrics": ("post_metrics", ("post",)),
    "account_metrics": ("account_metrics", ()),
    "install_webhooks": ("install_webhooks", ()),
}


def test_every_network_has_an_adapter_and_a_display_name():
    assert {Network(v) for v, _ in NETWORK_CHOICES} == set(Network)
    assert display_name("linkedin") == "LinkedIn"
    assert get_adapter("x").network == Network.X
    with pytest.raises(ValueError, match="unknown network 'myspace'"):
        get_adapter("myspace")


def test_adapter_options_reach_the_constructor():
    assert get_adapter("facebook", graph_version="v25.0").version == "v25.0"
    assert get_adapter("linkedin", api_version="202609").version == "202609"


@pytest.mark.parametrize("network", list(ADAPTERS))
@pytest.mark.parametrize("capability", list(METHODS))
def test_capabilities_agree_with_the_methods_implemented(network, capability):
    adapter_class = ADAPTERS[network]
    method_name, args = METHODS[capability]
    overridden = getattr(adapter_class, method_name) is not getattr(NetworkAdapter, method_name)
    declared = getattr(adapter_class.capabilities, capability)
    assert declared == overridden, f"{network}.{method_name} vs capability {capability}"
    if not declared:
        with pytest.raises(NotSupported):  # raised before any HTTP call
            getattr(get_adapter(network), method_name)(Credentials("t"), *args)


@pytest.mark.parametrize("network", list(ADAPTERS))
def test_every_adapter_can_publish_something_and_lists_its_documentation(network):
    adapter_class = ADAPTERS[network]
    caps: Capabilities = adapter_class.capabilities
    assert caps.publish_text or caps.publish_images or caps.publish_video  # YouTube: video
    assert adapter_class.publish is not NetworkAdapter.publish
    assert adapter_class.docs


def test_networks_package_never_imports_django():
    import networks

    package = Path(inspect.getfile(networks)).parent
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+django", source, re.M), path.name
