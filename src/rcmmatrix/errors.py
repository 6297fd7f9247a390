"""Exceptions for "cannot run at all". Problems in country files are :class:`~rcmmatrix.issues.Issue` data."""

from __future__ import annotations


class RcmmatrixError(Exception):
    """Base class: the CLI turns it into one red line on stderr and exit code 2."""


class SchemaError(RcmmatrixError):
    """The schema file is broken (duplicate id, unknown type, missing label, …)."""


class WorkspaceError(RcmmatrixError):
    """No workspace, a broken rcmmatrix.toml, an unknown round or member, an unwritable folder."""


class StoreError(RcmmatrixError):
    """The SQLite store cannot be opened or is from a newer rcmmatrix."""
