"""Reports: the terminal table, machine formats (JSON, JSONL, CSV, Markdown) and the HTML report."""
