// The schema change check on small API schemas: what @graphql-inspector/core calls breaking fails
// unless a section the change adds to the changelog lists it with "Intended: yes".
import { changelogSection, condense, judge, newSections, schemaChanges, type SchemaChange } from '../../schema-diff';

const BEFORE = /* GraphQL */ `
  type Query {
    user(id: ID!): User
  }
  type User {
    id: ID!
    name: String!
    email: String
  }
`;
const WITHOUT_EMAIL = BEFORE.replace('    email: String\n', '');
const WITH_PHONE = BEFORE.replace('    email: String\n', '    email: String\n    phone: String\n');
const REMOVED_EMAIL = "Field 'email' was removed from object type 'User'";

const HEADER = '# Schema changelog\n\nIntro.\n';
const OLD_SECTION =
  "## 2026-11-01 — Users (aaaaaaa → bbbbbbb)\n\nNo breaking changes.\n\n### Non-breaking\n\n- Type 'User' was added\n";

function section(intended: boolean, changes: SchemaChange[]): string {
  return changelogSection({ date: '2026-12-01', base: 'bbbbbbb', head: 'working tree', intended }, changes);
}

describe('schemaChanges', () => {
  it('classifies a removed field as breaking and an added one as non-breaking', async () => {
    expect(await schemaChanges(BEFORE, WITHOUT_EMAIL)).toEqual([
      { level: 'BREAKING', type: 'FIELD_REMOVED', message: REMOVED_EMAIL, path: 'User.email' },
    ]);
    expect(await schemaChanges(BEFORE, WITH_PHONE)).toEqual([
      {
        level: 'NON_BREAKING',
        type: 'FIELD_ADDED',
        message: "Field 'phone' was added to object type 'User'",
        path: 'User.phone',
      },
    ]);
    expect(await schemaChanges(BEFORE, BEFORE)).toEqual([]);
  });

  it('puts the most critical first and makes a multi-line description one line', async () => {
    const after = WITHOUT_EMAIL.replace('type User {', '"""\nA person\non campus.\n"""\ntype User {');
    const changes = await schemaChanges(BEFORE, after);
    expect(changes.map((c) => c.level)).toEqual(['BREAKING', 'NON_BREAKING']);
    expect(changes[1]!.message).toBe("Object type 'User' has description 'A person on campus.'");
  });

  it('calls a nullable field made non-null in an input breaking', async () => {
    const before = 'type Query { users(filter: F): Int }\ninput F { name: String }';
    const [change] = await schemaChanges(before, before.replace('name: String', 'name: String!'));
    expect(change).toMatchObject({ level: 'BREAKING', type: 'INPUT_FIELD_TYPE_CHANGED' });
  });
});

describe('judge', () => {
  it('fails a removed field when the changelog does not mark it', async () => {
    const changes = await schemaChanges(BEFORE, WITHOUT_EMAIL);
    const verdict = judge(changes, HEADER + OLD_SECTION, HEADER + OLD_SECTION);
    expect(verdict.ok).toBe(false);
    expect(verdict.unmarked.map((c) => c.message)).toEqual([REMOVED_EMAIL]);
  });

  it('passes an added field without any changelog entry', async () => {
    const changes = await schemaChanges(BEFORE, WITH_PHONE);
    expect(judge(changes, HEADER, HEADER)).toEqual({ ok: true, unmarked: [], marking: [] });
  });

  it('passes a breaking change that a new section lists with "Intended: yes"', async () => {
    const changes = await schemaChanges(BEFORE, WITHOUT_EMAIL);
    const changelog = `${HEADER}\n${OLD_SECTION}\n${section(true, changes)}`;
    expect(section(true, changes)).toContain(`Intended: yes\n\n### Breaking\n\n- ${REMOVED_EMAIL}\n`);
    expect(judge(changes, changelog, HEADER + OLD_SECTION)).toEqual({
      ok: true,
      unmarked: [],
      marking: ['2026-12-01 — (bbbbbbb → working tree)'],
    });
  });

  it('does not take "Intended: no", a section without the item, or an old section as the marker', async () => {
    const changes = await schemaChanges(BEFORE, WITHOUT_EMAIL);
    const notIntended = `${HEADER}\n${section(false, changes)}`;
    expect(section(false, changes)).toMatch(/^Intended: no/m);
    expect(judge(changes, notIntended, HEADER).ok).toBe(false);

    const otherItem = section(true, changes).replace(REMOVED_EMAIL, "Field 'name' was removed from object type 'User'");
    expect(judge(changes, `${HEADER}\n${otherItem}`, HEADER).ok).toBe(false);

    // The same section already in the base's changelog marked an earlier change, not this one.
    const old = `${HEADER}\n${section(true, changes)}`;
    expect(judge(changes, old, old).ok).toBe(false);
  });

  it('reads a hand-written marker: any case, escaped markdown, a new changelog file', async () => {
    const changes = await schemaChanges(BEFORE, WITHOUT_EMAIL);
    const handWritten =
      "## Drop e-mail\n\nintended: YES (announced 2026-11)\n\n### Breaking\n\n* Field 'email' was removed from  object type 'User'\n";
    expect(judge(changes, handWritten, null).ok).toBe(true);
  });
});

describe('newSections', () => {
  it('returns the sections added or edited since the base', () => {
    const edited = OLD_SECTION.replace('No breaking changes.', 'No breaking changes (checked).');
    expect(newSections(HEADER + OLD_SECTION, HEADER + OLD_SECTION)).toEqual([]);
    expect(newSections(HEADER + edited, HEADER + OLD_SECTION).map((s) => s.title)).toEqual([
      '2026-11-01 — Users (aaaaaaa → bbbbbbb)',
    ]);
  });
});

describe('condense', () => {
  it('lists a new type once, not its fields and descriptions, and keeps changes to existing types', async () => {
    const after = `${WITH_PHONE}\n"""A room."""\ntype Room {\n  id: ID!\n  "The number on the door."\n  number: String\n}`;
    const { listed, omitted } = condense(await schemaChanges(BEFORE, after));
    expect(listed.map((c) => c.message).sort()).toEqual([
      "Field 'phone' was added to object type 'User'",
      "Type 'Room' was added",
    ]);
    expect(omitted).toBeGreaterThanOrEqual(3);
  });
});
