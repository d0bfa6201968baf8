"""Info sessions: the school's open evenings and online talks about its programs, people's sign-ups to them
(a seat or a waitlist place, counted under a lock), their e-mails with a calendar invitation, and the
"Add to calendar" files of sessions and course starts."""
