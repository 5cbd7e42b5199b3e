// Bounds that both input parsing (schemas/) and the use cases (services/) rely on.

/** Users one directory answer (gRPC GetUsers) holds, and ids one request may name. */
export const MAX_DIRECTORY_USERS = 1000;

/** Students per import file. */
export const MAX_IMPORT_ROWS = 2000;

/** An export covers the whole filtered list, so it is bounded. */
export const EXPORT_MAX_ROWS = 10_000;
