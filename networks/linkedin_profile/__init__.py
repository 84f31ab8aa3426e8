"""LinkedIn member profiles: posting as a person, on the organisation adapter's code."""
