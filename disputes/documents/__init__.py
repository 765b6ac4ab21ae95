"""The required documents: plain contexts, Jinja templates, WeasyPrint PDFs.

Nothing here reads the request: a document is rendered from a case, a subject
(an award, a hearing, a party…) and a language, by the web layer, the CLI or a job.
"""
