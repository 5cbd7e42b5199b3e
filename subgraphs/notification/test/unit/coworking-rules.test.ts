import { randomUUID } from 'node:crypto';
import type { CoworkingBookingExpiredV1, CoworkingBookingRequestedV1, EventDataByType } from '@campus/contracts';
import type { MessageContext } from '../../src/domain/notification';
import { dateTimeFormatter } from '../../src/domain/russian';
import { NOTIFICATION_RULES } from '../../src/services/notification-rules.service';
import { MemoryDirectory, user } from '../support/fakes';

// The coworking events' rows of the rules table: a request goes to every educator (campus-wide and
// assigned alike), each later step to the student, never to whoever took the step; a cancellation
// only when a check-out did it, and its undoing (restored) too; an expiry too (the scheduler is
// nobody). Russian text in campus time.
const student = randomUUID();
const educator = user('Смирнова Анна', ['educator']);
const assignedHead = user('Петров Олег', ['educator_head'], [{ building: '8', entrance: 2 }]);
const admin = user('Ночной Админ', ['admin']);
const otherStudent = user('Студент Другой', ['student']);
const directory = new MemoryDirectory([educator, assignedHead, admin, otherStudent]);
const context = (names: Record<string, string> = {}): MessageContext => ({
  names: new Map(Object.entries(names)),
  formatDateTime: dateTimeFormatter('Europe/Moscow'),
});

type Step =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'key_taken'
  | 'key_return_requested'
  | 'key_returned'
  | 'completed'
  | 'night_reminder'
  | 'restored'
  | 'expired';
type TypeOf<S extends Step> = `campus.coworking.booking.${S}.v1`;

function ruleFor<S extends Step>(step: S) {
  const [rule] = NOTIFICATION_RULES.get(`campus.coworking.booking.${step}.v1`) ?? [];
  if (!rule) throw new Error(`no rule for ${step}`);
  return {
    key: rule.key,
    recipients: (d: EventDataByType[TypeOf<S>]) => rule.recipients(d, directory),
    mentions: (d: EventDataByType[TypeOf<S>]) => rule.mentions?.(d) ?? [],
    render: (d: EventDataByType[TypeOf<S>], c = context()) => rule.render(d, c),
  };
}

const booking = (patch: Partial<CoworkingBookingRequestedV1> = {}): CoworkingBookingRequestedV1 => ({
  bookingId: randomUUID(),
  coworkingId: randomUUID(),
  coworkingName: 'Орбита',
  building: '8',
  studentId: student,
  startsAt: '2026-03-10T17:00:00.000Z', // 20:00 Moscow
  endsAt: '2026-03-10T19:00:00.000Z', // 22:00
  status: 'approved',
  actorId: educator.id,
  reason: null,
  checkoutId: null,
  nightReminderCount: 0,
  at: '2026-03-10T12:00:00.000Z',
  ...patch,
});

describe('coworking notification rules', () => {
  it('requested: every educator (campus-wide or assigned), not admins or students; names the student', async () => {
    const rule = ruleFor('requested');
    const data = booking({ status: 'pending', actorId: student });
    expect((await rule.recipients(data)).sort()).toEqual([educator.id, assignedHead.id].sort());
    expect(rule.key).toBe('coworking.requested');
    expect(rule.mentions(data)).toEqual([student]);
    expect(rule.render(data, context({ [student]: 'Иванова Мария' }))).toEqual({
      title: 'Новая заявка на коворкинг',
      body: 'Иванова Мария просит коворкинг «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00. Одобрите или отклоните заявку.',
      data: {
        bookingId: data.bookingId,
        coworkingId: data.coworkingId,
        building: '8',
        status: 'pending',
        studentId: student,
      },
    });
    // An educator booking for themselves is not told about their own request.
    expect(await rule.recipients(booking({ studentId: educator.id, actorId: educator.id }))).toEqual([assignedHead.id]);
  });

  it('approved: the student, with the slot in campus time (the end date when it is another day)', async () => {
    const rule = ruleFor('approved');
    const data = booking();
    expect(await rule.recipients(data)).toEqual([student]);
    expect(rule.render(data)).toMatchObject({
      title: 'Бронь коворкинга одобрена',
      body: 'Ваша заявка на коворкинг «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 одобрена. Ключ выдаёт воспитатель.',
    });
    const overnight = booking({ endsAt: '2026-03-10T21:30:00.000Z' }); // 00:30 the next day
    expect(rule.render(overnight).body).toContain('с 10 марта в 20:00 до 11 марта в 00:30');
  });

  it('rejected: the student, with the reason when there is one', async () => {
    const rule = ruleFor('rejected');
    const data = booking({ status: 'rejected', reason: ' Идёт уборка. ' });
    expect(await rule.recipients(data)).toEqual([student]);
    expect(rule.render(data)).toMatchObject({
      title: 'Заявка на коворкинг отклонена',
      body: 'Ваша заявка на коворкинг «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 отклонена. Причина: Идёт уборка.',
    });
    expect(rule.render({ ...data, reason: null }).body).not.toContain('Причина');
  });

  it('cancelled: the student only when a check-out cancelled it', async () => {
    const rule = ruleFor('cancelled');
    const checkoutId = randomUUID();
    const byCheckout = booking({ status: 'cancelled', actorId: null, checkoutId });
    expect(await rule.recipients(byCheckout)).toEqual([student]);
    expect(rule.key).toBe('coworking.cancelled_by_checkout');
    expect(rule.render(byCheckout)).toMatchObject({
      title: 'Бронь коворкинга отменена',
      body: 'Ваша бронь коворкинга «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 отменена в связи с выездом из кампуса.',
      data: { bookingId: byCheckout.bookingId, checkoutId },
    });
    expect(await rule.recipients(booking({ status: 'cancelled', actorId: student }))).toEqual([]);
  });

  it('restored: the student, told their booking is back because the check-out was undone', async () => {
    const rule = ruleFor('restored');
    const checkoutId = randomUUID();
    const approved = booking({ status: 'approved', actorId: null, checkoutId });
    expect(await rule.recipients(approved)).toEqual([student]);
    expect(rule.key).toBe('coworking.restored');
    expect(rule.render(approved)).toEqual({
      title: 'Бронь коворкинга восстановлена',
      body:
        'Ваш выезд из кампуса отменён, поэтому бронь коворкинга «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 ' +
        'снова действует. Ключ выдаёт воспитатель.',
      data: {
        bookingId: approved.bookingId,
        coworkingId: approved.coworkingId,
        building: '8',
        status: 'approved',
        checkoutId,
      },
    });
    const pending = booking({ status: 'pending', actorId: null, checkoutId });
    expect(await rule.recipients(pending)).toEqual([student]);
    expect(rule.render(pending)).toMatchObject({
      body:
        'Ваш выезд из кампуса отменён, поэтому заявка на коворкинг «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 ' +
        'снова ожидает рассмотрения.',
      data: { status: 'pending', checkoutId },
    });
  });

  it('key return requested and completed: the student, not the staff member who did it', async () => {
    const recall = ruleFor('key_return_requested');
    const data = booking({ status: 'key_return_requested', actorId: admin.id });
    expect(await recall.recipients(data)).toEqual([student]);
    expect(recall.render(data)).toMatchObject({
      title: 'Верните ключ от коворкинга',
      body: 'Сотрудник кампуса просит вернуть ключ от коворкинга «Орбита» (корпус 8). Верните ключ воспитателю.',
    });
    const completed = ruleFor('completed');
    expect(await completed.recipients(booking({ status: 'completed' }))).toEqual([student]);
    expect(completed.render(booking({ status: 'completed' })).title).toBe('Бронь коворкинга завершена');
  });

  it('night reminder: the student (the scheduler is nobody), naming the hour', async () => {
    const rule = ruleFor('night_reminder');
    const data = booking({ status: 'key_taken', actorId: null, nightReminderCount: 2, at: '2026-03-10T21:30:00.000Z' });
    expect(await rule.recipients(data)).toEqual([student]);
    expect(rule.render(data)).toEqual({
      title: 'Ключ от коворкинга не сдан',
      body: 'Уже 11 марта в 00:30, а ключ от коворкинга «Орбита» (корпус 8) всё ещё у вас. Верните ключ воспитателю.',
      data: {
        bookingId: data.bookingId,
        coworkingId: data.coworkingId,
        building: '8',
        status: 'key_taken',
        nightReminderCount: 2,
      },
    });
  });

  it('expired: the student, told that a request nobody decided or a slot whose key was never taken is over', async () => {
    const rule = ruleFor('expired');
    const expired = (previousStatus: CoworkingBookingExpiredV1['previousStatus']): CoworkingBookingExpiredV1 => ({
      ...booking(),
      status: 'expired',
      previousStatus,
      actorId: null,
      at: '2026-03-10T19:05:00.000Z',
    });
    const pending = expired('pending');
    expect(rule.key).toBe('coworking.expired');
    expect(await rule.recipients(pending)).toEqual([student]);
    expect(rule.mentions(pending)).toEqual([]);
    expect(rule.render(pending)).toEqual({
      title: 'Заявка на коворкинг не рассмотрена',
      body:
        'Ваша заявка на коворкинг «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 не была рассмотрена до конца слота ' +
        'и больше не действует. Вы можете подать новую заявку.',
      data: {
        bookingId: pending.bookingId,
        coworkingId: pending.coworkingId,
        building: '8',
        status: 'expired',
        previousStatus: 'pending',
      },
    });
    const approved = expired('approved');
    expect(await rule.recipients(approved)).toEqual([student]);
    expect(rule.render(approved)).toEqual({
      title: 'Бронь коворкинга истекла',
      body:
        'Бронь коворкинга «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 истекла: ключ так и не взяли. ' +
        'Вы можете подать новую заявку.',
      data: {
        bookingId: approved.bookingId,
        coworkingId: approved.coworkingId,
        building: '8',
        status: 'expired',
        previousStatus: 'approved',
      },
    });
  });

  it('nobody is told about their own step, and key handover/return in person tell nobody', async () => {
    expect(await ruleFor('approved').recipients(booking({ actorId: student }))).toEqual([]);
    expect(await ruleFor('completed').recipients(booking({ actorId: student }))).toEqual([]);
    expect(NOTIFICATION_RULES.has('campus.coworking.booking.key_taken.v1')).toBe(false);
    expect(NOTIFICATION_RULES.has('campus.coworking.booking.key_returned.v1')).toBe(false);
  });
});
