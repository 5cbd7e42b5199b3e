// The layout check judges file lists: the template passes, each kind of drift is named.
import { layoutProblems, REQUIRED_FILES } from '../../lib/layout';

const template = (name: string) => [
  ...REQUIRED_FILES.map((f) => f.replace('<name>', name)),
  'src/services/leave-commands.service.ts',
  'src/repository/event-store.repository.ts',
  'src/clients/identity.client.ts',
  'src/api/http/document.routes.ts',
  'src/domain/leave-application.ts',
  'test/unit/rules.test.ts',
  'test/integration/api.test.ts',
  'test/support/harness.ts',
];

describe('layoutProblems', () => {
  it('accepts a subgraph laid out as the template', () => {
    expect(layoutProblems('leave', template('leave'))).toEqual([]);
  });

  it('names a missing file role and a missing test folder', () => {
    const files = template('duty').filter((f) => f !== 'src/domain/errors.ts' && !f.startsWith('test/integration/'));
    expect(layoutProblems('duty', files)).toEqual([
      'subgraphs/duty/src/domain/errors.ts is missing',
      'subgraphs/duty/test/integration/ has no test',
    ]);
  });

  it('names files of the wrong role on a floor and folders that are not floors', () => {
    const files = [
      ...template('patrol'),
      'src/services/model.ts',
      'src/api/grpc/handlers.ts',
      'src/events2/x.ts',
      'test/unit/support/fakes.ts',
      'src/util.ts',
    ];
    expect(layoutProblems('patrol', files)).toEqual([
      'subgraphs/patrol/src/services/model.ts: on src/services/ a file is <topic>.service.ts, ports.ts or index.ts',
      'subgraphs/patrol/src/api/grpc/handlers.ts: on src/api/grpc/ a file is <service>.grpc.ts',
      'subgraphs/patrol/src/events2/x.ts: src/events2/ is not a floor of the template (api, schemas, domain, services, events, repository, clients, adapters, messaging, cli, seed)',
      'subgraphs/patrol/test/unit/support/fakes.ts: test support lives in test/support/',
      'subgraphs/patrol/src/util.ts: only main.ts, app.ts, config.ts stand directly in src/',
    ]);
  });
});
