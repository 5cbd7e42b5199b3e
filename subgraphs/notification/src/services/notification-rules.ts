// The one table that turns a campus event into notifications: event type → who is told → what they
// read. Adding an event (duty, coworking…) means adding a row here, binding nothing else by hand:
// the consumer's queue bindings are this table's keys.
//
// Who counts as "the educators of an entrance": every user with an educator role who is either
// campus-wide (no assigned entrances) or assigned to that entrance (domain §2: educators see the
// whole campus unless assigned entrances). The night duty administrator (admin) is campus-wide.
// Nobody is notified about their own action.
import type { EntranceRef, Role } from '@campus/platform';
import {
  LEAVE_APPROVED,
  LEAVE_REJECTED,
  LEAVE_SUBMITTED,
  LEAVE_WITHDRAWN,
  PATROL_COMPLETED,
  type LeaveApprovedData,
  type LeaveRejectedData,
  type LeaveSubmittedData,
  type LeaveWithdrawnData,
  type PatrolCompletedData,
} from '../events/types';
import type { DirectoryUser, UserDirectory } from './ports';
import { capitalize, clause, formatLocalDate, plural, residencePhrase } from './russian';

export interface RenderedMessage {
  title: string;
  body: string;
  /** Ids a client needs to open the subject. */
  data: Record<string, unknown>;
}

export interface MessageContext {
  /** Full names of the users the rule `mentions`, by id. */
  names: ReadonlyMap<string, string>;
  /** An ISO instant in campus local time, e.g. "25 ноября в 18:00". */
  formatDateTime(iso: string): string;
}

export interface NotificationRule<T> {
  /** Stable English key stored with every notification (clients may localise by it). */
  key: string;
  /** User ids to notify; an empty list means the event concerns nobody. */
  recipients(data: T, directory: UserDirectory): Promise<string[]>;
  /** Users whose names the message shows (resolved in one identity call). */
  mentions?(data: T): string[];
  render(data: T, context: MessageContext): RenderedMessage;
}

export type RuleTable = ReadonlyMap<string, NotificationRule<unknown>>;

/** Erases the data type for the table; safe because events are validated against their schema first. */
function rule<T>(definition: NotificationRule<T>): NotificationRule<unknown> {
  return definition as unknown as NotificationRule<unknown>;
}

export const EDUCATOR_ROLES: readonly Role[] = ['educator', 'educator_head'];

/** Whether a staff member covers `entrance` (campus-wide staff cover every entrance). */
export function coversEntrance(user: DirectoryUser, entrance: EntranceRef | null): boolean {
  if (!entrance || user.assignedEntrances.length === 0) return true;
  return user.assignedEntrances.some((e) => e.building === entrance.building && e.entrance === entrance.entrance);
}

/** Holders of any of `roles` who cover `entrance` (null: everyone holding them). One call per role. */
export async function staffCovering(directory: UserDirectory, roles: readonly Role[], entrance: EntranceRef | null): Promise<string[]> {
  const groups = await Promise.all(roles.map((role) => directory.usersWithRole(role)));
  return groups.flat().filter((user) => coversEntrance(user, entrance)).map((user) => user.id);
}

const unique = (ids: string[]): string[] => [...new Set(ids)];
const except = (ids: string[], actor: string): string[] => unique(ids).filter((id) => id !== actor);

const entranceOf = (residence: { building: string; entrance: number } | null): EntranceRef | null =>
  residence ? { building: residence.building, entrance: residence.entrance } : null;

export const NOTIFICATION_RULES: RuleTable = new Map<string, NotificationRule<unknown>>([
  [
    LEAVE_SUBMITTED,
    rule<LeaveSubmittedData>({
      key: 'leave.submitted',
      recipients: async (d, directory) => except(await staffCovering(directory, EDUCATOR_ROLES, entranceOf(d.residence)), d.applicantId),
      mentions: (d) => [d.applicantId],
      render: (d, { names, formatDateTime }) => {
        const who = names.get(d.applicantId) ?? 'Студент';
        const where = d.residence ? ` (${residencePhrase(d.residence)})` : '';
        const minor = d.isMinor ? ' Несовершеннолетний: для одобрения нужно голосовое сообщение от родителя.' : '';
        return {
          title: 'Новое заявление на выход',
          body: `${who}${where} просит разрешения выйти с ${formatDateTime(d.leaveAt)} до ${formatDateTime(d.returnAt)}. Причина: ${clause(d.reason)}.${minor}`,
          data: { applicationId: d.applicationId, applicantId: d.applicantId },
        };
      },
    }),
  ],
  [
    LEAVE_APPROVED,
    rule<LeaveApprovedData>({
      key: 'leave.approved',
      recipients: async (d) => [d.applicantId],
      render: (d, { formatDateTime }) => ({
        title: 'Заявление на выход одобрено',
        body: `Ваше заявление на выход с ${formatDateTime(d.leaveAt)} до ${formatDateTime(d.returnAt)} одобрено. Не забудьте вернуться вовремя.`,
        data: { applicationId: d.applicationId },
      }),
    }),
  ],
  [
    LEAVE_REJECTED,
    rule<LeaveRejectedData>({
      key: 'leave.rejected',
      recipients: async (d) => [d.applicantId],
      render: (d) => ({
        title: 'Заявление на выход отклонено',
        body: `Ваше заявление на выход отклонено. Причина: ${clause(d.reason)}.`,
        data: { applicationId: d.applicationId },
      }),
    }),
  ],
  [
    // Withdrawn by someone else (e.g. the check-out saga): the applicant should know. Withdrawing
    // one's own application concerns nobody else.
    LEAVE_WITHDRAWN,
    rule<LeaveWithdrawnData>({
      key: 'leave.withdrawn',
      recipients: async (d) => except([d.applicantId], d.withdrawnBy),
      render: (d) => ({
        title: 'Заявление на выход отозвано',
        body: 'Ваше заявление на выход отозвано сотрудником кампуса и больше не будет рассмотрено.',
        data: { applicationId: d.applicationId },
      }),
    }),
  ],
  [
    PATROL_COMPLETED,
    rule<PatrolCompletedData>({
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
        const list = d.absent
          .map((a) => `${a.fullName?.trim() || 'Студент без имени'}${a.room ? ` (комната ${a.room})` : ''}: ${clause(a.reason)}`)
          .join('; ');
        return {
          title: `Обход завершён: ${n} ${plural(n, ['отсутствующий', 'отсутствующих', 'отсутствующих'])}`,
          body: `${capitalize(residencePhrase(d))}, ${formatLocalDate(d.date)}. Отсутствующих: ${n} из ${d.total}. ${list}.`,
          data: { patrolId: d.patrolId, building: d.building, entrance: d.entrance, date: d.date },
        };
      },
    }),
  ],
]);
