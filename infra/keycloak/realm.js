#!/usr/bin/env node
/**
 * The realm `district` in its two variants, from one source of truth:
 *
 *   production = realm-district.json                      (committed; what a district imports)
 *   demo       = realm-district.json + realm-district.demo.json   (the overlay: demo users,
 *                direct grants, test clients, demo secrets; npm run demo, npm test, start.sh)
 *
 * Merge rules (mergeRealm): objects merge key by key; arrays whose elements are
 * all objects carrying one identity key (clientId, username, name or alias)
 * merge element by element on it (a matching element is merged, a new one is
 * appended); any other value (scalars, string arrays such as redirectUris)
 * replaces the production value. Keys named `_comment` in the overlay are
 * dropped.
 *
 * Keycloak applies the realm's password policy to plain-text credentials at
 * import (an import with user "demo"/"demo" under the production policy fails
 * and Keycloak exits), so the demo composition stores the overlay's plain-text
 * passwords as PBKDF2-SHA256 hashes, which import as they are. The policy
 * stays the production one in the demo realm too; Keycloak re-hashes with its
 * default algorithm at a user's first login.
 *
 * Plain CommonJS with node built-ins only: start.sh runs it before anything is
 * installed or built; infra/src/keycloak.ts requires it at run time.
 *
 *   node infra/keycloak/realm.js demo|production [out-file]   (stdout without out-file)
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PRODUCTION_FILE = path.join(__dirname, 'realm-district.json');
const DEMO_OVERLAY_FILE = path.join(__dirname, 'realm-district.demo.json');
const IDENTITY_KEYS = ['clientId', 'username', 'name', 'alias'];
/** Realm attribute carrying the digest of the composed realm (see realmDigest). */
const DIGEST_ATTRIBUTE = 'district.realm.digest';
const PBKDF2_ITERATIONS = 27500;

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function identityKey(a, b) {
  const all = [...a, ...b];
  if (all.length === 0 || !all.every(isObject)) return undefined;
  return IDENTITY_KEYS.find((k) => all.every((e) => typeof e[k] === 'string'));
}

function stripComments(value) {
  if (Array.isArray(value)) return value.map(stripComments);
  if (!isObject(value)) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) if (k !== '_comment') out[k] = stripComments(v);
  return out;
}

/** base with overlay merged onto it (neither argument is changed). */
function mergeRealm(base, overlay) {
  overlay = stripComments(overlay);
  if (isObject(base) && isObject(overlay)) {
    const out = { ...base };
    for (const [k, v] of Object.entries(overlay)) out[k] = k in base ? mergeRealm(base[k], v) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(overlay)) {
    const key = identityKey(base, overlay);
    if (key === undefined) return overlay;
    const out = base.slice();
    for (const item of overlay) {
      const at = out.findIndex((e) => e[key] === item[key]);
      if (at >= 0) out[at] = mergeRealm(out[at], item);
      else out.push(item);
    }
    return out;
  }
  return overlay;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A plain-text password credential as Keycloak stores (and imports) a PBKDF2-SHA256 hash. */
function hashedPassword(credential) {
  const salt = crypto.randomBytes(16);
  const hash = crypto.pbkdf2Sync(String(credential.value), salt, PBKDF2_ITERATIONS, 64, 'sha256');
  const { value: _plain, ...rest } = credential;
  return {
    ...rest,
    secretData: JSON.stringify({ value: hash.toString('base64'), salt: salt.toString('base64'), additionalParameters: {} }),
    credentialData: JSON.stringify({ hashIterations: PBKDF2_ITERATIONS, algorithm: 'pbkdf2-sha256', additionalParameters: {} }),
  };
}

function hashUserPasswords(realm) {
  if (!Array.isArray(realm.users)) return realm;
  return {
    ...realm,
    users: realm.users.map((u) => (!Array.isArray(u.credentials) ? u : {
      ...u,
      credentials: u.credentials.map((c) => (c.type === 'password' && typeof c.value === 'string' ? hashedPassword(c) : c)),
    })),
  };
}

/** sha256 of the composed realm before password hashing (hashes are salted at random). */
function realmDigest(realm) {
  return crypto.createHash('sha256').update(JSON.stringify(realm)).digest('hex');
}

/**
 * The realm as Keycloak should import it. `demo` carries its digest in the
 * realm attribute district.realm.digest, so a running Keycloak can be checked
 * against the committed files; `hashPasswords: false` keeps the overlay's
 * plain-text credentials (for reading names and passwords, not for import).
 */
function composeRealm(variant, options = {}) {
  const production = readJson(PRODUCTION_FILE);
  if (variant === 'production') return production;
  if (variant !== 'demo') throw new Error(`realm variant must be "production" or "demo", got "${variant}"`);
  const merged = mergeRealm(production, readJson(DEMO_OVERLAY_FILE));
  const demo = { ...merged, attributes: { ...(merged.attributes || {}), [DIGEST_ATTRIBUTE]: realmDigest(merged) } };
  return options.hashPasswords === false ? demo : hashUserPasswords(demo);
}

module.exports = {
  PRODUCTION_FILE,
  DEMO_OVERLAY_FILE,
  DIGEST_ATTRIBUTE,
  mergeRealm,
  composeRealm,
  realmDigest,
};

if (require.main === module) {
  const [variant, out] = process.argv.slice(2);
  if (variant !== 'demo' && variant !== 'production') {
    process.stderr.write('usage: node infra/keycloak/realm.js demo|production [out-file]\n');
    process.exit(2);
  }
  const text = `${JSON.stringify(composeRealm(variant), null, 2)}\n`;
  if (out) fs.writeFileSync(out, text);
  else process.stdout.write(text);
}
