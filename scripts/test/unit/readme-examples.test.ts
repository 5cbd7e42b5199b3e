// Every GraphQL example in the READMEs is a valid operation of the router's API schema
// (packages/client/schema.graphql): a renamed field or argument breaks this test, not a reader's
// first try in the playground. Placeholders such as "<id>" are string literals and pass.
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, validate, type DefinitionNode, type DocumentNode } from 'graphql';

const root = path.resolve(__dirname, '../../..');
const schema = buildSchema(fs.readFileSync(path.join(root, 'packages/client/schema.graphql'), 'utf8'));

const readmes = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'subgraphs'))
    .map((name) => `subgraphs/${name}/README.md`)
    .filter((file) => fs.existsSync(path.join(root, file))),
];

/** The ```graphql blocks of a Markdown file, with the line each starts on. */
function graphqlBlocks(file: string): { line: number; text: string }[] {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const blocks: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```graphql') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    blocks.push({ line: i + 2, text: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** Each operation of a block on its own (a block may list several anonymous ones), with the block's fragments. */
function operationsOf(doc: DocumentNode): DocumentNode[] {
  const fragments = doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return doc.definitions
    .filter((d): d is DefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }));
}

const examples = readmes.flatMap((file) =>
  graphqlBlocks(file).map((block) => ({ where: `${file}:${block.line}`, ...block })),
);

test('the READMEs have GraphQL examples to check', () => {
  expect(examples.length).toBeGreaterThan(5);
});

test.each(examples)('$where is valid against the API schema', ({ text }) => {
  const operations = operationsOf(parse(text));
  expect(operations.length).toBeGreaterThan(0);
  const errors = operations.flatMap((operation) => validate(schema, operation).map((e) => e.message));
  expect(errors).toEqual([]);
});
