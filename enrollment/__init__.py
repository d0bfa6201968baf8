"""The enrollment app owns programs, their cohorts (course start dates with seats), and what people
submit: applications (seats and the waitlist) and enquiries, with the e-mails that follow."""
