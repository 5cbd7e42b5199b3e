import { validationError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  page: number;
  size: number;
  skip: number;
  take: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

/** Validates 1-based page arguments; page sizes are bounded so no query can ask for everything. */
export function pageRequest(
  page: number | null | undefined,
  size: number | null | undefined,
  maxSize: number = MAX_PAGE_SIZE,
): PageRequest {
  const p = page ?? 1;
  const s = size ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(p) || p < 1)
    throw validationError('page must be a whole number ≥ 1', { fields: { page: 'must be ≥ 1' } });
  if (!Number.isInteger(s) || s < 1 || s > maxSize) {
    throw validationError(`size must be between 1 and ${maxSize}`, {
      fields: { size: `must be between 1 and ${maxSize}` },
    });
  }
  return { page: p, size: s, skip: (p - 1) * s, take: s };
}

export function pageOf<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, total, page: request.page, size: request.size, pages: Math.ceil(total / request.size) };
}
