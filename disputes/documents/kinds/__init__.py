"""One module per track registering its documents (see `catalogue.document`)."""
