"""Every ``flask --app wsgi …`` command: thin wrappers that parse options, call the domain
modules of ``service`` and print. Nothing else in ``service`` imports this package; it may
import any of them (service/__init__.py registers the commands on the app)."""
