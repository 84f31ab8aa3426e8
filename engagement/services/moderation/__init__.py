"""A brand's moderation rules: what a rule is made of (``conditions``), applying the matching
rules to each new inbound message at ingest (``apply``), replaying the last 30 days through one
rule without side effects (``dry_run``), and the writes people make (``rules``, ``authors``).
"""
