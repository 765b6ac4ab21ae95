"""The web plumbing: steps, templating, messages, forms' fields, downloads, errors, headers."""
