import { runService } from '@campus/platform';
import { startLeave } from './app';
import { loadLeaveConfig } from './config';

runService('leave', async () => {
  const leave = await startLeave(loadLeaveConfig());
  return { logger: leave.logger, close: leave.close };
});
