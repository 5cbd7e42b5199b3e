import {
  actsOnEntrance,
  forbidden,
  requireAuth,
  type AuthContext,
  type Clock,
  type Page,
  type PageRequest,
} from '@campus/platform';
import { DutyErrors } from '../domain/errors';
import { SANCTION_READ_SCOPE, SANCTION_SCOPE, requireScope } from '../domain/policy';
import type { DutySchedule, Sanction, SanctionStatus } from '../domain/records';
import {
  checkResolution,
  isSanctionReader,
  sanctionResolvedError,
  sanctionVisibility,
  scopeSanctionFilter,
  type SanctionFilter,
} from '../domain/sanctions';
import { sanctionResolved } from '../events/duty-events';
import type { SanctionStore } from './ports';

export interface DutySanctionsOptions {
  store: SanctionStore;
  clock: Clock;
}

/**
 * Sanctions (domain spec §6): created by the deadline sweep, listed by staff, resolved by an
 * educator (an educator_head for assigned entrances) with a note. The batch methods (for
 * DataLoaders) do no authorization themselves: the resolvers call the `may…`/`assert…` checks
 * for each parent first.
 */
export class DutySanctions {
  constructor(private readonly options: DutySanctionsOptions) {}

  async resolve(auth: AuthContext | null, input: { sanctionId: string; note: string }): Promise<Sanction> {
    const caller = requireAuth(auth);
    const sanction = await this.options.store.findSanction(input.sanctionId);
    if (!sanction) {
      throw DutyErrors.error('SANCTION_NOT_FOUND', 'No sanction has this id', { sanctionId: input.sanctionId });
    }
    requireScope(caller, sanction.room, SANCTION_SCOPE, 'sanction_resolve', { sanctionId: input.sanctionId });
    const note = checkResolution(sanction, input.note);
    const at = this.options.clock.now();
    const resolved = await this.options.store.resolveSanction({
      sanctionId: sanction.id,
      resolvedBy: caller.userId,
      note,
      at,
      events: (s) => [
        sanctionResolved(
          {
            sanctionId: s.id,
            scheduleId: s.scheduleId,
            userId: s.userId,
            roomNumber: s.room.number,
            dutyDate: s.dutyDate,
            resolvedBy: caller.userId,
            note,
            checkoutId: null,
          },
          at,
        ),
      ],
    });
    // Another educator resolved it between our read and our write.
    if (!resolved) throw sanctionResolvedError(sanction.id);
    return resolved;
  }

  /** `dutySanctions`: staff only, an educator_head within assigned entrances; open ones unless a status is given. */
  async list(auth: AuthContext | null, filter: SanctionFilter, page: PageRequest): Promise<Page<Sanction>> {
    const caller = requireAuth(auth);
    const scoped = scopeSanctionFilter(caller, { ...filter, status: filter.status ?? 'open' });
    return this.options.store.listSanctions(scoped, page);
  }

  /** `User.sanctions`: the user themself or a sanction reader (FORBIDDEN for anybody else). */
  assertMayListOfUser(auth: AuthContext | null, userId: string): void {
    const caller = requireAuth(auth);
    if (caller.userId !== userId && !isSanctionReader(caller)) {
      throw forbidden("Only the user themself and staff see a user's sanctions", { rule: 'own_or_staff', userId });
    }
  }

  /** Of a user's sanctions, those the caller may see: all for themself or campus-wide staff, else assigned entrances. */
  visibleOfUser(auth: AuthContext | null, userId: string, sanctions: readonly Sanction[]): Sanction[] {
    const caller = requireAuth(auth);
    if (caller.userId === userId) return [...sanctions];
    const visibility = sanctionVisibility(caller);
    if (visibility.all) return [...sanctions];
    return sanctions.filter((s) => actsOnEntrance(caller, s.room, SANCTION_READ_SCOPE));
  }

  /** `DutySchedule.sanctions` is for staff of the duty's entrance; anybody else sees an empty list. */
  maySeeSanctionsOf(auth: AuthContext | null, schedule: Pick<DutySchedule, 'room'>): boolean {
    return actsOnEntrance(auth, schedule.room, SANCTION_READ_SCOPE);
  }

  sanctionsOfSchedules(scheduleIds: readonly string[]): Promise<Sanction[]> {
    return this.options.store.sanctionsOfSchedules(scheduleIds);
  }

  sanctionsOfUsers(userIds: readonly string[], status?: SanctionStatus): Promise<Sanction[]> {
    return this.options.store.sanctionsOfUsers(userIds, status);
  }
}
