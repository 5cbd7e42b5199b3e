// On-CPU samples of chosen processes with Linux perf (BENCH_PERF=router,hop,…). V8's own profiler
// (BENCH_CPU_PROFILE) charges the wall time between two samples to whatever was on the stack, so on
// two busy cores the time a process spent descheduled inside a socket write reads as `writev`
// (docs/performance.md). perf samples a process only while it runs on a core: what it costs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { processTrees } from './cpu';

const FREQUENCY_HZ = 499;
/**
 * Node then writes /tmp/perf-<pid>.map, from which perf names the JavaScript functions. A name can
 * be stale where V8 later put other code at the same address (the shares by kind are not affected);
 * `--perf-prof` (jitdump) would fix that, at the price of a file per compiled function.
 */
const PERF_NODE_FLAGS: readonly string[] = ['--perf-basic-prof'];

export const perfInstalled = (): boolean => spawnSync('perf', ['--version'], { stdio: 'ignore' }).status === 0;

/** One line of `perf report -n -q`: its share, its samples and what it names. */
export interface PerfReportLine {
  percent: number;
  samples: number;
  name: string;
}

export function parsePerfReport(text: string): PerfReportLine[] {
  return text.split('\n').flatMap((line) => {
    const match = /^\s*([\d.]+)%\s+(\d+)\s+(.+?)\s*$/.exec(line);
    return match ? [{ percent: Number(match[1]), samples: Number(match[2]), name: match[3]! }] : [];
  });
}

/** What a shared object's samples are, in words (`perf report --sort dso`). */
export function dsoKind(dso: string): string {
  if (dso.startsWith('[JIT]')) return 'JavaScript (JIT code)';
  if (dso === '[kernel.kallsyms]') return 'kernel';
  if (dso === 'node') return 'node binary (V8 builtins and runtime, GC, JSON, HTTP parser)';
  return dso;
}

interface Recording {
  name: string;
  file: string;
  perf: ChildProcess;
  exited: Promise<void>;
}

export class PerfRecordings {
  private readonly recordings: Recording[] = [];

  constructor(
    private readonly names: readonly string[],
    private readonly dir: string,
  ) {}

  /** The Node options a process needs for its JavaScript to be named. */
  nodeFlags(name: string): readonly string[] {
    return this.names.includes(name) ? PERF_NODE_FLAGS : [];
  }

  /** Samples `name`'s process, its threads and any process below it (workers) until stop(). */
  attach(name: string, pid: number | undefined): void {
    if (!this.names.includes(name) || !pid) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${name}-${Date.now()}.perf.data`);
    const pids = processTrees([pid]).join(',');
    const args = ['record', '-q', '--no-buildid-cache', '-F', String(FREQUENCY_HZ), '-g', '-o', file, '-p', pids];
    const perf = spawn('perf', args, { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => perf.once('exit', () => resolve()));
    this.recordings.push({ name, file, perf, exited });
  }

  /** Ends every recording and prints where each process's time on a core went. */
  async stop(): Promise<void> {
    for (const recording of this.recordings) recording.perf.kill('SIGINT');
    await Promise.all(this.recordings.map((recording) => recording.exited));
    for (const recording of this.recordings) console.log(summary(recording));
  }
}

const report = (file: string, sort: string): PerfReportLine[] => {
  const args = ['report', '-i', file, '-n', '-q', '--no-children', '-g', 'none', '--sort', sort];
  return parsePerfReport(spawnSync('perf', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout ?? '');
};

function summary({ name, file }: Recording): string {
  const kinds = new Map<string, number>();
  let samples = 0;
  for (const line of report(file, 'dso')) {
    const kind = dsoKind(line.name);
    kinds.set(kind, (kinds.get(kind) ?? 0) + line.percent);
    samples += line.samples;
  }
  const shares = [...kinds].sort((a, b) => b[1] - a[1]).map(([kind, percent]) => `${kind} ${percent.toFixed(1)} %`);
  const symbols = report(file, 'sym');
  const shown = path.relative(process.cwd(), file);
  const listed = (lines: PerfReportLine[]) =>
    lines
      .slice(0, 10)
      .map((line) => `${line.percent.toFixed(1)} % ${symbolName(line.name)}`)
      .join(' · ');
  return [
    `perf ${name} (${shown}): ${samples} samples, ${(samples / FREQUENCY_HZ).toFixed(1)} s on a core in the whole run`,
    `  ${shares.join(' · ')}; V8's garbage collector ${gcShare(symbols).toFixed(1)} % (its threads included)`,
    `  self time, any code: ${listed(symbols)}`,
    `  self time, JavaScript (names can be stale): ${listed(symbols.filter((line) => line.name.startsWith('[.] JS:')))}`,
    `  more: perf report -i ${shown} (--children: with callees)`,
  ].join('\n');
}

/** V8's collector: scavenges, marking (concurrent too), sweeping, evacuation, heap bookkeeping. */
const GC_SYMBOL = /Scaveng|Marking|MarkCompact|Sweep|Evacuat|\bHeap::/;

/** The percent of the samples in V8's garbage collector, from a report sorted by symbol. */
export const gcShare = (symbols: readonly PerfReportLine[]): number =>
  symbols.filter((line) => GC_SYMBOL.test(line.name)).reduce((sum, line) => sum + line.percent, 0);

/** A symbol as perf names it, without what every line repeats. */
export const symbolName = (symbol: string): string =>
  symbol
    .replace(/^\[\.\] /, '')
    .replace(/^JS:[*^~+]?/, '')
    .replace(/v8::internal::/g, '')
    .replace(/\S*\/node_modules\//, '')
    .replace(/\S*\/(router|subgraphs|packages|bench)\//, '$1/');
