"""The sections of a client report: one builder per section key (``registry.REGISTRY``), each
returning plain data with a ``tables()`` form (sections/base.py). Modules by family:
``cover`` (cover, summary), ``performance`` (KPIs, per network, top posts), ``community``,
``listening`` (listening, share of voice, crises), ``planning`` (campaigns, next calendar)."""
