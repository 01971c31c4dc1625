#!/usr/bin/env bash
# Makes sure PostgreSQL answers and the database named by DATABASE_URL exists.
# If DATABASE_URL points elsewhere than 127.0.0.1:5432 it is trusted as is.
# Otherwise: use the local server if it answers; else install PostgreSQL from
# Debian's packages when missing, start the cluster, and set the postgres
# password so TCP (scram) auth works; finally create the database.
set -euo pipefail
DB_NAME=${DB_NAME:-partner_dev}
DATABASE_URL=${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/$DB_NAME?sslmode=disable}

case "$DATABASE_URL" in
  *@127.0.0.1:5432/*|*@localhost:5432/*) ;;
  *) echo "db: using DATABASE_URL as given"; exit 0 ;;
esac

up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if ! up; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "db: installing PostgreSQL"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if ! pg_lsclusters -h | grep -q .; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
    pg_createcluster "$ver" main >/dev/null
  fi
  read -r ver name _ < <(pg_lsclusters -h | head -n1)
  echo "db: starting PostgreSQL $ver/$name"
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>/dev/null || pg_ctlcluster "$ver" "$name" start
  for _ in $(seq 1 30); do up && break; sleep 0.5; done
  runuser -u postgres -- psql -qc "ALTER ROLE postgres PASSWORD 'postgres'" >/dev/null
fi

dbname=$(sed -E 's|.*/([^/?]+)(\?.*)?$|\1|' <<<"$DATABASE_URL")
export PGPASSWORD=postgres
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE \"$dbname\""
  echo "db: created database $dbname"
fi
