import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Operations are typed from the committed supergraph (the API the gateway
 * serves). `npm run build` runs this with --check: stale generated types fail
 * the build.
 */
const config: CodegenConfig = {
  schema: '../../gateway/supergraph.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, skipTypename: false, dedupeFragments: true },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
