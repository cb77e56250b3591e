"""Routes of sign-in (tests/access.py explains the matrix)."""

PUBLIC = {
    "sso_login": "starts a sign-in at the organization's provider; 404 while SSO is off",
    "sso_callback": (
        "guarded by the state, nonce and PKCE verifier of the caller's own session "
        "(tests/accounts/test_sso.py)"
    ),
}
