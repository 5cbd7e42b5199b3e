// A room's duty calendar as a secret iCal feed URL: created by a resident of the room or staff,
// one live token per room (a new one replaces the old), read by phone calendars without a login.
import {
  actsOnEntrance,
  forbidden,
  hasRole,
  requireAuth,
  secureToken,
  sha256Hex,
  type AuthContext,
  type Clock,
} from '@campus/platform';
import { roomCalendar } from '../domain/calendar-feed';
import { addDays, campusToday } from '../domain/duty-times';
import { DutyErrors } from '../domain/errors';
import { FEED_SCOPE, livesIn } from '../domain/policy';
import type { CalendarFeedStore } from './ports';

/** Where feed URLs point (the router proxies it here): `<publicBaseUrl>/calendars/duty/<token>.ics`. */
export const CALENDAR_PATH = '/calendars/duty';

/** How far back a feed shows duties (older ones have dropped out of anybody's interest). */
export const FEED_HISTORY_DAYS = 90;

export interface CreatedFeed {
  roomId: string;
  url: string;
  createdAt: Date;
}

export interface DutyCalendarFeedsDeps {
  store: CalendarFeedStore;
  clock: Clock;
  timeZone: string;
  publicBaseUrl: string;
}

export class DutyCalendarFeeds {
  constructor(private readonly deps: DutyCalendarFeedsDeps) {}

  /** A new secret feed URL for the room (the previous one stops working): its residents and FEED_SCOPE staff. */
  async create(auth: AuthContext | null | undefined, roomId: string): Promise<CreatedFeed> {
    const caller = requireAuth(auth);
    const room = await this.deps.store.roomOf(roomId);
    // Unknown and foreign rooms look alike to whoever may not read them.
    if (!room || !(livesIn(caller, room) || actsOnEntrance(caller, room, FEED_SCOPE))) {
      if (!room && hasRole(caller, ...(FEED_SCOPE.campusWide ?? []))) {
        throw DutyErrors.error('UNKNOWN_ROOM', 'No duty was ever planned for this room', { roomId });
      }
      throw forbidden("Only the room's residents and the entrance's staff create its calendar feed", {
        rule: 'room_reader',
        roomId,
      });
    }
    const token = secureToken();
    const createdAt = this.deps.clock.now();
    await this.deps.store.replaceFeed({ roomId, tokenHash: sha256Hex(token), createdBy: caller.userId, createdAt });
    return { roomId, url: `${this.deps.publicBaseUrl.replace(/\/$/, '')}${CALENDAR_PATH}/${token}.ics`, createdAt };
  }

  /** The feed of a live token (text/calendar), or DUTY_CALENDAR_LINK_INVALID for an unknown or replaced one. */
  async feed(token: string): Promise<string> {
    const roomId = /^[A-Za-z0-9_-]{16,128}$/.test(token) ? await this.deps.store.roomOfToken(sha256Hex(token)) : null;
    const room = roomId ? await this.deps.store.roomOf(roomId) : null;
    if (!roomId || !room) {
      throw DutyErrors.error('CALENDAR_LINK_INVALID', 'The calendar link is not valid (it may have been replaced)');
    }
    const from = addDays(campusToday(this.deps.clock.now(), this.deps.timeZone), -FEED_HISTORY_DAYS);
    const duties = await this.deps.store.dutiesOfRoom(roomId, from);
    return roomCalendar(room, duties, 'duty.campus-sirius', this.deps.timeZone);
  }
}
