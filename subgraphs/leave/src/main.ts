import { runService } from '@campus/platform';
import { startLeave } from './app';
import { loadLeaveConfig } from './config';

runService('leave', () => startLeave(loadLeaveConfig()));
