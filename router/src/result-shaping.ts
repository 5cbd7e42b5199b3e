import {
  ERRORS,
  Variable,
  assert,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  isValidLeafValue,
  typenameFieldName,
  type CompositeType,
  type Directive,
  type FieldSelection,
  type Operation,
  type OutputType,
  type Schema,
  type SelectionSet,
} from '@apollo/federation-internals';
import type { Logger } from '@campus/platform';
import { Kind, type DefinitionNode, type DocumentNode, type GraphQLError } from 'graphql';
import { gatewayModule, replaceFederationFunction } from './gateway-modules';

// Apollo Gateway's result shaping (its resultShaping.ts, 2.14), the step that builds the client's
// answer from the subgraphs' merged data, with the same rules, errors and output, and far less
// garbage. Under the duty calendar (620 duties with residents) the gateway's version made 40 % of
// everything the router allocated: an arguments object and a result object per value, two
// filtered directive arrays per selection per object (to look for @skip/@include that almost no
// selection has), and a dictionary-mode object (Object.create(null)) per output object. This one
// passes arguments by position, reports a value's state in two module variables, looks at the
// directives only when a selection has any, and builds output objects on a prototype that is
// itself empty and null-prototyped: fast-mode objects that still have no inherited keys (a
// response name such as `toString` or `__proto__` stays an own property, as before).

type Json = Record<string, unknown>;

interface ShapingParameters {
  schema: Schema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  introspectionHandling: (selection: FieldSelection) => unknown;
}

export interface ComputeResponseArguments {
  operation: Operation;
  variables?: Record<string, unknown> | undefined;
  input: Json | null | undefined;
  introspectionHandling: (selection: FieldSelection) => unknown;
}

const EMPTY_PROTOTYPE: object = Object.create(null) as object;
/**
 * An object without inherited keys that V8 keeps in fast mode (Object.create(null) starts in
 * dictionary mode: its reads and JSON.stringify take the slow path).
 */
export const newOutput = (): Json => Object.create(EMPTY_PROTOTYPE) as Json;
const getOwn = (object: Json, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

/** The state of the value updateOutputValue returned last: read right after each call. */
let invalid = false; // null where the type forbids it: the parent becomes null (bubbles up)
let hadErrors = false; // an error was recorded for it

export function computeResponse({ operation, variables, input, introspectionHandling }: ComputeResponseArguments): {
  data: Json | null | undefined;
  errors: GraphQLError[];
} {
  if (!input) return { data: input, errors: [] };
  const parameters: ShapingParameters = {
    schema: operation.schema(),
    variables: { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables } as Record<
      string,
      unknown
    >,
    errors: [],
    introspectionHandling,
  };
  const data = newOutput();
  const bubbled = applySelectionSet(
    input,
    operation.selectionSet,
    data,
    parameters,
    [],
    operation.schema().schemaDefinition.rootType(operation.rootKind)!,
  );
  return { data: bubbled ? null : data, errors: parameters.errors };
}

/** An applied directive of a field or of a fragment: only its name and `if` are read. */
type AppliedDirective = Pick<Directive, 'name' | 'arguments'>;

function ifValue(directive: AppliedDirective, variables: Record<string, unknown>): boolean {
  const condition = (directive.arguments() as { if: unknown }).if;
  if (condition instanceof Variable) {
    const value = variables[condition.name];
    assert(
      value !== undefined && typeof value === 'boolean',
      () => `Unexpected value ${String(value)} for variable ${String(condition)} of ${String(directive)}`,
    );
    return value;
  }
  return condition as boolean;
}

function shouldSkip(
  element: { appliedDirectives: readonly AppliedDirective[] },
  parameters: ShapingParameters,
): boolean {
  if (element.appliedDirectives.length === 0) return false;
  const skip = element.appliedDirectives.find((d) => d.name === parameters.schema.skipDirective().name);
  const include = element.appliedDirectives.find((d) => d.name === parameters.schema.includeDirective().name);
  return (!!skip && ifValue(skip, parameters.variables)) || (!!include && !ifValue(include, parameters.variables));
}

function typeConditionApplies(
  schema: Schema,
  typeCondition: CompositeType | undefined,
  typename: string | undefined,
  parentType: CompositeType,
): boolean {
  if (!typeCondition) return true;
  if (typename) {
    const type = schema.type(typename);
    return !!type && isSubtype(typeCondition, type);
  }
  return isSubtype(typeCondition, parentType);
}

/** Fills `output` from `input` by the selections; true when a null must bubble up to the parent. */
function applySelectionSet(
  input: Json,
  selectionSet: SelectionSet,
  output: Json,
  parameters: ShapingParameters,
  path: Array<string | number>,
  parentType: CompositeType,
): boolean {
  for (const selection of selectionSet.selections()) {
    if (shouldSkip(selection.element, parameters)) continue;
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      const responseName = field.responseName();
      const outputValue = output[responseName];
      if (field.definition.isSchemaIntrospectionField()) {
        if (outputValue === undefined) output[responseName] = parameters.introspectionHandling(selection);
        continue;
      }
      let inputValue = getOwn(input, responseName) ?? null;
      if (field.name === typenameFieldName) {
        if (outputValue === undefined) {
          if (inputValue === null && responseName !== typenameFieldName) inputValue = input[typenameFieldName] ?? null;
          const type =
            inputValue !== null && typeof inputValue === 'string'
              ? (parameters.schema.type(inputValue) ?? parentType)
              : parentType;
          if (!isObjectType(type)) return true;
          output[responseName] = type.name;
        }
        continue;
      }
      path.push(responseName);
      output[responseName] = updateOutputValue(
        outputValue,
        field.definition.type!,
        inputValue,
        selection.selectionSet,
        path,
        parameters,
        parentType,
      );
      path.pop();
      if (invalid) return true;
    } else {
      const fragment = selection.element;
      const typename = input[typenameFieldName];
      assert(
        !typename || typeof typename === 'string',
        () => `Got unexpected value for __typename: ${String(typename)}`,
      );
      if (typeConditionApplies(parameters.schema, fragment.typeCondition, typename as string | undefined, parentType)) {
        const bubbled = applySelectionSet(
          input,
          selection.selectionSet,
          output,
          parameters,
          path,
          fragment.typeCondition ?? parentType,
        );
        if (bubbled) return true;
      }
    }
  }
  return false;
}

function pathLastElementDescription(path: ReadonlyArray<string | number>, type: OutputType, parentType: CompositeType) {
  const element = path[path.length - 1];
  assert(element !== undefined, 'Should not have been called on an empty path');
  return typeof element === 'string'
    ? `field ${String(parentType)}.${element}`
    : `array element of type ${String(type)} at index ${element}`;
}

function recordError(parameters: ShapingParameters, message: string, path: ReadonlyArray<string | number>): void {
  parameters.errors.push(ERRORS.INVALID_GRAPHQL.err(message, { path: Array.from(path) }));
}

/** The output value of one field or list element; `invalid` and `hadErrors` say how it went. */
function updateOutputValue(
  outputValue: unknown,
  type: OutputType,
  inputValue: unknown,
  selectionSet: SelectionSet | undefined,
  path: Array<string | number>,
  parameters: ShapingParameters,
  parentType: CompositeType,
): unknown {
  assert(inputValue !== undefined, 'Should not pass undefined for `inputValue` to this method');
  invalid = false;
  hadErrors = false;
  if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
  if (isNonNullType(type)) {
    const updated = updateOutputValue(outputValue, type.ofType, inputValue, selectionSet, path, parameters, parentType);
    if (updated === null) {
      if (!hadErrors) {
        const where = pathLastElementDescription(path, type.ofType, parentType);
        recordError(parameters, `Cannot return null for non-nullable ${where}.`, path);
      }
      invalid = true;
      hadErrors = true;
      return null;
    }
    invalid = false;
    hadErrors = false; // the gateway's own version forgets its inner errors here too
    return updated;
  }
  if (inputValue === null) return null;
  if (isListType(type)) {
    assert(
      Array.isArray(inputValue),
      () => `Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${String(type)}`,
    );
    assert(
      outputValue === undefined || Array.isArray(outputValue),
      () => `Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${String(type)}`,
    );
    const current = outputValue as unknown[] | undefined;
    assert(
      current === undefined || current.length === inputValue.length,
      () =>
        `[${String(inputValue)}].length (${inputValue.length}) !== [${String(current)}].length (${current!.length})`,
    );
    const updated: unknown[] = [];
    let nullify = false;
    let errors = false;
    for (let i = 0; i < inputValue.length; i++) {
      path.push(i);
      updated.push(
        updateOutputValue(current?.[i], type.ofType, inputValue[i], selectionSet, path, parameters, parentType),
      );
      path.pop();
      nullify ||= invalid;
      errors ||= hadErrors;
    }
    invalid = false;
    hadErrors = errors;
    return nullify ? null : updated;
  }
  if (isCompositeType(type)) {
    assert(selectionSet, () => `Invalid empty selection set for composite type ${String(type)}`);
    assert(
      typeof inputValue === 'object',
      () => `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type)}`,
    );
    assert(
      outputValue === undefined || typeof outputValue === 'object',
      () => `Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${String(type)}`,
    );
    const inputTypename = (inputValue as Json)[typenameFieldName];
    assert(
      inputTypename === undefined || typeof inputTypename === 'string',
      () => `Invalid non-string value ${String(inputTypename)} for __typename at ${String(path)}`,
    );
    let objectType: CompositeType = type;
    if (inputTypename) {
      const typenameType = parameters.schema.type(inputTypename);
      if (!typenameType || !isCompositeType(typenameType)) {
        const where = pathLastElementDescription(path, type, parentType);
        recordError(parameters, `Invalid __typename found for object at ${where}.`, path);
        invalid = false;
        hadErrors = true;
        return null;
      }
      objectType = typenameType;
    }
    const output = outputValue === undefined ? newOutput() : (outputValue as Json);
    const bubbled = applySelectionSet(inputValue as Json, selectionSet, output, parameters, path, objectType);
    invalid = false;
    hadErrors = bubbled;
    return bubbled ? null : output;
  }
  assert(
    outputValue === undefined,
    () => `Excepted output to be undefined but got ${String(type)} for type ${String(type)}`,
  );
  const valid = isValidLeafValue(parameters.schema, inputValue, type);
  if (!valid)
    recordError(parameters, `Invalid value found for ${pathLastElementDescription(path, type, parentType)}.`, path);
  invalid = false;
  hadErrors = !valid;
  return valid ? inputValue : null;
}

type OperationFromDocument = (
  schema: Schema,
  document: DocumentNode,
  options?: { operationName?: string; validate?: boolean },
) => Operation;

/** An operation built for shaping, and what it was built from besides its definition node. */
interface BuiltOperation {
  schema: Schema;
  definitions: readonly DefinitionNode[];
  operation: Operation;
}

/**
 * operationFromDocument that builds the operation executeQueryPlan shapes an answer by once per
 * parsed document instead of once per request (5–6 µs per leave page or duty calendar).
 * executeQueryPlan calls it with `validate: false` and a new document holding the request's
 * operation and fragment nodes, which Apollo Server's document cache and the direct path keep
 * for as long as the query is known; a change of schema or of any node builds it anew. Only
 * read from afterwards (shaping, @skip/@include conditions), so one copy serves every request.
 * Every other call (the planner's, with validation) is the original's.
 */
export function memoisedOperationFromDocument(original: OperationFromDocument): OperationFromDocument {
  const built = new WeakMap<DefinitionNode, BuiltOperation>();
  return (schema, document, options) => {
    const [first] = document.definitions;
    if (options?.validate !== false || options.operationName !== undefined || first?.kind !== Kind.OPERATION_DEFINITION)
      return original(schema, document, options);
    const known = built.get(first);
    if (
      known &&
      known.schema === schema &&
      known.definitions.length === document.definitions.length &&
      known.definitions.every((definition, i) => definition === document.definitions[i])
    )
      return known.operation;
    const operation = original(schema, document, options);
    built.set(first, { schema, definitions: [...document.definitions], operation });
    return operation;
  };
}

let installed: boolean | undefined;

/**
 * Puts computeResponse in place of the gateway's (its executor calls it through the module's
 * exports; the pinned 2.14 has no hook for it), and builds the operation it shapes by once per
 * document (memoisedOperationFromDocument). Does nothing, and says so, when a module is not where
 * 2.14 has it.
 */
export function installResultShaping(logger: Logger): boolean {
  if (installed !== undefined) return installed;
  const shaping = gatewayModule<{ computeResponse: unknown }>('resultShaping.js');
  if (typeof shaping.computeResponse !== 'function') {
    logger.warn("this @apollo/gateway has no computeResponse where 2.14 has it; answers keep the gateway's shaping");
    return (installed = false);
  }
  shaping.computeResponse = computeResponse;
  if (!replaceFederationFunction('operations.js', 'operationFromDocument', memoisedOperationFromDocument))
    logger.warn(
      'this @apollo/federation-internals has no operationFromDocument where 2.14 has it; each answer builds its operation',
    );
  return (installed = true);
}
