import DataLoader from 'dataloader';
import type { PageRequest } from '@campus/platform';
import type { ApplicationView, DocumentView } from '../../domain/application-view';
import type { LeaveStatus, RecordedEvent } from '../../domain/leave-application';
import type { LeaveQueries } from '../../services/leave-queries.service';

export interface ApplicantApplicationsKey {
  applicantId: string;
  status: LeaveStatus | undefined;
  page: PageRequest;
}

/**
 * Per-request DataLoaders: every entity and nested list of a query is fetched in one statement
 * per kind, however many parents there are (federation's `_entities` resolves references one by
 * one; the loaders batch them).
 */
export interface LeaveLoaders {
  application: DataLoader<string, ApplicationView | null>;
  documents: DataLoader<string, DocumentView[]>;
  history: DataLoader<string, RecordedEvent[]>;
  applicationsOfApplicant: DataLoader<ApplicantApplicationsKey, ApplicationView[], string>;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  return groups;
}

export function createLoaders(queries: LeaveQueries): LeaveLoaders {
  return {
    application: new DataLoader(async (ids) => {
      const byId = new Map((await queries.applicationsByIds(ids)).map((a) => [a.id, a]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    documents: new DataLoader(async (applicationIds) => {
      const byApplication = groupBy(await queries.documentsOf(applicationIds), (d) => d.applicationId);
      return applicationIds.map((id) => byApplication.get(id) ?? []);
    }),
    history: new DataLoader(async (applicationIds) => {
      const byStream = groupBy(await queries.historyOf(applicationIds), (e) => e.streamId);
      return applicationIds.map((id) => byStream.get(id) ?? []);
    }),
    applicationsOfApplicant: new DataLoader(
      async (keys) => {
        // Keys differ only by applicant within one field selection; group the rare mixes by arguments.
        const byArguments = groupBy(keys, (k) => `${k.status ?? ''}|${k.page.page}|${k.page.size}`);
        const results = new Map<string, ApplicationView[]>();
        for (const group of byArguments.values()) {
          const first = group[0]!;
          const pages = await queries.applicationsOfApplicants(
            group.map((k) => k.applicantId),
            first.status,
            first.page,
          );
          for (const key of group) results.set(cacheKey(key), pages.get(key.applicantId) ?? []);
        }
        return keys.map((key) => results.get(cacheKey(key)) ?? []);
      },
      { cacheKeyFn: cacheKey },
    ),
  };
}

function cacheKey(key: ApplicantApplicationsKey): string {
  return `${key.applicantId}|${key.status ?? ''}|${key.page.page}|${key.page.size}`;
}
