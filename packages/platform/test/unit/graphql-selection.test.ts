// What a resolver sees of its selection (identity's users page chooses summaries from it).
import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { fieldsSelectedUnder, selectsField } from '../../src/graphql/selection';

const schema = buildSchema(`
  type User { id: ID! fullName: String! email: String roles: [String!]! }
  type Page { total: Int! items: [User!]! }
  type Query { users: Page! }
`);

/** The resolver info of Query.users for `query`. */
async function infoOf(query: string): Promise<GraphQLResolveInfo> {
  let seen: GraphQLResolveInfo | undefined;
  const result = await graphql({
    schema,
    source: query,
    rootValue: {
      users: (_: unknown, __: unknown, info: GraphQLResolveInfo) => {
        seen = info;
        return { total: 0, items: [] };
      },
    },
  });
  if (!seen) throw new Error(JSON.stringify(result.errors));
  return seen;
}

describe('selection', () => {
  it('names the fields asked of a child, directly, in inline fragments and in named fragments', async () => {
    const info = await infoOf(`{ users { total items { id ... on User { fullName } ...Contact } } }
      fragment Contact on User { email }`);
    expect([...fieldsSelectedUnder(info, 'items')].sort()).toEqual(['email', 'fullName', 'id']);
    expect(selectsField(info, 'items')).toBe(true);
    expect(selectsField(info, 'email')).toBe(false); // a grandchild is not a field of the result
  });

  it('gathers a child asked twice (aliases, fragments on the parent) and skips nothing @skip may drop', async () => {
    const info = await infoOf(`{ users { a: items { id } ...More b: items { roles @skip(if: true) } } }
      fragment More on Page { items { __typename } }`);
    expect([...fieldsSelectedUnder(info, 'items')].sort()).toEqual(['__typename', 'id', 'roles']);
  });

  it('is empty when the child is not asked', async () => {
    const info = await infoOf('{ users { total } }');
    expect(fieldsSelectedUnder(info, 'items').size).toBe(0);
    expect(selectsField(info, 'items')).toBe(false);
  });
});
