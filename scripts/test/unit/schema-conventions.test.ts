// The schema conventions no graphql-eslint rule expresses (docs/conventions.md, "GraphQL schema"),
// asserted on every subgraph's SDL: one pagination shape, `input`/`filter` arguments, mutation results.
import fs from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  print,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeNode,
} from 'graphql';

const root = path.resolve(__dirname, '../../..');
const subgraphs = fs
  .readdirSync(path.join(root, 'subgraphs'))
  .filter((name) => fs.existsSync(path.join(root, 'subgraphs', name, 'src/api/graphql/schema.graphql')))
  .sort();

const sdl = (name: string): DocumentNode =>
  parse(fs.readFileSync(path.join(root, 'subgraphs', name, 'src/api/graphql/schema.graphql'), 'utf8'));

/** Paginated fields that predate the page shape; each entry says why it stays (a breaking change). */
const BARE_LIST_PAGINATION: Record<string, string> = {
  'leave User.leaveApplications': 'returns [LeaveApplication!]: a LeaveApplicationPage would break its clients',
  'duty User.sanctions': 'returns [DutySanction!]: paged after the fact, a DutySanctionPage would break its clients',
};

type Field = { subgraph: string; type: string; field: FieldDefinitionNode };

const fieldsOf = (subgraph: string, doc: DocumentNode): Field[] =>
  doc.definitions.flatMap((d) =>
    (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.fields
      ? d.fields.map((field) => ({ subgraph, type: d.name.value, field }))
      : [],
  );

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const arg = (field: FieldDefinitionNode, name: string): InputValueDefinitionNode | undefined =>
  field.arguments?.find((a) => a.name.value === name);
/** An argument as written, without its description. */
const signature = (a: InputValueDefinitionNode): string =>
  `${a.name.value}: ${print(a.type)}${a.defaultValue ? ` = ${print(a.defaultValue)}` : ''}`;
const where = (f: Field) => `${f.subgraph} ${f.type}.${f.field.name.value}`;

/** Problems of one SDL, as sentences (empty: it follows the conventions). */
function conventionProblems(subgraph: string, doc: DocumentNode): string[] {
  const problems: string[] = [];
  const fields = fieldsOf(subgraph, doc);
  const inputTypes = new Set(
    doc.definitions.flatMap((d) => (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ? [d.name.value] : [])),
  );

  // One pagination shape: { items: [T!]!, total: Int!, page: Int!, size: Int!, pages: Int! }.
  for (const d of doc.definitions) {
    if (d.kind !== Kind.OBJECT_TYPE_DEFINITION || !d.name.value.endsWith('Page')) continue;
    const shape = (d.fields ?? []).map((f) => `${f.name.value}: ${print(f.type)}`);
    const item = d.fields?.find((f) => f.name.value === 'items');
    const expected = [
      `items: [${item ? namedType(item.type) : '?'}!]!`,
      'total: Int!',
      'page: Int!',
      'size: Int!',
      'pages: Int!',
    ];
    if (shape.join(', ') !== expected.join(', '))
      problems.push(`${subgraph} ${d.name.value} is { ${shape.join(', ')} }, not { ${expected.join(', ')} }`);
  }

  for (const f of fields) {
    const page = arg(f.field, 'page');
    const size = arg(f.field, 'size');
    const returnsPage = namedType(f.field.type).endsWith('Page');
    if (!page && !size && !returnsPage) continue;
    if (!page || !size || signature(page) !== 'page: Int = 1' || signature(size) !== 'size: Int = 20')
      problems.push(`${where(f)} must take page: Int = 1 and size: Int = 20`);
    if (!returnsPage && !BARE_LIST_PAGINATION[where(f)]) problems.push(`${where(f)} is paginated but returns no *Page`);
  }

  // `input: <Mutation>Input!` carries a mutation's fields; `filter: <Thing>Filter` narrows a list.
  for (const f of fields) {
    for (const a of f.field.arguments ?? []) {
      const type = namedType(a.type);
      if (a.name.value === 'input' && !(a.type.kind === Kind.NON_NULL_TYPE && type.endsWith('Input')))
        problems.push(`${where(f)}(input) must be a non-null *Input, not ${print(a.type)}`);
      if (a.name.value === 'filter' && !(a.type.kind === Kind.NAMED_TYPE && type.endsWith('Filter')))
        problems.push(`${where(f)}(filter) must be a nullable *Filter, not ${print(a.type)}`);
      if (inputTypes.has(type) && type.endsWith('Filter') && a.name.value !== 'filter')
        problems.push(`${where(f)}(${a.name.value}) takes ${type}: a *Filter is always the argument "filter"`);
    }
  }

  // A mutation answers with the changed object or a result type of its own, never null.
  for (const f of fields.filter((x) => x.type === 'Mutation')) {
    if (f.field.type.kind !== Kind.NON_NULL_TYPE) problems.push(`${where(f)} must return a non-null result`);
  }
  return problems;
}

describe('subgraph schema conventions', () => {
  it('finds every subgraph', () => {
    expect(subgraphs).toEqual(expect.arrayContaining(['identity', 'leave', 'notification', 'patrol']));
  });

  it.each(subgraphs)('%s follows them', (name) => {
    expect(conventionProblems(name, sdl(name))).toEqual([]);
  });

  it('has page types at all (the check is not vacuous)', () => {
    const pages = subgraphs.flatMap((name) =>
      sdl(name).definitions.filter((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value.endsWith('Page')),
    );
    expect(pages.length).toBeGreaterThanOrEqual(subgraphs.length - 1);
  });

  it('keeps the list of bare-list exceptions current', () => {
    const paginated = subgraphs.flatMap((name) =>
      fieldsOf(name, sdl(name))
        .filter((f) => arg(f.field, 'page'))
        .map(where),
    );
    for (const known of Object.keys(BARE_LIST_PAGINATION)) expect(paginated).toContain(known);
  });

  it('names each kind of drift', () => {
    const bad = parse(`
      type ThingPage { items: [Thing], total: Int!, page: Int!, size: Int! }
      input ThingFilter { name: String }
      input MakeThingInput { name: String! }
      type Thing { id: ID! }
      type Query {
        things(filter: ThingFilter!, page: Int = 1, size: Int = 50): ThingPage!
        list(page: Int = 1, size: Int = 20): [Thing!]!
        other(where: ThingFilter): [Thing!]!
      }
      type Mutation { makeThing(input: MakeThingInput): Thing }
    `);
    expect(conventionProblems('x', bad)).toEqual([
      'x ThingPage is { items: [Thing], total: Int!, page: Int!, size: Int! }, not { items: [Thing!]!, total: Int!, page: Int!, size: Int!, pages: Int! }',
      'x Query.things must take page: Int = 1 and size: Int = 20',
      'x Query.list is paginated but returns no *Page',
      'x Query.things(filter) must be a nullable *Filter, not ThingFilter!',
      'x Query.other(where) takes ThingFilter: a *Filter is always the argument "filter"',
      'x Mutation.makeThing(input) must be a non-null *Input, not MakeThingInput',
      'x Mutation.makeThing must return a non-null result',
    ]);
  });
});
