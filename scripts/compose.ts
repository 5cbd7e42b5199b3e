// Composes supergraph.yaml into supergraph.graphql (the logic: router/tools/compose.ts).
//   npx tsx scripts/compose.ts            write supergraph.graphql   (npm run compose)
//   npx tsx scripts/compose.ts --check    exit 1 when it is stale    (npm run compose:check)
import { main } from '../router/tools/compose';

process.exitCode = main(process.argv.slice(2));
