"""The staff's second sign-in factor: who must use one (a rule per group, superusers always), the
authenticator app (django-otp's TOTP device) and single-use recovery codes stored hashed, and the admin's
two-step sign-in, enrolment and reset."""
