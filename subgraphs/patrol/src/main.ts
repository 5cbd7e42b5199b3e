// Process entry point (tracing is preloaded with `node -r @campus/platform/telemetry-register`).
import { runService } from '@campus/platform';
import { startPatrol } from './app';
import { loadPatrolConfig } from './config';

runService('patrol', () => startPatrol(loadPatrolConfig()));
