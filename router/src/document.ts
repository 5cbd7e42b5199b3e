import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The root field selections of a selection set, following inline fragments and fragment spreads. */
export function rootFields(selectionSet: SelectionSetNode, document: DocumentNode): FieldNode[] {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const fields: FieldNode[] = [];
  const visited = new Set<string>(); // each fragment once: its root fields do not depend on where it is spread
  const visit = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        // An unknown or cyclic spread is refused by validation; here it only must not loop.
        if (fragment && !visited.has(fragment.name.value)) {
          visited.add(fragment.name.value);
          visit(fragment.selectionSet);
        }
      }
    }
  };
  visit(selectionSet);
  return fields;
}

/** The names of the root fields a selection set selects, each once. */
export function rootFieldNames(selectionSet: SelectionSetNode, document: DocumentNode): string[] {
  return [...new Set(rootFields(selectionSet, document).map((field) => field.name.value))];
}

const INTROSPECTION_ROOT_FIELDS = new Set(['__schema', '__type', '__typename']);

/** True when the document's operations select introspection fields only (what GraphiQL sends on load). */
export function isIntrospectionOnly(document: DocumentNode): boolean {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return (
    operations.length > 0 &&
    operations.every((op) => rootFieldNames(op.selectionSet, document).every((f) => INTROSPECTION_ROOT_FIELDS.has(f)))
  );
}
