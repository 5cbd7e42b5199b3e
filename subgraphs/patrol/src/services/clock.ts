/** "Now", injectable so tests control time. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
