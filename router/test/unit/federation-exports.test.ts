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

// The operation executeQueryPlan shapes an answer by is built once per document
// (memoisedOperationFromDocument): checked where the gateway really looks it up, the plain copy.
const MEMO_CHILD = `
const operations = require('@apollo/federation-internals/dist/operations.js');
const original = operations.operationFromDocument;
let built = 0;
operations.operationFromDocument = (...args) => (built++, original(...args));
require('./src/federation-exports.ts');
const installed = process.argv.includes('install') && require('./src/result-shaping.ts').installResultShaping(console);
const { executeQueryPlan } = require('@apollo/gateway/dist/executeQueryPlan.js');
const { buildSchema } = require('@apollo/federation-internals');
const { parse } = require('graphql');
const schema = buildSchema('type Query { a: Int }');
const [operation] = parse('{ a }').definitions;
const run = () => executeQueryPlan({ kind: 'QueryPlan' }, {}, { request: { variables: {} }, metrics: {} },
  { operation, fragments: {}, schema: schema.toGraphQLJSSchema() }, schema, schema);
(async () => {
  const answers = [await run(), await run(), await run()];
  console.log(JSON.stringify({ installed, built, answers }));
})();
`;

describe('the operation an answer is shaped by', () => {
  const runChild = (...args: string[]) => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', MEMO_CHILD, '--', ...args], {
      cwd: path.resolve(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout) as { installed: boolean; built: number; answers: unknown[] };
  };

  it("is built once per document through the gateway's own lookup, with the same answers", () => {
    const without = runChild();
    expect(without.built).toBe(3); // the gateway's own: once per request
    const memoised = runChild('install');
    expect(memoised).toMatchObject({ installed: true, built: 1 });
    expect(memoised.answers).toEqual(without.answers);
    expect(memoised.answers[0]).toEqual({ data: { a: null } });
  });
});
