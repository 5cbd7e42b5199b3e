// `npm run dead-letters -- <command>`: inspect and replay events a consumer parked.
//   list   <queue> [--limit N]              parked messages (id, type, retries, reason); none is removed
//   replay <queue> --id <eventId> [--id …]  move the named messages back to the consumer's queue
//   replay <queue> --all                    move every parked message back
// <queue> is the consumer's queue (e.g. notification.events) or its parking queue (….parked).
// The broker comes from AMQP_URL (default amqp://guest:guest@127.0.0.1:5672). Replayed messages get
// a fresh retry budget; fix the cause first, or they will be parked again.
import amqp from 'amqplib';
import { listParked, replayParked, type ParkedMessage } from '@campus/platform';

const USAGE = `usage:
  npm run dead-letters -- list <queue> [--limit N]
  npm run dead-letters -- replay <queue> (--id <eventId> [--id <eventId> …] | --all)`;

class UsageError extends Error {}

interface Command {
  action: 'list' | 'replay';
  queue: string;
  limit: number;
  ids: string[];
  all: boolean;
}

function parseArgs(argv: string[]): Command {
  const [action, queue, ...rest] = argv;
  if ((action !== 'list' && action !== 'replay') || !queue || queue.startsWith('--')) throw new UsageError(USAGE);
  const command: Command = { action, queue, limit: 100, ids: [], all: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--all') command.all = true;
    else if (flag === '--id' && rest[i + 1]) command.ids.push(rest[++i]!);
    else if (flag === '--limit' && /^\d+$/.test(rest[i + 1] ?? '')) command.limit = Number(rest[++i]);
    else throw new UsageError(`unknown or incomplete option "${flag}"\n${USAGE}`);
  }
  if (action === 'replay' && command.all === command.ids.length > 0)
    throw new UsageError(`replay needs either --id … or --all\n${USAGE}`);
  return command;
}

function table(messages: ParkedMessage[]): string {
  const rows = messages.map((m) => [m.eventId, m.type, String(m.retryCount), m.parkedAt ?? '', m.reason]);
  const header = ['EVENT ID', 'TYPE', 'RETRIES', 'PARKED AT', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 64;
  }
  const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const connection = await amqp.connect(url, { clientProperties: { connection_name: 'dead-letters (ops)' } });
  try {
    if (command.action === 'list') {
      const listing = await listParked(connection, command.queue, command.limit);
      process.stdout.write(
        `${listing.queue}: ${listing.total} parked message(s)${listing.total > listing.messages.length ? `, showing ${listing.messages.length}` : ''}\n`,
      );
      if (listing.messages.length) process.stdout.write(`${table(listing.messages)}\n`);
      return 0;
    }
    const result = await replayParked(connection, command.queue, command.all ? { all: true } : { ids: command.ids });
    for (const m of result.replayed) process.stdout.write(`replayed ${m.eventId} (${m.type})\n`);
    for (const id of result.notFound) process.stderr.write(`not parked: ${id}\n`);
    process.stdout.write(`${result.replayed.length} replayed, ${result.remaining} still parked\n`);
    return result.notFound.length ? 1 : 0;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // e.g. the queue does not exist (404 NOT_FOUND from the broker) or the broker is unreachable
    process.stderr.write(`dead-letters: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
