import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type {
  DutyReportSubmittedV1,
  DutyRosterGeneratedV1,
  DutySwapCancelledV1,
  DutySwapRequestedV1,
  EventDataByType,
} from '@campus/contracts';
import { cloudEvent } from '@campus/platform';
import type { MessageContext } from '../../src/domain/notification';
import { dateTimeFormatter } from '../../src/domain/russian';
import { reachesEntrance } from '../../src/domain/staff';
import {
  DUTY_REPORT_REVIEW_SCOPE,
  DUTY_SWAP_REVIEW_SCOPE,
  NOTIFICATION_RULES,
} from '../../src/services/notification-rules.service';
import { EventNotifier } from '../../src/services/notifier.service';
import { MemoryDirectory, MemoryStore, RecordingLive, user } from '../support/fakes';

// The duty events' rows of the rules table: recipients straight from the event (the room's
// residents as the duty service saw them), never the actor, and Russian text in campus time.
const [alice, bob, carol, dave] = ['a', 'b', 'c', 'd'].map(() => randomUUID()) as [string, string, string, string];
const educator = user('Смирнова Анна', ['educator']);
const context = (names: Record<string, string> = {}): MessageContext => ({
  names: new Map(Object.entries(names)),
  formatDateTime: dateTimeFormatter('Europe/Moscow'),
});

function ruleFor<T extends keyof EventDataByType>(type: T) {
  const [rule] = NOTIFICATION_RULES.get(type) ?? [];
  if (!rule) throw new Error(`no rule for ${type}`);
  return {
    key: rule.key,
    recipients: (d: EventDataByType[T]) => rule.recipients(d, new MemoryDirectory([educator])),
    mentions: (d: EventDataByType[T]) => rule.mentions?.(d) ?? [],
    render: (d: EventDataByType[T], c = context()) => rule.render(d, c),
  };
}

const room = { scheduleId: randomUUID(), roomId: randomUUID(), building: '8', entrance: 2, roomNumber: '305' };

const swap = (patch: Partial<DutySwapRequestedV1> = {}): DutySwapRequestedV1 => ({
  swapId: randomUUID(),
  status: 'requested',
  building: '8',
  entrance: 2,
  fromScheduleId: randomUUID(),
  toScheduleId: randomUUID(),
  fromRoomId: randomUUID(),
  toRoomId: randomUUID(),
  fromRoomNumber: '305',
  toRoomNumber: '306',
  fromDate: '2026-03-10',
  toDate: '2026-03-12',
  actorId: alice,
  reason: null,
  fromResidentIds: [alice, bob],
  toResidentIds: [carol, dave],
  ...patch,
});

describe('duty notification rules', () => {
  it('reminders go to the residents: "tomorrow" the evening before, "today" on the day, with the deadline', async () => {
    const rule = ruleFor('campus.duty.schedule.reminder_due.v1');
    const data = {
      ...room,
      dutyDate: '2026-03-10',
      deadlineAt: '2026-03-10T20:00:00.000Z',
      when: 'tomorrow' as const,
      residentIds: [alice, bob, alice],
    };
    expect(await rule.recipients(data)).toEqual([alice, bob]);
    expect(rule.key).toBe('duty.reminder');
    expect(rule.render(data)).toEqual({
      title: 'Завтра дежурство',
      body:
        'Завтра, 10 марта, дежурит ваша комната 305 (корпус 8, подъезд 2). ' +
        'Фотоотчёт нужно отправить до 10 марта в 23:00.',
      data: { scheduleId: room.scheduleId, roomId: room.roomId, building: '8', entrance: 2, dutyDate: '2026-03-10' },
    });
    expect(rule.render({ ...data, when: 'today' }).title).toBe('Сегодня дежурство');
  });

  it('overdue: the residents; sanction: the one resident, with the invitation time', async () => {
    const overdue = ruleFor('campus.duty.schedule.overdue.v1');
    const data = {
      ...room,
      dutyDate: '2026-03-10',
      deadlineAt: '2026-03-10T20:00:00.000Z',
      residentIds: [alice, bob],
      sanctionIds: [randomUUID(), randomUUID()],
    };
    expect(await overdue.recipients(data)).toEqual([alice, bob]);
    expect(overdue.render(data).title).toBe('Дежурство не выполнено');

    const sanction = ruleFor('campus.duty.sanction.created.v1');
    const s = {
      sanctionId: randomUUID(),
      scheduleId: room.scheduleId,
      userId: bob,
      roomId: room.roomId,
      building: '8',
      entrance: 2,
      roomNumber: '305',
      dutyDate: '2026-03-10',
      invitedAt: '2026-03-11T06:00:00.000Z',
    };
    expect(await sanction.recipients(s)).toEqual([bob]);
    const message = sanction.render(s);
    expect(message.title).toBe('Приглашение к воспитателям');
    expect(message.body).toBe(
      'Дежурство комнаты 305 за 10 марта не выполнено. Подойдите к воспитателям, начиная с 11 марта в 09:00.',
    );
    expect(message.data).toMatchObject({ sanctionId: s.sanctionId, scheduleId: room.scheduleId });
  });

  describe('who acts on an entrance under duty’s scope rules (reachesEntrance)', () => {
    const entrance82 = { building: '8', entrance: 2 };
    it('an educator anywhere, even one assigned entrances as educator_head; an educator_head only where assigned', () => {
      const dual = user('Волков Игорь', ['educator', 'educator_head'], [{ building: '9', entrance: 3 }]);
      const headOf82 = user('Кузнецов Олег', ['educator_head'], [entrance82]);
      const unassigned = user('Новикова Вера', ['educator_head']);
      const studentHead = user('Петров Пётр', ['student', 'student_head'], [], entrance82);
      const admin = user('Дежурный Администратор', ['admin']);
      const reviews = (u: typeof educator) => reachesEntrance(u, entrance82, DUTY_REPORT_REVIEW_SCOPE);
      expect([educator, dual, headOf82, unassigned, studentHead, admin].map(reviews)).toEqual([
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
      // A swap's scope adds the student_head living in the entrance, not one living elsewhere.
      expect(reachesEntrance(studentHead, entrance82, DUTY_SWAP_REVIEW_SCOPE)).toBe(true);
      expect(reachesEntrance(studentHead, { building: '8', entrance: 3 }, DUTY_SWAP_REVIEW_SCOPE)).toBe(false);
      expect(reachesEntrance(unassigned, entrance82, DUTY_SWAP_REVIEW_SCOPE)).toBe(false);
    });
  });

  describe('a submitted photo report', () => {
    const type = 'campus.duty.report.submitted.v1';
    // Who may review a report of entrance 8/2 (duty's REPORT_REVIEW_SCOPE), and who may not.
    const headOf82 = user('Кузнецов Олег', ['educator_head'], [{ building: '8', entrance: 2 }]);
    const headOf93 = user('Орлова Мария', ['educator_head'], [{ building: '9', entrance: 3 }]);
    const dualOf93 = user('Волков Игорь', ['educator', 'educator_head'], [{ building: '9', entrance: 3 }]);
    const unassignedHead = user('Новикова Вера', ['educator_head']);
    const studentHead82 = user('Петров Пётр', ['student', 'student_head'], [], { building: '8', entrance: 2 });
    const admin = user('Дежурный Администратор', ['admin']);
    const people = [educator, headOf82, headOf93, dualOf93, unassignedHead, studentHead82, admin];
    const submitted = (patch: Partial<DutyReportSubmittedV1> = {}): DutyReportSubmittedV1 => ({
      ...room,
      reportId: randomUUID(),
      dutyDate: '2026-03-10',
      submittedBy: alice,
      photoCount: 9,
      ...patch,
    });
    const rule = () => {
      const [only, ...more] = NOTIFICATION_RULES.get(type) ?? [];
      expect(more).toEqual([]);
      return only!;
    };

    it('asks exactly who duty lets review it: every educator and the entrance’s educator_head, one call per role', async () => {
      const directory = new MemoryDirectory(people);
      const ids = await rule().recipients(submitted(), directory);
      expect(new Set<unknown>(ids)).toEqual(new Set([educator.id, headOf82.id, dualOf93.id]));
      expect(ids).toHaveLength(3);
      expect(directory.calls.sort()).toEqual(['role:educator', 'role:educator_head']);
      // Another entrance: its own educator_head instead.
      expect(new Set<unknown>(await rule().recipients(submitted({ building: '9', entrance: 3 }), directory))).toEqual(
        new Set([educator.id, headOf93.id, dualOf93.id]),
      );
    });

    it('says which room’s report of which day waits, in Russian, with what a client needs to open it', () => {
      const data = submitted();
      expect(rule().key).toBe('duty.report_awaiting_review');
      expect(rule().render(data, context())).toEqual({
        title: 'Фотоотчёт ждёт проверки',
        body:
          'Фотоотчёт о дежурстве комнаты 305 (корпус 8, подъезд 2) за 10 марта ждёт вашей проверки: ' +
          'примите или отклоните его.',
        data: {
          scheduleId: room.scheduleId,
          roomId: room.roomId,
          building: '8',
          entrance: 2,
          dutyDate: '2026-03-10',
          reportId: data.reportId,
        },
      });
    });

    it('stores one letter per reviewer, nobody else', async () => {
      const store = new MemoryStore();
      const notifier = new EventNotifier({
        rules: NOTIFICATION_RULES,
        directory: new MemoryDirectory(people),
        store,
        live: new RecordingLive(),
        timeZone: 'Europe/Moscow',
      });
      const event = cloudEvent({ source: '/campus/duty', type, data: submitted() });
      await expect(notifier.handle(event, pino({ level: 'silent' }))).resolves.toEqual({ outcome: 'stored', count: 3 });
      expect(new Map(store.notifications.map((n) => [n.userId, n.key]))).toEqual(
        new Map([educator.id, headOf82.id, dualOf93.id].map((id) => [id, 'duty.report_awaiting_review'])),
      );
    });
  });

  it('a reviewed report: the residents but not the reviewer; a rejection says why', async () => {
    const base = {
      ...room,
      reportId: randomUUID(),
      dutyDate: '2026-03-10',
      reviewedBy: dave,
      residentIds: [alice, dave],
    };
    expect(await ruleFor('campus.duty.report.accepted.v1').recipients(base)).toEqual([alice]);
    const rejected = ruleFor('campus.duty.report.rejected.v1');
    const message = rejected.render({ ...base, reason: ' Плита грязная. ' });
    expect(message.title).toBe('Отчёт о дежурстве отклонён');
    expect(message.body).toContain('Причина: Плита грязная. Исправьте');
    expect(message.body).toMatch(/ещё раз до конца срока\.$/); // an event from before resubmitBy
    // a late rejection moved the deadline to the next day's 23:00 Moscow time: the letter names it
    const late = rejected.render({ ...base, reason: 'Плита грязная', resubmitBy: '2026-03-11T20:00:00.000Z' });
    expect(late.body).toMatch(/ещё раз до 11 марта в 23:00\.$/);
    expect(late.data).toMatchObject({ resubmitBy: '2026-03-11T20:00:00.000Z' });
  });

  it('a moved duty: the residents but not who moved it', async () => {
    const rule = ruleFor('campus.duty.schedule.moved.v1');
    const data = { ...room, fromDate: '2026-03-10', toDate: '2026-03-12', movedBy: bob, residentIds: [alice, bob] };
    expect(await rule.recipients(data)).toEqual([alice]);
    expect(rule.render(data).body).toBe('Дежурство комнаты 305 перенесено с 10 марта на 12 марта.');
  });

  it('swaps: asked → the other room, naming the asker; declined → the asking room; approved and rejected → both', async () => {
    const requested = ruleFor('campus.duty.swap.requested.v1');
    expect(await requested.recipients(swap())).toEqual([carol, dave]);
    expect(requested.mentions(swap())).toEqual([alice]);
    expect(requested.render(swap({ reason: 'Экзамен' }), context({ [alice]: 'Иванов Иван' })).body).toBe(
      'Иванов Иван (комната 305) предлагает поменяться дежурствами: ваше 12 марта на их 10 марта. Причина: Экзамен.',
    );
    expect(
      await ruleFor('campus.duty.swap.declined.v1').recipients(swap({ status: 'declined', actorId: carol })),
    ).toEqual([alice, bob]);
    const approved = swap({ status: 'approved', actorId: educator.id });
    expect(await ruleFor('campus.duty.swap.approved.v1').recipients(approved)).toEqual([alice, bob, carol, dave]);
    expect(ruleFor('campus.duty.swap.approved.v1').render(approved).body).toBe(
      'Теперь комната 305 дежурит 12 марта, а комната 306 — 10 марта.',
    );
    expect(await ruleFor('campus.duty.swap.rejected.v1').recipients({ ...approved, status: 'rejected' })).toEqual([
      alice,
      bob,
      carol,
      dave,
    ]);
  });

  describe('a swap the other room accepted', () => {
    // Who may approve it (duty's requireSwapReviewer) for entrance 8/2, and who may not.
    const headOf82 = user('Кузнецов Олег', ['educator_head'], [{ building: '8', entrance: 2 }]);
    const headOf93 = user('Орлова Мария', ['educator_head'], [{ building: '9', entrance: 3 }]);
    const studentHead82 = user('Петров Пётр', ['student', 'student_head'], [], { building: '8', entrance: 2 });
    const studentHead83 = user('Сидорова Ольга', ['student', 'student_head'], [], { building: '8', entrance: 3 });
    const admin = user('Дежурный Администратор', ['admin']);
    const staff = [educator, headOf82, headOf93, studentHead82, studentHead83, admin];
    const accepted = (patch: Partial<DutySwapRequestedV1> = {}) =>
      swap({ status: 'accepted', actorId: carol, ...patch });
    const audiences = () => NOTIFICATION_RULES.get('campus.duty.swap.accepted.v1') ?? [];

    it('asks the entrance’s educators, its educator_head and its student_head to decide, then tells the asking room', async () => {
      const [review, asking] = audiences();
      expect([review?.key, asking?.key]).toEqual(['duty.swap_awaiting_approval', 'duty.swap_accepted']);
      const directory = new MemoryDirectory(staff);
      expect(new Set<unknown>(await review!.recipients(accepted(), directory))).toEqual(
        new Set([educator.id, headOf82.id, studentHead82.id]),
      );
      expect(await asking!.recipients(accepted(), directory)).toEqual([alice, bob]);

      const data = accepted({ reason: 'Без проблем.' });
      expect(review!.render(data, context())).toEqual({
        title: 'Обмен дежурствами ждёт одобрения',
        body:
          'Комнаты 305 и 306 (корпус 8, подъезд 2) договорились поменяться дежурствами (10 марта ↔ 12 марта). ' +
          'Одобрите или отклоните обмен. Комментарий: Без проблем.',
        data: {
          swapId: data.swapId,
          fromScheduleId: data.fromScheduleId,
          toScheduleId: data.toScheduleId,
          building: '8',
          entrance: 2,
        },
      });
      expect(asking!.render(accepted(), context())).toMatchObject({
        title: 'Обмен дежурствами принят',
        body: 'Комната 306 согласилась поменяться дежурствами (10 марта ↔ 12 марта). Теперь обмен ждёт одобрения воспитателей.',
      });
    });

    it('does not ask a student_head who lives in either room of the swap (they may not approve it)', async () => {
      const [review] = audiences();
      const directory = new MemoryDirectory(staff);
      // studentHead82 living in the asking room, then in the other room (not the one who accepted)
      for (const data of [
        accepted({ fromResidentIds: [alice, studentHead82.id] }),
        accepted({ toResidentIds: [carol, studentHead82.id] }),
      ]) {
        expect(new Set<unknown>(await review!.recipients(data, directory))).toEqual(
          new Set([educator.id, headOf82.id]),
        );
      }
    });

    it('asks an educator assigned other entrances as educator_head, not an educator_head assigned none (as duty decides)', async () => {
      const [review] = audiences();
      const dual = user('Волков Игорь', ['educator', 'educator_head'], [{ building: '9', entrance: 3 }]);
      const unassigned = user('Новикова Вера', ['educator_head']);
      const directory = new MemoryDirectory([...staff, dual, unassigned]);
      expect(new Set<unknown>(await review!.recipients(accepted(), directory))).toEqual(
        new Set([educator.id, headOf82.id, studentHead82.id, dual.id]),
      );
    });

    it('one letter per person, once: a student_head of the asking room is told as the room; the accepting one is not told', async () => {
      const headOfBoth = user('Алексеева Алла', ['student', 'student_head'], [], { building: '8', entrance: 2 });
      const store = new MemoryStore();
      const notifier = new EventNotifier({
        rules: NOTIFICATION_RULES,
        directory: new MemoryDirectory([...staff, headOfBoth]),
        store,
        live: new RecordingLive(),
        timeZone: 'Europe/Moscow',
      });
      // headOfBoth lives in the asking room; studentHead82 accepted for the other room.
      const data = accepted({
        actorId: studentHead82.id,
        fromResidentIds: [headOfBoth.id, bob],
        toResidentIds: [studentHead82.id, dave],
      });
      const event = cloudEvent({ source: '/campus/duty', type: 'campus.duty.swap.accepted.v1', data });
      const logger = pino({ level: 'silent' });
      await expect(notifier.handle(event, logger)).resolves.toEqual({ outcome: 'stored', count: 4 });
      await expect(notifier.handle(event, logger)).resolves.toEqual({ outcome: 'duplicate' });
      const byUser = new Map(store.notifications.map((n) => [n.userId, n.key]));
      expect(store.notifications).toHaveLength(4);
      expect(byUser).toEqual(
        new Map([
          [educator.id, 'duty.swap_awaiting_approval'],
          [headOf82.id, 'duty.swap_awaiting_approval'],
          [headOfBoth.id, 'duty.swap_accepted'],
          [bob, 'duty.swap_accepted'],
        ]),
      );
    });
  });

  describe('a swap cancelled while it waited for approval', () => {
    const headOf82 = user('Кузнецов Олег', ['educator_head'], [{ building: '8', entrance: 2 }]);
    const headOf93 = user('Орлова Мария', ['educator_head'], [{ building: '9', entrance: 3 }]);
    const studentHead82 = user('Петров Пётр', ['student', 'student_head'], [], { building: '8', entrance: 2 });
    const people = [educator, headOf82, headOf93, studentHead82];
    const cancelled = (patch: Partial<DutySwapCancelledV1> = {}): DutySwapCancelledV1 => ({
      ...swap({ status: 'cancelled', actorId: alice }),
      previousStatus: 'accepted',
      ...patch,
    });
    const audiences = () => NOTIFICATION_RULES.get('campus.duty.swap.cancelled.v1') ?? [];

    it('tells those asked to approve it (as on accepted) that it no longer needs them; the asked room as before', async () => {
      const [room, review] = audiences();
      expect([room?.key, review?.key]).toEqual(['duty.swap_cancelled', 'duty.swap_approval_cancelled']);
      const directory = new MemoryDirectory(people);
      const reviewers = await review!.recipients(cancelled(), directory);
      expect(new Set<unknown>(reviewers)).toEqual(new Set([educator.id, headOf82.id, studentHead82.id]));
      const asked = await NOTIFICATION_RULES.get('campus.duty.swap.accepted.v1')![0]!.recipients(
        { ...cancelled(), status: 'accepted', actorId: carol },
        directory,
      );
      expect(new Set<unknown>(reviewers)).toEqual(new Set<unknown>(asked));
      expect(await room!.recipients(cancelled(), directory)).toEqual([carol, dave]);

      const data = cancelled({ reason: 'Планы изменились.' });
      expect(review!.render(data, context())).toEqual({
        title: 'Обмен дежурствами отозван',
        body:
          'Комната 305 отозвала обмен дежурствами с комнатой 306 (корпус 8, подъезд 2; 10 марта ↔ 12 марта). ' +
          'Обмен больше не ждёт вашего одобрения. Причина: Планы изменились.',
        data: {
          swapId: data.swapId,
          fromScheduleId: data.fromScheduleId,
          toScheduleId: data.toScheduleId,
          building: '8',
          entrance: 2,
        },
      });
    });

    it('tells no reviewer about a request nobody had accepted, nor when the event does not say (older events)', async () => {
      const [, review] = audiences();
      const directory = new MemoryDirectory(people);
      expect(await review!.recipients(cancelled({ previousStatus: 'requested' }), directory)).toEqual([]);
      const { previousStatus: _omitted, ...older } = cancelled();
      expect(await review!.recipients(older, directory)).toEqual([]);
      expect(directory.calls).toEqual([]); // identity is not even asked
    });

    it('stores one letter per person: the asked room and the reviewers, not the asking room', async () => {
      const store = new MemoryStore();
      const notifier = new EventNotifier({
        rules: NOTIFICATION_RULES,
        directory: new MemoryDirectory(people),
        store,
        live: new RecordingLive(),
        timeZone: 'Europe/Moscow',
      });
      const event = cloudEvent({ source: '/campus/duty', type: 'campus.duty.swap.cancelled.v1', data: cancelled() });
      await expect(notifier.handle(event, pino({ level: 'silent' }))).resolves.toEqual({ outcome: 'stored', count: 5 });
      expect(new Map(store.notifications.map((n) => [n.userId, n.key]))).toEqual(
        new Map([
          [carol, 'duty.swap_cancelled'],
          [dave, 'duty.swap_cancelled'],
          [educator.id, 'duty.swap_approval_cancelled'],
          [headOf82.id, 'duty.swap_approval_cancelled'],
          [studentHead82.id, 'duty.swap_approval_cancelled'],
        ]),
      );
    });
  });

  it('a cancelled swap → the room that was asked, not the asker’s room, with the reason', async () => {
    const rule = ruleFor('campus.duty.swap.cancelled.v1');
    const data = swap({ status: 'cancelled', reason: 'Планы изменились' });
    expect(rule.key).toBe('duty.swap_cancelled');
    expect(await rule.recipients(data)).toEqual([carol, dave]);
    expect(await rule.recipients({ ...data, toResidentIds: [carol, alice] })).toEqual([carol]);
    expect(rule.render(data)).toMatchObject({
      title: 'Просьба об обмене дежурствами отозвана',
      body: 'Комната 305 отозвала просьбу поменяться дежурствами (10 марта ↔ 12 марта). Причина: Планы изменились.',
      data: { swapId: data.swapId },
    });
  });

  it('a sanction resolved by an educator → the student, with the note; not the resolver; not after a check-out', async () => {
    const rule = ruleFor('campus.duty.sanction.resolved.v1');
    const data = {
      sanctionId: randomUUID(),
      scheduleId: room.scheduleId,
      userId: bob,
      resolvedBy: educator.id,
      note: ' Поговорили, дежурство отработано. ',
      checkoutId: null,
    };
    expect(rule.key).toBe('duty.sanction_resolved');
    expect(await rule.recipients(data)).toEqual([bob]);
    expect(rule.render(data)).toEqual({
      title: 'Санкция закрыта',
      body: 'Ваша санкция за невыполненное дежурство закрыта. Комментарий воспитателя: Поговорили, дежурство отработано.',
      data: { sanctionId: data.sanctionId, scheduleId: room.scheduleId },
    });
    // Events written since they carry it name the room and the missed day.
    expect(rule.render({ ...data, roomNumber: '301', dutyDate: '2026-03-10' }).body).toBe(
      'Ваша санкция за невыполненное дежурство комнаты 301 за 10 марта закрыта. ' +
        'Комментарий воспитателя: Поговорили, дежурство отработано.',
    );
    // Closed by the student's own check-out: they are leaving, nobody is told.
    const byCheckout = {
      ...data,
      resolvedBy: null,
      note: "Closed by the student's check-out",
      checkoutId: randomUUID(),
    };
    expect(await rule.recipients(byCheckout)).toEqual([]);
    // Nobody is told about their own action.
    expect(await rule.recipients({ ...data, resolvedBy: bob })).toEqual([]);
  });

  it('a sanction reopened by an undone check-out → the student, invited again', async () => {
    const rule = ruleFor('campus.duty.sanction.reopened.v1');
    const data = { sanctionId: randomUUID(), scheduleId: room.scheduleId, userId: alice, checkoutId: randomUUID() };
    expect(rule.key).toBe('duty.sanction_reopened');
    expect(await rule.recipients(data)).toEqual([alice]);
    expect(rule.render(data)).toEqual({
      title: 'Санкция снова открыта',
      body:
        'Ваш выезд из кампуса отменён, поэтому санкция за невыполненное дежурство снова открыта. ' +
        'Подойдите к воспитателям.',
      data: { sanctionId: data.sanctionId, scheduleId: room.scheduleId, checkoutId: data.checkoutId },
    });
    expect(rule.render({ ...data, roomNumber: '301', dutyDate: '2026-03-10' }).body).toBe(
      'Ваш выезд из кампуса отменён, поэтому санкция за невыполненное дежурство комнаты 301 за 10 марта снова ' +
        'открыта. Подойдите к воспитателям.',
    );
  });

  describe('a generated roster', () => {
    const type = 'campus.duty.roster.generated.v1';
    const entrance82 = { building: '8', entrance: 2 };
    const [room301, room302] = [randomUUID(), randomUUID()];
    const duty = (roomId: string, roomNumber: string, dutyDate: string) => ({
      scheduleId: randomUUID(),
      roomId,
      roomNumber,
      dutyDate,
    });
    const roster = (generatedBy = educator.id): DutyRosterGeneratedV1 => ({
      rosterId: randomUUID(),
      ...entrance82,
      month: '2026-12',
      generatedBy,
      // by date, as duty lists them; 303 has no duty this month
      duties: [
        duty(room301, '301', '2026-12-05'),
        duty(room302, '302', '2026-12-06'),
        duty(room301, '301', '2026-12-19'),
        duty(room302, '302', '2026-12-20'),
      ],
    });
    const [erin, frank] = [randomUUID(), randomUUID()];
    // 301: alice and bob; 302: carol; 303: dave; room 301 of entrance 8/3: erin. A student_head
    // (frank) lives in 302 of 8/2.
    const residents = [
      { id: alice, room: '301', entrance: entrance82 },
      { id: bob, room: '301', entrance: entrance82 },
      { id: carol, room: '302', entrance: entrance82 },
      { id: frank, room: '302', entrance: entrance82 },
      { id: dave, room: '303', entrance: entrance82 },
      { id: erin, room: '301', entrance: { building: '8', entrance: 3 } },
    ];

    it('groups the entrance’s residents by room, with one identity call; rooms without a duty and other entrances are left out', async () => {
      const [rule] = NOTIFICATION_RULES.get(type) ?? [];
      const directory = new MemoryDirectory([educator], residents);
      expect(rule?.key).toBe('duty.roster');
      expect(await rule!.recipients(roster(), directory)).toEqual([
        { about: '301', userIds: [alice, bob] },
        { about: '302', userIds: [carol, frank] },
      ]);
      expect(directory.calls).toEqual(['residents:8/2']);
    });

    it('each room reads its own dates of the month', () => {
      const [rule] = NOTIFICATION_RULES.get(type) ?? [];
      const data = roster();
      expect(rule!.render(data, context(), '301')).toEqual({
        title: 'График дежурств на декабрь 2026',
        body: 'Ваша комната 301 дежурит 5 и 19 декабря.',
        data: {
          rosterId: data.rosterId,
          building: '8',
          entrance: 2,
          month: '2026-12',
          roomId: room301,
          dutyDates: ['2026-12-05', '2026-12-19'],
          scheduleIds: [data.duties[0]!.scheduleId, data.duties[2]!.scheduleId],
        },
      });
      expect(rule!.render(data, context(), '302').body).toBe('Ваша комната 302 дежурит 6 и 20 декабря.');
    });

    it('stores one letter per resident (the generator too, if they live there); identity down → retried, nothing stored', async () => {
      const store = new MemoryStore();
      const directory = new MemoryDirectory([educator], residents);
      const notifier = new EventNotifier({
        rules: NOTIFICATION_RULES,
        directory,
        store,
        live: new RecordingLive(),
        timeZone: 'Europe/Moscow',
      });
      const logger = pino({ level: 'silent' });
      // Generated by the student_head living in 302: their letter is their room's dates.
      const event = cloudEvent({ source: '/campus/duty', type, data: roster(frank) });
      await expect(notifier.handle(event, logger)).resolves.toEqual({ outcome: 'stored', count: 4 });
      expect(new Map(store.notifications.map((n) => [n.userId, n.body]))).toEqual(
        new Map([
          [alice, 'Ваша комната 301 дежурит 5 и 19 декабря.'],
          [bob, 'Ваша комната 301 дежурит 5 и 19 декабря.'],
          [carol, 'Ваша комната 302 дежурит 6 и 20 декабря.'],
          [frank, 'Ваша комната 302 дежурит 6 и 20 декабря.'],
        ]),
      );
      expect(store.notifications.every((n) => n.key === 'duty.roster')).toBe(true);

      const down = new MemoryDirectory([educator], residents);
      down.residentsOf = () => Promise.reject(new Error('identity unavailable'));
      const failing = new EventNotifier({
        rules: NOTIFICATION_RULES,
        directory: down,
        store,
        live: new RecordingLive(),
        timeZone: 'Europe/Moscow',
      });
      const again = cloudEvent({ source: '/campus/duty', type, data: roster() });
      await expect(failing.handle(again, logger)).rejects.toThrow('identity unavailable');
      expect(store.inbox.has(`notification/${again.id}`)).toBe(false);
    });
  });
});
