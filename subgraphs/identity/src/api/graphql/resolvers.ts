// GraphQL transport: parse arguments (schemas/), call a service, shape the result. No rules here.
import {
  fieldsSelectedUnder,
  parseInput,
  requireAuth,
  selectsField,
  type Resolvers,
  type Role,
} from '@campus/platform';
import type { GraphQLResolveInfo } from 'graphql';
import { canSeeResidents } from '../../domain/access';
import type { RoomRecord } from '../../domain/campus';
import { userNotFound } from '../../domain/errors';
import type { Session } from '../../domain/sessions';
import { isoDate } from '../../domain/time';
import { canReadUserField, type ProtectedUserField } from '../../domain/user-fields';
import { fullNameOf, isWholeUser, type UserDetail, type UserRecord, type UserSummary } from '../../domain/users';
import { changePasswordArgsSchema, loginArgsSchema, refreshTokenArgsSchema } from '../../schemas/auth';
import { addRoomsInputSchema } from '../../schemas/campus';
import {
  assignRolesArgsSchema,
  createUserInputSchema,
  listUsersArgsSchema,
  updateUserInputSchema,
  exportUsersCsvArgsSchema,
  userIdArgsSchema,
} from '../../schemas/users';
import type { EntranceView } from '../../services/campus.service';
import type { IdentityContext } from './context';

type Ctx = IdentityContext;
type Args = Record<string, unknown>;

/** GraphQL enum value → the role code used everywhere else. */
const ROLE_VALUES: Record<string, Role> = {
  STUDENT: 'student',
  STUDENT_PATROL: 'student_patrol',
  STUDENT_HEAD: 'student_head',
  EDUCATOR: 'educator',
  EDUCATOR_HEAD: 'educator_head',
  ADMIN: 'admin',
};

const optionalDate = (date: Date | null): string | null => (date ? isoDate(date) : null);

/** A User as resolvers get it: whole, or a summary (a users page of names and rooms, residents). */
type UserView = UserSummary | UserRecord;
type UserFieldRead<T> = (user: UserView, ctx: Ctx) => T | Promise<T>;

/** A field only a whole record has: a summary's record is loaded for it, one batched read per request. */
const whole =
  <T>(read: (user: UserRecord) => T): UserFieldRead<T> =>
  (user, ctx) =>
    isWholeUser(user)
      ? read(user)
      : ctx.loaders.user.load(user.id).then((record) => {
          if (!record) throw userNotFound(user.id);
          return read(record);
        });

const field =
  <T>(read: UserFieldRead<T>) =>
  (user: UserView, _: Args, ctx: Ctx) =>
    read(user, ctx);

/** A User field resolver that answers null to a caller the field policy refuses. */
const guarded =
  <T>(name: ProtectedUserField, read: UserFieldRead<T>) =>
  (user: UserView, _: Args, ctx: Ctx): T | Promise<T> | null =>
    canReadUserField(ctx.auth, user, name, ctx.signedIn.has(user.id)) ? read(user, ctx) : null;

/** User fields a UserSummary answers by itself. */
const SUMMARY_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'firstName',
  'lastName',
  'patronymic',
  'fullName',
  'residence',
  'isMinor',
  'isActive',
]);

/** A page whose items ask nothing beyond a summary reads summaries (half the PostgreSQL time for 100). */
const detailOfPage = (info: GraphQLResolveInfo): UserDetail =>
  [...fieldsSelectedUnder(info, 'items')].every((name) => SUMMARY_FIELDS.has(name)) ? 'summary' : 'full';

/** The payload of a login shows the user their own profile, although the request had no token. */
async function signedIn(ctx: Ctx, session: Promise<Session>): Promise<Session> {
  const result = await session;
  ctx.signedIn.add(result.user.id);
  return result;
}

export const resolvers: Resolvers<Ctx> = {
  Role: ROLE_VALUES,

  Query: {
    me: (_: unknown, __: Args, ctx: Ctx) => ctx.services.users.me(ctx.auth),
    user: (_: unknown, args: unknown, ctx: Ctx) =>
      ctx.services.users.getUser(ctx.auth, parseInput(userIdArgsSchema, args).id),
    users: (_: unknown, args: Args, ctx: Ctx, info: GraphQLResolveInfo) =>
      ctx.services.users.list(ctx.auth, parseInput(listUsersArgsSchema, args), detailOfPage(info)),
    campus: (_: unknown, args: { building?: string | null }, ctx: Ctx) =>
      ctx.services.campus.tree(ctx.auth, args.building),
    exportUsersCsv: (_: unknown, args: Args, ctx: Ctx) => {
      const { filter, separator } = parseInput(exportUsersCsvArgsSchema, args);
      return ctx.services.users.exportCsv(ctx.auth, filter, separator);
    },
  },

  Mutation: {
    login: (_: unknown, args: Args, ctx: Ctx) =>
      signedIn(ctx, ctx.services.auth.login({ ...parseInput(loginArgsSchema, args), client: ctx.client })),
    refreshSession: (_: unknown, args: Args, ctx: Ctx) =>
      signedIn(ctx, ctx.services.auth.refresh(parseInput(refreshTokenArgsSchema, args).refreshToken)),
    logout: (_: unknown, args: Args, ctx: Ctx) =>
      ctx.services.auth.logout(parseInput(refreshTokenArgsSchema, args).refreshToken),
    logoutEverywhere: (_: unknown, __: Args, ctx: Ctx) => ctx.services.auth.logoutEverywhere(ctx.auth),
    createUser: (_: unknown, args: Args, ctx: Ctx) =>
      ctx.services.users.create(ctx.auth, parseInput(createUserInputSchema, args.input)),
    updateUser: (_: unknown, args: { id: string; input: unknown }, ctx: Ctx) =>
      ctx.services.users.update(ctx.auth, args.id, parseInput(updateUserInputSchema, args.input)),
    assignRoles: (_: unknown, args: Args, ctx: Ctx) =>
      ctx.services.users.assignRoles(ctx.auth, parseInput(assignRolesArgsSchema, args)),
    deactivateUser: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.services.users.deactivate(ctx.auth, args.id),
    importStudents: (_: unknown, args: { csv: string }, ctx: Ctx) =>
      ctx.services.imports.importStudents(ctx.auth, args.csv),
    addRooms: async (_: unknown, args: Args, ctx: Ctx) => {
      const entrance = await ctx.services.campus.addRooms(ctx.auth, parseInput(addRoomsInputSchema, args.input));
      // The request's loader may hold this entrance's rooms from before (an earlier field of the document).
      ctx.loaders.roomsOfEntrance.clear({ building: entrance.building, entrance: entrance.number });
      return entrance;
    },
    rotateSigningKey: (_: unknown, __: Args, ctx: Ctx) => ctx.services.keys.rotate(ctx.auth),
    changePassword: (_: unknown, args: Args, ctx: Ctx) =>
      ctx.services.auth.changePassword(ctx.auth, parseInput(changePasswordArgsSchema, args), ctx.client),
  },

  User: {
    // Reached from other subgraphs' data the caller was already allowed to see; protected fields
    // are still decided per field below (domain/user-fields.ts), whichever path led here.
    __resolveReference: (ref: { id: string }, ctx: Ctx) => {
      requireAuth(ctx.auth);
      return ctx.loaders.user.load(ref.id);
    },
    fullName: (user: UserView) => fullNameOf(user),
    email: guarded(
      'email',
      whole((user) => user.email),
    ),
    phone: guarded(
      'phone',
      whole((user) => user.phone),
    ),
    isMinor: guarded('isMinor', (user) => user.isMinor),
    isActive: guarded('isActive', (user) => user.isActive),
    checkInDate: guarded(
      'checkInDate',
      whole((user) => optionalDate(user.checkInDate)),
    ),
    checkOutDate: guarded(
      'checkOutDate',
      whole((user) => optionalDate(user.checkOutDate)),
    ),
    parentContact: guarded(
      'parentContact',
      whole((user) => user.parentContact),
    ),
    roles: field(whole((user) => user.roles)),
    assignedEntrances: field(whole((user) => user.assignedEntrances)),
    createdAt: field(whole((user) => user.createdAt.toISOString())),
  },

  Room: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => {
      requireAuth(ctx.auth);
      return ctx.loaders.room.load(ref.id);
    },
    // Non-null, and rooms come from other subgraphs' data (a duty swap names the other room): a
    // FORBIDDEN here would null the room's parents up to the answer's root. None, as User fields answer null.
    residents: (room: RoomRecord, _: Args, ctx: Ctx) => {
      if (!canSeeResidents(ctx.auth, room)) return [];
      return ctx.loaders.residentsOfRoom.get(room.id) ?? ctx.loaders.residents.load(room.id);
    },
  },

  Entrance: {
    // A tree that asks for residents reads them with the rooms, both by entrance and at once: one
    // statement for every resident of the level instead of one after the rooms, and Room.residents
    // then answers each room without a promise (~120 rooms a building).
    rooms: async (entrance: EntranceView, _: Args, ctx: Ctx, info: GraphQLResolveInfo) => {
      const ref = { building: entrance.building, entrance: entrance.number };
      const [rooms, residents] = await Promise.all([
        ctx.loaders.roomsOfEntrance.load(ref),
        selectsField(info, 'residents') ? ctx.loaders.residentsOfEntrance.load(ref) : undefined,
      ]);
      if (residents) {
        for (const room of rooms) ctx.loaders.residentsOfRoom.set(room.id, []);
        for (const user of residents) {
          if (user.residence) ctx.loaders.residentsOfRoom.get(user.residence.roomId)?.push(user);
        }
      }
      return rooms;
    },
  },

  AuthPayload: {
    expiresAt: (session: Session) => session.accessExpiresAt.toISOString(),
    refreshExpiresAt: (session: Session) => session.refreshExpiresAt.toISOString(),
  },
};
