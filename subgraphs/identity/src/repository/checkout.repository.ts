import { NOTHING_RESTORED, NOTHING_VACATED, type VacateResult } from '../domain/checkout';
import type { ResidenceRecord, UserRecord } from '../domain/users';
import type { CheckoutStore, RestoreOutcome, VacateOutcome } from '../services/ports';
import type { Prisma, PrismaClient } from './database';
import { toUserRecord, userInclude } from './user.mapper';

type Tx = Prisma.TransactionClient;
type RoomRow = Prisma.RoomGetPayload<object>;
type HoldRow = Prisma.CheckoutHoldGetPayload<{ include: { room: true } }>;

/** Serializes the calls of one check-out (a saga retrying while its first call still runs). */
async function lockCheckout(tx: Tx, checkoutId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`identity-checkout:${checkoutId}`}, 0))`;
}

const residenceOf = (room: RoomRow | null): ResidenceRecord | null =>
  room
    ? { roomId: room.id, building: room.buildingCode, entrance: room.entrance, floor: room.floor, room: room.number }
    : null;

/** A place was held only when the student occupied one: active, in a room. */
const heldAPlace = (hold: HoldRow): boolean => hold.roomId !== null && hold.previousIsActive === true;

const vacateResultOf = (hold: HoldRow): VacateResult =>
  hold.userId === null
    ? NOTHING_VACATED
    : { userId: hold.userId, previousResidence: residenceOf(hold.room), sessionsRevoked: hold.sessionsRevoked };

const findHold = (tx: Tx, checkoutId: string): Promise<HoldRow | null> =>
  tx.checkoutHold.findUnique({ where: { checkoutId }, include: { room: true } });

/** The check-out saga's footprint in campus_identity: checkout_holds, idempotent by checkout id. */
export class PrismaCheckoutHolds implements CheckoutStore {
  constructor(private readonly db: PrismaClient) {}

  vacate(input: {
    userId: string;
    checkoutId: string;
    checkOutDate: Date;
    at: Date;
    eligible: (user: UserRecord) => boolean;
  }): Promise<VacateOutcome> {
    const { userId, checkoutId, checkOutDate, at } = input;
    return this.db.$transaction(async (tx): Promise<VacateOutcome> => {
      await lockCheckout(tx, checkoutId);
      const earlier = await findHold(tx, checkoutId);
      if (earlier) return { kind: 'vacated', result: vacateResultOf(earlier) };

      // The user's row stays locked to the end, so an edit or another check-out of them waits.
      const locked = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { kind: 'not_found' };
      const row = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: userInclude });
      const user = toUserRecord(row);
      if (!input.eligible(user)) return { kind: 'not_eligible', user };

      const { count: sessionsRevoked } = await tx.refreshToken.updateMany({
        where: { userId, revokedAt: null },
        data: { revokedAt: at },
      });
      await tx.user.update({ where: { id: userId }, data: { isActive: false, checkOutDate, roomId: null } });
      await tx.checkoutHold.create({
        data: {
          checkoutId,
          userId,
          roomId: row.roomId,
          previousIsActive: row.isActive,
          previousCheckOutDate: row.checkOutDate,
          sessionsRevoked,
          status: 'held',
          createdAt: at,
        },
      });
      return { kind: 'vacated', result: { userId, previousResidence: user.residence, sessionsRevoked } };
    });
  }

  restore(input: { checkoutId: string; at: Date }): Promise<RestoreOutcome> {
    const { checkoutId, at } = input;
    return this.db.$transaction(async (tx): Promise<RestoreOutcome> => {
      await lockCheckout(tx, checkoutId);
      const hold = await findHold(tx, checkoutId);
      if (!hold) {
        // The tombstone: a vacate arriving after this undo (its call had timed out) does nothing.
        await tx.checkoutHold.create({ data: { checkoutId, status: 'restored', createdAt: at, restoredAt: at } });
        return { kind: 'restored', result: NOTHING_RESTORED };
      }
      if (hold.userId === null) return { kind: 'restored', result: NOTHING_RESTORED };
      if (hold.status === 'finished') return { kind: 'finished' };
      if (hold.status === 'held') {
        // The place was held (counted as occupied), so the room has it: no capacity check needed.
        await tx.user.update({
          where: { id: hold.userId },
          data: {
            isActive: hold.previousIsActive === true,
            checkOutDate: hold.previousCheckOutDate,
            roomId: hold.roomId,
          },
        });
        await tx.checkoutHold.update({ where: { checkoutId }, data: { status: 'restored', restoredAt: at } });
      }
      return { kind: 'restored', result: { userId: hold.userId, residence: residenceOf(hold.room) } };
    });
  }

  finish(input: { checkoutId: string; at: Date }): Promise<boolean> {
    const { checkoutId, at } = input;
    return this.db.$transaction(async (tx) => {
      await lockCheckout(tx, checkoutId);
      const hold = await findHold(tx, checkoutId);
      if (hold?.status !== 'held') return false;
      await tx.checkoutHold.update({ where: { checkoutId }, data: { status: 'finished', finishedAt: at } });
      return heldAPlace(hold);
    });
  }
}
