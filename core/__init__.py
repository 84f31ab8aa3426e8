"""What several apps share and that knows no tenant: upload checks, CSV safety.

Imports Django and the standard library only, never one of our apps.
"""
