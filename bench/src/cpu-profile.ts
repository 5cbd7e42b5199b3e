// Summarises a V8 .cpuprofile (written by `node --cpu-prof`, e.g. BENCH_CPU_PROFILE=router): self
// time by package (node_modules/<name>, node: internals, or the project's own file) and the hottest
// functions, so a profile can be read without a browser. Open the file itself in Chrome DevTools
// (Performance → Load profile) or speedscope.app for the flame graph.
//   npx tsx bench/src/cpu-profile.ts <file.cpuprofile> [top=25]
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a frame's script belongs to. */
export function packageOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const project = /\/(router|packages\/[^/]+|subgraphs\/[^/]+)\/(dist|src)\//.exec(url);
  return project ? `campus: ${project[1]}` : url;
}

export function summarise(profile: Profile): {
  total: number;
  byPackage: Map<string, number>;
  byFunction: Map<string, number>;
} {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    total += micros;
    const pkg = packageOf(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  });
  return { total, byPackage, byFunction };
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile.ts <file.cpuprofile> [top]');
  const { total, byPackage, byFunction } = summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
  const rows = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(top))
      .map(([name, micros]) => ({
        name,
        ms: Math.round(micros / 1000),
        share: `${((100 * micros) / total).toFixed(1)} %`,
      }));
  console.log(`busy (not idle): ${Math.round(total / 1000)} ms`);
  console.table(rows(byPackage));
  console.table(rows(byFunction));
}

if (require.main === module) main();
