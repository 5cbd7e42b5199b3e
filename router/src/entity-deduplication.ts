// An `_entities` call asks for each representation once. Apollo Gateway sends one representation
// per entity position in the answer so far: a page of 20 leave applications by 8 students asks
// identity for 20 users, and every copy is resolved, serialised, sent and parsed again. Apollo
// Router and Hive Gateway send each distinct representation once; so does this router, and it puts
// the answers back in the gateway's positions before the gateway merges them.

/** Representations sent once each, and where each of the gateway's positions finds its answer. */
export interface DistinctRepresentations {
  distinct: unknown[];
  /** For each representation the gateway built, the index of its copy in `distinct`. */
  positions: number[];
}

/**
 * The distinct representations of a call, or undefined when there are no duplicates (the call
 * goes as the gateway built it). Two representations are the same when they serialise the same:
 * the gateway builds every one of a fetch from the same selection, so in the same key order.
 */
export function distinctRepresentations(representations: readonly unknown[]): DistinctRepresentations | undefined {
  const indexOf = new Map<string, number>();
  const distinct: unknown[] = [];
  const positions = representations.map((representation) => {
    const key = JSON.stringify(representation);
    let index = indexOf.get(key);
    if (index === undefined) {
      index = distinct.push(representation) - 1;
      indexOf.set(key, index);
    }
    return index;
  });
  return distinct.length < representations.length ? { distinct, positions } : undefined;
}

interface SubgraphAnswer {
  data?: unknown;
  errors?: ReadonlyArray<{ path?: ReadonlyArray<string | number> }>;
}

/** An error at `_entities.<i>` of the distinct call, at every position of the gateway's call that `i` answers. */
function atEveryPosition<E extends { path?: ReadonlyArray<string | number> }>(
  error: E,
  asked: DistinctRepresentations,
): E[] {
  const index = error.path?.[0] === '_entities' ? error.path[1] : undefined;
  if (typeof index !== 'number') return [error];
  const rest = error.path!.slice(2);
  const copies = asked.positions.flatMap((at, position) =>
    at === index ? [{ ...error, path: ['_entities', position, ...rest] }] : [],
  );
  return copies.length ? copies : [error];
}

/**
 * The subgraph's answer to the distinct representations, as if it had been asked for all of them:
 * `_entities` in the gateway's positions (positions of one representation share its answer, as
 * they are one entity), and an error at `_entities.<i>` repeated at every position of `i`. Entities
 * of the wrong length are left alone: the gateway refuses them as it would have.
 */
export function answerEveryPosition<T extends SubgraphAnswer>(answer: T, asked: DistinctRepresentations): T {
  const data = answer.data as { _entities?: unknown } | null | undefined;
  const entities = data?._entities;
  const spread = Array.isArray(entities) && entities.length === asked.distinct.length;
  if (!spread && !answer.errors) return answer;
  return {
    ...answer,
    ...(spread ? { data: { ...data, _entities: asked.positions.map((at) => entities[at]) } } : {}),
    ...(answer.errors ? { errors: answer.errors.flatMap((error) => atEveryPosition(error, asked)) } : {}),
  };
}
