"""X: the adapter, its content rules and the account look-up after OAuth."""
