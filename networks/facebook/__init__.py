"""Facebook Pages: the adapter, its content rules and the Page look-up after OAuth."""
