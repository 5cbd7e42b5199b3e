import type { Logger } from 'pino';
import { ConfigError } from './config';

export type Closer = () => Promise<void> | void;

/**
 * Runs a process's main function: a configuration problem stops it with one clear line; SIGTERM or
 * SIGINT closes everything registered (in reverse order) within the grace period, then exits.
 */
export function runService(name: string, main: () => Promise<{ logger: Logger; close: Closer }>): void {
  main()
    .then(({ logger, close }) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, `${name} shutting down`);
        Promise.resolve(close())
          .then(() => {
            logger.info(`${name} stopped`);
            process.exit(0);
          })
          .catch((error: unknown) => {
            logger.error({ err: error }, `${name} failed to stop cleanly`);
            process.exit(1);
          });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${name}: ${error.message}\n`);
      } else {
        process.stderr.write(
          `${JSON.stringify({ level: 'fatal', service: name, msg: 'failed to start', err: String((error as Error)?.stack ?? error) })}\n`,
        );
      }
      process.exit(1);
    });
}

/** Closes in reverse order of registration, continuing past failures. */
export class Closers {
  private readonly closers: Closer[] = [];

  add(closer: Closer): this {
    this.closers.push(closer);
    return this;
  }

  async closeAll(logger?: Logger): Promise<void> {
    for (const closer of [...this.closers].reverse()) {
      try {
        await closer();
      } catch (error) {
        logger?.warn({ err: error }, 'error while closing');
      }
    }
  }
}

/** What a composition root exposes, plus the logger it runs with and the closer of everything it opened. */
export type ComposedService<T extends object> = T & { logger: Logger; close(): Promise<void> };

/**
 * Runs a composition root (`app.ts`): `compose` opens resources and registers their closers as it
 * goes. If it fails, everything opened so far is closed (in reverse order) and the error is
 * rethrown; otherwise its result comes back with `logger` and a `close` that closes everything.
 *
 *   return composeService(logger, async (closers) => {
 *     const { pool } = openDatabase(PrismaClient, { ...settings, metrics, closers });
 *     const subgraph = await startSubgraph({ ... });
 *     closers.add(() => subgraph.close());
 *     return { httpPort: subgraph.httpPort, grpcPort: subgraph.grpcPort };
 *   });
 */
export async function composeService<T extends object>(
  logger: Logger,
  compose: (closers: Closers) => Promise<T>,
): Promise<ComposedService<T>> {
  const closers = new Closers();
  try {
    const exposed = await compose(closers);
    return { ...exposed, logger, close: () => closers.closeAll(logger) };
  } catch (error) {
    await closers.closeAll(logger);
    throw error;
  }
}
