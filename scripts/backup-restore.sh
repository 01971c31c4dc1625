#!/usr/bin/env bash
# Backs up a Partner Center database with pg_dump and restores it into a
# new one with pg_restore, then proves the copy: the same row counts in
# every table and `partnercenter check ledger` clean on it.
#
#   scripts/backup-restore.sh [source-db]      (default: a fresh demo database)
#
# Uses the server of DATABASE_URL (default the local one) and bin/partnercenter
# (make build). docs/OPERATIONS.md shows the two commands for production.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/partnercenter}
BASE=${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable}
url() { python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$BASE" "$1"; }
stamp=$(date +%s)
src=${1:-}
if [ -z "$src" ]; then
  src="pc_backup_src_$stamp"
  psql "$(url postgres)" -qc "CREATE DATABASE $src"
  DATABASE_URL=$(url "$src") "$BIN" seed demo >/dev/null
  made_src=1
fi
copy="pc_backup_copy_$stamp"
dump=$(mktemp --suffix=.dump)
cleanup() {
  rm -f "$dump"
  psql "$(url postgres)" -qc "DROP DATABASE IF EXISTS $copy WITH (FORCE)" || true
  [ -n "${made_src:-}" ] && psql "$(url postgres)" -qc "DROP DATABASE IF EXISTS $src WITH (FORCE)" || true
}
trap cleanup EXIT

# The backup: custom format, compressed, consistent (one snapshot), while the app runs.
pg_dump --format=custom --no-owner --file="$dump" "$(url "$src")"
echo "backup: $(du -h "$dump" | cut -f1) from $src"

# The restore: into an empty database, several jobs at once.
psql "$(url postgres)" -qc "CREATE DATABASE $copy"
pg_restore --no-owner --jobs=2 --exit-on-error --dbname="$(url "$copy")" "$dump"

counts() {
  psql "$(url "$1")" -Atc "SELECT string_agg(t, ',' ORDER BY t) FROM (
    SELECT format('%s=%s', c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text) AS t
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public') s"
}
if [ "$(counts "$src")" != "$(counts "$copy")" ]; then
  echo "restore: row counts differ" >&2
  exit 1
fi
echo "restore: $(counts "$copy" | tr ',' '\n' | wc -l) tables, the same row counts"
DATABASE_URL=$(url "$copy") "$BIN" check ledger
echo "restore: verified"
