export * from './broker';
export * from './cloudevents';
export * from './outbox';
