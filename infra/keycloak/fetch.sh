#!/usr/bin/env bash
# Fetches the Keycloak server distribution from Maven Central into a cache
# outside the git tree, once. Prints the Keycloak home directory.
set -euo pipefail
KC_VERSION="${KC_VERSION:-26.5.6}"
CACHE="${DISTRICT_CACHE:-$HOME/.cache/district-ejournal}"
HOME_DIR="$CACHE/keycloak-$KC_VERSION"
if [ -x "$HOME_DIR/bin/kc.sh" ]; then echo "$HOME_DIR"; exit 0; fi
mkdir -p "$CACHE"
mvn -q -B dependency:copy \
  -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
  -DoutputDirectory="$CACHE" >&2
TMP="$(mktemp -d "$CACHE/unpack.XXXX")"
(cd "$TMP" && jar xf "$CACHE/keycloak-quarkus-dist-$KC_VERSION.zip" 2>/dev/null || unzip -q "$CACHE/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$TMP")
mv "$TMP/keycloak-$KC_VERSION" "$HOME_DIR"
rm -rf "$TMP" "$CACHE/keycloak-quarkus-dist-$KC_VERSION.zip"
chmod +x "$HOME_DIR"/bin/*.sh
echo "$HOME_DIR"
