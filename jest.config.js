// One jest run, three projects: unit (no I/O), integration (real PostgreSQL/RabbitMQ, in-process
// services), e2e (real processes through the router). Workspace packages resolve to their sources.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' }, sourceMaps: 'inline' },
];

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@campus/(platform|contracts|testkit)$': '<rootDir>/packages/$1/src',
    '^@campus/contracts/events$': '<rootDir>/packages/contracts/src/events',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

const where = ['packages', 'subgraphs', 'router'].map((d) => `<rootDir>/${d}/**`);

module.exports = {
  // 2 cores: one worker per core; e2e files start their own process trees.
  maxWorkers: 2,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: [...where, '<rootDir>/scripts', '<rootDir>/bench'].map((w) => `${w}/test/unit/**/*.test.ts`),
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: [...where, '<rootDir>/scripts'].map((w) => `${w}/test/integration/**/*.test.ts`),
      globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/packages/testkit/jest-timeouts.js'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/packages/testkit/jest-timeouts.js'],
    },
  ],
  // Business logic (services/ and domain/) must be ≥ 70 % covered; enforced per subgraph.
  collectCoverageFrom: ['subgraphs/*/src/services/**/*.ts', 'subgraphs/*/src/domain/**/*.ts'],
  coverageProvider: 'babel',
  coverageThreshold: Object.fromEntries(
    fs
      .readdirSync(path.join(__dirname, 'subgraphs'))
      .flatMap((s) => ['services', 'domain'].map((dir) => `subgraphs/${s}/src/${dir}`))
      .filter((dir) => fs.existsSync(path.join(__dirname, dir)))
      .map((dir) => [`./${dir}/`, { lines: 70, branches: 70 }]),
  ),
  coverageReporters: ['text-summary', 'json-summary'],
};
