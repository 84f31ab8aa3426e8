"""The reports pages: the agency's report templates (`templates.py`), a report previewed for a
brand and a period as a web page or a PDF (`previews.py`), the run history (agency-wide and per
brand) with "run now" and the brand's schedules (`runs.py`, `schedules.py`), a run's page with
its progress and downloads (`runs.py`, `downloads.py`), and the web version behind a signed
token (`public.py`, public: the token is the credential)."""
