"""The sample API's data: fixture files loaded into mongomock, which decides every query the way
MongoDB does, plus what a real database's `_id` index gives, so that a benchmark against the sample
API measures the clients and not mongomock scanning 30,000 documents per request.

- Per distinct filter (without its `_id` conditions) the positions of the matching documents are
  memoized, in natural (insertion) order and in `_id` order (BSON order: numbers < strings < objects
  < ... < ObjectIds < booleans < dates, mongomock's comparison within a type).
- `_id` conditions (`$gt`, `$gte`, `$lt`, `$lte`, `$eq`, `$in` with string or number operands, at the
  top level or in an element of a top-level `$and`) are answered by bisecting the `_id`-sorted list,
  type-bracketed like MongoDB: `{"$gt": "abc"}` matches only string ids.
- `sort` `{"_id": 1}` / `{"_id": -1}` reads the sorted list, no sort the natural order; skip and limit
  are slices. Other sorts run the whole query in mongomock.
- The JSON text of each projected document is cached per (projection, document), so a repeated
  request costs about the bytes it returns.
Every write (POST /_control/docs, an aggregate with $out or $merge) drops all of it.
"""

import bisect
import json
import math
import threading
from collections import OrderedDict
from pathlib import Path

import mongomock
import mongomock.collection
from bson import ObjectId
from mongomock import aggregate as mm_aggregate
from mongomock import filtering

# mongomock checks every write by encoding it as BSON, which refuses ints over 64 bits and strings
# with lone surrogates. The sample API stores what it is given (the hostile-data tests need exactly
# that), so the check is off; queries never used it.
mongomock.collection.BSON = None

DEFAULT_DATABASE = "analysis"
DEFAULT_COLLECTION = "dynamic-foraging-model-fitting"
RANGE_OPS = ("$gt", "$gte", "$lt", "$lte")
MEMO_FILTERS = 256  # distinct filters remembered per collection
MEMO_PROJECTIONS = 16  # distinct projections whose texts are kept per collection
BATCH = 256  # documents projected at once; a capped page stops within one batch


def from_extended(value):
    """`_id`s written as {"$oid": hex} become real ObjectIds; everything else stays."""
    if isinstance(value, dict) and set(value) == {"$oid"}:
        return ObjectId(value["$oid"])
    return value


def to_json(value):
    def default(o):
        if isinstance(o, ObjectId):
            return {"$oid": str(o)}
        raise TypeError(f"cannot encode {type(o).__name__}")

    # allow_nan: the real gateway sends bare NaN, and clients must cope with it. ensure_ascii (the
    # default) keeps the text ASCII, so its length is its size in bytes.
    return json.dumps(value, default=default, allow_nan=True)


def load_fixtures(root: Path):
    """DIR/<database>/<collection>.json (arrays of documents) into one in-memory MongoDB."""
    client = mongomock.MongoClient()
    counts = {}
    for path in sorted(root.glob("*/*.json")):
        database = path.parent.name
        if database == "s3":
            continue
        docs = json.loads(path.read_text())
        if not isinstance(docs, list):
            raise SystemExit(f"{path}: expected a JSON array of documents")
        for doc in docs:
            if "_id" in doc:
                doc["_id"] = from_extended(doc["_id"])
        if docs:
            client[database][path.stem].insert_many(docs)
        counts[f"{database}/{path.stem}"] = len(docs)
    return client, counts


# -- the _id index ---------------------------------------------------------------------------------

def id_key(value):
    """Sort key of an `_id` in BSON order. Tuples compare in C, fast enough to sort 30,000 ids;
    mongomock's own comparison decides within the types that Python cannot order."""
    rank = filtering._get_compare_type(value)  # mongomock's BSON type order
    if isinstance(value, float) and math.isnan(value):
        return (rank, -math.inf)  # NaN sorts before every other number
    if isinstance(value, (int, float, str, ObjectId)):
        return (rank, value)
    return (rank, filtering.BsonComparable(value))


def indexable(value):
    """Operands the index answers: strings and numbers (not booleans, not NaN). Anything else stays
    in the filter for mongomock."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return not math.isnan(value)
    return isinstance(value, (int, str))


def split_filter(filter_):
    """(residual filter, `_id` conditions): the conditions the index answers and the rest, for
    mongomock. The filter is their conjunction."""
    residual, conds = {}, []
    for key, value in filter_.items():
        if key == "_id":
            rest = take_id_conditions(value, conds)
            if rest is not None:
                residual[key] = rest
        elif key == "$and" and isinstance(value, list) and value and all(
                isinstance(x, dict) and x for x in value):
            parts = []
            for sub in value:
                rest, more = split_filter(sub)
                conds += more
                if rest:
                    parts.append(rest)
            if parts:
                residual[key] = parts
        else:
            residual[key] = value
    return residual, conds


def take_id_conditions(value, conds):
    """Moves the indexable conditions of a filter's `_id` value to conds; returns what is left."""
    if not (isinstance(value, dict) and value and all(k.startswith("$") for k in value)):
        if indexable(value):
            conds.append(("$eq", value))
            return None
        return value
    rest = {}
    for op, operand in value.items():
        if (op in RANGE_OPS or op == "$eq") and indexable(operand):
            conds.append((op, operand))
        elif op == "$in" and isinstance(operand, list) and all(indexable(x) for x in operand):
            conds.append((op, operand))
        else:
            rest[op] = operand
    return rest or None


class Match:
    """The documents one residual filter matches: their positions in natural order, and in `_id`
    order with the sort keys beside them."""

    def __init__(self, docs, positions):
        keys = [id_key(docs[p]["_id"]) for p in positions]
        order = sorted(range(len(positions)), key=keys.__getitem__)
        self.natural = positions
        self.by_id = [positions[i] for i in order]
        self.keys = [keys[i] for i in order]

    def select(self, conds, sort_dir):
        """Positions matching the `_id` conditions too, in `_id` order (sort_dir 1 or -1) or natural
        order (sort_dir 0)."""
        keys = self.keys
        lo, hi, picked = 0, len(keys), None
        for op, operand in conds:
            if op in ("$eq", "$in"):
                hits = set()
                for value in ([operand] if op == "$eq" else operand):
                    k = id_key(value)
                    i = bisect.bisect_left(keys, k)
                    if i < len(keys) and keys[i] == k:
                        hits.add(i)
                picked = hits if picked is None else picked & hits
                continue
            k = id_key(operand)
            # Type bracketing: a range only ever matches ids of its operand's type.
            lo = max(lo, bisect.bisect_left(keys, (k[0],)))
            hi = min(hi, bisect.bisect_left(keys, (k[0] + 1,)))
            if op == "$gt":
                lo = max(lo, bisect.bisect_right(keys, k))
            elif op == "$gte":
                lo = max(lo, bisect.bisect_left(keys, k))
            elif op == "$lt":
                hi = min(hi, bisect.bisect_left(keys, k))
            else:
                hi = min(hi, bisect.bisect_right(keys, k))
        if picked is not None:
            span = sorted(i for i in picked if lo <= i < hi)
        elif lo == 0 and hi == len(keys) and sort_dir == 0:
            return self.natural
        else:
            span = range(lo, max(lo, hi))
        if sort_dir == 0:
            return sorted(self.by_id[i] for i in span)
        positions = [self.by_id[i] for i in span]
        return positions if sort_dir > 0 else positions[::-1]


class View:
    """One collection at one data version: its documents in natural order (mongomock's own stored
    dicts, never copied and never changed here), the memoized matches and the cached texts."""

    def __init__(self, coll):
        self.coll = coll
        self.docs = list(coll._store.documents)
        self.matches = OrderedDict()
        self.texts = OrderedDict()

    def match(self, residual):
        key = json.dumps(residual)
        found = self.matches.get(key)
        if found is not None:
            self.matches.move_to_end(key)
            return found
        filtering.filter_applies(residual, {})  # mongomock validates the filter this way too
        if residual:
            positions = [p for p, d in enumerate(self.docs) if filtering.filter_applies(residual, d)]
        else:
            positions = list(range(len(self.docs)))
        found = self.matches[key] = Match(self.docs, positions)
        if len(self.matches) > MEMO_FILTERS:
            self.matches.popitem(last=False)
        return found

    def select(self, filter_, sort_dir):
        residual, conds = split_filter(filter_ or {})
        return self.match(residual).select(conds, sort_dir)

    def projected(self, positions, projection):
        """The JSON text of each document at `positions`, projected."""
        key = json.dumps(projection)
        cache = self.texts.get(key)
        if cache is None:
            if projection:  # a bad projection fails even when nothing matches, as in mongomock
                list(mm_aggregate.process_pipeline([], None, [{"$project": projection}], None))
            cache = self.texts[key] = {}
            if len(self.texts) > MEMO_PROJECTIONS:
                self.texts.popitem(last=False)
        else:
            self.texts.move_to_end(key)
        missing = [p for p in positions if p not in cache]
        if missing:
            docs = [self.docs[p] for p in missing]
            if projection:
                docs = mm_aggregate.process_pipeline(docs, self.coll.database,
                                                     [{"$project": projection}], None)
            for p, doc in zip(missing, docs):
                cache[p] = to_json(doc)
        return [cache[p] for p in positions]

    def texts_of(self, positions, projection):
        self.projected([], projection)
        for start in range(0, len(positions), BATCH):
            yield from self.projected(positions[start:start + BATCH], projection)


def index_sort(sort):
    """1 or -1 for a sort on `_id` alone, 0 for no sort, None for any other sort."""
    if not sort:
        return 0
    if list(sort) == ["_id"] and type(sort["_id"]) in (int, float) and sort["_id"] in (1, -1):
        return int(sort["_id"])
    return None


def page(texts, count_cap, byte_cap):
    """The JSON array of the longest prefix of `texts` (each a document's JSON) that has at most
    count_cap records and at most byte_cap bytes (0 = no cap), cut like the API gateway cuts."""
    out, size = [], 2
    for text in texts:
        if count_cap and len(out) >= count_cap:
            break
        size += len(text) + (2 if out else 0)
        if byte_cap and size > byte_cap:
            break
        out.append(text)
    return "[" + ", ".join(out) + "]"


def mongomock_find(coll, filter_, projection, sort, skip, limit):
    """MongoDB `find` semantics through mongomock's aggregation engine, for the sorts the index
    does not answer. ($project in `find` because mongomock's `find` cannot alias fields.)"""
    pipeline = [{"$match": filter_ or {}}]
    if sort:
        pipeline.append({"$sort": sort})
    if skip:
        pipeline.append({"$skip": skip})
    if limit:
        pipeline.append({"$limit": limit})
    if projection:
        pipeline.append({"$project": projection})
    return list(coll.aggregate(pipeline))


def with_object_ids(filter_):
    """A filter whose `_id` operands written as {"$oid": hex} become ObjectIds."""
    if not isinstance(filter_, dict):
        raise ValueError("a filter must be a JSON object")
    if "_id" not in filter_:
        return filter_
    value = filter_["_id"]
    if isinstance(value, dict) and value and all(k.startswith("$") for k in value) and set(value) != {"$oid"}:
        value = {op: [from_extended(x) for x in v] if isinstance(v, list) else from_extended(v)
                 for op, v in value.items()}
    return {**filter_, "_id": from_extended(value)}


class Store:
    """The fixtures in mongomock, an index view per collection, and one lock around all of it
    (the handler threads share it; with the GIL nothing is lost)."""

    def __init__(self, root: Path):
        self.root = root
        self.lock = threading.RLock()
        self.load()

    def load(self):
        with self.lock:
            self.client, self.counts = load_fixtures(self.root)
            self.views = {}
            self.dirty = False

    def reset(self):
        """Back to the fixture data (reloaded only if something was written)."""
        with self.lock:
            if self.dirty:
                self.load()

    def changed(self):
        self.views.clear()
        self.dirty = True

    def view(self, database, collection):
        key = (database, collection)
        if key not in self.views:
            self.views[key] = View(self.client[database][collection])
        return self.views[key]

    def find(self, database, collection, filter_, projection, sort, skip, limit,
             count_cap=0, byte_cap=0):
        """The response body of a find, cut to the caps."""
        with self.lock:
            sort_dir = index_sort(sort)
            if sort_dir is None:
                docs = mongomock_find(self.client[database][collection], filter_, projection,
                                      sort, skip, limit)
                return page(map(to_json, docs), count_cap, byte_cap)
            view = self.view(database, collection)
            positions = view.select(filter_, sort_dir)[skip:]
            if limit:
                positions = positions[:limit]
            if count_cap:
                positions = positions[:count_cap]
            return page(view.texts_of(positions, projection or None), count_cap, byte_cap)

    def count(self, database, collection, filter_):
        with self.lock:
            view = self.view(database, collection)
            return {"total_record_count": len(view.match({}).natural),
                    "filtered_record_count": len(view.select(filter_, 0))}

    def aggregate(self, database, collection, pipeline):
        with self.lock:
            if any(isinstance(s, dict) and ("$out" in s or "$merge" in s) for s in pipeline):
                self.changed()
            return to_json(list(self.client[database][collection].aggregate(pipeline)))

    def write(self, body):
        """POST /_control/docs: {database?, collection?, and one of insert: [docs],
        update: {filter, set}, delete: filter} -> {"inserted": n} / {"matched", "modified"} /
        {"deleted": n}."""
        if not isinstance(body, dict):
            raise ValueError("expected a JSON object")
        ops = [k for k in ("insert", "update", "delete") if k in body]
        unknown = set(body) - {"database", "collection", "insert", "update", "delete"}
        if len(ops) != 1 or unknown:
            raise ValueError("give exactly one of insert, update, delete (and database, collection)")
        database = body.get("database", DEFAULT_DATABASE)
        collection = body.get("collection", DEFAULT_COLLECTION)
        if not (isinstance(database, str) and isinstance(collection, str) and database and collection):
            raise ValueError("database and collection must be names")
        op, arg = ops[0], body[ops[0]]
        with self.lock:
            coll = self.client[database][collection]
            try:
                if op == "insert":
                    if not isinstance(arg, list) or not all(isinstance(d, dict) for d in arg):
                        raise ValueError("insert takes an array of documents")
                    docs = [{**d, "_id": from_extended(d["_id"])} if "_id" in d else dict(d)
                            for d in arg]
                    if docs:
                        coll.insert_many(docs)
                    return {"inserted": len(docs)}
                if op == "update":
                    if not (isinstance(arg, dict) and set(arg) == {"filter", "set"}
                            and isinstance(arg["set"], dict) and arg["set"]):
                        raise ValueError('update takes {"filter": {...}, "set": {...}}')
                    result = coll.update_many(with_object_ids(arg["filter"]), {"$set": arg["set"]})
                    return {"matched": result.matched_count, "modified": result.modified_count}
                result = coll.delete_many(with_object_ids(arg))
                return {"deleted": result.deleted_count}
            finally:
                self.changed()
