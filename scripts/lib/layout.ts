// The file roles every subgraph must have, and which files may stand on which floor
// (docs/conventions.md). Pure: it judges a list of relative paths, so it is testable without a tree.

/** Files every subgraph has (relative to subgraphs/<name>/; `<name>` is the service). */
export const REQUIRED_FILES = [
  'README.md',
  'package.json',
  'src/main.ts',
  'src/app.ts',
  'src/config.ts',
  'src/api/graphql/schema.graphql',
  'src/api/graphql/schema.ts',
  'src/api/graphql/resolvers.ts',
  'src/api/graphql/context.ts',
  'src/api/grpc/<name>.grpc.ts',
  'src/domain/errors.ts',
  'src/services/index.ts',
  'src/services/ports.ts',
  'src/repository/database.ts',
] as const;

/** Folders that must hold at least one test. */
export const REQUIRED_TEST_FOLDERS = ['test/unit/', 'test/integration/'] as const;

const SRC_FOLDERS = [
  'api',
  'schemas',
  'domain',
  'services',
  'events',
  'repository',
  'clients',
  'adapters',
  'messaging',
  'cli',
  'seed',
];
const SRC_ROOT_FILES = ['main.ts', 'app.ts', 'config.ts'];
const TEST_FOLDERS = ['unit', 'integration', 'support'];

/** What a file on each floor must be called. */
const FLOOR_RULES: Array<{ floor: string; allowed: (file: string, name: string) => boolean; expected: string }> = [
  {
    floor: 'src/services/',
    allowed: (f) => /\.service\.ts$/.test(f) || f === 'ports.ts' || f === 'index.ts',
    expected: '<topic>.service.ts, ports.ts or index.ts',
  },
  {
    floor: 'src/repository/',
    allowed: (f) => /\.(repository|mapper)\.ts$/.test(f) || f === 'database.ts',
    expected: '<topic>.repository.ts, <topic>.mapper.ts (row ↔ record) or database.ts',
  },
  { floor: 'src/clients/', allowed: (f) => /\.client\.ts$/.test(f), expected: '<service>.client.ts' },
  { floor: 'src/api/grpc/', allowed: (f, name) => f === `${name}.grpc.ts`, expected: '<service>.grpc.ts' },
  { floor: 'src/api/http/', allowed: (f) => /\.routes\.ts$/.test(f), expected: '<topic>.routes.ts' },
  {
    floor: 'src/api/graphql/',
    allowed: (f) =>
      ['schema.graphql', 'schema.ts', 'resolvers.ts', 'context.ts', 'loaders.ts'].includes(f) ||
      /\.(resolvers|view)\.ts$/.test(f),
    expected:
      'schema.graphql, schema.ts, resolvers.ts, context.ts, loaders.ts, <topic>.resolvers.ts or <topic>.view.ts',
  },
];

/**
 * Problems of one subgraph's tracked files (paths relative to subgraphs/<name>/, generated code
 * excluded). An empty list means the subgraph follows the template.
 */
export function layoutProblems(name: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  const present = new Set(files);
  for (const required of REQUIRED_FILES) {
    const file = required.replace('<name>', name);
    if (!present.has(file)) problems.push(`subgraphs/${name}/${file} is missing`);
  }
  for (const folder of REQUIRED_TEST_FOLDERS) {
    if (!files.some((f) => f.startsWith(folder) && f.endsWith('.test.ts')))
      problems.push(`subgraphs/${name}/${folder} has no test`);
  }
  for (const file of files) {
    const parts = file.split('/');
    if (parts[0] === 'src' && parts.length === 2 && !SRC_ROOT_FILES.includes(parts[1]!)) {
      problems.push(`subgraphs/${name}/${file}: only ${SRC_ROOT_FILES.join(', ')} stand directly in src/`);
    }
    if (parts[0] === 'src' && parts.length > 2 && !SRC_FOLDERS.includes(parts[1]!)) {
      problems.push(
        `subgraphs/${name}/${file}: src/${parts[1]}/ is not a floor of the template (${SRC_FOLDERS.join(', ')})`,
      );
    }
    if (parts[0] === 'test' && parts.length > 2 && !TEST_FOLDERS.includes(parts[1]!)) {
      problems.push(`subgraphs/${name}/${file}: test/${parts[1]}/ is not one of test/${TEST_FOLDERS.join(', test/')}`);
    }
    if (parts[0] === 'test' && parts.length > 3 && parts[2] === 'support') {
      problems.push(`subgraphs/${name}/${file}: test support lives in test/support/`);
    }
    for (const rule of FLOOR_RULES) {
      if (!file.startsWith(rule.floor)) continue;
      const rest = file.slice(rule.floor.length);
      if (!rest.includes('/') && !rule.allowed(rest, name))
        problems.push(`subgraphs/${name}/${file}: on ${rule.floor} a file is ${rule.expected}`);
    }
  }
  return problems;
}
