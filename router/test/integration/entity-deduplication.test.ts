import type { JwksServer } from '@campus/testkit';
import { parse } from 'graphql';
import { startTestRouter, type TestRouter, signedInEducator } from '../support/router';
import { startSubgraph, type TestSubgraph } from '../support/subgraph';

// An `_entities` call asks for each distinct representation once (entity-deduplication.ts), and
// the client's answer is what the gateway gives when it asks for every copy: two routers over
// the same subgraphs, one with SUBGRAPH_DISTINCT_ENTITIES=false, must answer with the same bytes.

const LEAVE = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    applications: [Application!]!
  }

  type Application {
    id: ID!
    applicant: Student!
  }

  type Student @key(fields: "id") {
    id: ID!
  }
`);

const IDENTITY = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    nobody: Int
  }

  type Student @key(fields: "id") {
    id: ID!
    fullName: String!
    room: Room
    phone: String
  }

  type Room @key(fields: "id") {
    id: ID!
  }
`);

const ROOMS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    noRoom: Int
  }

  type Room @key(fields: "id") {
    id: ID!
    number: String!
  }
`);

// Six applications by three students: s1 three times, s2 twice, s3 once.
const applicants = ['s1', 's2', 's1', 's3', 's2', 's1'];
const names: Record<string, string> = { s1: 'Анна', s2: 'Boris "B"', s3: 'Вера' };
/** Every representation each subgraph resolved, in order. */
const resolved: { Student: string[]; Room: string[] } = { Student: [], Room: [] };

let jwks: JwksServer;
let token: string;
let subgraphs: TestSubgraph[];
let distinct: TestRouter;
let everyCopy: TestRouter;

beforeAll(async () => {
  ({ jwks, token } = await signedInEducator());
  subgraphs = [
    await startSubgraph('leave', LEAVE, {
      Query: { applications: () => applicants.map((id, i) => ({ id: `a${i}`, applicant: { id } })) },
    }),
    await startSubgraph('identity', IDENTITY, {
      Student: {
        __resolveReference: ({ id }: { id: string }) => {
          resolved.Student.push(id);
          return { id, fullName: names[id], room: { id: `r-${id}` } };
        },
        phone: ({ id }: { id: string }) => {
          if (id === 's2') throw new Error('not yours to see');
          return `+7 900 000-00-0${id.slice(1)}`;
        },
      },
    }),
    await startSubgraph('rooms', ROOMS, {
      Room: {
        __resolveReference: ({ id }: { id: string }) => {
          resolved.Room.push(id);
          return { id, number: id.toUpperCase() };
        },
      },
    }),
  ];
  const env = { AUTH_JWKS_URL: jwks.url };
  distinct = await startTestRouter(subgraphs, env);
  everyCopy = await startTestRouter(subgraphs, { ...env, SUBGRAPH_DISTINCT_ENTITIES: 'false' });
});

afterAll(async () => {
  await Promise.all([distinct?.close(), everyCopy?.close()]);
  await Promise.all([...(subgraphs ?? []).map((s) => s.stop()), jwks?.stop()]);
});

async function ask(router: TestRouter, query: string): Promise<{ text: string; resolved: typeof resolved }> {
  resolved.Student = [];
  resolved.Room = [];
  const res = await fetch(`${router.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  expect(res.status).toBe(200);
  return { text: (await res.text()).replace(/[0-9a-f]{32}/g, '<trace>'), resolved: structuredClone(resolved) };
}

it('asks identity for each applicant once and answers every application', async () => {
  const query = '{ applications { id applicant { id fullName } } }';
  const once = await ask(distinct, query);
  const copies = await ask(everyCopy, query);
  expect(once.resolved.Student).toEqual(['s1', 's2', 's3']);
  expect(copies.resolved.Student).toEqual(applicants);
  expect(once.text).toBe(copies.text);
  const answer = JSON.parse(once.text) as { data: { applications: Array<{ applicant: { fullName: string } }> } };
  expect(answer.data.applications.map((a) => a.applicant.fullName)).toEqual(applicants.map((id) => names[id]));
});

it('deduplicates the next hop as well (rooms of the deduplicated students), with aliases', async () => {
  const query = '{ applications { id applicant { name: fullName room { number } } } }';
  const once = await ask(distinct, query);
  const copies = await ask(everyCopy, query);
  expect(once.resolved).toEqual({ Student: ['s1', 's2', 's3'], Room: ['r-s1', 'r-s2', 'r-s3'] });
  expect(copies.resolved.Room).toHaveLength(applicants.length);
  expect(once.text).toBe(copies.text);
  expect(once.text).toContain('"room":{"number":"R-S1"}');
});

it("puts a subgraph's error at every position of the entity it concerns", async () => {
  const query = '{ applications { id applicant { fullName phone } } }';
  const once = await ask(distinct, query);
  const copies = await ask(everyCopy, query);
  expect(once.text).toBe(copies.text);
  const answer = JSON.parse(once.text) as {
    data: { applications: Array<{ applicant: { phone: string | null } }> };
    errors: Array<{ path: Array<string | number> }>;
  };
  // s2 applied at positions 1 and 4: the error (and the null) is at both, nowhere else.
  expect(answer.errors.map((e) => e.path)).toEqual([
    ['applications', 1, 'applicant', 'phone'],
    ['applications', 4, 'applicant', 'phone'],
  ]);
  expect(answer.data.applications.map((a) => a.applicant.phone === null)).toEqual(applicants.map((id) => id === 's2'));
});
