"""Every write to brands, their profile and their social accounts: one module per topic."""
