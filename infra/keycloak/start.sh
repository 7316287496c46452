#!/usr/bin/env bash
# Starts Keycloak in the foreground (start-dev, for humans) with the DEMO realm
# "district" freshly imported: realm-district.json (production) with the demo
# overlay realm-district.demo.json merged onto it by realm.js, the same way
# infra/src/keycloak.ts ensureKeycloak does. Never use this for production
# (see README.md, "Production").
# Ctrl-C stops it. Port: KC_PORT (default 8080). Master admin: admin / admin.
# The dev H2 database is wiped at every start: the committed realm files are the
# only source of truth, and changes made in the admin console do not survive.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${KC_PORT:-8080}"
if curl -fsS -o /dev/null "http://localhost:$PORT/realms/district/.well-known/openid-configuration" 2>/dev/null; then
  echo "Keycloak with realm district already answers on http://localhost:$PORT" >&2
  exit 0
fi
KC_HOME="$(bash "$HERE/fetch.sh")"
rm -rf "$KC_HOME/data/h2"
mkdir -p "$KC_HOME/data/import"
rm -rf "$KC_HOME/data/import/"*
node "$HERE/realm.js" demo "$KC_HOME/data/import/realm-district.json"
echo "Keycloak $KC_HOME on http://localhost:$PORT (realm district, admin console: admin / admin)" >&2
export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
# Demo/test only: let one user log in several times at once. Since Keycloak 26,
# brute-force protection refuses a login while another of the same user is in
# progress, and the test suite's processes log the same demo users in
# concurrently (production keeps Keycloak's default; infra/keycloak/README.md).
exec "$KC_HOME/bin/kc.sh" start-dev --http-port="$PORT" --import-realm \
  --spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true
