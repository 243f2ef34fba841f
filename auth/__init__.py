"""Who is asking: identity and roles (`auth.identity`, below the warehouse, which enforces the role rules) and
the app's user store with passwords and sign-in throttling (`auth.users`)."""
