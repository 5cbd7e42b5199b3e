// CPU time of process trees, read from /proc (Linux): the bench charges each request with the
// CPU its gateway, the subgraphs and PostgreSQL used meanwhile.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcessStat {
  ppid: number;
  command: string;
  ticks: number;
}

function processTable(): Map<number, ProcessStat> {
  const stats = new Map<number, ProcessStat>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; fields follow the last ")".
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    stats.set(Number(entry), {
      ppid: Number(fields[1]),
      command: stat.slice(stat.indexOf('(') + 1, close),
      // utime + stime, and cutime + cstime: the time of children it has reaped (a PostgreSQL
      // backend whose connection closed still counts, through the postmaster)
      ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
    });
  }
  return stats;
}

/** The processes `roots` and every process below them, from one reading of the process table. */
function treesOf(stats: Map<number, ProcessStat>, roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, stat] of stats) {
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  const pending = [...roots];
  const seen = new Set<number>();
  while (pending.length) {
    const current = pending.pop()!;
    if (seen.has(current) || !stats.has(current)) continue;
    seen.add(current);
    pending.push(...(children.get(current) ?? []));
  }
  return [...seen];
}

/** The live processes `roots` and every process below them (a gateway's workers, say). */
export const processTrees = (roots: readonly number[]): number[] => treesOf(processTable(), roots);

/** User + system CPU milliseconds so far of the processes `roots` and every process below them. */
export function processTreesCpuMs(roots: readonly number[]): number {
  const stats = processTable();
  const ticks = treesOf(stats, roots).reduce((sum, pid) => sum + stats.get(pid)!.ticks, 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** PostgreSQL's postmaster(s): `postgres` processes whose parent is not one (backends are below them). */
export function postgresRoots(): number[] {
  const stats = processTable();
  return [...stats.entries()]
    .filter(([, s]) => s.command === 'postgres' && stats.get(s.ppid)?.command !== 'postgres')
    .map(([pid]) => pid);
}

/** RabbitMQ's Erlang VM(s) (`beam.smp`): the broker every event and live push goes through. */
export function brokerRoots(): number[] {
  return [...processTable().entries()].filter(([, s]) => s.command === 'beam.smp').map(([pid]) => pid);
}

/** A named group of processes whose CPU the bench reports per request. */
export interface CpuGroup {
  name: string;
  pids(): readonly number[];
}
