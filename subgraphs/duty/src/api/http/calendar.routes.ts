import type { Express } from 'express';
import { notFound, sendError, timedRoute, type Metrics } from '@campus/platform';
import { ICAL_CONTENT_TYPE } from '../../domain/calendar-feed';
import type { DutyServices } from '../../services';

export interface CalendarRoutesDeps {
  services: Pick<DutyServices, 'calendarFeeds'>;
  metrics: Metrics;
}

/**
 * The room iCal feed, reached through the router unchanged (phone calendars poll it, no login):
 *   GET /calendars/duty/:token.ics   a secret URL from createRoomCalendarFeed
 * An unknown or replaced token is 403 DUTY_CALENDAR_LINK_INVALID ({"error_code","message","details"}).
 */
export function mountCalendarRoutes(app: Express, deps: CalendarRoutesDeps): void {
  app.get(
    '/calendars/duty/:token.ics',
    timedRoute(deps.metrics, 'GET /calendars/duty', async (req, res) => {
      const body = await deps.services.calendarFeeds.feed(String(req.params.token));
      res.status(200);
      res.setHeader('Content-Type', ICAL_CONTENT_TYPE);
      // Personal, yet polled often: a client may reuse it for a few minutes, a shared cache never.
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.send(body);
    }),
  );
  app.all(['/calendars/duty', '/calendars/duty/*rest'], (_req, res) => {
    sendError(res, notFound('No such calendar route'));
  });
}
