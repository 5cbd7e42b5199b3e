import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { Kind, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { REPO_ROOT } from '../../src/config';
import {
  DEMO_CREDENTIALS,
  LOGIN_MUTATION,
  LOGOUT_MUTATION,
  defaultTabs,
  flowTabs,
  sampleDates,
} from '../../src/playground/operations';

// The playground's examples must stay valid against the checked-in supergraph: when a subgraph
// renames a field they use, this fails instead of the playground.
describe('playground operations against supergraph.graphql', () => {
  let gateway: ApolloGateway;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    process.env.APOLLO_TELEMETRY_DISABLED = '1';
    const supergraphSdl = fs.readFileSync(path.join(REPO_ROOT, 'supergraph.graphql'), 'utf8');
    gateway = new ApolloGateway({ supergraphSdl });
    ({ schema } = await gateway.load());
  });

  afterAll(() => gateway.stop());

  it.each([
    ['login', LOGIN_MUTATION],
    ['logout', LOGOUT_MUTATION],
    ...defaultTabs(DEMO_CREDENTIALS).map((tab, i): [string, string] => [`tab ${i + 1}`, tab.query]),
  ])('%s is valid', (_name, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });
});

describe('the flow tabs', () => {
  const dates = sampleDates(new Date('2026-03-01T21:30:00Z')); // 00:30 on 2 March in Moscow
  const tabs = flowTabs(dates);
  const DEMO_ACCOUNTS = [
    'admin@sirius.local',
    'educator@sirius.local',
    'educator.head@sirius.local',
    'head@sirius.local',
    'patrol@sirius.local',
    'student.adult@sirius.local',
    'student.minor@sirius.local',
  ];
  const operationsOf = (query: string) =>
    parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

  it('start on the demo campus clock: yesterday, this month, tomorrow evening in campus time', () => {
    expect(dates).toEqual({
      yesterday: '2026-03-01',
      month: '2026-03',
      tomorrowEvening: { from: '2026-03-03T15:00:00.000Z', to: '2026-03-03T17:00:00.000Z' },
      tomorrowMorning: { from: '2026-03-03T06:00:00.000Z', to: '2026-03-03T09:00:00.000Z' },
    });
    expect(defaultTabs(DEMO_CREDENTIALS, new Date('2026-03-01T21:30:00Z')).slice(4)).toEqual(tabs);
  });

  it('cover every service’s main flows', () => {
    const names = tabs.flatMap((tab) => operationsOf(tab.query).map((op) => op.name?.value));
    expect(names).toEqual(
      expect.arrayContaining([
        'SubmitLeave',
        'Decide',
        'StartPatrol',
        'CompletePatrol',
        'MyNotifications',
        'GenerateRoster',
        'MyDuties',
        'SubmitReport',
        'Calendar',
        'ReportsToReview',
        'FreeTomorrowEvening',
        'RequestBooking',
        'Approve',
        'HandOverKey',
        'Board',
      ]),
    );
  });

  it.each(tabs.map((tab, i) => [i + 5, tab] as const))('tab %i names a demo account that can run it', (_i, tab) => {
    const firstLine = tab.query.split('\n')[0]!;
    expect(firstLine).toMatch(/^# .*, as /);
    expect(DEMO_ACCOUNTS.some((account) => firstLine.includes(account)) || firstLine.includes('as anybody')).toBe(true);
  });

  it.each(tabs.map((tab, i) => [i + 5, tab] as const))('tab %i gives every required variable a value', (_i, tab) => {
    const given = Object.keys(JSON.parse(tab.variables ?? '{}') as Record<string, unknown>);
    const required = operationsOf(tab.query).flatMap((op) =>
      (op.variableDefinitions ?? [])
        .filter((v) => v.type.kind === Kind.NON_NULL_TYPE)
        .map((v) => v.variable.name.value),
    );
    expect(required.filter((name) => !given.includes(name))).toEqual([]);
  });
});
