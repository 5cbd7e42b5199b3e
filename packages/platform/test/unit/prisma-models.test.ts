import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@campus/testkit';
import { columnsAsFields } from '../../src/database';
import { INBOX_PRISMA_MODEL } from '../../src/messaging/inbox';
import { OUTBOX_PRISMA_MODEL } from '../../src/messaging/outbox';

// The relay and the inbox run their own SQL against tables each service declares in its Prisma
// schema: every schema that declares one must declare it exactly as platform expects.

const schemas = fs
  .readdirSync(path.join(REPO_ROOT, 'prisma'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => path.join(REPO_ROOT, 'prisma', entry.name, 'schema.prisma'))
  .filter((file) => fs.existsSync(file))
  .map((file) => ({ service: path.basename(path.dirname(file)), text: fs.readFileSync(file, 'utf8') }));

/** The `model <name> { … }` block, with whitespace runs collapsed. */
const normalized = (text: string) => text.trim().replace(/\s+/g, ' ');
function modelBlock(schema: string, model: string): string | undefined {
  const match = new RegExp(`^model ${model} \\{[\\s\\S]*?^\\}`, 'm').exec(schema);
  return match ? normalized(match[0]) : undefined;
}

describe.each([
  ['OutboxEvent', OUTBOX_PRISMA_MODEL],
  ['InboxEntry', INBOX_PRISMA_MODEL],
])('the %s model', (model, expected) => {
  const declaring = schemas.filter((schema) => modelBlock(schema.text, model) !== undefined);

  it('is declared by at least one service', () => {
    expect(declaring.length).toBeGreaterThan(0);
  });

  it('is declared exactly as platform’s SQL expects, wherever it is declared', () => {
    for (const schema of declaring) {
      expect({ service: schema.service, model: modelBlock(schema.text, model) }).toEqual({
        service: schema.service,
        model: normalized(expected),
      });
    }
  });
});

describe('columnsAsFields', () => {
  it('reads each field from its snake_case column, as a name', () => {
    expect(columnsAsFields({ id: 'id', startsAt: 'startsAt' }, 'b')).toBe('b.id AS "id", b.starts_at AS "startsAt"');
  });

  // It relies on every schema mapping a field to the snake_case of its name: checked here for
  // every scalar field of every model, so a column named otherwise fails here, not in production.
  it.each(schemas)('holds for every field of the $service schema', ({ text }) => {
    const models = [...text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
    const modelNames = new Set(models.map((m) => m[1]));
    const mismatched: string[] = [];
    let columns = 0;
    for (const [, model, body] of models) {
      for (const line of body!.split('\n')) {
        const field = /^\s+(\w+)\s+(\w+)/.exec(line);
        if (!field || modelNames.has(field[2])) continue; // a relation, not a column
        columns++;
        const column = /@map\("([^"]+)"\)/.exec(line)?.[1] ?? field[1]!;
        if (column !== field[1]!.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
          mismatched.push(`${model}.${field[1]}`);
      }
    }
    expect(columns).toBeGreaterThan(models.length);
    expect(mismatched).toEqual([]);
  });
});
