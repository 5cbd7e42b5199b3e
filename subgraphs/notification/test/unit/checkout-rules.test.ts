import { randomUUID } from 'node:crypto';
import type {
  CheckoutBatchCompletedV1,
  CheckoutStudentCheckOutFailedV1,
  CheckoutStudentCheckedOutV1,
  EventDataByType,
} from '@campus/contracts';
import type { MessageContext } from '../../src/domain/notification';
import { dateTimeFormatter } from '../../src/domain/russian';
import { NOTIFICATION_RULES } from '../../src/services/notification-rules.service';
import {
  CHECKOUT_BATCH_COMPLETED,
  CHECKOUT_BATCH_REQUESTED,
  STUDENT_CHECKED_OUT,
  STUDENT_CHECK_OUT_FAILED,
} from '../support/events';
import { MemoryDirectory, user } from '../support/fakes';

// The check-out saga's rows of the rules table: the student hears that their stay is over, or that
// a key they hold blocks it; the staff member who requested the batch hears about every failure and
// how the batch ended. Data carries the ids a client links to the batch with.
const student = randomUUID();
const requester = user('Смирнова Анна', ['educator_head']);
const bystander = user('Петров Олег', ['educator']);
const directory = new MemoryDirectory([requester, bystander]);
const context: MessageContext = { names: new Map(), formatDateTime: dateTimeFormatter('Europe/Moscow') };
const batchId = randomUUID();
const checkoutId = randomUUID();

type CheckoutType = typeof STUDENT_CHECKED_OUT | typeof STUDENT_CHECK_OUT_FAILED | typeof CHECKOUT_BATCH_COMPLETED;

/** Each audience of the event's row, in order, with its recipients and message. */
function lettersFor<T extends CheckoutType>(type: T, data: EventDataByType[T]) {
  const audiences = NOTIFICATION_RULES.get(type);
  if (!audiences) throw new Error(`no rule for ${type}`);
  return Promise.all(
    audiences.map(async (rule) => ({
      key: rule.key,
      recipients: await rule.recipients(data, directory),
      mentions: rule.mentions?.(data) ?? [],
      message: rule.render(data, context),
    })),
  );
}

const checkedOut = (patch: Partial<CheckoutStudentCheckedOutV1> = {}): CheckoutStudentCheckedOutV1 => ({
  checkoutId,
  batchId,
  studentId: student,
  studentName: 'Иванова Мария',
  requestedBy: requester.id,
  reason: 'Окончание образовательной программы.',
  room: { building: '8', entrance: 2, room: '301' },
  at: '2026-03-10T12:00:00.000Z',
  ...patch,
});

const failed = (patch: Partial<CheckoutStudentCheckOutFailedV1> = {}): CheckoutStudentCheckOutFailedV1 => ({
  checkoutId,
  batchId,
  studentId: student,
  studentName: 'Иванова Мария',
  requestedBy: requester.id,
  reason: 'Окончание образовательной программы',
  step: 'release_bookings',
  failureCode: 'CHECKOUT_KEY_HELD',
  failureReason: 'The student holds the key of Орбита; it must come back before the check-out',
  coworkingName: 'Орбита',
  participantCode: null,
  compensated: [],
  at: '2026-03-10T12:00:00.000Z',
  ...patch,
});

const completed = (patch: Partial<CheckoutBatchCompletedV1> = {}): CheckoutBatchCompletedV1 => ({
  batchId,
  requestedBy: requester.id,
  reason: 'Окончание образовательной программы',
  total: 10,
  succeeded: 8,
  failed: 2,
  at: '2026-03-10T12:00:00.000Z',
  ...patch,
});

describe('check-out notification rules', () => {
  it('checked out: the student, naming the room they left; not the requester', async () => {
    expect(await lettersFor(STUDENT_CHECKED_OUT, checkedOut())).toEqual([
      {
        key: 'checkout.checked_out',
        recipients: [student],
        mentions: [],
        message: {
          title: 'Выезд из кампуса оформлен',
          body:
            'Ваше проживание в кампусе (корпус 8, подъезд 2, комната 301) завершено, учётная запись деактивирована. ' +
            'Причина: Окончание образовательной программы.',
          data: { checkoutId, batchId, studentId: student },
        },
      },
    ]);
  });

  it('checked out without a room: the same message without it', async () => {
    const [letter] = await lettersFor(STUDENT_CHECKED_OUT, checkedOut({ room: null }));
    expect(letter?.message.body).toBe(
      'Ваше проживание в кампусе завершено, учётная запись деактивирована. Причина: Окончание образовательной программы.',
    );
  });

  it('failed on a held key: the student is asked for the key, the requester told which student and step', async () => {
    const [toStudent, toRequester] = await lettersFor(STUDENT_CHECK_OUT_FAILED, failed());
    expect(toStudent).toEqual({
      key: 'checkout.key_held',
      recipients: [student],
      mentions: [],
      message: {
        title: 'Выезд не оформлен: верните ключ',
        body:
          'Ваш выезд из кампуса не оформлен: у вас ключ от коворкинга «Орбита». ' +
          'Верните ключ воспитателю, после этого выезд оформят снова.',
        data: { checkoutId, batchId, studentId: student, failureCode: 'CHECKOUT_KEY_HELD' },
      },
    });
    expect(toRequester).toEqual({
      key: 'checkout.failed',
      recipients: [requester.id],
      mentions: [],
      message: {
        title: 'Выезд студента не оформлен',
        body:
          'Выезд студента Иванова Мария не оформлен: ошибка на шаге «отмена броней коворкингов». ' +
          'Причина: студент не сдал ключ от коворкинга «Орбита». ' +
          'Студента попросили вернуть ключ; после этого оформите выезд снова.',
        data: {
          checkoutId,
          batchId,
          studentId: student,
          step: 'release_bookings',
          failureCode: 'CHECKOUT_KEY_HELD',
        },
      },
    });
  });

  it('failed on a key the student said is back: the student and the requester are asked for the confirmation', async () => {
    const [toStudent, toRequester] = await lettersFor(STUDENT_CHECK_OUT_FAILED, failed({ keyReturnUnconfirmed: true }));
    expect(toStudent?.message).toEqual({
      title: 'Выезд не оформлен: возврат ключа не подтверждён',
      body:
        'Ваш выезд из кампуса не оформлен: возврат ключа от коворкинга «Орбита» ещё не подтвердил воспитатель. ' +
        'Попросите воспитателя подтвердить возврат, после этого выезд оформят снова.',
      data: { checkoutId, batchId, studentId: student, failureCode: 'CHECKOUT_KEY_HELD', keyReturnUnconfirmed: true },
    });
    expect(toRequester?.message.body).toBe(
      'Выезд студента Иванова Мария не оформлен: ошибка на шаге «отмена броней коворкингов». ' +
        'Причина: возврат ключа от коворкинга «Орбита» не подтверждён воспитателем (завершите бронь). ' +
        'Подтвердите возврат ключа (завершите бронь), после этого оформите выезд снова.',
    );
  });

  it('failed otherwise: only the requester, with the step, the reason and that the steps were undone', async () => {
    const data = failed({
      step: 'deactivate_account',
      failureCode: 'CHECKOUT_STEP_TIMED_OUT',
      failureReason: 'The identity service did not complete deactivate_account within 60 s',
      coworkingName: null,
      participantCode: 'UNAVAILABLE',
      compensated: ['close_sanctions', 'withdraw_leave', 'release_bookings'],
    });
    const [toStudent, toRequester] = await lettersFor(STUDENT_CHECK_OUT_FAILED, data);
    expect(toStudent?.recipients).toEqual([]);
    expect(toRequester?.recipients).toEqual([requester.id]);
    expect(toRequester?.message.body).toBe(
      'Выезд студента Иванова Мария не оформлен: ошибка на шаге «деактивация учётной записи». ' +
        'Причина: сервис не отвечал дольше допустимого (UNAVAILABLE). Выполненные шаги отменены.',
    );
    expect(toRequester?.message.data).toMatchObject({
      step: 'deactivate_account',
      failureCode: 'CHECKOUT_STEP_TIMED_OUT',
    });
  });

  it('a refusal names the participant code', async () => {
    const data = failed({
      step: 'deactivate_account',
      failureCode: 'CHECKOUT_STEP_REFUSED',
      coworkingName: null,
      participantCode: 'AUTH_CHECKOUT_NOT_STUDENT',
      compensated: ['release_bookings'],
    });
    const [, toRequester] = await lettersFor(STUDENT_CHECK_OUT_FAILED, data);
    expect(toRequester?.message.body).toContain(
      'Причина: сервис отказал (AUTH_CHECKOUT_NOT_STUDENT). Выполненные шаги отменены.',
    );
  });

  it('an incomplete compensation: the requester is told the student is half checked out, not that it was undone', async () => {
    // finish timed out; identity stayed down past the compensation deadline while deactivate_account
    // was being undone: the account stays deactivated. participantCode is the failed undo's.
    const data = failed({
      step: 'finish',
      failureCode: 'CHECKOUT_COMPENSATION_INCOMPLETE',
      failureReason:
        'Compensation incomplete: the identity service did not undo deactivate_account within 86400 s (…); ' +
        'not undone: deactivate_account, close_sanctions, withdraw_leave, release_bookings. …',
      coworkingName: null,
      participantCode: 'UNAVAILABLE',
      compensated: [],
    });
    const [toStudent, toRequester] = await lettersFor(STUDENT_CHECK_OUT_FAILED, data);
    expect(toStudent?.recipients).toEqual([]);
    expect(toRequester?.recipients).toEqual([requester.id]);
    expect(toRequester?.message.body).toBe(
      'Выезд студента Иванова Мария не оформлен: ошибка на шаге «освобождение места в комнате». ' +
        'Отмена шагов не завершена (UNAVAILABLE): студент оформлен частично, нужна ручная проверка.',
    );
    expect(toRequester?.message.data).toMatchObject({ failureCode: 'CHECKOUT_COMPENSATION_INCOMPLETE' });
    // Some steps were undone before one could not be: still not "the steps were undone".
    const [, partly] = await lettersFor(
      STUDENT_CHECK_OUT_FAILED,
      failed({ ...data, step: 'close_sanctions', participantCode: null, compensated: ['close_sanctions'] }),
    );
    expect(partly?.message.body).toBe(
      'Выезд студента Иванова Мария не оформлен: ошибка на шаге «закрытие взысканий за дежурства». ' +
        'Отмена шагов не завершена: студент оформлен частично, нужна ручная проверка.',
    );
  });

  it('names every step of the saga in Russian', async () => {
    const steps: Array<[CheckoutStudentCheckOutFailedV1['step'], string]> = [
      ['release_bookings', 'отмена броней коворкингов'],
      ['withdraw_leave', 'отзыв заявлений на выход'],
      ['close_sanctions', 'закрытие взысканий за дежурства'],
      ['deactivate_account', 'деактивация учётной записи'],
      ['finish', 'освобождение места в комнате'],
    ];
    for (const [step, phrase] of steps) {
      const [, toRequester] = await lettersFor(STUDENT_CHECK_OUT_FAILED, failed({ step, failureCode: 'X' }));
      expect(toRequester?.message.body).toContain(`на шаге «${phrase}»`);
    }
  });

  it('batch completed: the requester, "N of M checked out, K failed"', async () => {
    expect(await lettersFor(CHECKOUT_BATCH_COMPLETED, completed())).toEqual([
      {
        key: 'checkout.batch_completed',
        recipients: [requester.id],
        mentions: [],
        message: {
          title: 'Выезд студентов завершён: 2 ошибки',
          body:
            'Выезд оформлен для 8 из 10 студентов, не удалось — для 2 (причины — в отдельных уведомлениях). ' +
            'Причина выезда: Окончание образовательной программы.',
          data: { batchId, total: 10, succeeded: 8, failed: 2 },
        },
      },
    ]);
  });

  it('batch completed without failures, and for one student (Russian plurals)', async () => {
    const [all] = await lettersFor(CHECKOUT_BATCH_COMPLETED, completed({ total: 21, succeeded: 21, failed: 0 }));
    expect(all?.message.title).toBe('Выезд студентов завершён');
    expect(all?.message.body).toBe(
      'Выезд оформлен для 21 из 21 студента. Причина выезда: Окончание образовательной программы.',
    );
    const [one] = await lettersFor(CHECKOUT_BATCH_COMPLETED, completed({ total: 1, succeeded: 0, failed: 1 }));
    expect(one?.message.title).toBe('Выезд студентов завершён: 1 ошибка');
    expect(one?.message.body).toMatch(/^Выезд оформлен для 0 из 1 студента, не удалось — для 1 /);
  });

  it('a requested batch tells nobody', () => {
    expect(NOTIFICATION_RULES.has(CHECKOUT_BATCH_REQUESTED)).toBe(false);
  });
});
