"""Administration as operations (issue 15, after Lemur's service layer): every change an administrator makes to
users, units, rules, the calendar, minimum wages, hearing rooms, targets, number patterns and seals goes through a
function here that takes the acting user, checks, changes (through the owning domain module: `organisation`,
`reference`, `sla.rules`, `sla.calendar_admin`, `metrics.targets`, `numbering`, `documents.seals`), writes an
`admin_audit` entry and flushes. No Flask: the views parse the form, call one operation and render; the request's
unit of work commits.

A package of its own rather than more code in each domain module: the audit trail and the administrator's checks
(e.g. nobody demotes or deactivates themselves) are one concern across all of them, and the domain modules stay
usable as they are by the CLI, the demo loader and the ledger import, which are not administrators' edits.
"""
