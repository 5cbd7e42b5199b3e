// `npm run services:check`: fails (exit 1) when a file that wires the subgraphs together disagrees with
// the manifest (scripts/lib/services.ts): supergraph.yaml, docker-compose.yml, deploy/postgres/init.sh,
// deploy/prometheus/prometheus.yml, each present subgraph's proto and Prisma schema, and the Dockerfile's V8 flags.
import fs from 'node:fs';
import path from 'node:path';
import { checkServices } from './lib/check-services';
import { REPO_ROOT, SUBGRAPHS, presentSubgraphs } from './lib/services';

const read = (file: string): string | undefined => {
  const full = path.join(REPO_ROOT, file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
};
const subgraphsOnDisk = fs
  .readdirSync(path.join(REPO_ROOT, 'subgraphs'))
  .filter((name) => fs.existsSync(path.join(REPO_ROOT, 'subgraphs', name, 'src', 'main.ts')));

const problems = checkServices(SUBGRAPHS, read, subgraphsOnDisk);
for (const { file, message } of problems) console.error(`${file}: ${message}`);
if (problems.length) {
  console.error(
    `\n${problems.length} problem(s); the manifest is scripts/lib/services.ts (README "Adding a subgraph").`,
  );
  process.exitCode = 1;
} else {
  console.log(
    `services: ${presentSubgraphs()
      .map((s) => s.name)
      .join(', ')} are wired everywhere`,
  );
}
