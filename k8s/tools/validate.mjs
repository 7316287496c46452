#!/usr/bin/env node
/**
 * node k8s/tools/validate.mjs [file.yaml ...]   (stdin when no file is named)
 *
 * Validates every document of rendered manifests (`kubectl kustomize <dir>`) against the Kubernetes API
 * schema of its apiVersion and kind, offline, with the kubernetes-models package (one module per kind):
 *  - its compiled JSON schema: types, enums, required fields;
 *  - its TypeScript type of the kind, for field names: those schemas allow unknown fields (as the API
 *    server's non-strict decoding does, silently dropping them), so a misspelt `readinesProbe` would pass
 *    them; TypeScript's excess-property check of the document as an object literal of that type does not.
 * A kind the package does not know is a problem too, so a typo in apiVersion or kind cannot pass
 * unchecked. Prints one JSON line, [{ apiVersion, kind, name, problems: [...] }, ...] for every document,
 * and exits 1 when any has a problem.
 *
 * A script of its own (not inside the jest test) because kubernetes-models is ES modules only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/** kubernetes-models' module of a kind: core (v1) at the top, named groups under their group. */
function modulePath(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const parts = apiVersion.split('/');
  if (parts.length === 1) return `kubernetes-models/${parts[0]}/${kind}`;
  if (parts.length === 2) return `kubernetes-models/${parts[0]}/${parts[1]}/${kind}`;
  return undefined;
}

async function validateDocument(doc) {
  const apiVersion = doc?.apiVersion;
  const kind = doc?.kind;
  const result = { apiVersion, kind, name: doc?.metadata?.name, problems: [] };
  const specifier = modulePath(apiVersion, kind);
  let Model;
  try {
    Model = specifier === undefined ? undefined : (await import(specifier))[kind];
  } catch (e) {
    if (!['ERR_MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED'].includes(e?.code)) throw e;
  }
  if (typeof Model !== 'function') {
    result.problems.push(`unknown kind ${kind} of ${apiVersion} (no schema for it)`);
    return result;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    result.problems.push(String(e?.message ?? e));
  }
  return result;
}

/**
 * Field names: every known document as `const dN: I<Kind> = <document>` in one in-memory TypeScript
 * module (never written to disk), type-checked; each diagnostic goes to the document of its line.
 */
function checkFieldNames(entries) {
  if (entries.length === 0) return;
  // Inside the repository, so that kubernetes-models resolves from its node_modules.
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '__manifests__.mts');
  const source = entries
    .map(({ doc, specifier }, i) => `export const d${i}: import(${JSON.stringify(specifier)}).I${doc.kind} = ${JSON.stringify(doc)};`)
    .join('\n');
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  for (const d of ts.getPreEmitDiagnostics(ts.createProgram([file], options, host))) {
    const line = d.file?.fileName === file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (line >= 0 && line < entries.length) entries[line].result.problems.push(`field names: ${message}`);
    else throw new Error(`type check of the manifests failed outside a document: ${message}`);
  }
}

export async function validateText(text) {
  const results = [];
  const typed = [];
  for (const parsed of parseAllDocuments(text)) {
    if (parsed.errors.length > 0) {
      results.push({ problems: parsed.errors.map((e) => `YAML: ${e.message}`) });
      continue;
    }
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) continue;
    const result = await validateDocument(doc);
    results.push(result);
    if (!result.problems.some((p) => p.startsWith('unknown kind'))) {
      typed.push({ doc, specifier: modulePath(doc.apiVersion, doc.kind), result });
    }
  }
  checkFieldNames(typed);
  return results;
}

const files = process.argv.slice(2);
const text = files.length === 0 ? readFileSync(0, 'utf8') : files.map((f) => readFileSync(f, 'utf8')).join('\n---\n');
const results = await validateText(text);
console.log(JSON.stringify(results));
process.exitCode = results.some((r) => r.problems.length > 0) ? 1 : 0;
