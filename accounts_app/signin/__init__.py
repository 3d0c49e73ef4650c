"""Sign-in beyond the password: single sign-on through the company's identity provider
(OpenID Connect, mozilla-django-oidc) and a second factor from an authenticator app
(TOTP, django-otp) with one-time recovery codes. docs/decisions.md says why these."""
