// A scratch checkout for `npm run new:subgraph --root`: a copy of what the generator reads and edits
// and of what the checks read of the present subgraphs, under .data/ (git-ignored, and inside the
// repository, so @campus/*, prisma and typescript resolve from its node_modules by walking up).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, presentSubgraphs } from '../../lib/services';

export const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);

export function scratchCheckout(): string {
  fs.mkdirSync(path.join(REPO_ROOT, '.data'), { recursive: true });
  const root = fs.mkdtempSync(path.join(REPO_ROOT, '.data', 'new-subgraph-test-'));
  const copy = (file: string) => fs.cpSync(path.join(REPO_ROOT, file), path.join(root, file), { recursive: true });
  const files = [
    'supergraph.yaml',
    'docker-compose.yml',
    '.env.example',
    'tsconfig.base.json',
    'Dockerfile',
    'deploy',
    'proto',
    'scripts/lib/services.ts',
    'prisma/prisma-cli-adapter.ts',
  ];
  for (const file of files) copy(file);
  for (const { name } of presentSubgraphs()) {
    copy(`subgraphs/${name}/src/main.ts`);
    copy(`subgraphs/${name}/src/api/graphql/schema.graphql`);
    copy(`prisma/${name}/schema.prisma`);
  }
  return root;
}

/** Runs `npm run new:subgraph -- <args>` (the CLI, through tsx). */
export const newSubgraph = (...args: string[]) =>
  spawnSync(bin('tsx'), [path.join(REPO_ROOT, 'scripts', 'new-subgraph.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });

/** Runs the Prisma CLI on a scratch checkout's `prisma/<service>/prisma.config.ts`. */
export const prismaIn = (root: string, service: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(bin('prisma'), [...args, '--config', `prisma/${service}/prisma.config.ts`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', ...env },
  });

/** Every file under `dir`, relative to it, generated code excluded (as `git ls-files` sees it). */
export function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === 'generated') return [];
    return entry.isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}
