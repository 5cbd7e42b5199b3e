import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { processServiceAuthSecret } from '@campus/platform';
import { REPO_ROOT } from './database';

/**
 * The service secret tests use: the test process's own (SERVICE_AUTH_SECRET, or this checkout's
 * .data/service-auth-secret), so processes spawned by a test, services started in-process, test
 * doubles and the test's own gRPC clients all trust each other.
 */
export const testServiceAuthSecret = (): string => processServiceAuthSecret();

export type LogLine = Record<string, unknown> & { msg?: string; level?: string; trace_id?: string };

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Every JSON line the process wrote to stdout, parsed. */
  logs: LogLine[];
  /** Non-JSON output (stderr and stray stdout), for failure messages. */
  output: string[];
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  /** Compiled entry point relative to the repository root, e.g. subgraphs/identity/dist/main.js. */
  script: string;
  env: Record<string, string>;
  /** URL polled until it answers 200. */
  readyUrl: string;
  timeoutMs?: number;
  /** Extra Node options before the script (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
}

/** Children still running; killed when the test process exits (e.g. after a failed beforeAll that never stopped them). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a real service process (compiled JS, tracing preloaded, as in production) and waits until
 * it is ready. Its logs are captured so tests can assert on them.
 */
export async function startProcess(options: StartProcessOptions): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '-r', '@campus/platform/telemetry-register', path.join(REPO_ROOT, options.script)],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        APOLLO_TELEMETRY_DISABLED: '1',
        OTEL_SERVICE_NAME: options.name,
        // One secret for the whole stack a test spawns (gRPC service tokens).
        SERVICE_AUTH_SECRET: testServiceAuthSecret(),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  const logs: LogLine[] = [];
  const output: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      output.push(line);
    }
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited)
      throw new Error(
        `${options.name} exited during start-up:\n${output.join('\n')}\n${JSON.stringify(logs.slice(-5))}`,
      );
    try {
      const res = await fetch(options.readyUrl);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${options.name} not ready within timeout:\n${output.join('\n')}\n${JSON.stringify(logs.slice(-5))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: options.name,
    child,
    logs,
    output,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
