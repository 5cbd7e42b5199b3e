import { randomUUID } from 'node:crypto';
import type { LeaveApplicationReinstatedV1, LeaveApplicationSubmittedV1, PatrolCompletedV1 } from '@campus/contracts';
import type { MessageContext } from '../../src/domain/notification';
import { dateTimeFormatter } from '../../src/domain/russian';
import { coversEntrance } from '../../src/domain/staff';
import { NOTIFICATION_RULES, staffCovering } from '../../src/services/notification-rules.service';
import {
  LEAVE_APPROVED,
  LEAVE_REINSTATED,
  LEAVE_REJECTED,
  LEAVE_SUBMITTED,
  LEAVE_WITHDRAWN,
  PATROL_COMPLETED,
} from '../support/events';
import { MemoryDirectory, user } from '../support/fakes';

const educator = user('Смирнова Анна Петровна', ['educator']);
const headOf82 = user('Кузнецов Олег', ['educator_head'], [{ building: '8', entrance: 2 }]);
const headOf93 = user('Орлова Мария', ['educator_head'], [{ building: '9', entrance: 3 }]);
const dualRole = user('Волков Игорь', ['educator', 'educator_head'], [{ building: '8', entrance: 2 }]);
const admin = user('Дежурный Администратор', ['admin']);
const student = user('Иванов Иван', ['student']);
const directory = () => new MemoryDirectory([educator, headOf82, headOf93, dualRole, admin, student]);

const context = (names: Record<string, string> = {}): MessageContext => ({
  names: new Map(Object.entries(names)),
  formatDateTime: dateTimeFormatter('Europe/Moscow'),
});

const ruleFor = (type: string) => {
  const [rule] = NOTIFICATION_RULES.get(type) ?? [];
  if (!rule) throw new Error(`no rule for ${type}`);
  return rule;
};

const submitted = (overrides: Partial<LeaveApplicationSubmittedV1> = {}): LeaveApplicationSubmittedV1 => ({
  applicationId: randomUUID(),
  applicantId: student.id,
  leaveAt: '2026-11-25T15:00:00.000Z',
  returnAt: '2026-11-26T17:30:00.000Z',
  reason: 'Семейные обстоятельства.',
  contactPhone: '+79001234567',
  isMinor: true,
  residence: { building: '8', entrance: 2, floor: 3, room: '301' },
  ...overrides,
});

const patrol = (overrides: Partial<PatrolCompletedV1> = {}): PatrolCompletedV1 => ({
  patrolId: randomUUID(),
  date: '2026-11-25',
  building: '8',
  entrance: 2,
  completedBy: admin.id,
  total: 15,
  present: 13,
  absent: [
    {
      studentId: student.id,
      fullName: 'Иванов Иван',
      room: '301',
      reason: 'Заявление на выход',
      leaveApplicationId: randomUUID(),
    },
    { studentId: randomUUID(), fullName: null, room: null, reason: 'Не найден', leaveApplicationId: null },
  ],
  ...overrides,
});

describe('who covers an entrance', () => {
  it('campus-wide staff cover every entrance; assigned staff only theirs', () => {
    expect(coversEntrance(educator, { building: '9', entrance: 1 })).toBe(true);
    expect(coversEntrance(headOf82, { building: '8', entrance: 2 })).toBe(true);
    expect(coversEntrance(headOf82, { building: '8', entrance: 3 })).toBe(false);
    expect(coversEntrance(headOf82, null)).toBe(true);
  });

  it('asks identity once per role', async () => {
    const dir = directory();
    const ids = await staffCovering(dir, ['educator', 'educator_head'], { building: '9', entrance: 3 });
    expect(dir.calls).toEqual(['role:educator', 'role:educator_head']);
    expect(new Set<unknown>(ids)).toEqual(new Set([educator.id, headOf93.id]));
  });
});

describe('leave submitted', () => {
  const rule = ruleFor(LEAVE_SUBMITTED);

  it('goes to campus-wide educators and the heads of the applicant’s entrance', async () => {
    const ids = await rule.recipients(submitted(), directory());
    expect(new Set<unknown>(ids)).toEqual(new Set([educator.id, headOf82.id, dualRole.id]));
    expect(ids).toHaveLength(3); // the dual-role educator once
  });

  it('goes to every educator when the applicant has no residence on record', async () => {
    const ids = await rule.recipients(submitted({ residence: null }), directory());
    expect(new Set<unknown>(ids)).toEqual(new Set([educator.id, headOf82.id, headOf93.id, dualRole.id]));
  });

  it('names the applicant and the room, in campus time, in Russian', () => {
    const data = submitted();
    expect(rule.mentions?.(data)).toEqual([student.id]);
    const message = rule.render(data, context({ [student.id]: 'Иванов Иван Иванович' }));
    expect(message.title).toBe('Новое заявление на выход');
    expect(message.body).toBe(
      'Иванов Иван Иванович (корпус 8, подъезд 2, комната 301) просит разрешения выйти с 25 ноября в 18:00 до 26 ноября в 20:30. ' +
        'Причина: Семейные обстоятельства. Несовершеннолетний: для одобрения нужно голосовое сообщение от родителя.',
    );
    expect(message.data).toEqual({ applicationId: data.applicationId, applicantId: student.id });
    expect(rule.key).toBe('leave.submitted');
  });

  it('falls back when the name or residence is unknown', () => {
    const message = rule.render(submitted({ residence: null, isMinor: false }), context());
    expect(message.body).toMatch(/^Студент просит разрешения выйти с /);
    expect(message.body).not.toMatch(/Несовершеннолетний/);
  });
});

describe('leave decided', () => {
  it('approved: the applicant, with the period', async () => {
    const rule = ruleFor(LEAVE_APPROVED);
    const data = {
      applicationId: randomUUID(),
      applicantId: student.id,
      decidedBy: educator.id,
      leaveAt: '2026-11-25T15:00:00.000Z',
      returnAt: '2026-11-25T19:00:00.000Z',
      isMinor: false,
      residence: null,
    };
    expect(await rule.recipients(data, directory())).toEqual([student.id]);
    const message = rule.render(data, context());
    expect(rule.key).toBe('leave.approved');
    expect(message.title).toBe('Заявление на выход одобрено');
    expect(message.body).toContain('с 25 ноября в 18:00 до 25 ноября в 22:00 одобрено');
    expect(message.data).toEqual({ applicationId: data.applicationId });
  });

  it('rejected: the applicant, with the reason', async () => {
    const rule = ruleFor(LEAVE_REJECTED);
    const data = {
      applicationId: randomUUID(),
      applicantId: student.id,
      decidedBy: educator.id,
      reason: ' Нет письма родителей. ',
    };
    expect(await rule.recipients(data, directory())).toEqual([student.id]);
    expect(rule.render(data, context()).body).toBe('Ваше заявление на выход отклонено. Причина: Нет письма родителей.');
  });

  it('withdrawn: the applicant only when someone else withdrew it', async () => {
    const rule = ruleFor(LEAVE_WITHDRAWN);
    const own = { applicationId: randomUUID(), applicantId: student.id, withdrawnBy: student.id };
    expect(await rule.recipients(own, directory())).toEqual([]);
    expect(await rule.recipients({ ...own, withdrawnBy: admin.id }, directory())).toEqual([student.id]);
    expect(rule.render(own, context()).title).toBe('Заявление на выход отозвано');
  });

  it('withdrawn by a check-out (no actor): the applicant, told why, with the check-out id', async () => {
    const rule = ruleFor(LEAVE_WITHDRAWN);
    const checkoutId = randomUUID();
    const bySaga = { applicationId: randomUUID(), applicantId: student.id, withdrawnBy: null, checkoutId };
    expect(await rule.recipients(bySaga, directory())).toEqual([student.id]);
    expect(rule.render(bySaga, context())).toEqual({
      title: 'Заявление на выход отозвано',
      body: 'Ваше заявление на выход отозвано в связи с выездом из кампуса.',
      data: { applicationId: bySaga.applicationId, checkoutId },
    });
  });

  it('reinstated (its check-out undone): the applicant, told it is pending again and why', async () => {
    const rule = ruleFor(LEAVE_REINSTATED);
    const data: LeaveApplicationReinstatedV1 = {
      applicationId: randomUUID(),
      applicantId: student.id,
      checkoutId: randomUUID(),
      leaveAt: '2026-11-25T15:00:00.000Z',
      returnAt: '2026-11-26T17:30:00.000Z',
    };
    expect(await rule.recipients(data, directory())).toEqual([student.id]);
    expect(rule.key).toBe('leave.reinstated');
    expect(rule.render(data, context())).toEqual({
      title: 'Заявление на выход восстановлено',
      body:
        'Ваш выезд из кампуса отменён, поэтому заявление на выход с 25 ноября в 18:00 до 26 ноября в 20:30 ' +
        'снова ожидает рассмотрения.',
      data: { applicationId: data.applicationId, checkoutId: data.checkoutId },
    });
  });
});

describe('patrol completed', () => {
  const rule = ruleFor(PATROL_COMPLETED);

  it('with absentees: admins and the entrance’s educators, not the one who completed it', async () => {
    const ids = await rule.recipients(patrol(), directory());
    expect(new Set<unknown>(ids)).toEqual(new Set([educator.id, headOf82.id, dualRole.id])); // admin completed it
    const byEducator = await rule.recipients(patrol({ completedBy: educator.id }), directory());
    expect(new Set<unknown>(byEducator)).toEqual(new Set([admin.id, headOf82.id, dualRole.id]));
  });

  it('without absentees: nobody, and identity is not even asked', async () => {
    const dir = directory();
    expect(await rule.recipients(patrol({ absent: [], present: 15 }), dir)).toEqual([]);
    expect(dir.calls).toEqual([]);
  });

  it('lists the absentees in Russian', () => {
    const data = patrol();
    const message = rule.render(data, context());
    expect(rule.key).toBe('patrol.absentees');
    expect(message.title).toBe('Обход завершён: 2 отсутствующих');
    expect(message.body).toBe(
      'Корпус 8, подъезд 2, 25 ноября. Отсутствующих: 2 из 15. Иванов Иван (комната 301): Заявление на выход; Студент без имени: Не найден.',
    );
    expect(message.data).toEqual({ patrolId: data.patrolId, building: '8', entrance: 2, date: '2026-11-25' });
    expect(rule.render(patrol({ absent: patrol().absent.slice(0, 1) }), context()).title).toBe(
      'Обход завершён: 1 отсутствующий',
    );
  });
});
