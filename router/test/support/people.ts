import { parse } from 'graphql';
import { startSubgraph, type TestSubgraph } from './subgraph';

// Two subgraphs for comparing two routers' answers byte for byte (single-fetch, direct queries):
// people (lists, entities, unions, interfaces, nulls, errors in places, a slow field, mutations)
// and rooms (a field joined onto Person, a root field of its own, a slow one).

const PEOPLE = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    people(size: Int = 3): [Person!]!
    person(id: ID!): Person
    failing: Person
    strict: Person!
    partly: [Person]!
    slow: String
    search: [SearchResult!]!
    named: [Named!]!
  }

  type Mutation {
    rename(id: ID!, name: String!): Person!
    renameSlowly(id: ID!, name: String!): Person
    login(name: String!): String
  }

  interface Named {
    name: String!
  }

  union SearchResult = Person | Pet

  type Person implements Named @key(fields: "id") {
    id: ID!
    name: String!
    age: Int
    nickname: String
    friends: [Person!]!
    risky: String!
  }

  type Pet implements Named {
    name: String!
    species: String!
  }
`);

const ROOMS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    roomCount: Int!
    busyRooms: Int!
  }

  type Person @key(fields: "id") {
    id: ID!
    room: String
  }
`);

interface Person {
  id: string;
  name: string;
  age: number | null;
}

const people: Person[] = [
  { id: 'p1', name: 'Анна', age: 16 },
  { id: 'p2', name: 'Boris "B"', age: null },
  { id: 'p3', name: 'Вера', age: 17 },
];

export interface PeopleSubgraphs {
  /** people, then rooms. */
  subgraphs: TestSubgraph[];
  /** rename and renameSlowly mutations executed so far. */
  readonly renames: number;
}

export async function startPeopleSubgraphs(): Promise<PeopleSubgraphs> {
  const find = (id: string) => people.find((p) => p.id === id) ?? null;
  let renames = 0;
  const subgraphs = [
    await startSubgraph('people', PEOPLE, {
      Query: {
        people: (_: unknown, { size }: { size: number }) => people.slice(0, size),
        person: (_: unknown, { id }: { id: string }) => find(id),
        failing: () => {
          throw new Error('nobody there');
        },
        strict: () => null,
        partly: () => [people[0], { id: 'broken', name: 'x', age: null }, people[2]],
        slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 1_500)),
        search: () => [people[0], { species: 'cat', name: 'Мурка' }],
        named: () => [people[1], { species: 'dog', name: 'Rex' }],
      },
      Mutation: {
        rename: (_: unknown, { id, name }: { id: string; name: string }) => {
          renames++;
          return { ...find(id), name };
        },
        renameSlowly: async (_: unknown, { id, name }: { id: string; name: string }) => {
          renames++;
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          return { ...find(id), name };
        },
        login: (_: unknown, { name }: { name: string }) => `token-of-${name}`,
      },
      Person: {
        __resolveReference: ({ id }: { id: string }) => find(id),
        friends: (p: Person) => people.filter((f) => f.id !== p.id),
        nickname: (p: Person) => (p.age === null ? null : `${p.name}${p.age}`),
        risky: (p: Person) => {
          if (p.id === 'broken') throw new Error('this one is broken');
          return 'fine';
        },
      },
      SearchResult: { __resolveType: (v: object) => ('species' in v ? 'Pet' : 'Person') },
      Named: { __resolveType: (v: object) => ('species' in v ? 'Pet' : 'Person') },
    }),
    await startSubgraph('rooms', ROOMS, {
      Query: {
        roomCount: () => 2,
        // Holds a call for 400 ms (rooms' one slot, in the load-shedding cases).
        busyRooms: () => new Promise((resolve) => setTimeout(() => resolve(1), 400)),
      },
      Person: { __resolveReference: ({ id }: { id: string }) => ({ id, room: id === 'p1' ? '101' : null }) },
    }),
  ];
  return {
    subgraphs,
    get renames() {
      return renames;
    },
  };
}
