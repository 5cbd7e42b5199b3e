// The use cases the transports receive (GraphQL resolvers, gRPC handlers, the stream routes, the
// event consumer), built once by the composition root.
import type { NotificationInbox } from './inbox.service';
import type { EventNotifier } from './notifier.service';

export interface NotificationServices {
  /** A person's notifications, read state and stream tickets. */
  inbox: NotificationInbox;
  /** Consumed campus events → stored notifications → live fan-out. */
  notifier: EventNotifier;
}
