// `npm test`: builds every workspace (the e2e tests run the compiled services, as in production),
// then runs unit, integration (real PostgreSQL/RabbitMQ) and end-to-end tests with coverage
// thresholds. Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './lib/services';

const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', APOLLO_TELEMETRY_DISABLED: '1' };

const build = spawnSync(bin('turbo'), ['run', 'build', '--output-logs=errors-only'], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env,
});
if (build.status !== 0) process.exit(build.status ?? 1);

fs.mkdirSync(path.join(REPO_ROOT, '.data'), { recursive: true });
const resultsFile = path.join(REPO_ROOT, '.data', 'jest-results.json');
fs.rmSync(resultsFile, { force: true });
const args = process.argv.slice(2);
const jest = spawnSync(bin('jest'), ['--coverage', '--json', `--outputFile=${resultsFile}`, ...args], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env,
});

if (fs.existsSync(resultsFile)) {
  const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
  };
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}
process.exit(jest.status ?? 1);
