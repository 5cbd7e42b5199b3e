import { runService } from '@campus/platform';
import { startNotification } from './app';
import { loadNotificationConfig } from './config';

runService('notification', async () => {
  const running = await startNotification(loadNotificationConfig());
  return { logger: running.logger, close: running.close };
});
