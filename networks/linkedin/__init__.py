"""LinkedIn organisation pages: the adapter, content rules, the organisation look-up after OAuth."""
