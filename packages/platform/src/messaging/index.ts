export * from './broker';
export * from './cloudevents';
export * from './outbox';
export * from './consumer';
export * from './inbox';
export * from './dead-letters';
export * from './broadcast';
export * from './subscription';
