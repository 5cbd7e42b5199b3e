import { pageRequest, type DomainError } from '@campus/platform';
import { TestClock, authOf, staff, student } from '@campus/testkit';
import { LeaveCommands } from '../../src/services/leave-commands.service';
import { LeaveQueries } from '../../src/services/leave-queries.service';
import { FakeApplicants, InMemoryLeaveStore } from '../support/fakes';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as DomainError).code;
  }
};

async function setup() {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  const store = new InMemoryLeaveStore();
  const applicants = new FakeApplicants();
  const commands = new LeaveCommands({ store, applicants, clock });
  const queries = new LeaveQueries(store, applicants);
  const alice = student();
  const bob = student();
  for (const s of [alice, bob]) applicants.add({ id: s.id, isActive: true, isMinor: false, residence: s.residence });
  const input = {
    leaveAt: new Date('2026-03-02T10:00:00Z'),
    returnAt: new Date('2026-03-04T10:00:00Z'),
    reason: 'r',
    contactPhone: '9123456789',
  };
  const aliceApp = await commands.submit(authOf(alice), input);
  const bobApp = await commands.submit(authOf(bob), input);
  return { queries, commands, store, alice, bob, aliceApp, bobApp };
}

describe('LeaveQueries', () => {
  test('readable: own → the application, someone else’s → FORBIDDEN, staff → any, missing → null', async () => {
    const { queries, store, alice, aliceApp, bobApp } = await setup();
    const own = store.views.get(aliceApp.id)!;
    const other = store.views.get(bobApp.id)!;
    expect(queries.readable(authOf(alice), own)).toBe(own);
    expect(codeOf(() => queries.readable(authOf(alice), other))).toBe('FORBIDDEN');
    expect(queries.readable(authOf(staff('admin')), other)).toBe(other);
    expect(queries.readable(authOf(alice), null)).toBeNull();
    expect(codeOf(() => queries.readable(null, own))).toBe('UNAUTHENTICATED');
  });

  test('a student’s list is their own; asking for someone else’s is FORBIDDEN; staff list all', async () => {
    const { queries, alice, bob, aliceApp } = await setup();
    const page = pageRequest(1, 20);
    expect((await queries.list(authOf(alice), {}, page)).items.map((a) => a.id)).toEqual([aliceApp.id]);
    await expect(queries.list(authOf(alice), { applicantId: bob.id }, page)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await queries.list(authOf(alice), { applicantId: alice.id }, page)).total).toBe(1);
    expect((await queries.list(authOf(staff('educator_head')), {}, page)).total).toBe(2);
  });

  test('User.leaveApplications: the user themself or staff only', async () => {
    const { queries, alice, bob } = await setup();
    expect(() => queries.assertCanListOf(authOf(alice), alice.id)).not.toThrow();
    expect(() => queries.assertCanListOf(authOf(staff()), bob.id)).not.toThrow();
    expect(codeOf(() => queries.assertCanListOf(authOf(alice), bob.id))).toBe('FORBIDDEN');
    expect(codeOf(() => queries.assertCanListOf(null, bob.id))).toBe('UNAUTHENTICATED');
  });

  test('batch reads for DataLoaders', async () => {
    const { queries, alice, bob, aliceApp, bobApp } = await setup();
    expect((await queries.applicationsByIds([aliceApp.id, bobApp.id])).length).toBe(2);
    const pages = await queries.applicationsOfApplicants([alice.id, bob.id], 'PENDING', pageRequest(1, 10));
    expect(pages.get(alice.id)!.map((a) => a.id)).toEqual([aliceApp.id]);
    expect((await queries.historyOf([aliceApp.id])).map((e) => e.type)).toEqual(['SUBMITTED']);
    expect(await queries.documentsOf([aliceApp.id])).toEqual([]);
  });

  test('approved leaves covering an instant: leave ≤ at < return', async () => {
    const { queries, commands, alice, bob, aliceApp } = await setup();
    await commands.decide(authOf(staff()), aliceApp.id, 'APPROVE', null);
    const ids = [alice.id, bob.id, alice.id];
    expect((await queries.approvedLeavesAt(new Date('2026-03-03T20:00:00Z'), ids)).map((a) => a.id)).toEqual([
      aliceApp.id,
    ]);
    expect(await queries.approvedLeavesAt(new Date('2026-03-04T10:00:00Z'), ids)).toEqual([]);
    expect(await queries.approvedLeavesAt(new Date('2026-03-02T09:59:59Z'), ids)).toEqual([]);
    expect(await queries.approvedLeavesAt(new Date('2026-03-03T20:00:00Z'), [])).toEqual([]);
  });
});
