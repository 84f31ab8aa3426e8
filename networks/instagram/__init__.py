"""Instagram professional accounts: the adapter, content rules, the account look-up after OAuth."""
