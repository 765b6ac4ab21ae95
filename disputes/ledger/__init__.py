"""The case ledger (台账): bulk import and export in one CSV/XLSX format (ledger.md). No Flask here."""
