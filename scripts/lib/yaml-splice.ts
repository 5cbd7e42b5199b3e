// Edits a YAML file the way a person would: the Document API finds the nodes, and each edit is
// spliced into the source text at their offsets, so everything else (comments, quoting, flow
// style, anchors, blank lines) stays byte for byte. Re-printing the whole document would not:
// yaml's printer re-pads every flow collection and re-quotes scalars.
import YAML, {
  isMap,
  isNode,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

type Path = ReadonlyArray<string | number>;

interface Edit {
  at: number;
  /** Characters replaced from `at` (0 for an insertion). */
  remove: number;
  text: string;
}

const keyOf = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

export class YamlSplice {
  private readonly document: Document.Parsed;
  private readonly edits: Edit[] = [];

  constructor(
    /** For messages: the file, relative to the repository root. */
    readonly file: string,
    private readonly source: string,
  ) {
    this.document = YAML.parseDocument(source, { merge: true });
    const [error] = this.document.errors;
    if (error) throw new Error(`${file} is not valid YAML: ${error.message}`);
  }

  /** The parsed value at `path` (plain JavaScript), undefined when absent. */
  value(path: Path): unknown {
    const node = this.document.getIn(path, true);
    return isNode(node) ? node.toJS(this.document) : node;
  }

  /**
   * Adds an entry to the block map at `path`: `lines` are its text, indented relative to its key
   * (the key's own column is the map's). It goes before the entry `before` (and the comments right
   * above it), after the last entry whose key `after` accepts, or else after the last entry.
   */
  addEntry(
    path: Path,
    lines: readonly string[],
    where: { before?: string; after?: (key: string) => boolean } = {},
  ): this {
    const map = this.blockMap(path);
    const pairs = map.items;
    const last = pairs.at(-1);
    if (!last) throw new Error(`${this.file}: ${path.join('.')} is empty; add the entry by hand`);
    const indent = ' '.repeat(this.column(this.start(last.key)));
    const text = lines.map((line) => (line ? indent + line : line)).join('\n') + '\n';
    // Entries separated by blank lines stay so.
    const blankAfter = (pair: Pair) => (isScalar(pair.key) && pair.key.spaceBefore ? '\n' : '');
    const before = where.before === undefined ? undefined : pairs.find((p) => keyOf(p) === where.before);
    if (before) {
      this.insert(this.aboveComments(this.lineStart(this.start(before.key))), text + blankAfter(before));
      return this;
    }
    const anchor = [...pairs].reverse().find((p) => where.after?.(keyOf(p))) ?? last;
    const at = this.nextLineStart(this.end(anchor.value ?? anchor.key));
    const newline = at === this.source.length && !this.source.endsWith('\n') ? '\n' : '';
    this.insert(at, newline + blankAfter(anchor) + text);
    return this;
  }

  /**
   * Adds an item to the block sequence at `path`: `lines` are its text, from its dash (`- …`),
   * indented relative to the dash column of the items. It goes after the last item whose parsed
   * value `after` accepts, else after the last item.
   */
  addSeqItem(path: Path, lines: readonly string[], where: { after?: (value: unknown) => boolean } = {}): this {
    const { seq, indent } = this.blockSeq(path);
    const anchor = this.lastItem(seq, where.after);
    const text = lines.map((line) => (line ? indent + line : line)).join('\n') + '\n';
    this.insertLines(this.lineAfter(anchor), text);
    return this;
  }

  /**
   * Adds a copy of an item of the block sequence at `path` after it: the last item `which` accepts
   * (its parsed value), its source text (comments above it excluded) passed through `change` (with
   * that value).
   */
  copySeqItem(path: Path, which: (value: unknown) => boolean, change: (text: string, value: unknown) => string): this {
    const { seq, indent } = this.blockSeq(path);
    if (!seq.items.some((item) => which(this.toJS(item)))) {
      throw new Error(`${this.file}: no item of ${path.join('.')} to copy`);
    }
    const item = this.lastItem(seq, which);
    const text = this.source.slice(this.start(item), this.contentEnd(item));
    this.insertLines(this.lineAfter(item), `${indent}- ${change(text, this.toJS(item))}\n`);
    return this;
  }

  /** The quote the scalar at `path` is written with ('' when plain or absent). */
  quoteOf(path: Path): "'" | '"' | '' {
    const node = this.document.getIn(path, true);
    if (!isScalar(node)) return '';
    return node.type === 'QUOTE_SINGLE' ? "'" : node.type === 'QUOTE_DOUBLE' ? '"' : '';
  }

  /** Appends `value` to the flow sequence at `path` (e.g. `[a, b]`), quoted as its last item is. */
  appendToFlowSeq(path: Path, value: string): this {
    const seq = this.document.getIn(path, true);
    if (!isSeq(seq) || !seq.flow) throw new Error(`${this.file}: ${path.join('.')} is not a [flow, sequence]`);
    const last = seq.items.at(-1);
    const quote = this.quoteOf([...path, seq.items.length - 1]);
    const item = `${quote}${value}${quote}`;
    if (last) this.insert(this.end(last), `, ${item}`);
    else this.insert(this.start(seq) + 1, item);
    return this;
  }

  /** Replaces the text of the scalar at `path` (quotes included, if it has any). */
  replaceScalar(path: Path, text: string): this {
    const node = this.document.getIn(path, true);
    if (!isScalar(node)) throw new Error(`${this.file}: ${path.join('.')} is not a scalar`);
    const start = this.start(node);
    this.edits.push({ at: start, remove: this.end(node) - start, text });
    return this;
  }

  /** The source with every edit applied; it must still parse. */
  toString(): string {
    let text = this.source;
    for (const edit of [...this.edits].sort((a, b) => b.at - a.at)) {
      text = text.slice(0, edit.at) + edit.text + text.slice(edit.at + edit.remove);
    }
    const [error] = YAML.parseDocument(text, { merge: true }).errors;
    if (error) throw new Error(`${this.file}: the edit broke the file (${error.message})`);
    return text;
  }

  /** The block sequence at `path` and the indentation of its dashes. */
  private blockSeq(path: Path): { seq: YAMLSeq; indent: string } {
    const seq = this.document.getIn(path, true);
    if (!isSeq(seq) || seq.flow) throw new Error(`${this.file}: ${path.join('.')} is not a block sequence`);
    const first = seq.items[0];
    if (!first) throw new Error(`${this.file}: ${path.join('.')} is empty; add the item by hand`);
    const start = this.start(first);
    const dash = this.source.slice(this.lineStart(start), start).lastIndexOf('-');
    if (dash < 0) throw new Error(`${this.file}: ${path.join('.')}: an item without its dash`);
    return { seq, indent: ' '.repeat(dash) };
  }

  /** The last item `accepts` (its parsed value), else the last item. */
  private lastItem(seq: YAMLSeq, accepts?: (value: unknown) => boolean): unknown {
    const lastFirst = [...seq.items].reverse();
    return lastFirst.find((item) => accepts?.(this.toJS(item))) ?? lastFirst[0];
  }

  /** Inserts whole lines at a line start (the end of a file without a final newline gets one first). */
  private insertLines(at: number, text: string): void {
    this.insert(at, at === this.source.length && !this.source.endsWith('\n') ? `\n${text}` : text);
  }

  private toJS(node: unknown): unknown {
    return isNode(node) ? node.toJS(this.document) : node;
  }

  /** Where the node's text ends, trailing blank lines excluded (a block collection's range holds them). */
  private contentEnd(node: unknown): number {
    let end = this.end(node);
    while (end > 0 && /\s/.test(this.source.charAt(end - 1))) end -= 1;
    return end;
  }

  /** The start of the line after the node (and after a comment on its last line). */
  private lineAfter(node: unknown): number {
    return this.nextLineStart(this.contentEnd(node));
  }

  private blockMap(path: Path): YAMLMap {
    const map = this.document.getIn(path, true);
    if (!isMap(map) || map.flow) throw new Error(`${this.file}: ${path.join('.')} is not a block map`);
    return map;
  }

  private insert(at: number, text: string): void {
    this.edits.push({ at, remove: 0, text });
  }

  private start(node: unknown): number {
    const range = (node as Node | null)?.range;
    if (!range) throw new Error(`${this.file}: a node without a source position`);
    return range[0];
  }

  /** Where the node's value ends (before any trailing comment). */
  private end(node: unknown): number {
    const range = (node as Node | null)?.range;
    if (!range) throw new Error(`${this.file}: a node without a source position`);
    return range[1];
  }

  private lineStart(offset: number): number {
    return this.source.lastIndexOf('\n', offset - 1) + 1;
  }

  private nextLineStart(offset: number): number {
    const newline = this.source.indexOf('\n', offset);
    return newline < 0 ? this.source.length : newline + 1;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** The start of the comment lines directly above the line starting at `lineStart`. */
  private aboveComments(lineStart: number): number {
    let start = lineStart;
    while (start > 0) {
      const previous = this.lineStart(start - 1);
      if (!/^\s*#/.test(this.source.slice(previous, start - 1))) break;
      start = previous;
    }
    return start;
  }
}
