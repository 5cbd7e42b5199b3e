// Which operations of a subgraph may answer which of its error codes: a call graph built with the
// TypeScript type checker, from the GraphQL root fields in api/graphql/(<topic>.)resolvers.ts, the plain HTTP
// routes in api/http/ and the gRPC methods in api/grpc/ down to the
// places that build catalog errors (`XErrors.error('CODE', …)`, `XErrors.codes.CODE`). A call to
// a port (an interface method) leads to every class of the subgraph that implements that port.
// Calls through callbacks count for the function that passes them, so the answer errs on the side
// of "may raise"; a code reached by no path is shown with no operation.
import path from 'node:path';
import ts from 'typescript';

type FunctionLike = ts.SignatureDeclaration & { body?: ts.Node };

const isFunctionLike = (node: ts.Node): node is FunctionLike =>
  ts.isFunctionDeclaration(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isArrowFunction(node) ||
  ts.isFunctionExpression(node) ||
  ts.isConstructorDeclaration(node);

/** The catalog code a node builds, if any: `Errors.error('CODE', …)` or `Errors.codes.CODE`. */
function codeBuiltBy(node: ts.Node): string | undefined {
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'error'
  ) {
    const first = node.arguments[0];
    if (/Errors$/.test(node.expression.expression.getText()) && first && ts.isStringLiteralLike(first))
      return first.text;
  }
  if (
    ts.isPropertyAccessExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'codes'
  ) {
    if (/Errors$/.test(node.expression.expression.getText())) return node.name.text;
  }
  return undefined;
}

function loadProgram(subgraphDir: string): ts.Program {
  const configPath = path.join(subgraphDir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const src = path.join(subgraphDir, 'src') + path.sep;
  return ts.createProgram(
    parsed.fileNames.filter((f) => f.startsWith(src)),
    parsed.options,
  );
}

/**
 * Code name (without prefix) → the operations (GraphQL root fields and plain HTTP routes) that may
 * raise it, sorted. `codeNames` are the catalog's names: a string literal equal to one of them
 * (e.g. a code handed to a shared helper) counts as building that code.
 */
export function operationsRaising(
  subgraphDir: string,
  codeNames: ReadonlySet<string> = new Set(),
): Map<string, string[]> {
  const program = loadProgram(subgraphDir);
  const checker = program.getTypeChecker();
  const src = path.join(subgraphDir, 'src') + path.sep;
  const files = program
    .getSourceFiles()
    .filter((f) => f.fileName.startsWith(src) && !f.fileName.includes('/generated/'));

  // Classes by the interfaces they implement (by interface name), for calls through ports.
  const implementations = new Map<string, ts.ClassDeclaration[]>();
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        for (const clause of node.heritageClauses ?? []) {
          for (const type of clause.types) {
            const name = type.expression.getText();
            implementations.set(name, [...(implementations.get(name) ?? []), node]);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  /** The function bodies a call may run. */
  const targetsOf = (call: ts.CallExpression | ts.NewExpression): FunctionLike[] => {
    const declaration = checker.getResolvedSignature(call)?.declaration;
    if (!declaration || ts.isJSDocSignature(declaration)) return [];
    if (!declaration.getSourceFile().fileName.startsWith(src)) return [];
    if (isFunctionLike(declaration)) return [declaration];
    if (
      (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) &&
      ts.isInterfaceDeclaration(declaration.parent)
    ) {
      const method = declaration.name.getText();
      return (implementations.get(declaration.parent.name.text) ?? []).flatMap((cls) =>
        cls.members.filter((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === method),
      );
    }
    return [];
  };

  /** A function passed as a value (a callback, a factory handed to a helper) may run too. */
  const referencedFunction = (node: ts.Identifier): FunctionLike | undefined => {
    const symbol = checker.getSymbolAtLocation(node);
    const declaration = symbol?.valueDeclaration;
    if (!declaration || !declaration.getSourceFile().fileName.startsWith(src)) return undefined;
    if (isFunctionLike(declaration)) return declaration;
    if ((ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration)) && declaration.initializer) {
      return isFunctionLike(declaration.initializer) ? declaration.initializer : undefined;
    }
    return undefined;
  };

  const summaries = new Map<FunctionLike, { codes: Set<string>; calls: FunctionLike[] }>();
  const summarize = (fn: FunctionLike) => {
    let summary = summaries.get(fn);
    if (summary) return summary;
    summary = { codes: new Set(), calls: [] };
    summaries.set(fn, summary);
    const visit = (node: ts.Node): void => {
      const code =
        codeBuiltBy(node) ?? (ts.isStringLiteralLike(node) && codeNames.has(node.text) ? node.text : undefined);
      if (code) summary!.codes.add(code);
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) summary!.calls.push(...targetsOf(node));
      else if (ts.isIdentifier(node)) {
        const fn = referencedFunction(node);
        if (fn) summary!.calls.push(fn);
      }
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    return summary;
  };

  const result = new Map<string, Set<string>>();
  // api/graphql/resolvers.ts and the topic maps it merges (<topic>.resolvers.ts).
  const graphqlDir = path.join(subgraphDir, 'src', 'api', 'graphql') + path.sep;
  const resolverFiles = files.filter(
    (f) => f.fileName.startsWith(graphqlDir) && /(^|[./])resolvers\.ts$/.test(path.basename(f.fileName)),
  );
  const roots: Array<{ operation: string; fn: FunctionLike }> = [];
  const findRoots = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      ['Query', 'Mutation'].includes(node.name.getText()) &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      for (const property of node.initializer.properties) {
        const fn = ts.isMethodDeclaration(property)
          ? property
          : ts.isPropertyAssignment(property) && isFunctionLike(property.initializer)
            ? property.initializer
            : undefined;
        if (fn && property.name) roots.push({ operation: `${node.name.getText()}.${property.name.getText()}`, fn });
      }
    }
    ts.forEachChild(node, findRoots);
  };
  for (const file of resolverFiles) findRoots(file);

  // Plain HTTP routes: app.get|post|put|patch|delete('/path', …handlers) in api/http/*.routes.ts.
  const http = path.join(subgraphDir, 'src', 'api', 'http') + path.sep;
  const findRoutes = (node: ts.Node): void => {
    const routePath = (arg: ts.Expression | undefined): string | undefined => {
      if (!arg) return undefined;
      if (ts.isStringLiteralLike(arg)) return arg.text;
      const type = checker.getTypeAtLocation(arg); // a constant such as STREAM_PATH
      return type.isStringLiteral() ? type.value : undefined;
    };
    const verb =
      ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : '';
    const routed = ts.isCallExpression(node) ? routePath(node.arguments[0]) : undefined;
    if (ts.isCallExpression(node) && ['get', 'post', 'put', 'patch', 'delete'].includes(verb) && routed) {
      const operation = `${verb.toUpperCase()} ${routed}`;
      for (const handler of node.arguments.slice(1)) {
        const fn = isFunctionLike(handler)
          ? handler
          : ts.isIdentifier(handler)
            ? referencedFunction(handler)
            : undefined;
        if (fn) roots.push({ operation, fn });
        // route(async (req, res) => …) and similar wrappers
        if (ts.isCallExpression(handler))
          for (const arg of handler.arguments) if (isFunctionLike(arg)) roots.push({ operation, fn: arg });
      }
    }
    ts.forEachChild(node, findRoutes);
  };
  for (const file of files.filter((f) => f.fileName.startsWith(http))) findRoutes(file);

  // gRPC methods: PascalCase handlers in api/grpc/<service>.grpc.ts (GetUsers: async (call) => …).
  const grpc = path.join(subgraphDir, 'src', 'api', 'grpc') + path.sep;
  const findMethods = (node: ts.Node): void => {
    if ((ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) && /^[A-Z]/.test(node.name.getText())) {
      const fn = ts.isMethodDeclaration(node) ? node : isFunctionLike(node.initializer) ? node.initializer : undefined;
      if (fn) roots.push({ operation: `gRPC ${node.name.getText()}`, fn });
    }
    ts.forEachChild(node, findMethods);
  };
  for (const file of files.filter((f) => f.fileName.startsWith(grpc))) findMethods(file);

  for (const { operation, fn } of roots) {
    const seen = new Set<FunctionLike>();
    const stack = [fn];
    while (stack.length) {
      const current = stack.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const summary = summarize(current);
      for (const code of summary.codes) result.set(code, (result.get(code) ?? new Set()).add(operation));
      stack.push(...summary.calls);
    }
  }
  return new Map([...result].map(([code, operations]) => [code, [...operations].sort()]));
}
