// AMQP messaging: CloudEvents, the transactional outbox, reliable consumers, inbox, operator tools.
export { AmqpBroker, UnroutedEventError, type BrokerOptions } from './broker';
export { cloudEvent, type CloudEvent, type NewCloudEvent } from './cloudevents';
export {
  OutboxRelay,
  enqueueEvents,
  outboxInsert,
  outboxParameter,
  type OutboxRelayOptions,
  type SqlExecutor,
} from './outbox';
export { startOutboxPublishing, type OutboxPublishingOptions } from './publishing';
export {
  EventConsumer,
  UnprocessableEventError,
  type ConsumeContext,
  type EventConsumerOptions,
  type EventHandler,
} from './consumer';
export {
  EVENT_QUEUE_OPTIONS,
  consumerQueues,
  declareEventQueue,
  defaultEventQueueName,
  eventQueuesFromContracts,
  type ConsumedEventType,
  type ConsumerQueues,
  type EventQueue,
} from './topology';
export {
  InboxPruner,
  inboxClaim,
  inboxHas,
  inboxHasOnPool,
  withInbox,
  type InboxOutcome,
  type InboxPrunerOptions,
  type SqlQuerier,
  type TransactionRunner,
} from './inbox';
export {
  listParked,
  replayParked,
  type ParkedListing,
  type ParkedMessage,
  type ReplayResult,
  type ReplaySelection,
} from './dead-letters';
export { Broadcast, type BroadcastOptions } from './broadcast';
