// Schema change safety: compares the API schema (what clients of the router see) of the working
// tree's supergraph.graphql with that of a base commit, lists the changes by criticality
// (@graphql-inspector/core) and fails on breaking ones that docs/schema-changelog.md does not mark
// as intended.
//   npm run schema:diff                       compare; exit 1 on unmarked breaking changes (in CI)
//   npm run schema:changelog [-- --intended]  append the changes as a dated section of the changelog
// Options: --base <rev> (default below), --head <rev> (the new side from git instead of the working
// tree), --title <text> (the changelog section's title).
// Default base: HEAD when supergraph.graphql has uncommitted changes (what the next commit changes),
// else HEAD~1 (what the last commit changed; CI runs on the pushed HEAD of a fresh clone). With no
// such commit (shallow clone, first commit) or no supergraph.graphql there, it says so and passes.
// The marker: a section of the changelog that this change adds (absent from the base's changelog),
// with a line "Intended: yes" and every breaking change listed under "### Breaking". It lives in the
// committed tree, so it works on any clone, shallow or not, and survives squashes and rebases.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { apiSchemaSdl } from './lib/api-schema';

const ROOT = path.resolve(__dirname, '..');
const SUPERGRAPH = 'supergraph.graphql';
export const CHANGELOG = 'docs/schema-changelog.md';

export type Level = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';
export interface SchemaChange {
  level: Level;
  /** The differ's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** One line (descriptions quoted in a message may span several). */
  message: string;
  path?: string;
}

/** Levels in the order they are printed, with their changelog headings. */
export const LEVELS: ReadonlyArray<{ level: Level; heading: string }> = [
  { level: 'BREAKING', heading: 'Breaking' },
  { level: 'DANGEROUS', heading: 'Dangerous' },
  { level: 'NON_BREAKING', heading: 'Non-breaking' },
];

function levelOf(change: Change): Level {
  switch (change.criticality.level) {
    case CriticalityLevel.Breaking:
      return 'BREAKING';
    case CriticalityLevel.Dangerous:
      return 'DANGEROUS';
    default:
      return 'NON_BREAKING';
  }
}

/** The changes from one API schema (SDL) to another, most critical first, in the differ's order within a level. */
export async function schemaChanges(oldApiSdl: string, newApiSdl: string): Promise<SchemaChange[]> {
  const changes = await diff(buildSchema(oldApiSdl), buildSchema(newApiSdl));
  const found = changes.map(
    (c): SchemaChange => ({
      level: levelOf(c),
      type: c.type,
      message: c.message.replace(/\s+/g, ' ').trim(),
      path: c.path,
    }),
  );
  return LEVELS.flatMap(({ level }) => found.filter((c) => c.level === level));
}

/** Changes that add an element: what is inside a new element comes with it. */
const ADDITIONS = new Set([
  'TYPE_ADDED',
  'FIELD_ADDED',
  'INPUT_FIELD_ADDED',
  'ENUM_VALUE_ADDED',
  'FIELD_ARGUMENT_ADDED',
  'DIRECTIVE_ADDED',
]);

/**
 * The changes worth reading: a new type's fields, a new field's arguments and descriptions are part
 * of "Type 'X' was added" / "Field 'y' was added…" and are left out (never a breaking one).
 */
export function condense(changes: SchemaChange[]): { listed: SchemaChange[]; omitted: number } {
  const added = changes.filter((c) => ADDITIONS.has(c.type) && c.path);
  const inside = (c: SchemaChange): boolean =>
    c.level !== 'BREAKING' &&
    c.path !== undefined &&
    added.some((a) => a !== c && (c.path === a.path || c.path!.startsWith(`${a.path}.`)));
  const listed = changes.filter((c) => !inside(c));
  return { listed, omitted: changes.length - listed.length };
}

/** The changes between two supergraphs, judged on their API schemas (as the router derives them). */
export async function supergraphChanges(oldSupergraph: string, newSupergraph: string): Promise<SchemaChange[]> {
  return schemaChanges(apiSchemaSdl(oldSupergraph), apiSchemaSdl(newSupergraph));
}

export function byLevel(changes: SchemaChange[], level: Level): SchemaChange[] {
  return changes.filter((c) => c.level === level);
}

// ---- the changelog ----

export interface ChangelogSection {
  /** The whole section, heading included, trimmed: what tells sections apart. */
  text: string;
  title: string;
  intended: boolean;
  /** The items listed under "### Breaking", normalized. */
  breaking: string[];
}

/** One list item as written or read: markdown escapes and runs of white space do not count. */
function normalize(item: string): string {
  return item.replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim();
}

/** The "## " sections of a changelog. */
export function parseChangelog(markdown: string): ChangelogSection[] {
  const sections: ChangelogSection[] = [];
  const chunks = markdown.replace(/\r\n/g, '\n').split(/^(?=## )/m);
  for (const chunk of chunks) {
    if (!chunk.startsWith('## ')) continue;
    const lines = chunk.trimEnd().split('\n');
    const breaking: string[] = [];
    let sub: string | null = null;
    for (const line of lines.slice(1)) {
      const heading = /^###\s+(.*)$/.exec(line);
      if (heading) sub = heading[1]!.trim().toLowerCase();
      else if (sub === 'breaking' && /^\s*[-*]\s+/.test(line))
        breaking.push(normalize(line.replace(/^\s*[-*]\s+/, '')));
    }
    sections.push({
      text: chunk.trim(),
      title: lines[0]!.slice(3).trim(),
      intended: /^intended:\s*yes\b/im.test(chunk),
      breaking,
    });
  }
  return sections;
}

/** Sections of the changelog that the base's changelog lacks (added or edited by this change). */
export function newSections(changelog: string, baseChangelog: string | null): ChangelogSection[] {
  const before = new Set(parseChangelog(baseChangelog ?? '').map((s) => s.text));
  return parseChangelog(changelog).filter((s) => !before.has(s.text));
}

export interface Verdict {
  ok: boolean;
  /** Breaking changes that no new "Intended: yes" section lists. */
  unmarked: SchemaChange[];
  /** The new sections that mark (some of) the breaking changes as intended. */
  marking: string[];
}

/**
 * Whether the changes may land: no breaking change, or every breaking change listed under
 * "### Breaking" in a section this change adds to the changelog with "Intended: yes".
 */
export function judge(changes: SchemaChange[], changelog: string, baseChangelog: string | null): Verdict {
  const breaking = byLevel(changes, 'BREAKING');
  const intended = newSections(changelog, baseChangelog).filter((s) => s.intended);
  const marked = new Set(intended.flatMap((s) => s.breaking));
  const unmarked = breaking.filter((c) => !marked.has(normalize(c.message)));
  const marking = intended.filter((s) =>
    s.breaking.some((item) => breaking.some((c) => normalize(c.message) === item)),
  );
  return { ok: unmarked.length === 0, unmarked, marking: marking.map((s) => s.title) };
}

/** A changelog section listing every change by criticality. */
export function changelogSection(
  options: { date: string; title?: string; base: string; head: string; intended: boolean },
  changes: SchemaChange[],
): string {
  const { date, title, base, head, intended } = options;
  const lines = [`## ${date} — ${title ? `${title} ` : ''}(${base} → ${head})`, ''];
  if (byLevel(changes, 'BREAKING').length) {
    lines.push(
      intended
        ? 'Intended: yes'
        : 'Intended: no — change to "Intended: yes" once the breaking changes below are deliberate and announced',
      '',
    );
  } else {
    lines.push('No breaking changes.', '');
  }
  const { listed, omitted } = condense(changes);
  for (const { level, heading } of LEVELS) {
    const items = byLevel(listed, level);
    if (!items.length) continue;
    lines.push(`### ${heading}`, '', ...items.map((c) => `- ${c.message}`), '');
  }
  if (omitted)
    lines.push(
      `(${omitted} more change${omitted === 1 ? '' : 's'} inside the added types and fields: their fields, arguments, descriptions.)`,
    );
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The changelog with the section appended (oldest first), separated by one blank line. */
export function appendSection(changelog: string, section: string): string {
  return `${changelog.trimEnd()}\n\n${section}`;
}

// ---- git and the command line ----

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

const gitShow = (rev: string, file: string): string | null => git(['show', `${rev}:${file}`]);
const commitOf = (rev: string): string | null =>
  git(['rev-parse', '--verify', '-q', `${rev}^{commit}`])?.trim() ?? null;
const short = (sha: string): string => sha.slice(0, 7);

function readFile(relative: string): string | null {
  const file = path.join(ROOT, relative);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

type Side = { label: string; supergraph: string; changelog: string | null; date: string };
type Plan = { base: Side; head: Side } | { skip: string };

/** Which two supergraphs to compare, or why there is nothing to compare. */
function plan(args: string[]): Plan {
  if (git(['rev-parse', '--git-dir']) === null) return { skip: 'not a git checkout' };
  const headRev = option(args, '--head');
  let head: Side;
  if (headRev) {
    const sha = commitOf(headRev);
    const supergraph = sha && gitShow(sha, SUPERGRAPH);
    if (!sha || !supergraph) throw new Error(`--head ${headRev}: no such commit or no ${SUPERGRAPH} there`);
    const date = git(['show', '-s', '--format=%cs', sha])?.trim() ?? today();
    head = { label: short(sha), supergraph, changelog: gitShow(sha, CHANGELOG), date };
  } else {
    const supergraph = readFile(SUPERGRAPH);
    if (supergraph === null) throw new Error(`${SUPERGRAPH} is missing (npm run compose)`);
    head = { label: 'working tree', supergraph, changelog: readFile(CHANGELOG), date: today() };
  }

  let baseRev = option(args, '--base');
  if (!baseRev) {
    const committed = gitShow('HEAD', SUPERGRAPH);
    baseRev = !headRev && committed !== null && committed !== head.supergraph ? 'HEAD' : 'HEAD~1';
  }
  const sha = commitOf(baseRev);
  if (!sha) {
    const shallow = git(['rev-parse', '--is-shallow-repository'])?.trim() === 'true';
    return {
      skip: shallow
        ? `${baseRev} is not in this shallow clone (git fetch --deepen=1 to check the last commit)`
        : `${baseRev} does not exist (the first commit has nothing before it)`,
    };
  }
  const supergraph = gitShow(sha, SUPERGRAPH);
  if (supergraph === null) return { skip: `${baseRev} (${short(sha)}) has no ${SUPERGRAPH}` };
  return { base: { label: short(sha), supergraph, changelog: gitShow(sha, CHANGELOG), date: '' }, head };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function print(changes: SchemaChange[]): void {
  const { listed, omitted } = condense(changes);
  for (const { level, heading } of LEVELS) {
    const items = byLevel(listed, level);
    if (!items.length) continue;
    process.stdout.write(`\n${heading}:\n${items.map((c) => `  - ${c.message}\n`).join('')}`);
  }
  if (omitted)
    process.stdout.write(`  (and ${omitted} change${omitted === 1 ? '' : 's'} inside the added types and fields)\n`);
}

export async function main(args: string[]): Promise<number> {
  const write = args.includes('--changelog');
  let compared: Plan;
  let changes: SchemaChange[];
  try {
    compared = plan(args);
    if ('skip' in compared) {
      process.stdout.write(`schema diff: nothing to compare: ${compared.skip}; passing\n`);
      return 0;
    }
    let oldApi: string;
    try {
      oldApi = apiSchemaSdl(compared.base.supergraph);
    } catch (error) {
      // An old commit's file cannot be fixed by this change: say so rather than block it.
      process.stdout.write(
        `schema diff: the supergraph of ${compared.base.label} does not build (${message(error)}); passing\n`,
      );
      return 0;
    }
    changes = await schemaChanges(oldApi, apiSchemaSdl(compared.head.supergraph));
  } catch (error) {
    process.stderr.write(`schema diff: ${message(error)}\n`);
    return 1;
  }
  const { base, head } = compared;
  const counts = LEVELS.map(({ level, heading }) => `${byLevel(changes, level).length} ${heading.toLowerCase()}`);
  process.stdout.write(`schema diff: API schema ${base.label} → ${head.label}: ${counts.join(', ')}\n`);
  print(changes);

  if (write) {
    if (!changes.length) {
      process.stdout.write(`schema diff: no changes; ${CHANGELOG} left as it is\n`);
      return 0;
    }
    const changelog = readFile(CHANGELOG) ?? '# Schema changelog\n';
    const section = changelogSection(
      {
        date: head.date,
        title: option(args, '--title'),
        base: base.label,
        head: head.label,
        intended: args.includes('--intended'),
      },
      changes,
    );
    fs.writeFileSync(path.join(ROOT, CHANGELOG), appendSection(changelog, section));
    process.stdout.write(`\nschema diff: appended "${section.split('\n')[0]!.slice(3)}" to ${CHANGELOG}\n`);
    if (byLevel(changes, 'BREAKING').length && !args.includes('--intended')) {
      process.stdout.write('  it has breaking changes: make it "Intended: yes" once they are deliberate\n');
    }
    return 0;
  }

  const verdict = judge(changes, head.changelog ?? '', base.changelog);
  if (verdict.ok) {
    const why = verdict.marking.length ? ` (intended: ${verdict.marking.join('; ')})` : '';
    process.stdout.write(`\nschema diff: ok${why}\n`);
    return 0;
  }
  process.stderr.write(
    `\nschema diff: ${verdict.unmarked.length} breaking change(s) not marked as intended. If they are deliberate,\n` +
      `run \`npm run schema:changelog -- --intended\` (or add a section to ${CHANGELOG} with "Intended: yes"\n` +
      `listing them under "### Breaking") and commit it with the schema change.\n`,
  );
  return 1;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
