import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@campus/testkit';
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
