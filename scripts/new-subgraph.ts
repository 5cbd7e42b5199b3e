// `npm run new:subgraph -- <name> <httpPort> <grpcPort> [--root <dir>]`: a new subgraph from the
// template (scripts/templates/subgraph/, leave's layout in docs/conventions.md), wired into every
// file `npm run services:check` holds against the manifest and into deploy/k8s (what
// scripts/test/integration/k8s-manifests.test.ts asks of a subgraph). Refuses (exit 2, nothing written) a
// name that is not lowercase letters or already exists, and ports another service owns.
// --root generates into another checkout (the tests use a scratch copy).
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { planSubgraph, Refusal, type GeneratedFile, type NewSubgraphRequest } from './lib/new-subgraph';
import { REPO_ROOT } from './lib/services';

const USAGE = 'usage: npm run new:subgraph -- <name> <httpPort> <grpcPort> [--root <dir>]   e.g. duty 4003 50053';

function parseArgs(args: string[]): NewSubgraphRequest {
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? args[rootAt + 1] : REPO_ROOT;
  const positional = rootAt >= 0 ? args.filter((_, i) => i !== rootAt && i !== rootAt + 1) : args;
  const [name, httpPort, grpcPort, ...extra] = positional;
  if (!name || !httpPort || !grpcPort || extra.length || !root) throw new Refusal(USAGE);
  const port = (label: string, text: string) => {
    if (!/^\d+$/.test(text)) throw new Refusal(`the ${label} port "${text}" is not a number`);
    return Number(text);
  };
  return { name, httpPort: port('HTTP', httpPort), grpcPort: port('gRPC', grpcPort), root: path.resolve(root) };
}

/**
 * Writes the plan through prettier with the repository's settings (.prettierrc.json), as
 * `npm run lint` checks: a long service name, or one more target on a full line, is wrapped as
 * prettier wraps it. An edited file that prettier would already change keeps its own style.
 */
async function write(root: string, files: readonly GeneratedFile[]): Promise<void> {
  const settings = (await prettier.resolveConfig(path.join(REPO_ROOT, 'package.json'))) ?? {};
  for (const { file, content, original } of files) {
    const target = path.join(root, file);
    const options = { ...settings, filepath: target };
    const formattable =
      /\.(ts|json|ya?ml)$/.test(file) && (original === undefined || (await prettier.check(original, options)));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, formattable ? await prettier.format(content, options) : content);
  }
}

async function main(): Promise<void> {
  const request = parseArgs(process.argv.slice(2));
  const files = planSubgraph(request);
  await write(request.root, files);
  const { name } = request;
  console.log(`new:subgraph: ${name}${request.root === REPO_ROOT ? '' : ` in ${request.root}`}`);
  for (const { file, original } of files) console.log(`  ${original === undefined ? 'created' : 'edited '} ${file}`);
  const step = (command: string, why: string) => `  ${command.padEnd(40)} # ${why}`;
  console.log(
    [
      '',
      'Next:',
      step('npm install', `links @campus/${name}, generates its Prisma client (postinstall)`),
      step('npm run compose', `supergraph.graphql with ${name}`),
      step('npm run docs:errors', `docs/errors.md with the ${name.toUpperCase()}_ codes`),
      step('npm run services:check', 'and layout:check, migrations:check'),
      step(`npx jest subgraphs/${name}`, 'its unit and integration tests'),
      'Then README (Ports, Environment) and docs/architecture.md; the services it calls go into `calls` of',
      'its row in scripts/lib/services.ts (README "Adding a subgraph"), and as <NAME>_GRPC_URL into its',
      `campus-${name}-config in deploy/k8s/base/kustomization.yaml. Before deploying: Secret campus-${name}`,
      `(deploy/k8s/secrets/campus-${name}.env.example).`,
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof Refusal) {
    console.error(`new:subgraph: ${error.message.split('\n').join('\nnew:subgraph: ')}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
