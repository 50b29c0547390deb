"""translate-flow: English rst newsletters → gettext catalogs → localized editions."""

__version__ = "0.1.0"
