# eventlet must patch the standard library before nameko, kombu or psycopg2 are imported.
import eventlet

eventlet.monkey_patch()

pytest_plugins = ["svckit.testing.plugin"]
