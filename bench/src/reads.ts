// Read scenarios: each worker is a different user (16 staff or 16 students by default). Where the
// bench knows the query plan, `direct` makes the same subgraph calls a gateway would (an entity
// fetch after the root fetch, parallel fetches in parallel), so a gateway's overhead is its time
// above that path.
import type { Call, Outcome, Scenario, ScenarioGoals } from './load';
import { postGraphQL } from './load';
import { COWORKING_WINDOW } from './setup';

export interface ReadContext {
  concurrency: number;
  /** One token per worker. */
  staff: string[];
  students: string[];
  /** Each subgraph's GraphQL URL on the bench stack. */
  subgraphUrl(name: string): string;
  dutyMonth?: string;
  coworkings: boolean;
  leave: boolean;
  notification: boolean;
}

/** The "free in a window" read (also what `npm run bench:floor` answers without the project's code). */
export const FREE_COWORKINGS = `{ coworkings(building: "8", from: "${COWORKING_WINDOW.from}", to: "${COWORKING_WINDOW.to}") {
  id name freeInWindow busySlots(from: "${COWORKING_WINDOW.from}", to: "${COWORKING_WINDOW.to}") {
  startsAt endsAt status } } }`;

type Reps = Array<{ __typename: string; id: string }>;

/** A scenario whose every call is the same query, each worker with its own token. */
function sameQuery(
  name: string,
  query: string,
  tokens: string[],
  concurrency: number,
  direct?: (call: Call) => Promise<Outcome>,
  goals?: ScenarioGoals,
): Scenario {
  return {
    name,
    query,
    concurrency,
    request: (w) => ({ query, token: tokens[w % tokens.length]! }),
    ...(direct ? { direct } : {}),
    ...(goals ? { goals } : {}),
  };
}

/** A query whose plan joins two subgraphs: issue 13 holds its p99 to 1.3× the direct calls'. */
const JOIN: ScenarioGoals = { join: true };

async function step<T>(url: string, call: Call): Promise<{ ok: true; data: T } | { ok: false; error?: string }> {
  const outcome = await postGraphQL(url, call);
  if (outcome.ok) return { ok: true, data: outcome.body!.data as T };
  return { ok: false, ...(outcome.error ? { error: outcome.error } : {}) };
}

/** The representations of a batch of entity references, each once (as the gateway sends them). */
const uniqueReps = (typename: string, ids: Array<string | undefined>): Reps =>
  [...new Set(ids.filter((id): id is string => !!id))].map((id) => ({ __typename: typename, id }));
const uniqueUsers = (ids: Array<string | undefined>): Reps => uniqueReps('User', ids);

type Reference = { id: string } & Record<string, unknown>;

/**
 * The entities behind `references` (each asked for once, by id) fetched from `url` and put into
 * those references, as a gateway merges an `_entities` answer; no call when there are none.
 */
async function resolveEntities(
  url: string,
  call: Call,
  typename: string,
  selection: string,
  references: Array<Reference | null | undefined>,
): Promise<Outcome> {
  const present = references.filter((r): r is Reference => !!r);
  const representations = uniqueReps(
    typename,
    present.map((r) => r.id),
  );
  if (!representations.length) return { ok: true };
  const answer = await postGraphQL(url, {
    ...call,
    query: `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`,
    variables: { representations },
  });
  if (!answer.ok) return answer;
  const entities = (answer.body!.data as { _entities: Array<Record<string, unknown> | null> })._entities;
  const byId = new Map(representations.map((r, i) => [r.id, entities[i]]));
  for (const reference of present) {
    const entity = byId.get(reference.id);
    // the key fields were the plan's, not the client's: the answer holds what the client selected
    Reflect.deleteProperty(reference, '__typename');
    Reflect.deleteProperty(reference, 'id');
    Object.assign(reference, entity);
  }
  return { ok: true };
}

const ME = '{ me { id fullName roles } }';
const USERS_50 =
  '{ users(filter: { building: "8" }, size: 50) { total items { id fullName isMinor residence { room } } } }';
const LEAVE_PAGE = `{ leaveApplications(size: 20) { total items { id status leaveAt
  applicant { fullName residence { room } } } } }`;
const LEAVE_PAGE_ROOT =
  '{ leaveApplications(size: 20) { total items { id status leaveAt applicant { __typename id } } } }';
const USER_NAME_ROOM = '... on User { fullName residence { room } }';
const STUDENT_NAME = '... on User { fullName }';
const dutyCalendar = (month: string, residents: string) =>
  `{ dutyCalendar(building: "8", entrance: 1, month: "${month}") { dates rows { roomNumber floor
    room { ${residents} } duties { id date status deadlineAt } } } }`;
const coworkingBoard = (student: string) =>
  `{ coworkingBoard(building: "8") { coworking { name } current { student { ${student} } startsAt endsAt }
    keyHolder { student { ${student} } } keyOutSince keyOutAtNight } }`;
const STUDENT_HOME = `{ me { id fullName roles residence { building entrance room }
  leaveApplications(size: 5) { id status leaveAt returnAt reason submittedAt decidedAt decisionReason version }
  notifications(size: 10) { total items { id key title body data createdAt readAt read } } }
  unreadNotificationCount }`;
const HOME_IDENTITY = '{ me { __typename id fullName roles residence { building entrance room } } }';
const HOME_COUNT = '{ unreadNotificationCount }';
const HOME_LEAVE = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on User { leaveApplications(size: 5) { id status leaveAt returnAt reason submittedAt decidedAt decisionReason version } } } }`;
const HOME_NOTIFICATIONS = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on User { notifications(size: 10) { total items { id key title body data createdAt readAt read } } } } }`;

export function readScenarios(ctx: ReadContext): Scenario[] {
  const { concurrency, staff, students } = ctx;
  const identity = ctx.subgraphUrl('identity');
  const scenarios: Scenario[] = [
    sameQuery('me (identity)', ME, students, concurrency, (call) => postGraphQL(identity, call)),
    sameQuery('staff users(size: 50) (identity)', USERS_50, staff, concurrency, (call) => postGraphQL(identity, call)),
  ];
  if (ctx.leave) {
    const leave = ctx.subgraphUrl('leave');
    scenarios.push(
      sameQuery(
        'staff leaveApplications(size: 20) + applicant name, room (leave → identity)',
        LEAVE_PAGE,
        staff,
        concurrency,
        async (call) => {
          const page = await step<{ leaveApplications: { items: Array<{ applicant: Reference }> } }>(leave, {
            ...call,
            query: LEAVE_PAGE_ROOT,
          });
          if (!page.ok) return page;
          const applicants = page.data.leaveApplications.items.map((a) => a.applicant);
          const merged = await resolveEntities(identity, call, 'User', USER_NAME_ROOM, applicants);
          return merged.ok ? page : merged;
        },
        JOIN,
      ),
    );
  }
  if (ctx.leave && ctx.notification) {
    const leave = ctx.subgraphUrl('leave');
    const notification = ctx.subgraphUrl('notification');
    scenarios.push(
      sameQuery(
        "a student's home: me + leaveApplications + notifications (identity, notification → leave, notification)",
        STUDENT_HOME,
        students,
        concurrency,
        async (call) => {
          const [me, count] = await Promise.all([
            step<{ me: { id: string } }>(identity, { ...call, query: HOME_IDENTITY }),
            postGraphQL(notification, { ...call, query: HOME_COUNT }),
          ]);
          if (!me.ok) return me;
          if (!count.ok) return count;
          const variables = { representations: uniqueUsers([me.data.me.id]) };
          const [applications, notifications] = await Promise.all([
            postGraphQL(leave, { ...call, query: HOME_LEAVE, variables }),
            postGraphQL(notification, { ...call, query: HOME_NOTIFICATIONS, variables }),
          ]);
          return applications.ok ? notifications : applications;
        },
      ),
    );
  }
  scenarios.push(
    sameQuery(
      'campus tree (≈200 residents, DataLoaders) (identity)',
      '{ campus { code entrances { number rooms { number residents { fullName } } } } }',
      staff,
      concurrency,
      (call) => postGraphQL(identity, call),
    ),
  );
  if (ctx.dutyMonth) {
    const month = ctx.dutyMonth;
    scenarios.push(
      sameQuery(
        `duty calendar of an entrance (${month}: every date × every room, + room residents) (duty → identity)`,
        dutyCalendar(month, 'residents { fullName }'),
        staff,
        concurrency,
        // the plan: duty's calendar with each row's Room reference, then one Room batch from identity
        async (call) => {
          type Calendar = { dutyCalendar: { rows: Array<{ room: Reference | null }> } };
          const calendar = await step<Calendar>(ctx.subgraphUrl('duty'), {
            ...call,
            query: dutyCalendar(month, '__typename id'),
          });
          if (!calendar.ok) return calendar;
          const rooms = calendar.data.dutyCalendar.rows.map((row) => row.room);
          const merged = await resolveEntities(identity, call, 'Room', '... on Room { residents { fullName } }', rooms);
          return merged.ok ? calendar : merged;
        },
        JOIN,
      ),
    );
  }
  if (ctx.coworkings) {
    scenarios.push(
      sameQuery(
        'coworking board of building 8 (+ students) (coworking → identity)',
        coworkingBoard('fullName'),
        staff,
        concurrency,
        // the plan: coworking's board, then two User batches from identity at once (current users,
        // key holders), as the query planner splits them
        async (call) => {
          type Board = {
            coworkingBoard: Array<{
              current: { student: Reference | null } | null;
              keyHolder: { student: Reference | null } | null;
            }>;
          };
          const board = await step<Board>(ctx.subgraphUrl('coworking'), {
            ...call,
            query: coworkingBoard('__typename id'),
          });
          if (!board.ok) return board;
          const rows = board.data.coworkingBoard;
          const [current, holders] = await Promise.all([
            resolveEntities(
              identity,
              call,
              'User',
              STUDENT_NAME,
              rows.map((r) => r.current?.student),
            ),
            resolveEntities(
              identity,
              call,
              'User',
              STUDENT_NAME,
              rows.map((r) => r.keyHolder?.student),
            ),
          ]);
          return !current.ok ? current : !holders.ok ? holders : board;
        },
        JOIN,
      ),
      sameQuery(
        'coworkings free in a window (+ busy slots), as students (coworking)',
        FREE_COWORKINGS,
        students,
        concurrency,
        (call) => postGraphQL(ctx.subgraphUrl('coworking'), call),
      ),
    );
  }
  return scenarios;
}
