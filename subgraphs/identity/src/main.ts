// Process entry: node -r @campus/platform/telemetry-register subgraphs/identity/dist/main.js
import { runService } from '@campus/platform';
import { startIdentity } from './app';
import { loadIdentityConfig } from './config';

runService('identity', () => startIdentity(loadIdentityConfig()));
