"""Imports (DESIGN §10): a CSV or XLSX file of one kind in, always a dry run first,
then everything or nothing. Above the feature apps whose records it writes."""
