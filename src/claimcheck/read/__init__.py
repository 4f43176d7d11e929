"""Reading: inputs (files, folders, URLs, dumps) -> Document."""
