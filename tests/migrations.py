"""Running the project's migrations to a point in a test, and to the end again after it (the
tests after it expect every table as it is now)."""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets) -> Apps:
    """Migrate the test database to ``targets`` ([(app, migration)]): the models as they
    were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_the_end() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
