// Lets a child `node` process run the TypeScript sources directly (the same
// swc settings as jest), so process-level tests need no `npm run build` and
// test exactly the code in the working tree. Usage: node -r <this file> file.ts
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..', '..', '..');
const workspaces = {
  '@district/kit/testing': 'services/kit/src/testing/index.ts',
  '@district/kit': 'services/kit/src/index.ts',
  '@district/people': 'services/people/src/index.ts',
  '@district/schedule': 'services/schedule/src/index.ts',
  '@district/journal': 'services/journal/src/index.ts',
  '@district/monitoring': 'services/monitoring/src/index.ts',
  '@district/gateway': 'gateway/src/index.ts',
  '@district/infra': 'infra/src/index.ts',
  '@district/demo': 'demo/src/index.ts',
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const mapped = workspaces[request];
  return mapped ? path.join(root, mapped) : resolve.call(this, request, ...rest);
};

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
