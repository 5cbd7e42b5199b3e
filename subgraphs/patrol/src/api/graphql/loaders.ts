// Per-request DataLoaders: a page of patrols loads all their entries in one query, and entity
// references / entry→patrol links load patrols in one query.
import DataLoader from 'dataloader';
import type { EntryRecord, PatrolRecord } from '../../domain/patrol';
import type { PatrolServices } from '../../services';

export interface PatrolLoaders {
  /** Entries of a patrol, in display order. */
  entries: DataLoader<string, EntryRecord[]>;
  /** Patrols by id, unscoped: callers authorise (or reach them through an authorised parent). */
  patrol: DataLoader<string, PatrolRecord | null>;
}

export function createLoaders({ patrols }: PatrolServices): PatrolLoaders {
  return {
    entries: new DataLoader(async (ids: readonly string[]) => {
      const byPatrol = await patrols.entriesByPatrol(ids);
      return ids.map((id) => byPatrol.get(id) ?? []);
    }),
    patrol: new DataLoader(async (ids: readonly string[]) => {
      const byId = new Map((await patrols.findPatrols(ids)).map((p) => [p.id, p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
