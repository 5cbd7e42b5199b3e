// What the query asks of the field being resolved, through fragments: lets a resolver read only
// what will be shown (identity's users page reads summaries by it, Entrance.rooms reads residents
// ahead). @skip/@include are not evaluated, so a field they may drop counts as asked.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

function eachField(info: GraphQLResolveInfo, set: SelectionSetNode | undefined, visit: (node: FieldNode) => void) {
  for (const node of set?.selections ?? []) {
    if (node.kind === Kind.FIELD) visit(node);
    else if (node.kind === Kind.INLINE_FRAGMENT) eachField(info, node.selectionSet, visit);
    else eachField(info, info.fragments[node.name.value]?.selectionSet, visit);
  }
}

/** Whether the field being resolved selects `name` on its result. */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  let found = false;
  for (const node of info.fieldNodes)
    eachField(info, node.selectionSet, (field) => (found ||= field.name.value === name));
  return found;
}

/** The names of the fields selected on the result's `child` field (e.g. a page's `items`). */
export function fieldsSelectedUnder(info: GraphQLResolveInfo, child: string): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes) {
    eachField(info, node.selectionSet, (field) => {
      if (field.name.value === child) eachField(info, field.selectionSet, (inner) => names.add(inner.name.value));
    });
  }
  return names;
}
