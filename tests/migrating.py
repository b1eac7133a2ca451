"""Moving the test database to given migrations and back, for tests of data migrations."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` ([(app, migration), ...] or "latest": every app's last migration) and
    return the apps registry of that state, whose models match the tables at that point."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    if targets == "latest":
        targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
