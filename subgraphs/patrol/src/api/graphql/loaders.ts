// Per-request DataLoaders: a page of patrols loads all their entries in one query, and entity
// references / entry→patrol links load patrols in one query.
import DataLoader from 'dataloader';
import type { EntryRecord, PatrolRecord } from '../../services/ports';
import type { PatrolService } from '../../services/patrol-service';

export interface PatrolLoaders {
  /** Entries of a patrol, in display order. */
  entries: DataLoader<string, EntryRecord[]>;
  /** Patrols by id, unscoped: callers authorise (or reach them through an authorised parent). */
  patrol: DataLoader<string, PatrolRecord | null>;
}

export function createLoaders(service: PatrolService): PatrolLoaders {
  return {
    entries: new DataLoader(async (ids: readonly string[]) => {
      const byPatrol = await service.entriesByPatrol(ids);
      return ids.map((id) => byPatrol.get(id) ?? []);
    }),
    patrol: new DataLoader(async (ids: readonly string[]) => {
      const byId = new Map((await service.findPatrols(ids)).map((p) => [p.id, p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
