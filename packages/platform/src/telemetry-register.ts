// Preload: `node -r @campus/platform/telemetry-register dist/main.js`. Starts tracing before any
// instrumented module is required. The service name comes from OTEL_SERVICE_NAME or, failing that,
// from the nearest package.json of the started script.
import fs from 'node:fs';
import path from 'node:path';
import { startTelemetry } from './telemetry';

function serviceNameOfScript(): string {
  let dir = path.dirname(path.resolve(process.argv[1] ?? '.'));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name ?? 'campus';
      return name.replace(/^@campus\//, '');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'campus';
    dir = parent;
  }
}

process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
const scriptPackage = serviceNameOfScript();
// The router is a gateway: it needs the incoming HTTP span and its own (Apollo Gateway's) spans, not
// a span per middleware and per resolver of its result shaping (see startTelemetry).
startTelemetry(process.env.OTEL_SERVICE_NAME ?? scriptPackage, { gateway: scriptPackage === 'router' });
