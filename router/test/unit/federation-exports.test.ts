import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Jest has its own module registry, so the replacement is checked in a plain Node process.
const CHILD = `
const before = require('@apollo/federation-internals');
const getters = Object.entries(Object.getOwnPropertyDescriptors(before)).filter(([, d]) => d.get).length;
require('./src/federation-exports.ts');
const after = require('@apollo/federation-internals');
const keys = Object.getOwnPropertyNames(before);
const differing = keys.filter((key) => after[key] !== before[key]);
const stillGetters = Object.values(Object.getOwnPropertyDescriptors(after)).filter((d) => d.get).length;
const { ApolloGateway } = require('@apollo/gateway');
console.log(JSON.stringify({ getters, keys: keys.length, differing, stillGetters, esModule: after.__esModule, gateway: typeof ApolloGateway }));
`;

describe('plain exports of @apollo/federation-internals', () => {
  it('gives later requires the same values as plain properties, not getters', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', CHILD], {
      cwd: path.resolve(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(result.getters).toBeGreaterThan(100); // what the change is for
    expect(result).toMatchObject({ differing: [], stillGetters: 0, esModule: true, gateway: 'function' });
  });
});
