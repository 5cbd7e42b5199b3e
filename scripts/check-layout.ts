// `npm run layout:check`: every present subgraph has the template's file roles
// (docs/conventions.md, scripts/lib/layout.ts). Exits 1 listing each problem with its file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { layoutProblems } from './lib/layout';
import { REPO_ROOT, presentSubgraphs } from './lib/services';

const problems = presentSubgraphs().flatMap((service) => {
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', `subgraphs/${service.name}`],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter((file) => file && fs.existsSync(path.join(REPO_ROOT, file))) // a deletion not yet committed is gone
    .map((file) => file.slice(`subgraphs/${service.name}/`.length));
  return layoutProblems(service.name, files);
});
if (problems.length) {
  console.error(`The subgraphs do not follow the template (docs/conventions.md):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`layout: ${presentSubgraphs().length} subgraphs follow the template`);
