import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@campus/testkit';
import { UPLOAD_LINK_PRISMA_MODEL } from '../../src/uploads/links';

// PgUploadLinkStore runs its own SQL against the `upload_links` table each service with upload
// links declares in its Prisma schema: every schema that declares it must declare it exactly so.

const schemas = fs
  .readdirSync(path.join(REPO_ROOT, 'prisma'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => path.join(REPO_ROOT, 'prisma', entry.name, 'schema.prisma'))
  .filter((file) => fs.existsSync(file))
  .map((file) => ({ service: path.basename(path.dirname(file)), text: fs.readFileSync(file, 'utf8') }));

/** Whitespace runs collapsed; `///` and `//` comments dropped (a service may document its columns). */
const normalized = (text: string) =>
  text
    .replace(/\/\/.*$/gm, '')
    .trim()
    .replace(/\s+/g, ' ');
/** The model mapped to `upload_links`, whatever its name, normalized. */
function uploadLinksModel(schema: string): string | undefined {
  const models = schema.match(/^model \w+ \{[\s\S]*?^\}/gm) ?? [];
  const found = models.find((model) => /@@map\("upload_links"\)/.test(model));
  return found ? normalized(found) : undefined;
}

const declaring = schemas.filter((schema) => uploadLinksModel(schema.text) !== undefined);

it('is declared by at least one service (leave)', () => {
  expect(declaring.map((schema) => schema.service)).toContain('leave');
});

it('is declared exactly as PgUploadLinkStore expects, wherever it is declared', () => {
  for (const schema of declaring) {
    expect({ service: schema.service, model: uploadLinksModel(schema.text) }).toEqual({
      service: schema.service,
      model: normalized(UPLOAD_LINK_PRISMA_MODEL),
    });
  }
});
