// Bounds that both input parsing (schemas/) and the use cases (services/) rely on.

/** Users one directory answer (gRPC GetUsers) holds, and ids one request may name. */
export const MAX_DIRECTORY_USERS = 1000;

/** Students per import file. */
export const MAX_IMPORT_ROWS = 2000;

/** An export covers the whole filtered list, so it is bounded. */
export const EXPORT_MAX_ROWS = 10_000;

/** Rooms one addRooms call adds (one entrance's worth, with room to spare). */
export const MAX_ADDED_ROOMS = 200;

/** The highest floor a room may be on. */
export const MAX_FLOOR = 50;

/** The most residents one room may hold. */
export const MAX_ROOM_CAPACITY = 20;
