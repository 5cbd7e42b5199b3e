// End-to-end (issue 12, security review 4): a process that reaches a service's gRPC port without the
// deployment's service credential gets UNAUTHENTICATED — identity's directory (GetUsers, with
// parents' phone numbers) included — while the services of the stack still call each other.
import { identityService } from '@campus/contracts';
import { createGrpcClient, DomainError, type GrpcClientOptions } from '@campus/platform';
import { testServiceAuthSecret } from '@campus/testkit';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const SUBMIT = `mutation Submit($input: SubmitLeaveApplicationInput!) {
  submitLeaveApplication(input: $input) { id status applicant { id } } }`;

let stack: Stack;
let identityGrpc: string;

beforeAll(async () => {
  stack = await startStack({ services: ['identity', 'leave'] });
  identityGrpc = `127.0.0.1:${stack.ports.identity![0]!.grpc}`;
});

afterAll(async () => {
  await stack?.stop();
});

/** identity's GetUsers (the whole directory, parents' phones included) from a process on the network. */
async function getUsers(auth: GrpcClientOptions['auth']): Promise<unknown> {
  const client = createGrpcClient(identityService, identityGrpc, { name: 'identity', attempts: 1, auth });
  try {
    return await client.GetUsers({ ids: [], building: '8' });
  } catch (error) {
    return error;
  } finally {
    client.$close();
  }
}

describe("identity's gRPC port", () => {
  it('answers GetUsers without a service credential with UNAUTHENTICATED and no users', async () => {
    const answer = await getUsers(false);
    expect(answer).toBeInstanceOf(DomainError);
    expect(answer).toMatchObject({
      kind: 'UNAUTHENTICATED',
      code: 'UNAUTHENTICATED',
      details: { reason: 'missing', service: 'identity' },
    });
  });

  it('refuses a token signed with a secret other than the deployment’s', async () => {
    const answer = await getUsers({ service: 'leave', secret: 'guessed-secret-guessed-secret-guessed-secret' });
    expect(answer).toMatchObject({ kind: 'UNAUTHENTICATED', details: { reason: 'invalid' } });
  });

  it('answers a service holding the deployment’s secret', async () => {
    const answer = (await getUsers({ service: 'patrol', secret: testServiceAuthSecret() })) as { users?: unknown[] };
    expect(answer.users?.length).toBeGreaterThan(0);
  });
});

describe('services of the stack', () => {
  it('still call each other: leave asks identity for the applicant when a student submits', async () => {
    const token = await stack.login('student.adult@sirius.local');
    const leaveAt = new Date(Date.now() + 24 * HOUR);
    const res = await stack.graphql<{ submitLeaveApplication: { id: string; status: string } }>(SUBMIT, {
      token,
      variables: {
        input: {
          leaveAt: leaveAt.toISOString(),
          returnAt: new Date(leaveAt.getTime() + 30 * HOUR).toISOString(),
          reason: 'Семейные обстоятельства',
          contactPhone: '8 (999) 123-45-67',
        },
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.submitLeaveApplication).toMatchObject({ status: expect.any(String) });
  });
});
