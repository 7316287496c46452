import type { CodegenConfig } from '@graphql-codegen/cli';
import { persistedOperationsPlugin } from './codegen/persisted-operations';

/**
 * The portal's operations (src/operations/*.graphql) typed from the committed
 * supergraph, and their persisted ids. `npm run build` runs this with --check:
 * stale generated files fail the build.
 */
const config: CodegenConfig = {
  schema: '../../gateway/supergraph.graphql',
  documents: ['src/operations/*.graphql'],
  ignoreNoDocuments: false,
  // The local plugin by its name; every other one from node_modules, as codegen loads them by default.
  pluginLoader: (name) => (name === 'persisted-operations' ? persistedOperationsPlugin : import(name)),
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations'],
      config: { useTypeImports: true, enumType: 'string-literal', skipTypename: true },
    },
    'src/generated/persisted-operations.ts': {
      plugins: ['persisted-operations'],
    },
  },
};

export default config;
