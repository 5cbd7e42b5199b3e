// Summarises a V8 .cpuprofile (written by `node --cpu-prof`, e.g. BENCH_CPU_PROFILE=router): self
// time by package (node_modules/<name>, node: internals, or the project's own file), the hottest
// functions, and the functions with the most time on the stack (their callees included: what a
// step costs in all, e.g. a subgraph call with its socket writes), so a profile can be read without
// a browser. Open the file itself in Chrome DevTools (Performance → Load profile) or speedscope.app
// for the flame graph.
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

const functionName = (node: ProfileNode): string =>
  `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;

/** The root of V8's tree, the one pseudo-frame above everything that has no place in a table of steps. */
const ROOT = '(root)';

export function summarise(profile: Profile): {
  total: number;
  byPackage: Map<string, number>;
  byFunction: Map<string, number>;
  /** Time with the function anywhere on the stack, counted once per sample however deep it recurses. */
  onStack: Map<string, number>;
} {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const onStack = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    total += micros;
    const pkg = packageOf(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    const fn = functionName(node);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    const seen = new Set<string>();
    for (let frame: ProfileNode | undefined = node; frame; frame = parents.get(frame.id)) {
      const name = functionName(frame);
      if (frame.callFrame.functionName === ROOT || seen.has(name)) continue;
      seen.add(name);
      onStack.set(name, (onStack.get(name) ?? 0) + micros);
    }
  });
  return { total, byPackage, byFunction, onStack };
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile.ts <file.cpuprofile> [top]');
  const { total, byPackage, byFunction, onStack } = summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
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
  console.log('on the stack (self time and callees):');
  console.table(rows(onStack));
}

if (require.main === module) main();
