"""The inbox through the API: conversations (list, detail, actions, notes) and labels.

Reads go through engagement.selectors and writes through engagement.services, the functions the
inbox pages call, so a client role or an API key sees and may do exactly what the dashboard
lets it.
"""
