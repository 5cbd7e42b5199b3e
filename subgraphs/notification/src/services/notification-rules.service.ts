// The one table that turns a campus event into notifications: event type → who is told → what they
// read. Adding an event (duty, coworking…) means adding a row here and "notification" to its
// contract's x-consumers (producers declare this service's queue from the contracts; a unit test
// holds the two equal), binding nothing by hand: the consumer's queue bindings are this table's
// keys, and each row's data type is the one @campus/contracts generates for its event type.
//
// A row is one rule, or several audiences when the people an event concerns read different things
// (a failed check-out: the student is asked for the key, the staff member is told what failed).
// An audience's recipients may come in groups that each read their own letter (a roster: every
// room its dates): `recipients` returns RecipientGroups, and `render` is called once per group.
//
// Who counts as "the educators of an entrance": every user with an educator role who is either
// campus-wide (no assigned entrances) or assigned to that entrance (domain/staff.ts). The night duty
// administrator (admin) is campus-wide. A student_head is the head of the entrance they live in.
// Where an event asks people to act (review a duty report, approve a swap), its recipients are
// exactly those the producer lets act: the producer's scope rule, copied here (reachesEntrance).
// Nobody is notified about their own action (a roster is the one exception: see its row).
import type {
  CampusEventType,
  CheckoutStudentCheckOutFailedV1,
  CoworkingBookingExpiredV1,
  CoworkingBookingRequestedV1,
  DutyRosterGeneratedV1,
  DutySwapRequestedV1,
  EventDataByType,
  PatrolAbsentee,
} from '@campus/contracts';
import type { EntranceRef, EntranceScopeRule, Role } from '@campus/platform';
import type { MessageContext, RenderedMessage } from '../domain/notification';
import {
  capitalize,
  clause,
  formatLocalDate,
  formatLocalDates,
  formatMonth,
  plural,
  residencePhrase,
} from '../domain/russian';
import { EDUCATOR_ROLES, coversEntrance, reachesEntrance, type DirectoryUser } from '../domain/staff';
import type { UserDirectory } from './ports';

/**
 * Recipients of one audience who read different letters (a roster: each room its own dates), by
 * what their letter is about: `render` gets `about` and renders once per group.
 */
export interface RecipientGroup {
  about: string;
  userIds: string[];
}

export interface NotificationRule<T> {
  /** Stable English key stored with every notification (clients may localise by it). */
  key: string;
  /**
   * User ids to notify (all reading one letter), or groups of them reading one letter each; an
   * empty list means the event concerns nobody.
   */
  recipients(data: T, directory: UserDirectory): Promise<string[] | RecipientGroup[]>;
  /** Users whose names the message shows (resolved in one identity call). */
  mentions?(data: T): string[];
  /** `about`: the group's, for a rule whose recipients come in groups; else undefined. */
  render(data: T, context: MessageContext, about?: string): RenderedMessage;
}

/**
 * Event type → its audiences, in order: each audience has its own key and text, and a person in
 * several audiences gets only the first one's notification (one letter per person per event).
 */
export type RuleTable = ReadonlyMap<string, readonly NotificationRule<unknown>[]>;

/** Holders of any of `roles` who cover `entrance` (null: everyone holding them). One call per role. */
export async function staffCovering(
  directory: UserDirectory,
  roles: readonly Role[],
  entrance: EntranceRef | null,
): Promise<string[]> {
  const groups = await Promise.all(roles.map((role) => directory.usersWithRole(role)));
  return groups
    .flat()
    .filter((user) => coversEntrance(user, entrance))
    .map((user) => user.id);
}

/**
 * Who may act on `entrance` under a producer's scope rule (reachesEntrance), not counting
 * `excluded`: one identity call per role the rule names.
 */
export async function actorsOn(
  directory: UserDirectory,
  entrance: EntranceRef,
  rule: EntranceScopeRule,
  excluded: (user: DirectoryUser) => boolean = () => false,
): Promise<string[]> {
  const roles = [...new Set([...(rule.campusWide ?? []), ...(rule.assigned ?? []), ...(rule.resident ?? [])])];
  const groups = await Promise.all(roles.map((role) => directory.usersWithRole(role)));
  const ids = groups
    .flat()
    .filter((user) => reachesEntrance(user, entrance, rule) && !excluded(user))
    .map((user) => user.id);
  return [...new Set(ids)];
}

const unique = (ids: string[]): string[] => [...new Set(ids)];
const except = (ids: string[], actor: string): string[] => unique(ids).filter((id) => id !== actor);

const entranceOf = (residence: { building: string; entrance: number } | null): EntranceRef | null =>
  residence ? { building: residence.building, entrance: residence.entrance } : null;

/** "Иванов Иван (комната 301): Заявление на выход". */
const absenteeLine = (a: PatrolAbsentee): string =>
  `${a.fullName?.trim() || 'Студент без имени'}${a.room ? ` (комната ${a.room})` : ''}: ${clause(a.reason)}`;

/** What a client needs to open a duty. */
/** " комнаты 301 за 5 декабря 2026" when the sanction event names them (older events do not). */
const missedDuty = (d: { roomNumber?: string; dutyDate?: string }): string =>
  (d.roomNumber ? ` комнаты ${d.roomNumber}` : '') + (d.dutyDate ? ` за ${formatLocalDate(d.dutyDate)}` : '');

const dutyData = (d: {
  scheduleId: string;
  roomId: string;
  building: string;
  entrance: number;
  dutyDate?: string;
}): Record<string, unknown> => ({
  scheduleId: d.scheduleId,
  roomId: d.roomId,
  building: d.building,
  entrance: d.entrance,
  ...(d.dutyDate ? { dutyDate: d.dutyDate } : {}),
});

const swapData = (d: DutySwapRequestedV1): Record<string, unknown> => ({
  swapId: d.swapId,
  fromScheduleId: d.fromScheduleId,
  toScheduleId: d.toScheduleId,
  building: d.building,
  entrance: d.entrance,
});

/**
 * Who accepts or rejects a photo report and lists those waiting: duty's REPORT_REVIEW_SCOPE
 * (subgraphs/duty/src/domain/policy.ts) — every educator, an educator_head on assigned entrances,
 * never a student_head.
 */
export const DUTY_REPORT_REVIEW_SCOPE: EntranceScopeRule = { campusWide: ['educator'], assigned: ['educator_head'] };

/**
 * Who approves or rejects a swap: duty's SWAP_REVIEW_SCOPE (its ROSTER_SCOPE) — every educator, an
 * educator_head on assigned entrances, the student_head living in the entrance.
 */
export const DUTY_SWAP_REVIEW_SCOPE: EntranceScopeRule = {
  campusWide: ['educator'],
  assigned: ['educator_head'],
  resident: ['student_head'],
};

/**
 * Who may approve or reject a swap (duty's requireSwapReviewer): DUTY_SWAP_REVIEW_SCOPE on its
 * entrance, less whoever would decide it only as a resident while living in either room of the
 * swap (the event's residents; duty refuses them with own_room_swap). One call per role.
 */
async function swapReviewers(
  directory: UserDirectory,
  d: EntranceRef & Pick<DutySwapRequestedV1, 'fromResidentIds' | 'toResidentIds'>,
): Promise<string[]> {
  const entrance = { building: d.building, entrance: d.entrance };
  const ofTheSwap = new Set([...d.fromResidentIds, ...d.toResidentIds]);
  const asStaff: EntranceScopeRule = { ...DUTY_SWAP_REVIEW_SCOPE, resident: [] };
  return actorsOn(
    directory,
    entrance,
    DUTY_SWAP_REVIEW_SCOPE,
    (user) => ofTheSwap.has(user.id) && !reachesEntrance(user, entrance, asStaff),
  );
}

/** "10 марта ↔ 12 марта": the asking room's date, then the other's. */
const swapDates = (d: DutySwapRequestedV1): string => `${formatLocalDate(d.fromDate)} ↔ ${formatLocalDate(d.toDate)}`;

/**
 * The residents of a roster's rooms, grouped by room (each reads their own room's dates): one
 * identity call for the entrance's students, since the event names rooms, not people. A resident is
 * matched by room number within the entrance (identity's residence.room, the number duty planned
 * the roster with); a room nobody lives in any more tells nobody, and so does a resident whose room
 * has no duty this month.
 */
async function rosterRecipients(d: DutyRosterGeneratedV1, directory: UserDirectory): Promise<RecipientGroup[]> {
  const rooms = new Set(d.duties.map((duty) => duty.roomNumber));
  if (!rooms.size) return [];
  const byRoom = new Map<string, string[]>();
  for (const { id, room } of await directory.residentsOf({ building: d.building, entrance: d.entrance })) {
    if (rooms.has(room)) byRoom.set(room, [...(byRoom.get(room) ?? []), id]);
  }
  return [...byRoom].map(([about, userIds]) => ({ about, userIds }));
}

/** Everyone but the actor; no one is excluded when the step was the scheduler's or a check-out's. */
const exceptActor = (ids: string[], actor: string | null): string[] => (actor ? except(ids, actor) : unique(ids));

/** The coworking booking events share one payload shape (expired adds previousStatus). */
type CoworkingBookingData = CoworkingBookingRequestedV1 | CoworkingBookingExpiredV1;

/** "«Орбита» (корпус 8)". */
const coworkingPhrase = (d: CoworkingBookingData): string => `«${d.coworkingName}» (корпус ${d.building})`;

/** "с 10 марта в 20:00 до 22:00" (the end's day only when it differs), in campus time. */
function slotPhrase(d: CoworkingBookingData, formatDateTime: (iso: string) => string): string {
  const from = formatDateTime(d.startsAt);
  const to = formatDateTime(d.endsAt);
  const [fromDay] = from.split(' в ');
  const [toDay, toTime] = to.split(' в ');
  return `с ${from} до ${toDay === fromDay && toTime ? toTime : to}`;
}

/** What a client needs to open a booking. */
const bookingData = (d: CoworkingBookingData): Record<string, unknown> => ({
  bookingId: d.bookingId,
  coworkingId: d.coworkingId,
  building: d.building,
  status: d.status,
});

/** The failure code of a check-out blocked by a coworking key the student still holds. */
const CHECKOUT_KEY_HELD = 'CHECKOUT_KEY_HELD';
/** The failure code of a check-out whose undoing stopped part-way: the student is half checked out. */
const CHECKOUT_COMPENSATION_INCOMPLETE = 'CHECKOUT_COMPENSATION_INCOMPLETE';

/** The saga's steps as the staff member reads them ("ошибка на шаге «…»"). */
const CHECKOUT_STEPS: Record<CheckoutStudentCheckOutFailedV1['step'], string> = {
  release_bookings: 'отмена броней коворкингов',
  withdraw_leave: 'отзыв заявлений на выход',
  close_sanctions: 'закрытие взысканий за дежурства',
  deactivate_account: 'деактивация учётной записи',
  finish: 'освобождение места в комнате',
};

/**
 * What went wrong, in words for the staff member (the event's failureReason is English, for tools).
 * An incomplete compensation is about the undoing: its participantCode is the code of the undo that
 * failed (the step's own failure is not in the event, only in failureReason), and what matters is
 * that the student is left half checked out.
 */
function failurePhrase(d: CheckoutStudentCheckOutFailedV1): string {
  const code = d.participantCode ? ` (${d.participantCode})` : '';
  if (d.failureCode === CHECKOUT_COMPENSATION_INCOMPLETE) {
    return `Отмена шагов не завершена${code}: студент оформлен частично, нужна ручная проверка.`;
  }
  if (d.failureCode === CHECKOUT_KEY_HELD) {
    const coworking = `коворкинга${d.coworkingName ? ` «${d.coworkingName}»` : ''}`;
    return d.keyReturnUnconfirmed
      ? `Причина: возврат ключа от ${coworking} не подтверждён воспитателем (завершите бронь).`
      : `Причина: студент не сдал ключ от ${coworking}.`;
  }
  if (d.failureCode === 'CHECKOUT_STEP_TIMED_OUT') return `Причина: сервис не отвечал дольше допустимого${code}.`;
  return `Причина: сервис отказал${code}.`;
}

/** What a client needs to open the student's check-out within its batch. */
const checkoutData = (d: { checkoutId: string; batchId: string; studentId: string }): Record<string, unknown> => ({
  checkoutId: d.checkoutId,
  batchId: d.batchId,
  studentId: d.studentId,
});

/** One row per event type, each typed with that event's generated data: one rule or its audiences. */
type Row<T> = NotificationRule<T> | readonly NotificationRule<T>[];
type RuleRows = { [T in CampusEventType]?: Row<EventDataByType[T]> };

const rows: RuleRows = {
  'campus.leave.application.submitted.v1': {
    key: 'leave.submitted',
    recipients: async (d, directory) =>
      except(await staffCovering(directory, EDUCATOR_ROLES, entranceOf(d.residence)), d.applicantId),
    mentions: (d) => [d.applicantId],
    render: (d, { names, formatDateTime }) => {
      const who = names.get(d.applicantId) ?? 'Студент';
      const where = d.residence ? ` (${residencePhrase(d.residence)})` : '';
      const minor = d.isMinor ? ' Несовершеннолетний: для одобрения нужно голосовое сообщение от родителя.' : '';
      const period = `с ${formatDateTime(d.leaveAt)} до ${formatDateTime(d.returnAt)}`;
      return {
        title: 'Новое заявление на выход',
        body: `${who}${where} просит разрешения выйти ${period}. Причина: ${clause(d.reason)}.${minor}`,
        data: { applicationId: d.applicationId, applicantId: d.applicantId },
      };
    },
  },
  'campus.leave.application.approved.v1': {
    key: 'leave.approved',
    recipients: async (d) => [d.applicantId],
    render: (d, { formatDateTime }) => {
      const period = `с ${formatDateTime(d.leaveAt)} до ${formatDateTime(d.returnAt)}`;
      return {
        title: 'Заявление на выход одобрено',
        body: `Ваше заявление на выход ${period} одобрено. Не забудьте вернуться вовремя.`,
        data: { applicationId: d.applicationId },
      };
    },
  },
  'campus.leave.application.rejected.v1': {
    key: 'leave.rejected',
    recipients: async (d) => [d.applicantId],
    render: (d) => ({
      title: 'Заявление на выход отклонено',
      body: `Ваше заявление на выход отклонено. Причина: ${clause(d.reason)}.`,
      data: { applicationId: d.applicationId },
    }),
  },
  // Withdrawn by someone else (the check-out saga: withdrawnBy null): the applicant should know.
  // Withdrawing one's own application concerns nobody else.
  'campus.leave.application.withdrawn.v1': {
    key: 'leave.withdrawn',
    recipients: async (d) => exceptActor([d.applicantId], d.withdrawnBy),
    render: (d) => ({
      title: 'Заявление на выход отозвано',
      body: d.checkoutId
        ? 'Ваше заявление на выход отозвано в связи с выездом из кампуса.'
        : 'Ваше заявление на выход отозвано сотрудником кампуса и больше не будет рассмотрено.',
      data: { applicationId: d.applicationId, ...(d.checkoutId ? { checkoutId: d.checkoutId } : {}) },
    }),
  },
  // The check-out that withdrew it was undone (always the system's doing): the applicant was told of
  // the withdrawal, so they are told it waits for a decision again.
  'campus.leave.application.reinstated.v1': {
    key: 'leave.reinstated',
    recipients: async (d) => [d.applicantId],
    render: (d, { formatDateTime }) => {
      const period = `с ${formatDateTime(d.leaveAt)} до ${formatDateTime(d.returnAt)}`;
      return {
        title: 'Заявление на выход восстановлено',
        body: `Ваш выезд из кампуса отменён, поэтому заявление на выход ${period} снова ожидает рассмотрения.`,
        data: { applicationId: d.applicationId, checkoutId: d.checkoutId },
      };
    },
  },
  'campus.patrol.patrol.completed.v1': {
    key: 'patrol.absentees',
    recipients: async (d, directory) => {
      if (d.absent.length === 0) return []; // a full roll-call concerns nobody
      const [admins, educators] = await Promise.all([
        staffCovering(directory, ['admin'], null),
        staffCovering(directory, EDUCATOR_ROLES, { building: d.building, entrance: d.entrance }),
      ]);
      return except([...admins, ...educators], d.completedBy);
    },
    render: (d) => {
      const n = d.absent.length;
      const list = d.absent.map(absenteeLine).join('; ');
      const whereAndWhen = `${capitalize(residencePhrase(d))}, ${formatLocalDate(d.date)}`;
      return {
        title: `Обход завершён: ${n} ${plural(n, ['отсутствующий', 'отсутствующих', 'отсутствующих'])}`,
        body: `${whereAndWhen}. Отсутствующих: ${n} из ${d.total}. ${list}.`,
        data: { patrolId: d.patrolId, building: d.building, entrance: d.entrance, date: d.date },
      };
    },
  },
  // ── Room duties (the duty service). Recipients come from the event: the room's residents as
  // the duty service saw them when it published it (a roster names rooms only: its residents come
  // from identity, as do the staff asked to approve an accepted swap).
  'campus.duty.schedule.reminder_due.v1': {
    key: 'duty.reminder',
    recipients: async (d) => unique(d.residentIds),
    render: (d, { formatDateTime }) => {
      const day = d.when === 'tomorrow' ? 'Завтра' : 'Сегодня';
      return {
        title: `${day} дежурство`,
        body:
          `${day}, ${formatLocalDate(d.dutyDate)}, дежурит ваша комната ${d.roomNumber} ` +
          `(${residencePhrase(d)}). Фотоотчёт нужно отправить до ${formatDateTime(d.deadlineAt)}.`,
        data: dutyData(d),
      };
    },
  },
  'campus.duty.schedule.moved.v1': {
    key: 'duty.moved',
    recipients: async (d) => except(d.residentIds, d.movedBy),
    render: (d) => ({
      title: 'Дежурство перенесено',
      body: `Дежурство комнаты ${d.roomNumber} перенесено с ${formatLocalDate(d.fromDate)} на ${formatLocalDate(d.toDate)}.`,
      data: { ...dutyData(d), dutyDate: d.toDate, fromDate: d.fromDate },
    }),
  },
  // The room sent its photo report: whoever duty lets review it (DUTY_REPORT_REVIEW_SCOPE on the
  // room's entrance) is asked to accept or reject it. The submitter, a resident, is never among them.
  'campus.duty.report.submitted.v1': {
    key: 'duty.report_awaiting_review',
    recipients: async (d, directory) =>
      except(
        await actorsOn(directory, { building: d.building, entrance: d.entrance }, DUTY_REPORT_REVIEW_SCOPE),
        d.submittedBy,
      ),
    render: (d) => ({
      title: 'Фотоотчёт ждёт проверки',
      body:
        `Фотоотчёт о дежурстве комнаты ${d.roomNumber} (${residencePhrase(d)}) за ${formatLocalDate(d.dutyDate)} ` +
        'ждёт вашей проверки: примите или отклоните его.',
      data: { ...dutyData(d), reportId: d.reportId },
    }),
  },
  'campus.duty.report.accepted.v1': {
    key: 'duty.report_accepted',
    recipients: async (d) => except(d.residentIds, d.reviewedBy),
    render: (d) => ({
      title: 'Отчёт о дежурстве принят',
      body: `Отчёт о дежурстве комнаты ${d.roomNumber} за ${formatLocalDate(d.dutyDate)} принят. Спасибо!`,
      data: { ...dutyData(d), reportId: d.reportId },
    }),
  },
  'campus.duty.report.rejected.v1': {
    key: 'duty.report_rejected',
    recipients: async (d) => except(d.residentIds, d.reviewedBy),
    // resubmitBy names the deadline the room has now (a late rejection moves it to the next day's
    // 23:00); an event from before the field says only "until the deadline".
    render: (d, { formatDateTime }) => ({
      title: 'Отчёт о дежурстве отклонён',
      body:
        `Отчёт о дежурстве комнаты ${d.roomNumber} за ${formatLocalDate(d.dutyDate)} отклонён. ` +
        `Причина: ${clause(d.reason)}. Исправьте и отправьте отчёт ещё раз ` +
        (d.resubmitBy ? `до ${formatDateTime(d.resubmitBy)}.` : 'до конца срока.'),
      data: { ...dutyData(d), reportId: d.reportId, ...(d.resubmitBy ? { resubmitBy: d.resubmitBy } : {}) },
    }),
  },
  'campus.duty.schedule.overdue.v1': {
    key: 'duty.overdue',
    recipients: async (d) => unique(d.residentIds),
    render: (d) => ({
      title: 'Дежурство не выполнено',
      body: `Отчёт о дежурстве комнаты ${d.roomNumber} за ${formatLocalDate(d.dutyDate)} не был отправлен вовремя.`,
      data: dutyData(d),
    }),
  },
  'campus.duty.sanction.created.v1': {
    key: 'duty.sanction',
    recipients: async (d) => [d.userId],
    render: (d, { formatDateTime }) => ({
      title: 'Приглашение к воспитателям',
      body:
        `Дежурство комнаты ${d.roomNumber} за ${formatLocalDate(d.dutyDate)} не выполнено. ` +
        `Подойдите к воспитателям, начиная с ${formatDateTime(d.invitedAt)}.`,
      data: { ...dutyData(d), sanctionId: d.sanctionId },
    }),
  },
  // Closed by staff: the student invited to the educators hears it is over, with the educator's
  // note. Closed by the student's own check-out: they are leaving the campus, so nobody is told.
  'campus.duty.sanction.resolved.v1': {
    key: 'duty.sanction_resolved',
    recipients: async (d) => (d.checkoutId ? [] : exceptActor([d.userId], d.resolvedBy)),
    render: (d) => ({
      title: 'Санкция закрыта',
      body: `Ваша санкция за невыполненное дежурство${missedDuty(d)} закрыта. Комментарий воспитателя: ${clause(d.note)}.`,
      data: { sanctionId: d.sanctionId, scheduleId: d.scheduleId },
    }),
  },
  // The check-out that closed it failed and was undone (always the system's doing): the student is
  // still here, and expected at the educators again.
  'campus.duty.sanction.reopened.v1': {
    key: 'duty.sanction_reopened',
    recipients: async (d) => [d.userId],
    render: (d) => ({
      title: 'Санкция снова открыта',
      body:
        `Ваш выезд из кампуса отменён, поэтому санкция за невыполненное дежурство${missedDuty(d)} снова открыта. ` +
        'Подойдите к воспитателям.',
      data: { sanctionId: d.sanctionId, scheduleId: d.scheduleId, checkoutId: d.checkoutId },
    }),
  },
  // Each resident of a room in the roster learns their room's dates of the month (rosterRecipients).
  // The generator too when they live in the entrance (a student_head): the letter is their own
  // room's dates, what their roommates get and their reminders refer to, not news of their action.
  'campus.duty.roster.generated.v1': {
    key: 'duty.roster',
    recipients: rosterRecipients,
    render: (d, _context, room) => {
      const mine = d.duties.filter((duty) => duty.roomNumber === room);
      const dates = [...new Set(mine.map((duty) => duty.dutyDate))].sort();
      return {
        title: `График дежурств на ${formatMonth(d.month)}`,
        body: `Ваша комната ${room} дежурит ${formatLocalDates(dates)}.`,
        data: {
          rosterId: d.rosterId,
          building: d.building,
          entrance: d.entrance,
          month: d.month,
          ...(mine[0] ? { roomId: mine[0].roomId } : {}),
          dutyDates: dates,
          scheduleIds: mine.map((duty) => duty.scheduleId),
        },
      };
    },
  },
  'campus.duty.swap.requested.v1': {
    key: 'duty.swap_requested',
    recipients: async (d) => except(d.toResidentIds, d.actorId),
    mentions: (d) => [d.actorId],
    render: (d, { names }) => {
      const who = names.get(d.actorId) ?? 'Житель';
      const why = d.reason ? ` Причина: ${clause(d.reason)}.` : '';
      return {
        title: 'Просьба поменяться дежурством',
        body:
          `${who} (комната ${d.fromRoomNumber}) предлагает поменяться дежурствами: ваше ${formatLocalDate(d.toDate)} ` +
          `на их ${formatLocalDate(d.fromDate)}.${why}`,
        data: swapData(d),
      };
    },
  },
  'campus.duty.swap.declined.v1': {
    key: 'duty.swap_declined',
    recipients: async (d) => except(d.fromResidentIds, d.actorId),
    render: (d) => ({
      title: 'Обмен дежурствами отклонён',
      body:
        `Комната ${d.toRoomNumber} не согласилась поменяться дежурствами ` +
        `(${formatLocalDate(d.fromDate)} ↔ ${formatLocalDate(d.toDate)}).${d.reason ? ` Причина: ${clause(d.reason)}.` : ''}`,
      data: swapData(d),
    }),
  },
  // The other room agreed: the swap now waits for staff. Whoever may approve it is asked to decide
  // (the request went to the other room only); the asking room learns it is on its way. A
  // student_head living in the asking room is not asked (it is not theirs to approve): they get
  // the asking room's text.
  'campus.duty.swap.accepted.v1': [
    {
      key: 'duty.swap_awaiting_approval',
      recipients: async (d, directory) => except(await swapReviewers(directory, d), d.actorId),
      render: (d) => ({
        title: 'Обмен дежурствами ждёт одобрения',
        body:
          `Комнаты ${d.fromRoomNumber} и ${d.toRoomNumber} (${residencePhrase(d)}) договорились поменяться ` +
          `дежурствами (${swapDates(d)}). Одобрите или отклоните обмен.` +
          (d.reason ? ` Комментарий: ${clause(d.reason)}.` : ''),
        data: swapData(d),
      }),
    },
    {
      key: 'duty.swap_accepted',
      recipients: async (d) => except(d.fromResidentIds, d.actorId),
      render: (d) => ({
        title: 'Обмен дежурствами принят',
        body:
          `Комната ${d.toRoomNumber} согласилась поменяться дежурствами (${swapDates(d)}). ` +
          'Теперь обмен ждёт одобрения воспитателей.' +
          (d.reason ? ` Комментарий: ${clause(d.reason)}.` : ''),
        data: swapData(d),
      }),
    },
  ],
  // The asking room withdrew: the other room, asked when it was requested, need not answer any more.
  // A swap it had accepted was waiting for staff: those asked to approve it (swapReviewers, as on
  // accepted) are told it no longer needs them. Events written before duty said what was cancelled
  // (no previousStatus) tell staff nothing.
  'campus.duty.swap.cancelled.v1': [
    {
      key: 'duty.swap_cancelled',
      recipients: async (d) => except(d.toResidentIds, d.actorId),
      render: (d) => ({
        title: 'Просьба об обмене дежурствами отозвана',
        body:
          `Комната ${d.fromRoomNumber} отозвала просьбу поменяться дежурствами ` +
          `(${swapDates(d)}).${d.reason ? ` Причина: ${clause(d.reason)}.` : ''}`,
        data: swapData(d),
      }),
    },
    {
      key: 'duty.swap_approval_cancelled',
      recipients: async (d, directory) =>
        d.previousStatus === 'accepted' ? except(await swapReviewers(directory, d), d.actorId) : [],
      render: (d) => ({
        title: 'Обмен дежурствами отозван',
        body:
          `Комната ${d.fromRoomNumber} отозвала обмен дежурствами с комнатой ${d.toRoomNumber} ` +
          `(${residencePhrase(d)}; ${swapDates(d)}). Обмен больше не ждёт вашего одобрения.` +
          (d.reason ? ` Причина: ${clause(d.reason)}.` : ''),
        data: swapData(d),
      }),
    },
  ],
  // Staff said no after the other room had agreed: both rooms were waiting for the decision.
  'campus.duty.swap.rejected.v1': {
    key: 'duty.swap_rejected',
    recipients: async (d) => except([...d.fromResidentIds, ...d.toResidentIds], d.actorId),
    render: (d) => ({
      title: 'Обмен дежурствами не одобрен',
      body:
        `Воспитатели не одобрили обмен дежурствами комнат ${d.fromRoomNumber} и ${d.toRoomNumber}; ` +
        `даты остаются прежними.${d.reason ? ` Причина: ${clause(d.reason)}.` : ''}`,
      data: swapData(d),
    }),
  },
  'campus.duty.swap.approved.v1': {
    key: 'duty.swap_approved',
    recipients: async (d) => except([...d.fromResidentIds, ...d.toResidentIds], d.actorId),
    render: (d) => ({
      title: 'Обмен дежурствами одобрен',
      body:
        `Теперь комната ${d.fromRoomNumber} дежурит ${formatLocalDate(d.toDate)}, ` +
        `а комната ${d.toRoomNumber} — ${formatLocalDate(d.fromDate)}.`,
      data: swapData(d),
    }),
  },
  // ── Coworkings (the coworking service). A request goes to every educator (coworkings are
  // campus-wide, not an entrance's); each later step to the student who booked, never to whoever
  // took it. key_taken and key_returned happen in front of the educator: nobody is told.
  'campus.coworking.booking.requested.v1': {
    key: 'coworking.requested',
    recipients: async (d, directory) => exceptActor(await staffCovering(directory, EDUCATOR_ROLES, null), d.actorId),
    mentions: (d) => [d.studentId],
    render: (d, { names, formatDateTime }) => ({
      title: 'Новая заявка на коворкинг',
      body:
        `${names.get(d.studentId) ?? 'Студент'} просит коворкинг ${coworkingPhrase(d)} ` +
        `${slotPhrase(d, formatDateTime)}. Одобрите или отклоните заявку.`,
      data: { ...bookingData(d), studentId: d.studentId },
    }),
  },
  'campus.coworking.booking.approved.v1': {
    key: 'coworking.approved',
    recipients: async (d) => exceptActor([d.studentId], d.actorId),
    render: (d, { formatDateTime }) => ({
      title: 'Бронь коворкинга одобрена',
      body:
        `Ваша заявка на коворкинг ${coworkingPhrase(d)} ${slotPhrase(d, formatDateTime)} одобрена. ` +
        'Ключ выдаёт воспитатель.',
      data: bookingData(d),
    }),
  },
  'campus.coworking.booking.rejected.v1': {
    key: 'coworking.rejected',
    recipients: async (d) => exceptActor([d.studentId], d.actorId),
    render: (d, { formatDateTime }) => ({
      title: 'Заявка на коворкинг отклонена',
      body:
        `Ваша заявка на коворкинг ${coworkingPhrase(d)} ${slotPhrase(d, formatDateTime)} отклонена.` +
        (d.reason ? ` Причина: ${clause(d.reason)}.` : ''),
      data: bookingData(d),
    }),
  },
  // Only a check-out's cancellation is news to the student; cancelling one's own booking is not.
  'campus.coworking.booking.cancelled.v1': {
    key: 'coworking.cancelled_by_checkout',
    recipients: async (d) => (d.checkoutId ? exceptActor([d.studentId], d.actorId) : []),
    render: (d, { formatDateTime }) => ({
      title: 'Бронь коворкинга отменена',
      body:
        `Ваша бронь коворкинга ${coworkingPhrase(d)} ${slotPhrase(d, formatDateTime)} отменена ` +
        'в связи с выездом из кампуса.',
      data: { ...bookingData(d), checkoutId: d.checkoutId },
    }),
  },
  // The check-out that cancelled it was undone: the student, told of the cancellation, gets the booking
  // back in the status it had (an approved one stands, a request waits for a decision again).
  'campus.coworking.booking.restored.v1': {
    key: 'coworking.restored',
    recipients: async (d) => exceptActor([d.studentId], d.actorId),
    render: (d, { formatDateTime }) => {
      const what = `${coworkingPhrase(d)} ${slotPhrase(d, formatDateTime)}`;
      return {
        title: 'Бронь коворкинга восстановлена',
        body:
          d.status === 'approved'
            ? `Ваш выезд из кампуса отменён, поэтому бронь коворкинга ${what} снова действует. Ключ выдаёт воспитатель.`
            : `Ваш выезд из кампуса отменён, поэтому заявка на коворкинг ${what} снова ожидает рассмотрения.`,
        data: { ...bookingData(d), checkoutId: d.checkoutId },
      };
    },
  },
  'campus.coworking.booking.key_return_requested.v1': {
    key: 'coworking.key_return_requested',
    recipients: async (d) => exceptActor([d.studentId], d.actorId),
    render: (d) => ({
      title: 'Верните ключ от коворкинга',
      body: `Сотрудник кампуса просит вернуть ключ от коворкинга ${coworkingPhrase(d)}. Верните ключ воспитателю.`,
      data: bookingData(d),
    }),
  },
  'campus.coworking.booking.night_reminder.v1': {
    key: 'coworking.night_reminder',
    recipients: async (d) => exceptActor([d.studentId], d.actorId),
    render: (d, { formatDateTime }) => ({
      title: 'Ключ от коворкинга не сдан',
      body:
        `Уже ${formatDateTime(d.at)}, а ключ от коворкинга ${coworkingPhrase(d)} всё ещё у вас. ` +
        'Верните ключ воспитателю.',
      data: { ...bookingData(d), nightReminderCount: d.nightReminderCount },
    }),
  },
  // The slot ended before anyone acted on the booking: the student learns it no longer stands
  // (and that they may ask again: it no longer counts as their one active booking).
  'campus.coworking.booking.expired.v1': {
    key: 'coworking.expired',
    recipients: async (d) => exceptActor([d.studentId], d.actorId),
    render: (d, { formatDateTime }) => {
      const what = `${coworkingPhrase(d)} ${slotPhrase(d, formatDateTime)}`;
      return d.previousStatus === 'pending'
        ? {
            title: 'Заявка на коворкинг не рассмотрена',
            body:
              `Ваша заявка на коворкинг ${what} не была рассмотрена до конца слота и больше не действует. ` +
              'Вы можете подать новую заявку.',
            data: { ...bookingData(d), previousStatus: d.previousStatus },
          }
        : {
            title: 'Бронь коворкинга истекла',
            body: `Бронь коворкинга ${what} истекла: ключ так и не взяли. Вы можете подать новую заявку.`,
            data: { ...bookingData(d), previousStatus: d.previousStatus },
          };
    },
  },
  'campus.coworking.booking.completed.v1': {
    key: 'coworking.completed',
    recipients: async (d) => exceptActor([d.studentId], d.actorId),
    render: (d, { formatDateTime }) => ({
      title: 'Бронь коворкинга завершена',
      body: `Бронь коворкинга ${coworkingPhrase(d)} ${slotPhrase(d, formatDateTime)} завершена: ключ принят. Спасибо!`,
      data: bookingData(d),
    }),
  },
  // ── Check-outs (the checkout service's saga). The staff member who requested a batch is told how
  // each failure and the whole batch ended: that outcome is the saga's news, not their own action.
  // batch.requested tells nobody (the requester just asked for it).
  'campus.checkout.student.checked_out.v1': {
    key: 'checkout.checked_out',
    recipients: async (d) => except([d.studentId], d.requestedBy),
    render: (d) => ({
      title: 'Выезд из кампуса оформлен',
      body:
        `Ваше проживание в кампусе${d.room ? ` (${residencePhrase(d.room)})` : ''} завершено, ` +
        `учётная запись деактивирована. Причина: ${clause(d.reason)}.`,
      data: checkoutData(d),
    }),
  },
  'campus.checkout.student.check_out_failed.v1': [
    // Only a key can be fixed by the student; other failures are the staff's to retry.
    {
      key: 'checkout.key_held',
      recipients: async (d) => (d.failureCode === CHECKOUT_KEY_HELD ? except([d.studentId], d.requestedBy) : []),
      render: (d) => {
        const coworking = `коворкинга${d.coworkingName ? ` «${d.coworkingName}»` : ''}`;
        // The student said the key is back: what is missing is an educator's confirmation, not the key.
        if (d.keyReturnUnconfirmed)
          return {
            title: 'Выезд не оформлен: возврат ключа не подтверждён',
            body:
              `Ваш выезд из кампуса не оформлен: возврат ключа от ${coworking} ещё не подтвердил воспитатель. ` +
              'Попросите воспитателя подтвердить возврат, после этого выезд оформят снова.',
            data: { ...checkoutData(d), failureCode: d.failureCode, keyReturnUnconfirmed: true },
          };
        return {
          title: 'Выезд не оформлен: верните ключ',
          body:
            `Ваш выезд из кампуса не оформлен: у вас ключ от ${coworking}. ` +
            'Верните ключ воспитателю, после этого выезд оформят снова.',
          data: { ...checkoutData(d), failureCode: d.failureCode },
        };
      },
    },
    {
      key: 'checkout.failed',
      recipients: async (d) => [d.requestedBy],
      render: (d) => {
        // Only a finished compensation undid the steps it lists; an incomplete one says so itself.
        const undone =
          d.compensated.length && d.failureCode !== CHECKOUT_COMPENSATION_INCOMPLETE
            ? ' Выполненные шаги отменены.'
            : '';
        const next =
          d.failureCode !== CHECKOUT_KEY_HELD
            ? ''
            : d.keyReturnUnconfirmed
              ? ' Подтвердите возврат ключа (завершите бронь), после этого оформите выезд снова.'
              : ' Студента попросили вернуть ключ; после этого оформите выезд снова.';
        return {
          title: 'Выезд студента не оформлен',
          body:
            `Выезд студента ${d.studentName} не оформлен: ошибка на шаге «${CHECKOUT_STEPS[d.step]}». ` +
            `${failurePhrase(d)}${undone}${next}`,
          data: { ...checkoutData(d), step: d.step, failureCode: d.failureCode },
        };
      },
    },
  ],
  'campus.checkout.batch.completed.v1': {
    key: 'checkout.batch_completed',
    recipients: async (d) => [d.requestedBy],
    render: (d) => {
      const students = plural(d.total, ['студента', 'студентов', 'студентов']);
      const failed = d.failed ? `, не удалось — для ${d.failed} (причины — в отдельных уведомлениях)` : '';
      const errors = plural(d.failed, ['ошибка', 'ошибки', 'ошибок']);
      return {
        title: d.failed ? `Выезд студентов завершён: ${d.failed} ${errors}` : 'Выезд студентов завершён',
        body: `Выезд оформлен для ${d.succeeded} из ${d.total} ${students}${failed}. Причина выезда: ${clause(d.reason)}.`,
        data: { batchId: d.batchId, total: d.total, succeeded: d.succeeded, failed: d.failed },
      };
    },
  },
};

const audiences = (row: Row<unknown>): readonly NotificationRule<unknown>[] => ('key' in row ? [row] : row);

/**
 * The table by event type. The data type is erased here, which is safe because every event is
 * validated against its published JSON Schema before a rule sees it.
 */
export const NOTIFICATION_RULES: RuleTable = new Map(
  (Object.entries(rows) as Array<[string, Row<unknown>]>).map(([type, row]) => [type, audiences(row)]),
);
