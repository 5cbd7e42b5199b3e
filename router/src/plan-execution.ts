import {
  buildOperationContext,
  type ApolloGateway,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type ServiceMap,
} from '@apollo/gateway';
// Not re-exported by the package's entry point; executeFetch uses this enum from this file.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { operationFromDocument, type Operation, type Schema } from '@apollo/federation-internals';
import {
  evaluateCondition,
  type FetchNode,
  type PlanNode,
  type QueryPlan,
  type QueryPlanSelectionNode,
} from '@apollo/query-planner';
import type { Logger } from '@campus/platform';
import { trace } from '@opentelemetry/api';
import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { gatewayModule } from './gateway-modules';
import { queryPlanKey } from './query-plan-warmup';
import { newOutput, type ComputeResponseArguments } from './result-shaping';

// A query (or mutation) the router has answered before, executed again without Apollo Gateway's
// generic machinery around its plan. Per request the gateway's executor and executeQueryPlan open six
// OpenTelemetry spans (each an AsyncLocalStorage run, though nothing records them here), rebuild
// the operation's context and the map of data sources, look the plan up by a hash, build a
// usage-reporting protobuf node per plan node and chain promises per node: ~13 % of the router's
// busy time under a 2-subgraph join, more than its result shaping (CPU profile,
// docs/performance.md). This does what they do for the plan nodes campus queries are made of —
// sequences, parallel fetches, fetches flattened into lists — with the same subgraph requests,
// merge and shaping, and keeps per known query what does not change between requests.
//
// It leaves to the gateway whatever it does not copy exactly:
// - a request whose span is recorded (a sampled trace): the gateway's spans, on its own path;
// - a plan with @defer or rewrites, a plan of one fetch (the single-fetch shortcut's), introspection:
//   the gateway's executeQueryPlan;
// - an operation not yet planned, variables that do not coerce: the gateway's executor;
// - a subgraph error or failed call, an `_entities` answer of another length, anything thrown: no
//   further fetch is sent, and the gateway's executeQueryPlan runs the plan with the answers
//   received so far replayed to it (the rest it fetches), so errors, paths and partial data are
//   worded and placed by the gateway.
// test/integration/plan-execution.test.ts compares both paths on the same plans.

type Executor = ApolloGateway['executor'];
type RequestContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;
type ExecuteQueryPlan = typeof import('@apollo/gateway').executeQueryPlan;
type OperationContext = Parameters<ExecuteQueryPlan>[3];
type Telemetry = Parameters<ExecuteQueryPlan>[6];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;
type Json = Record<string, unknown>;

/** The gateway's private state this reads: the names in the pinned @apollo/gateway 2.14. */
interface GatewayState {
  schema?: GraphQLSchema;
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  queryPlanStore?: { get(key: string): Promise<QueryPlan | undefined> };
  serviceMap?: Record<string, { dataSource: GraphQLDataSource }>;
  config?: { telemetry?: Telemetry };
  experimental_didResolveQueryPlan?: unknown;
}

/** The gateway's functions the plan's data goes through, read where its own code reads them. */
interface GatewayFunctions {
  deepMerge(target: unknown, source: unknown): unknown;
  isObjectOfType(schema: GraphQLSchema, object: Json, typeCondition: string): boolean;
  executeQueryPlan: ExecuteQueryPlan;
  computeResponse(args: ComputeResponseArguments): { data: Json | null | undefined; errors: unknown[] };
}

/** What a known query needs per request, made once against one API schema. */
interface Prepared {
  schema: GraphQLSchema;
  operationContext: OperationContext;
  /** The operation executeQueryPlan shapes the answer by. */
  operation: Operation;
  plan?: QueryPlan;
  /** Whether the plan runs here (else in the gateway's executeQueryPlan). */
  runsHere?: boolean;
}

/** A subgraph call's answer, or how it failed: what a replay gives the gateway. */
export type Outcome = { response: SubgraphResponse } | { error: unknown };

interface Cursor {
  path: Array<string | number>;
  data: unknown;
}

interface Execution {
  /** The operation shaped by: its variable definitions decide a plan's conditions. */
  operation: Operation;
  serviceMap: ServiceMap;
  requestContext: RequestContext;
  supergraphSchema: GraphQLSchema;
  /** Each subgraph's answers, in the order they were asked for. */
  outcomes: Map<string, Outcome[]>;
  /** Something the gateway words on its own happened: send nothing more, replay to it. */
  diverted: boolean;
}

/** Sequences, parallels, conditions, flattens and fetches without rewrites or defers; more than one fetch. */
function runsHere(node: PlanNode | QueryPlan['node']): boolean {
  const supported = (n: PlanNode): boolean => {
    switch (n.kind) {
      case 'Sequence':
      case 'Parallel':
        return n.nodes.every(supported);
      case 'Flatten':
        return supported(n.node);
      case 'Condition':
        return (!n.ifClause || supported(n.ifClause)) && (!n.elseClause || supported(n.elseClause));
      case 'Fetch':
        return !n.hasDefers && !n.inputRewrites?.length && !n.outputRewrites?.length && !n.contextRewrites?.length;
      default:
        return false;
    }
  };
  return !!node && node.kind !== 'Fetch' && node.kind !== 'Subscription' && supported(node);
}

/** The variables a fetch uses, as the client gave them (executeFetch). */
function variablesOf(fetch: FetchNode, given: Record<string, unknown> | undefined): Json {
  const variables = Object.create(null) as Json;
  for (const name of fetch.variableUsages ?? [])
    if (given && Object.hasOwn(given, name) && given[name] !== undefined) variables[name] = given[name];
  return variables;
}

/**
 * The request the gateway's executeFetch gives a data source for a fetch at `path` of the answer:
 * by default the variables the fetch uses (an `_entities` fetch adds its representations).
 */
export function fetchRequest(
  fetch: FetchNode,
  requestContext: RequestContext,
  path: Array<string | number>,
  variables: Json = variablesOf(fetch, requestContext.request.variables),
): GraphQLDataSourceProcessOptions & { kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION } {
  return {
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: requestContext,
    context: requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: path,
  };
}

/** The gateway's flattenResultsAtPath: the values at a plan path, lists (`@`) flattened. */
function valuesAtPath(value: unknown, path: ReadonlyArray<string | number>, from = 0): unknown {
  if (from === path.length || value === undefined || value === null) return value;
  const step = path[from];
  if (step === '@') return (value as unknown[]).flatMap((element) => valuesAtPath(element, path, from + 1));
  if (typeof step !== 'string' || Array.isArray(value)) throw new Error(`unexpected ${typeof step} in a plan path`);
  return valuesAtPath(Object.hasOwn(value as Json, step) ? (value as Json)[step] : undefined, path, from + 1);
}

/** A data source answering first with the outcomes already received, then as the subgraph does. */
export function replaying(source: GraphQLDataSource, outcomes: Outcome[]): GraphQLDataSource {
  return {
    process: (options) => {
      const next = outcomes.shift();
      if (!next) return source.process(options);
      return 'error' in next ? Promise.reject(next.error) : Promise.resolve(next.response);
    },
  };
}

class IntrospectionAsked extends Error {}

/** A fetch's place among its subgraph's outcomes until it is answered (always, before any replay). */
const NOT_ANSWERED: Outcome = { error: undefined };

export interface PlanExecutor {
  /**
   * The executor's answer for a query known by `key` (one object per query text and operation name
   * for as long as the query is known), or undefined: the gateway's executor is to answer it.
   */
  execute(key: object, requestContext: RequestContext): Promise<ExecutionResult> | undefined;
}

/** A plan executor over this gateway; one that always declines when the gateway is not shaped as 2.14's. */
export function createPlanExecutor(gateway: ApolloGateway, logger: Logger): PlanExecutor {
  const state = gateway as unknown as GatewayState;
  const execution = gatewayModule<{ executeQueryPlan: ExecuteQueryPlan }>('executeQueryPlan.js');
  const merging = gatewayModule<Pick<GatewayFunctions, 'deepMerge'>>('utilities/deepMerge.js');
  const rewrites = gatewayModule<Pick<GatewayFunctions, 'isObjectOfType'>>('dataRewrites.js');
  const shaping = gatewayModule<Pick<GatewayFunctions, 'computeResponse'>>('resultShaping.js');
  const { queryPlanStore, serviceMap: services } = state;
  if (
    typeof execution.executeQueryPlan !== 'function' ||
    typeof merging.deepMerge !== 'function' ||
    typeof rewrites.isObjectOfType !== 'function' ||
    typeof shaping.computeResponse !== 'function' ||
    typeof queryPlanStore?.get !== 'function' ||
    !services
  ) {
    logger.warn('this @apollo/gateway is not shaped as 2.14 is; every query plan runs in its executor');
    return { execute: () => undefined };
  }
  // Read through the modules' exports at each call, as the gateway's code does: the router's
  // single-fetch shortcut and result shaping are put there.
  const call: GatewayFunctions = {
    deepMerge: (target, source) => merging.deepMerge!(target, source),
    isObjectOfType: (schema, object, condition) => rewrites.isObjectOfType!(schema, object, condition),
    executeQueryPlan: (...args) => execution.executeQueryPlan!(...args),
    computeResponse: (args) => shaping.computeResponse!(args),
  };

  const prepared = new WeakMap<object, Prepared>();
  let dataSources: { schema: GraphQLSchema; map: ServiceMap } | undefined;

  /** The executor's map of data sources, made once per schema. */
  const serviceMapOf = (schema: GraphQLSchema): ServiceMap => {
    if (dataSources?.schema !== schema) {
      const map = Object.create(null) as ServiceMap;
      for (const [name, { dataSource }] of Object.entries(services)) map[name] = dataSource;
      dataSources = { schema, map };
    }
    return dataSources.map;
  };

  /** The operation's context and the operation shaped by, made as the executor and executeQueryPlan make them. */
  const prepare = (key: object, schema: GraphQLSchema, apiSchema: Schema, requestContext: RequestContext): Prepared => {
    const known = prepared.get(key);
    if (known?.schema === schema) return known;
    const operationContext = buildOperationContext({
      schema,
      operationDocument: requestContext.document,
      operationName: requestContext.request.operationName,
    });
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [operationContext.operation, ...Object.values(operationContext.fragments)],
    };
    const made: Prepared = {
      schema,
      operationContext,
      operation: operationFromDocument(apiSchema, document, { validate: false }),
    };
    prepared.set(key, made);
    return made;
  };

  async function run(
    query: Prepared,
    plan: QueryPlan,
    requestContext: RequestContext,
    serviceMap: ServiceMap,
    supergraphSchema: GraphQLSchema,
    apiSchema: Schema,
  ): Promise<ExecutionResult> {
    const unfiltered = Object.create(null) as Json;
    const execution: Execution = {
      operation: query.operation,
      serviceMap,
      requestContext,
      supergraphSchema,
      outcomes: new Map(),
      diverted: false,
    };
    try {
      await runNode(execution, plan.node as PlanNode, { path: [], data: unfiltered });
      if (!execution.diverted) {
        const { data, errors } = call.computeResponse({
          operation: query.operation,
          variables: requestContext.request.variables,
          input: unfiltered,
          introspectionHandling: () => {
            throw new IntrospectionAsked();
          },
        });
        return errors.length ? ({ extensions: { valueCompletion: errors }, data } as ExecutionResult) : { data };
      }
    } catch {
      // the gateway's executeQueryPlan words (or throws) it, as it always does
    }
    const replayed = Object.create(null) as ServiceMap;
    for (const [name, source] of Object.entries(serviceMap))
      replayed[name] = replaying(source, execution.outcomes.get(name) ?? []);
    return call.executeQueryPlan(
      plan,
      replayed,
      requestContext,
      query.operationContext,
      supergraphSchema,
      apiSchema,
      state.config?.telemetry,
    );
  }

  async function runNode(execution: Execution, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
    if (!cursor) return;
    switch (node.kind) {
      case 'Sequence':
        for (const child of node.nodes) await runNode(execution, child, cursor);
        return;
      case 'Parallel':
        await Promise.all(node.nodes.map((child) => runNode(execution, child, cursor)));
        return;
      case 'Flatten': {
        const data = valuesAtPath(cursor.data, node.path);
        await runNode(execution, node.node, data ? { path: [...cursor.path, ...node.path], data } : undefined);
        return;
      }
      case 'Fetch':
        await runFetch(execution, node, cursor);
        return;
      case 'Condition': {
        // @skip/@include on a variable: the branch its value picks (the executor's executeNode)
        const { operation, requestContext } = execution;
        const met = evaluateCondition(node, operation.variableDefinitions, requestContext.request.variables);
        const branch = met ? node.ifClause : node.elseClause;
        if (branch) await runNode(execution, branch, cursor);
        return;
      }
      default:
        throw new Error(`a ${node.kind} node is the gateway's to run`); // runsHere keeps them out
    }
  }

  /** The gateway's executeSelectionSet: an entity's representation, or null when a field is missing. */
  function representationOf(
    schema: GraphQLSchema,
    source: Json | null,
    selections: readonly QueryPlanSelectionNode[],
  ): Json | null {
    if (source === null) return null;
    // Sent to the subgraph as JSON: a fast-mode object serialises in half the time (60
    // representations: 14 µs against 27 µs, built and serialised, on this machine).
    const result = newOutput();
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias ?? selection.name;
        const value = Object.hasOwn(source, name) ? source[name] : undefined;
        if (value === undefined) return null;
        const below = selection.selections;
        if (Array.isArray(value))
          result[name] = value.map((item: unknown) =>
            below ? representationOf(schema, item as Json | null, below) : item,
          );
        else result[name] = below ? representationOf(schema, value as Json | null, below) : value;
      } else if (selection.typeCondition && call.isObjectOfType(schema, source, selection.typeCondition)) {
        call.deepMerge(result, representationOf(schema, source, selection.selections));
      }
    }
    return result;
  }

  /** The gateway's executeFetch: the fetch's answer merged into the entities at the cursor. */
  async function runFetch(execution: Execution, fetch: FetchNode, cursor: Cursor): Promise<void> {
    if (execution.diverted) return;
    const source = execution.serviceMap[fetch.serviceName];
    if (!source) {
      execution.diverted = true;
      return;
    }
    const entities = (Array.isArray(cursor.data) ? cursor.data.filter((e) => e != null) : [cursor.data]) as Json[];
    if (entities.length < 1) return;
    const variables = variablesOf(fetch, execution.requestContext.request.variables);
    if (!fetch.requires) {
      const data = await send(execution, source, fetch, cursor, variables);
      if (data) for (const entity of entities) call.deepMerge(entity, data);
      return;
    }
    const representations: Json[] = [];
    for (const entity of entities) {
      const representation = representationOf(execution.supergraphSchema, entity, fetch.requires);
      if (representation?.__typename) representations.push(representation);
    }
    if (representations.length < 1) return;
    // An entity without a representation, or a variable named as the gateway's own: its words.
    if (representations.length !== entities.length || 'representations' in variables) {
      execution.diverted = true;
      return;
    }
    const data = await send(execution, source, fetch, cursor, { ...variables, representations });
    if (!data) return;
    const received = (data as Json)._entities;
    if (!Array.isArray(received) || received.length !== representations.length) {
      execution.diverted = true;
      return;
    }
    for (let i = 0; i < entities.length; i++) {
      const entity = received[i] as Json | null | undefined;
      if (entity && !entity.__typename) entity.__typename = entities[i]!.__typename;
      call.deepMerge(entities[i], entity);
    }
  }

  /** The fetch's data; undefined when a subgraph error or failure is the gateway's to word. */
  async function send(
    execution: Execution,
    source: GraphQLDataSource,
    fetch: FetchNode,
    cursor: Cursor,
    variables: Json,
  ): Promise<unknown> {
    // Kept in the order asked, which is the order the gateway asks in when they are replayed to it.
    let answers = execution.outcomes.get(fetch.serviceName);
    if (!answers) execution.outcomes.set(fetch.serviceName, (answers = []));
    const slot = answers.push(NOT_ANSWERED) - 1;
    let outcome: Outcome;
    try {
      outcome = {
        response: await source.process(fetchRequest(fetch, execution.requestContext, cursor.path, variables)),
      };
    } catch (error) {
      outcome = { error };
    }
    answers[slot] = outcome;
    if ('error' in outcome || outcome.response.errors) {
      execution.diverted = true;
      return undefined;
    }
    return outcome.response.data;
  }

  return {
    execute(key, requestContext) {
      const { schema, apiSchema, supergraphSchema } = state;
      if (!schema || !apiSchema || !supergraphSchema || state.experimental_didResolveQueryPlan) return undefined;
      if (trace.getActiveSpan()?.isRecording() || requestContext.metrics?.captureTraces) return undefined;
      let query: Prepared;
      try {
        query = prepare(key, schema, apiSchema, requestContext);
      } catch {
        return undefined; // the executor words it
      }
      const definitions = query.operationContext.operation.variableDefinitions;
      const given = requestContext.request.variables ?? {};
      if (definitions?.length && getVariableValues(query.operationContext.schema, definitions, given).errors)
        return undefined; // the executor answers the coercion errors
      const serviceMap = serviceMapOf(schema);
      const withPlan = (plan: QueryPlan): Promise<ExecutionResult> => {
        if (query.plan !== plan) {
          query.plan = plan;
          query.runsHere = runsHere(plan.node);
        }
        if (query.runsHere) return run(query, plan, requestContext, serviceMap, supergraphSchema, apiSchema);
        const args = [
          requestContext,
          query.operationContext,
          supergraphSchema,
          apiSchema,
          state.config?.telemetry,
        ] as const;
        return call.executeQueryPlan(plan, serviceMap, ...args);
      };
      if (query.plan) return withPlan(query.plan);
      return queryPlanStore
        .get(queryPlanKey(requestContext.queryHash, requestContext.request.operationName))
        .then((plan) => (plan ? withPlan(plan) : gateway.executor(requestContext)));
    },
  };
}
