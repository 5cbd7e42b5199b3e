// The processes of the stack, their default ports and what they need. One table for `npm start`,
// the README and the e2e harness to agree on.
export interface ServiceSpec {
  name: string;
  httpPort: number;
  grpcPort: number;
  /** Has a database (prisma/<name>) and therefore migrations. */
  database: boolean;
}

export const SUBGRAPHS: ServiceSpec[] = [
  { name: 'identity', httpPort: 4001, grpcPort: 50051, database: true },
  { name: 'patrol', httpPort: 4002, grpcPort: 50052, database: true },
  { name: 'leave', httpPort: 4005, grpcPort: 50055, database: true },
  { name: 'notification', httpPort: 4006, grpcPort: 50056, database: true },
];

export const ROUTER_PORT = 4000;

/** Only services that exist in this checkout (a subgraph lands with its issue). */
import fs from 'node:fs';
import path from 'node:path';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const presentSubgraphs = (): ServiceSpec[] =>
  SUBGRAPHS.filter((s) => fs.existsSync(path.join(REPO_ROOT, 'subgraphs', s.name, 'src', 'main.ts')));
