import { runService } from '@campus/platform';
import { startDuty } from './app';
import { loadDutyConfig } from './config';

runService('duty', () => startDuty(loadDutyConfig()));
