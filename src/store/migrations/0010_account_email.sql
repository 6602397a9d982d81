-- E-mail reminders of due and overdue deadlines (src/cases/remind.c, issue 5
-- item 5): an optional address per account, and the day the last reminder
-- went to it.
--
-- The address is an account's work address, as plain as its display name:
-- it is no case content and identifies no reporter. Reminders carry counts
-- and a link only (docs/security.md), so nothing about a case or report ever
-- goes to it. Printable ASCII without spaces, one '@' at least: what
-- src/web/mail.c accepts, so that a row can never smuggle a line break into
-- a mail header or an SMTP command.
--
-- reminded_on: a second run of `probity remind` on the same day (a timer
-- catching up after downtime) sends nobody a second message.
ALTER TABLE account ADD COLUMN email TEXT
  CHECK (length(email) BETWEEN 3 AND 254 AND email GLOB '?*@?*'
    AND email NOT GLOB '*[^!-~]*');
ALTER TABLE account ADD COLUMN reminded_on TEXT
  CHECK (reminded_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
