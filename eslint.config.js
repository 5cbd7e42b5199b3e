'use strict';
// One lint configuration for every workspace (each runs `eslint src …` from its own folder, so
// paths below are absolute). Besides the TypeScript rules it enforces the layering written down in
// docs/conventions.md, so that it holds by tool rather than by memory.
const fs = require('node:fs');
const path = require('node:path');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');
const importX = require('eslint-plugin-import-x');
const graphqlPlugin = require('@graphql-eslint/eslint-plugin');

const root = (...parts) => path.join(__dirname, ...parts);
const subgraphs = fs
  .readdirSync(root('subgraphs'))
  .filter((name) => fs.existsSync(root('subgraphs', name, 'package.json')));

/** Folders of a subgraph that business rules (domain/, services/) must never import. */
const ADAPTER_FLOORS = ['api', 'repository', 'clients', 'messaging', 'adapters', 'generated', 'app.ts', 'main.ts'];
/** Packages that are transports or data access: adapters' business, never the core's. */
const ADAPTER_PACKAGES = [
  '@grpc/*',
  '@prisma/*',
  'express',
  '@apollo/*',
  'amqplib',
  'pg',
  'graphql',
  '@as-integrations/*',
];

const boundaryZones = [
  // Subgraphs meet only through contracts and platform, never through each other's code.
  ...subgraphs.map((name) => ({
    target: root('subgraphs', name),
    from: subgraphs.filter((other) => other !== name).map((other) => root('subgraphs', other)),
    message: 'A subgraph never imports another subgraph: use gRPC, events or @campus/contracts.',
  })),
  // The core of a subgraph knows nothing of transports or storage.
  ...subgraphs.flatMap((name) =>
    ['domain', 'services'].map((core) => ({
      target: root('subgraphs', name, 'src', core),
      from: ADAPTER_FLOORS.map((floor) => root('subgraphs', name, 'src', floor)),
      message: `${core}/ must not import api/, repository/, clients/, messaging/, adapters/, generated/ or the composition root.`,
    })),
  ),
  // Domain records and rules stand below the use cases.
  ...subgraphs.map((name) => ({
    target: root('subgraphs', name, 'src', 'domain'),
    from: [root('subgraphs', name, 'src', 'services'), root('subgraphs', name, 'src', 'schemas')],
    message: 'domain/ is the ground floor: it must not import services/ or schemas/.',
  })),
  // Shared packages never depend on what is built on them.
  {
    target: root('packages'),
    from: [root('subgraphs'), root('router')],
    message: 'packages/ never import subgraphs or the router.',
  },
];

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  { languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.json'] } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      // Every workspace declares what it imports (hoisting must not hide a missing dependency).
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          devDependencies: [
            '**/test/**',
            '**/e2e/**',
            '**/scripts/**',
            'bench/**',
            '**/tools/**',
            '**/*.test.ts',
            '**/prisma.config.ts',
          ],
          includeTypes: true,
        },
      ],
    },
  },
  {
    // The platform's tests use the testkit, which is built on the platform: declared by the root
    // (not by the platform, which would make a package cycle turbo warns about on every build).
    files: ['packages/platform/test/**/*.ts'],
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        { devDependencies: true, includeTypes: true, packageDir: [root('packages/platform'), root()] },
      ],
    },
  },
  {
    // The core of every subgraph: no transport or data-access package.
    files: [
      'subgraphs/*/src/domain/**/*.ts',
      'subgraphs/*/src/services/**/*.ts',
      'src/domain/**/*.ts',
      'src/services/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ADAPTER_PACKAGES,
              message:
                'Business rules do not import transports or data access; put this in api/, repository/, clients/ or adapters/.',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['router/src/playground/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  {
    // Every subgraph's SDL (docs/conventions.md, "GraphQL schema"). Each file is linted as a plain
    // document: the rules below need no built schema, so federation's directives (@key, @link…)
    // and the entity stubs another subgraph owns need no definitions here. The pagination and
    // argument shapes no rule expresses are asserted by scripts/test/unit/schema-conventions.test.ts.
    files: ['subgraphs/*/src/api/graphql/schema.graphql', '**/src/api/graphql/schema.graphql'],
    languageOptions: { parser: graphqlPlugin.parser },
    plugins: { '@graphql-eslint': graphqlPlugin },
    rules: {
      // The playground's docs are the manual: every type, field, argument, input field and enum
      // value says what it is and, where it matters, who may read or do it.
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      '@graphql-eslint/naming-convention': [
        'error',
        {
          types: { style: 'PascalCase', forbiddenSuffixes: ['Type'] },
          FieldDefinition: 'camelCase',
          InputValueDefinition: 'camelCase',
          EnumValueDefinition: 'UPPER_CASE',
          EnumTypeDefinition: { style: 'PascalCase', forbiddenSuffixes: ['Enum'] },
          // Mutation arguments are *Input; query filters are *Filter.
          InputObjectTypeDefinition: { style: 'PascalCase', requiredSuffixes: ['Input', 'Filter'] },
          'FieldDefinition[parent.name.value=Query]': {
            forbiddenPrefixes: ['query', 'get'],
            forbiddenSuffixes: ['Query'],
          },
          'FieldDefinition[parent.name.value=Mutation]': {
            forbiddenPrefixes: ['mutation'],
            forbiddenSuffixes: ['Mutation', 'Input', 'Payload'],
          },
        },
      ],
      '@graphql-eslint/require-deprecation-reason': 'error',
      '@graphql-eslint/no-hashtag-description': 'error',
      '@graphql-eslint/no-typename-prefix': 'error',
    },
  },
);
