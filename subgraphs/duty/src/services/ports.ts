/**
 * The ports the services depend on. Adapters implement them: repository/ (PostgreSQL through
 * Prisma), clients/ (identity over gRPC), adapters/ (anything else); tests substitute in-memory
 * fakes. One section per topic.
 */
import type { CloudEvent, EntranceRef, Page, PageRequest } from '@campus/platform';
import type {
  DutyMoments,
  DutyReport,
  DutySchedule,
  DutyStatus,
  DutySwap,
  LocalDate,
  Month,
  ReportPhoto,
  Resident,
  RoomRef,
  Roster,
  Sanction,
  SanctionStatus,
  SwapStatus,
} from '../domain/records';
import type { ReminderKind, SanctionDraft } from '../domain/deadline';
import type { ScopedSanctionFilter } from '../domain/sanctions';

// ── Rooms and residents (identity over gRPC) ─────────────────────────────────────────────────

export interface OccupiedRoom extends RoomRef {
  residents: Resident[];
}

/**
 * Rooms and who lives in them, as identity knows them now. Failures are DUTY_DEPENDENCY_UNAVAILABLE.
 */
export interface RoomDirectory {
  /** The entrance's rooms with at least one active student, by floor and number. */
  occupiedRooms(entrance: EntranceRef): Promise<OccupiedRoom[]>;
  /** Active residents of these rooms, by roomId (a room without any maps to []). */
  residentsOf(rooms: readonly RoomRef[]): Promise<Map<string, Resident[]>>;
  /** The room each user lives in (null: not a resident, inactive or unknown), by user id. */
  roomsOf(userIds: readonly string[]): Promise<Map<string, RoomRef | null>>;
}

// ── Swaps ────────────────────────────────────────────────────────────────────────────────────

/** A swap as stored: `version` increments with every step (optimistic concurrency). */
export type StoredSwap = DutySwap & { version: number };

/** Which swaps a list shows (every field narrows; `rooms`/`entrances` are what the caller may see). */
export interface SwapListQuery {
  status?: SwapStatus;
  building?: string;
  entrance?: number;
  /** Only swaps of these entrances (an educator_head's assigned ones). */
  entrances?: readonly EntranceRef[];
  /** Only swaps asked by or of these rooms (a student's own room). */
  roomIds?: readonly string[];
}

/** A schedule's new state, written only if it still has `expectedVersion` and is pending. */
export interface ScheduleRedating {
  schedule: DutySchedule;
  expectedVersion: number;
}

export type SwapWriteOutcome = 'ok' | 'conflict';

/**
 * Swap requests and the schedules they exchange, in campus_duty. Every write is one transaction
 * with its outbox events.
 */
export interface SwapStore {
  findSwap(id: string): Promise<StoredSwap | null>;
  /** Swaps involving any of these schedules (as asking or asked duty), newest first. */
  swapsOfSchedules(scheduleIds: readonly string[]): Promise<StoredSwap[]>;
  listSwaps(query: SwapListQuery, page: PageRequest): Promise<Page<StoredSwap>>;
  schedulesByIds(ids: readonly string[]): Promise<DutySchedule[]>;
  /** The room's duty on `date`, if any. */
  scheduleOfRoomOn(roomId: string, date: LocalDate): Promise<DutySchedule | null>;
  /** Ids of the rooms with this building, entrance and number among the schedules (a token's "my room"). */
  roomIdsOf(room: Pick<RoomRef, 'building' | 'entrance' | 'number'>): Promise<string[]>;
  /**
   * Inserts a new swap unless one of its duties already has an open swap (then that swap's id):
   * requests on one duty are serialised, so two racing requests cannot both open.
   */
  insertSwap(swap: DutySwap, events: readonly CloudEvent[]): Promise<{ openSwapId: string } | null>;
  /** Writes a step if the swap still has `expectedVersion` (else 'conflict': somebody was first). */
  updateSwap(swap: DutySwap, expectedVersion: number, events: readonly CloudEvent[]): Promise<SwapWriteOutcome>;
  /**
   * Approval: the swap's step and both schedules' new dates together, or nothing ('conflict' when
   * the swap or a schedule changed meanwhile; 'date_taken' when a room got a duty on its new date).
   */
  approveSwap(
    swap: DutySwap,
    expectedVersion: number,
    schedules: readonly ScheduleRedating[],
    events: readonly CloudEvent[],
  ): Promise<SwapWriteOutcome | 'date_taken'>;
}

// ── Rosters and schedules ────────────────────────────────────────────────────────────────────

/** A duty's new date, written only if the schedule still has `expectedVersion` and is pending. */
export interface DutyMove {
  scheduleId: string;
  expectedVersion: number;
  dutyDate: LocalDate;
  moments: DutyMoments;
  /** The reminder marks after the move (null: the reminder is sent again for the new date). */
  eveningRemindedAt: Date | null;
  morningRemindedAt: Date | null;
  at: Date;
}

export type DutyMoveOutcome = { moved: DutySchedule } | 'conflict' | 'date_taken';

/** Rosters in campus_duty; a roster is written with its schedules and events in one transaction. */
export interface RosterStore {
  findRoster(building: string, entrance: number, month: Month): Promise<Roster | null>;
  rostersByIds(ids: readonly string[]): Promise<Roster[]>;
  /** Each room's latest duty date before `before` (rooms that never had one are absent). */
  lastDutyDates(roomIds: readonly string[], before: LocalDate): Promise<Map<string, LocalDate>>;
  /** 'duplicate': the entrance got a roster for the month meanwhile (a unique violation). */
  createRoster(
    roster: Roster,
    schedules: readonly DutySchedule[],
    events: readonly CloudEvent[],
  ): Promise<'created' | 'duplicate'>;
}

/** Duty schedules in campus_duty, read by id, roster, entrance month or room. */
export interface ScheduleStore {
  schedulesByIds(ids: readonly string[]): Promise<DutySchedule[]>;
  /** The schedules of these rosters, by date. */
  schedulesOfRosters(rosterIds: readonly string[]): Promise<DutySchedule[]>;
  /** An entrance's month in one query (the staff calendar), by date. */
  entranceMonth(building: string, entrance: number, month: Month): Promise<DutySchedule[]>;
  /** These rooms' duties from `from` to `to` (inclusive), by date. */
  schedulesOfRooms(roomIds: readonly string[], from: LocalDate, to: LocalDate): Promise<DutySchedule[]>;
  /** Writes a move with its events ('conflict': the version moved on; 'date_taken': the room has that date). */
  moveSchedule(move: DutyMove, events: readonly CloudEvent[]): Promise<DutyMoveOutcome>;
}

// ── Deadlines, reminders and sanctions (D2) ──────────────────────────────────────────────────

/**
 * Marking one duty overdue: written only if the duty is still pending with its deadline passed
 * at `at`, together with its sanctions (one per resident; an existing (schedule, user) pair is
 * kept) and the events, in one transaction.
 */
export interface OverdueClaim {
  scheduleId: string;
  at: Date;
  sanctions: readonly SanctionDraft[];
  /** The events, given the duty as written and the sanctions actually inserted. */
  events(schedule: DutySchedule, created: readonly SanctionDraft[]): CloudEvent[];
}

/** Marking one reminder sent: written only if it is still due at `at` and unsent, with its event. */
export interface ReminderClaim {
  scheduleId: string;
  kind: ReminderKind;
  at: Date;
  events(schedule: DutySchedule): CloudEvent[];
}

/** The duty-sweep's view of campus_duty. Candidates are hints; only a claim decides. */
export interface DeadlineStore {
  /** Pending duties whose deadline is at or before `now`, oldest deadline first. */
  overdueCandidates(now: Date, limit: number): Promise<DutySchedule[]>;
  /** Pending duties with a reminder due at `now` and not yet sent (domain/deadline.ts dueReminder). */
  reminderCandidates(now: Date, limit: number): Promise<DutySchedule[]>;
  /** The duty as marked overdue, or null when it no longer qualifies (another run or a report was first). */
  claimOverdue(claim: OverdueClaim): Promise<DutySchedule | null>;
  /** The duty as marked reminded, or null when the reminder was sent already or is no longer due. */
  claimReminder(claim: ReminderClaim): Promise<DutySchedule | null>;
}

/** Which sanctions a list shows (every field narrows; `entrances`: only these, an educator_head's). */
export type SanctionListQuery = ScopedSanctionFilter;

export interface SanctionResolution {
  sanctionId: string;
  resolvedBy: string;
  note: string;
  at: Date;
  events(sanction: Sanction): CloudEvent[];
}

/** Sanctions in campus_duty. */
export interface SanctionStore {
  findSanction(id: string): Promise<Sanction | null>;
  sanctionsByIds(ids: readonly string[]): Promise<Sanction[]>;
  /** Newest first (created_at, then id). */
  listSanctions(query: SanctionListQuery, page: PageRequest): Promise<Page<Sanction>>;
  /** The sanctions of these duties, newest first. */
  sanctionsOfSchedules(scheduleIds: readonly string[]): Promise<Sanction[]>;
  /** The sanctions of these users (optionally of one status), newest first. */
  sanctionsOfUsers(userIds: readonly string[], status?: SanctionStatus): Promise<Sanction[]>;
  /** Resolves an open sanction with its event; null when it was resolved meanwhile. */
  resolveSanction(resolution: SanctionResolution): Promise<Sanction | null>;
}

// ── The check-out saga's duty step ───────────────────────────────────────────────────────────

/** Closing a leaving student's open sanctions for a check-out (domain spec §9). */
export interface CheckoutClose {
  userId: string;
  checkoutId: string;
  note: string;
  at: Date;
  /** The events of one sanction as the check-out resolved it. */
  events(sanction: Sanction): CloudEvent[];
}

/** Undoing a check-out's close: its sanctions still resolved by it are open again. */
export interface CheckoutReopen {
  checkoutId: string;
  at: Date;
  /** The events of one sanction as reopened. */
  events(sanction: Sanction): CloudEvent[];
}

/**
 * The check-out's footprint in campus_duty, one record per check-out id: each call is one
 * transaction with its events, serialized per check-out, and a repeat answers what the first call
 * did without changing anything. Ids are sorted.
 */
export interface CheckoutSanctionStore {
  /** The sanctions the check-out resolved; [] when its reopen came first (a tombstone). */
  close(close: CheckoutClose): Promise<string[]>;
  /** The sanctions opened again; [] for a check-out that closed nothing (a tombstone is recorded then). */
  reopen(reopen: CheckoutReopen): Promise<string[]>;
}

// ── Reports, photos and the calendar feed (D4) ───────────────────────────────────────────────

/** Where photo bytes live (platform LocalFileStorage or S3FileStorage); served only via signed links. */
export type { FileStorage as PhotoStorage } from '@campus/platform';

/** A report's change as a command decides it under the schedule's lock (see ReportStore.change). */
export interface ReportChange {
  report: Pick<
    DutyReport,
    'id' | 'status' | 'submittedBy' | 'submittedAt' | 'reviewedBy' | 'reviewedAt' | 'rejectionReason'
  >;
  /** The duty's status after the change (its version increments). */
  scheduleStatus: DutyStatus;
  /** The duty's deadline and reminder marks after the change, when it moves them (a late rejection). */
  scheduleTimes?: Pick<DutySchedule, 'deadlineAt' | 'eveningRemindedAt' | 'morningRemindedAt'>;
  events: CloudEvent[];
}

/** A new photo, added to the duty's open draft (or to `newReportId`, created as the draft, if none). */
export interface PhotoAddition {
  photo: Omit<ReportPhoto, 'reportId'>;
  newReportId: string;
}

/** The submitted reports staff review: oldest submission first. */
export interface ReportReviewQuery {
  building?: string;
  entrance?: number;
  /** Only these entrances (an educator_head's assigned ones, a student_head's own). */
  entrances?: readonly EntranceRef[];
  /** Duty dates from/to (inclusive). */
  from?: LocalDate;
  to?: LocalDate;
}

/**
 * Reports and photos in campus_duty. Every command runs in one transaction holding the duty's row
 * lock: `check` sees the duty and its reports as they are then (a concurrent command waits), and
 * throws to refuse; the duty's status and version change with the report, with the events.
 */
export interface ReportStore {
  schedule(id: string): Promise<DutySchedule | null>;
  /** Each duty's reports, oldest first, with their photos (oldest first). */
  reportsOfSchedules(scheduleIds: readonly string[]): Promise<DutyReport[]>;
  /** One photo and the duty it belongs to (for downloads). */
  photo(photoId: string): Promise<{ photo: ReportPhoto; scheduleId: string } | null>;
  addPhoto(
    scheduleId: string,
    addition: PhotoAddition,
    check: (schedule: DutySchedule, reports: readonly DutyReport[]) => void,
  ): Promise<DutyReport>;
  /** Removes a photo of the open draft; `check` returns the photo to remove (or throws). */
  removePhoto(
    scheduleId: string,
    check: (schedule: DutySchedule, reports: readonly DutyReport[]) => ReportPhoto,
  ): Promise<{ report: DutyReport; removed: ReportPhoto }>;
  change(
    scheduleId: string,
    decide: (schedule: DutySchedule, reports: readonly DutyReport[]) => ReportChange,
  ): Promise<{ schedule: DutySchedule; report: DutyReport }>;
  submittedReports(query: ReportReviewQuery, page: PageRequest): Promise<Page<DutyReport>>;
}

/** The live feed token of each room (its SHA-256) and what a feed shows. */
export interface CalendarFeedStore {
  /** The room as its latest duty recorded it (null: the room never had a duty). */
  roomOf(roomId: string): Promise<RoomRef | null>;
  /** Stores the room's new token hash, replacing the previous one. */
  replaceFeed(feed: { roomId: string; tokenHash: string; createdBy: string; createdAt: Date }): Promise<void>;
  /** The room whose live token has this hash. */
  roomOfToken(tokenHash: string): Promise<string | null>;
  /** The room's duties from `from` on, by date. */
  dutiesOfRoom(roomId: string, from: LocalDate): Promise<DutySchedule[]>;
}
