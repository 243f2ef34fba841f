"""Tests of who may see what: users, sign-in, roles, row-level restriction, hostile input."""
