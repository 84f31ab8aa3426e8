"""The reports pages: the agency's report templates (`templates.py`), and a report previewed
for a brand and a period as a web page or a PDF (`previews.py`)."""
