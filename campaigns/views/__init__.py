"""Dashboard views of campaigns, one module per page family: parse the request, call one
service or selector, render.

Every page is behind `require_action`; objects are fetched through the `*_get_for` selectors
(404 for another agency's or another client's objects). The approval page and the ICS feed
(`public.py`) are public (`view.public = True`): the signed token in their URL is the credential.
"""
