import pino from 'pino';
import { composeService } from '../../src/service';

const logger = pino({ level: 'silent' });

describe('composeService', () => {
  it('returns what the composition exposes, with the logger and a closer of everything, last opened first', async () => {
    const closed: string[] = [];
    const running = await composeService(logger, async (closers) => {
      closers.add(() => void closed.push('database'));
      closers.add(async () => void closed.push('subgraph'));
      return { httpPort: 4001, grpcPort: 50051 };
    });
    expect(running).toMatchObject({ httpPort: 4001, grpcPort: 50051, logger });
    expect(closed).toEqual([]);
    await running.close();
    expect(closed).toEqual(['subgraph', 'database']);
  });

  it('closes what was opened and rethrows when the composition fails', async () => {
    const closed: string[] = [];
    const failure = new Error('port in use');
    await expect(
      composeService(logger, async (closers) => {
        closers.add(() => void closed.push('database'));
        closers.add(() => {
          throw new Error('broker already gone'); // a failing closer does not stop the others
        });
        closers.add(() => void closed.push('relay'));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(closed).toEqual(['relay', 'database']);
  });
});
