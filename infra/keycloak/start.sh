#!/usr/bin/env bash
# Starts Keycloak in the foreground with realm "district" freshly imported from
# realm-district.json (the same way infra/src/keycloak.ts ensureKeycloak does).
# Ctrl-C stops it. Port: KC_PORT (default 8080). Master admin: admin / admin.
# The dev H2 database is wiped at every start: the committed realm file is the
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
cp "$HERE/realm-district.json" "$KC_HOME/data/import/realm-district.json"
echo "Keycloak $KC_HOME on http://localhost:$PORT (realm district, admin console: admin / admin)" >&2
export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
exec "$KC_HOME/bin/kc.sh" start-dev --http-port="$PORT" --import-realm
