#!/bin/sh
# One database and one owner per service: no service can read another's tables.
# The list follows scripts/lib/services.ts (`npm run services:check` reads the loop below).
set -eu
for service in identity leave patrol notification duty coworking checkout; do
  password_var="$(echo "${service}" | tr a-z A-Z)_DB_PASSWORD"
  password="$(eval "echo \${${password_var}:-${service}}")"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE USER ${service} WITH PASSWORD '${password}';
CREATE DATABASE campus_${service} OWNER ${service};
REVOKE ALL ON DATABASE campus_${service} FROM PUBLIC;
SQL
done
