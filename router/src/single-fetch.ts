import type { GraphQLDataSource, GraphQLDataSourceProcessOptions, ServiceMap } from '@apollo/gateway';
import type { FetchNode, QueryPlan } from '@apollo/query-planner';
import {
  Kind,
  getNamedType,
  isLeafType,
  isObjectType,
  parse,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Logger } from '@campus/platform';
import { gatewayModule } from './gateway-modules';
import { fetchRequest, replaying } from './plan-execution';

// Most of the campus's reads are planned as one call to one subgraph whose selections are the
// client's own (a users page, a campus tree, `me`). Apollo Gateway still rebuilds such an answer
// value by value against the API schema (operationFromDocument, then computeResponse): ~11 % of the
// router's CPU under 16 users pages of 100. When the subgraph's answer already has the client's
// shape and no errors, that rebuild returns an equal copy, so the router answers with the
// subgraph's data as is. Anything else — several fetches, entity joins, rewrites, @skip/@include,
// interfaces and unions (type conditions, __typename added by the planner), introspection, errors
// from the subgraph or a failed call — takes the gateway's own path, errors replayed to it without
// calling the subgraph again.
//
// Such an answer is not even parsed: when the subgraph's body is `{"data":{…}}` and nothing else,
// its data travels as the subgraph wrote it (SubgraphData) and the router's stringifyResult puts
// that text in the client's answer. JSON.parse and JSON.stringify of it were ~10 % of the router's
// CPU under users pages of 50–100; the bytes are the same, as JSON.stringify's output parses and
// serialises back to itself.

type ExecuteQueryPlan = typeof import('@apollo/gateway').executeQueryPlan;
type ExecutionArgs = Parameters<ExecuteQueryPlan>;
type OperationContext = ExecutionArgs[3];

/** Response keys in order, each with the field it reads and, for an object, the shape below it. */
type Shape = Array<[responseKey: string, field: string, below: Shape | null]>;

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/**
 * The response shape a selection set on an object type produces, or undefined when it depends on
 * anything but the schema's object types: directives, fragments of another type, abstract types,
 * introspection. Fields with one response key merge their selections, as graphql-js collects them.
 */
function shapeOf(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  fragments: Fragments,
): Shape | undefined {
  const fields = new Map<string, { field: string; below: SelectionSetNode[] }>();
  const collect = (selectionSet: SelectionSetNode): boolean => {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.length) return false;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const entry = fields.get(key) ?? { field: selection.name.value, below: [] };
        if (entry.field !== selection.name.value) return false;
        if (selection.selectionSet) entry.below.push(selection.selectionSet);
        fields.set(key, entry);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
      if (!fragment || (fragment.typeCondition && fragment.typeCondition.name.value !== type.name)) return false;
      if (!collect(fragment.selectionSet)) return false;
    }
    return true;
  };
  if (!selectionSets.every(collect)) return undefined;
  const shape: Shape = [];
  for (const [key, { field, below }] of fields) {
    if (field === '__typename') {
      shape.push([key, field, null]);
      continue;
    }
    const definition = type.getFields()[field];
    if (!definition) return undefined; // introspection (__schema, __type) or unknown to the API schema
    const named = getNamedType(definition.type);
    if (isLeafType(named)) {
      if (below.length > 0) return undefined;
      shape.push([key, field, null]);
    } else if (isObjectType(named)) {
      const inner = shapeOf(schema, named, below, fragments);
      if (!inner) return undefined;
      shape.push([key, field, inner]);
    } else return undefined; // an interface or a union
  }
  return shape;
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLObjectType | undefined {
  return schema.getRootType(operation.operation) ?? undefined;
}

function fragmentsOf(definitions: readonly { kind: Kind }[]): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = d as FragmentDefinitionNode;
      fragments[fragment.name.value] = fragment;
    }
  return fragments;
}

/**
 * A subgraph's `data`, as the JSON text it sent. Anything that serialises the answer some other
 * way than stringifyResult (or reads it) gets the parsed value.
 */
export class SubgraphData {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

const DATA_PREFIX = '{"data":{';

/**
 * The data of a subgraph's body that is `{"data":{…}}` and nothing else, as text; undefined for
 * anything else. An `"errors":` or `"extensions":` anywhere (even as a key inside the data) sends
 * the body to the parser: a conservative test, and a substring search costs a fraction of a parse.
 */
export function dataOnlyAnswer(body: string): SubgraphData | undefined {
  if (!body.startsWith(DATA_PREFIX)) return undefined;
  const end = body.endsWith('}\n') ? body.length - 2 : body.endsWith('}') ? body.length - 1 : -1;
  if (end < DATA_PREFIX.length || body.includes('"errors":') || body.includes('"extensions":')) return undefined;
  return new SubgraphData(body.slice(DATA_PREFIX.length - 1, end));
}

/**
 * The router's answer as text (ApolloServer's stringifyResult): Apollo's own serialisation —
 * JSON.stringify of errors, data and extensions in that order, and a newline — with a subgraph's
 * data-only answer written as it came.
 */
export function stringifyResult(result: { errors?: unknown; data?: unknown; extensions?: unknown }): string {
  if (result.data instanceof SubgraphData && result.errors === undefined && result.extensions === undefined)
    return `{"data":${result.data.json}}\n`;
  return JSON.stringify(result) + '\n';
}

/** Subgraph requests made by the shortcut, whose data-only answers may stay text (see wantsDataAsText). */
const textAnswerRequests = new WeakSet<object>();

/** Whether the data source may answer this request's data-only body as SubgraphData. */
export function wantsDataAsText(options: GraphQLDataSourceProcessOptions): boolean {
  return textAnswerRequests.has(options);
}

/**
 * The plan's only fetch, when the subgraph's data for it is, without errors, the answer itself: a
 * root fetch with nothing to require or rewrite, whose operation has the client's response shape.
 */
export function singleFetchOf(plan: QueryPlan, operationContext: OperationContext): FetchNode | undefined {
  const fetch = plan.node;
  if (fetch?.kind !== 'Fetch' || fetch.requires || fetch.hasDefers) return undefined;
  if (fetch.inputRewrites?.length || fetch.outputRewrites?.length || fetch.contextRewrites?.length) return undefined;
  const { schema, operation, fragments } = operationContext;
  if (fetch.operationKind !== operation.operation) return undefined;
  const root = rootType(schema, operation);
  const sent = fetch.operationDocumentNode ?? parse(fetch.operation);
  const sentOperation = sent.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!root || !sentOperation || rootType(schema, sentOperation) !== root) return undefined;
  const asked = shapeOf(schema, root, [operation.selectionSet], fragments);
  const answered = shapeOf(schema, root, [sentOperation.selectionSet], fragmentsOf(sent.definitions));
  return asked && answered && JSON.stringify(asked) === JSON.stringify(answered) ? fetch : undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The gateway's own tracer and span names, so a trace looks the same either way. */
interface GatewayTracing {
  tracer: {
    startActiveSpan<T>(name: string, options: object, fn: (span: { end(): void }) => T): T;
  };
  OpenTelemetrySpanNames: { FETCH: string };
}

/**
 * Data sources (one per subgraph and router) whose router answers single-fetch plans directly;
 * the patch applies to every gateway in the process, the choice is per router.
 */
const enabledSources = new WeakSet<object>();

export function answerSingleFetchPlansDirectly(source: GraphQLDataSource): void {
  enabledSources.add(source);
}

let installed: boolean | undefined;

/**
 * Puts the shortcut in front of @apollo/gateway's executeQueryPlan (its executor calls it through
 * the module's exports; the pinned 2.14 has no hook for it). Does nothing, and says so, when that
 * module is not where 2.14 has it: every plan then takes the gateway's path.
 */
export function installSingleFetchShortcut(logger: Logger): boolean {
  if (installed !== undefined) return installed;
  const execution = gatewayModule<{ executeQueryPlan: ExecuteQueryPlan }>('executeQueryPlan.js');
  const tracing = gatewayModule<GatewayTracing>('utilities/opentelemetry.js'); // its tracer, as its own spans use
  const original = execution.executeQueryPlan;
  if (typeof original !== 'function' || !tracing.tracer || !tracing.OpenTelemetrySpanNames) {
    logger.warn('this @apollo/gateway has no executeQueryPlan where 2.14 has it; every plan takes the gateway path');
    return (installed = false);
  }
  const { tracer, OpenTelemetrySpanNames } = tracing as GatewayTracing;
  const fetchOfPlan = new WeakMap<QueryPlan, FetchNode | null>();

  const shortcut: ExecuteQueryPlan = async (...args) => {
    const [plan, serviceMap, requestContext, operationContext] = args;
    let fetch = fetchOfPlan.get(plan);
    if (fetch === undefined) {
      fetch = singleFetchOf(plan, operationContext) ?? null;
      fetchOfPlan.set(plan, fetch); // plans are cached objects: judged once per operation
    }
    const source = fetch ? serviceMap[fetch.serviceName] : undefined;
    if (!fetch || !source || !enabledSources.has(source) || requestContext.metrics?.captureTraces)
      return original(...args);

    const outcome = await tracer.startActiveSpan(
      OpenTelemetrySpanNames.FETCH,
      { attributes: { service: fetch.serviceName } },
      async (span) => {
        try {
          const request = fetchRequest(fetch, requestContext, []);
          textAnswerRequests.add(request);
          return { response: await source.process(request) };
        } catch (error) {
          return { error };
        } finally {
          span.end();
        }
      },
    );
    if ('response' in outcome && outcome.response) {
      const { errors, data } = outcome.response;
      if (!errors && isPlainObject(data)) return { data }; // SubgraphData is one too
    }
    // Errors, a failed call or no data: the gateway words, places and shapes them as it always does.
    const replayed: ServiceMap = { ...serviceMap, [fetch.serviceName]: replaying(source, [outcome]) };
    return original(plan, replayed, ...(args.slice(2) as Tail<ExecutionArgs>));
  };
  execution.executeQueryPlan = shortcut;
  return (installed = true);
}

type Tail<T extends unknown[]> = T extends [unknown, unknown, ...infer Rest] ? Rest : never;
