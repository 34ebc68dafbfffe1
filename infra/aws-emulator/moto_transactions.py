"""moto 5.2.5's DynamoDB, patched so a transaction costs what it touches and concurrent requests are safe.

What moto 5.2.5 does, and why it hurts:
- `DynamoDBBackend.transact_write_items` takes its rollback copy with `copy.deepcopy(table)` of the
  WHOLE table, once per transaction item (a four-item transaction on one table copies it four times).
  The time is proportional to the table: about 0.6 s per transaction at 500 items.
- `copy.deepcopy` creates objects through `cls.__new__`, and moto's `BaseModel.__new__` appends every
  instance to its class's `instances_tracked` list (for the /moto-api dashboard), which nothing ever
  empties but a reset. Every copied `Table`, `GlobalSecondaryIndex` and `Item` is therefore kept for
  ever: memory grows with (table size x transactions), gigabytes after a few hundred reports.
  Every `Item` a put creates is kept the same way, even after it is overwritten or deleted.
- moto serves requests on threads and its DynamoDB keeps no lock: a deep copy, a query or a scan
  iterating a table's dict while another thread inserts raises "dictionary changed size during
  iteration" (HTTP 500), and a failed transaction's rollback puts the whole old table back, silently
  discarding every write other threads made in between.

What this patch changes (applied by moto_launcher.py, refused on another moto version):
- `transact_write_items` snapshots only the items the transaction touches (a deep copy of each one,
  or "absent"), in request order, and on cancellation restores exactly those, newest first. The rest
  of the method is moto's: the same checks, all-or-nothing semantics, cancellation reasons in request
  order, and validation errors re-raised after the rollback.
- DynamoDB `Item`s are no longer tracked by `instances_tracked` (only the dashboard reads that list
  for DynamoDB; the S3 backend's own use of its trackers is untouched).
- Every DynamoDB request runs under one re-entrant lock, as does `transact_write_items` itself: the
  backend is serialised, so a transaction is isolated from other writes (as DynamoDB's are), and no
  request sees a table mid-change. moto computes under the GIL anyway; the lock costs no parallelism.

`STATS` counts what the patch does (transactions, items snapshotted, items restored), for the tests.
"""
import copy
import threading

EXPECTED_MOTO_VERSION = "5.2.5"

# one lock for the whole DynamoDB backend: request handlers and transactions take it
DYNAMODB_LOCK = threading.RLock()

STATS = {"transactions": 0, "itemsSnapshotted": 0, "itemsRestored": 0, "cancelled": 0}
_STATS_LOCK = threading.Lock()


def _count(**deltas):
    with _STATS_LOCK:
        for name, delta in deltas.items():
            STATS[name] += delta


def stats():
    with _STATS_LOCK:
        return dict(STATS)


class _Snapshot:
    """One touched item as it was before the transaction: a copy of it, or the fact it was absent."""

    __slots__ = ("table", "hash_key", "range_key", "item", "had_hash_bucket")

    def __init__(self, table, hash_key, range_key, current):
        self.table = table
        self.hash_key = hash_key
        self.range_key = range_key
        # Update changes the stored Item in place: only a copy keeps the old state
        self.item = copy.deepcopy(current) if current is not None else None
        self.had_hash_bucket = hash_key in table.items

    def restore(self):
        items = self.table.items
        if self.range_key is None:
            if self.item is None:
                items.pop(self.hash_key, None)
            else:
                items[self.hash_key] = self.item
            return
        if self.item is None:
            bucket = items.get(self.hash_key)
            if bucket is not None:
                bucket.pop(self.range_key, None)
                if not bucket and not self.had_hash_bucket:
                    del items[self.hash_key]
        else:
            items[self.hash_key][self.range_key] = self.item


def transact_write_items(self, transact_items):
    """moto 5.2.5's DynamoDBBackend.transact_write_items with a per-item snapshot instead of table copies."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    with DYNAMODB_LOCK:
        if len(transact_items) > 100:
            raise TooManyTransactionsException()
        _count(transactions=1)
        snapshots = []
        # stream records the writes add are taken back too, as moto's whole-table restore did
        stream_lengths = {}  # id(table) -> (table, records before the transaction)

        def rollback():
            for snapshot in reversed(snapshots):
                snapshot.restore()
            for table, length in stream_lengths.values():
                del table.stream_shard.items[length:]
            _count(itemsRestored=len(snapshots), cancelled=1)

        target_items = set()

        def check_unicity(table_name, key):
            item = (str(table_name), str(dict(sorted(key.items()))))
            if item in target_items:
                raise MultipleTransactionsException()
            target_items.add(item)

        errors = []  # [(Code, Message, Item), ..] in request order
        for item in transact_items:
            original_item = None
            if len(list(item.keys())) > 1:
                raise TransactWriteSingleOpException

            try:
                op_type, op = next(iter(item.items()))
                if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                    raise ValueError("Unsupported transaction operation")

                table_name = op["TableName"]
                condition_expression = op.get("ConditionExpression")
                expression_attribute_names = op.get("ExpressionAttributeNames")
                expression_attribute_values = op.get("ExpressionAttributeValues")
                return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

                table = self.get_table(table_name)
                if op_type == "Put":
                    attrs = op["Item"]
                    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                    if table.range_key_attr is not None:
                        key[table.range_key_attr] = attrs[table.range_key_attr]
                else:
                    key = op["Key"]

                check_unicity(table_name, key)

                current = self.get_item(table_name, key)
                if condition_expression is not None:
                    condition_op = get_filter_expression(
                        condition_expression, expression_attribute_names, expression_attribute_values)
                    if not condition_op.expr(current):
                        if return_values_on_condition_check_failure == "ALL_OLD" and current:
                            original_item = current.to_json()["Attributes"]
                        raise ConditionalCheckFailed(item=original_item)

                if op_type != "ConditionCheck":
                    hash_key, range_key = self.get_keys_value(table, key)
                    snapshots.append(_Snapshot(table, hash_key, range_key, current))
                    _count(itemsSnapshotted=1)
                    if table.stream_shard is not None and id(table) not in stream_lengths:
                        stream_lengths[id(table)] = (table, len(table.stream_shard.items))

                if op_type == "Put":
                    self.put_item(
                        table_name, op["Item"],
                        condition_expression=condition_expression,
                        expression_attribute_names=expression_attribute_names,
                        expression_attribute_values=expression_attribute_values)
                elif op_type == "Delete":
                    self.delete_item(
                        table_name, key,
                        condition_expression=condition_expression,
                        expression_attribute_names=expression_attribute_names,
                        expression_attribute_values=expression_attribute_values)
                elif op_type == "Update":
                    self.update_item(
                        table_name, key,
                        update_expression=op["UpdateExpression"],
                        condition_expression=condition_expression,
                        expression_attribute_names=expression_attribute_names,
                        expression_attribute_values=expression_attribute_values)
                errors.append((None, None, None))
            except (MultipleTransactionsException, MockValidationException):
                rollback()
                raise
            except ConditionalCheckFailed as e:
                errors.append(("ConditionalCheckFailed", str(e.message), original_item))
            except Exception as e:  # noqa: E722 as moto: any other failure is this item's reason
                errors.append((type(e).__name__, str(e), original_item))

        if any(code is not None for code, _, _ in errors):
            rollback()
            raise TransactionCanceledException(errors)


def _untracked_new(cls, *args, **kwargs):
    return object.__new__(cls)


def apply():
    """Installs the patch into the imported moto; refuses any moto but the one it was written for."""
    import moto

    if moto.__version__ != EXPECTED_MOTO_VERSION:
        raise SystemExit(
            "moto_launcher: the emulator's patches are written for moto %s, found moto %s: they replace "
            "moto's own transact_write_items and must be re-checked against that version's code "
            "(infra/aws-emulator/README.md), or install the pinned one (make venv)"
            % (EXPECTED_MOTO_VERSION, moto.__version__))

    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.responses import DynamoHandler

    DynamoDBBackend.transact_write_items = transact_write_items
    Item.__new__ = staticmethod(_untracked_new)
    Item.instances_tracked = []

    original_call_action = DynamoHandler.call_action

    def call_action(handler):
        with DYNAMODB_LOCK:
            return original_call_action(handler)

    DynamoHandler.call_action = call_action
