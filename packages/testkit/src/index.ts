export * from './database';
export * from './graphql';
export * from './ports';
export * from './process';
export * from './tcp-proxy';
export * from './sse';
export * from './media';
export * from './concurrency';
