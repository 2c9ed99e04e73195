import * as Y from 'yjs';

/**
 * How deep an update nests. Levels count from a root type: a root's direct child is level 1, each
 * shared type and each JSON object or array adds one. Chains that hang from items the update does not
 * carry can only be measured against the document they land in (`nestingProblem`).
 */
export interface NestingReport {
  /** Deepest level reached by chains that start at a root type inside the update. */
  depth: number;
  /**
   * Chains anchored on items outside the update: [client, clock, levels added below that item,
   * whether the anchor is the parent (else a sibling), whether a shared type is among them].
   */
  anchored: [number, number, number, boolean, boolean][];
}

/** A write nests deeper than the live document allows. */
export class NestingTooDeep extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NestingTooDeep';
  }
}

type Struct = Y.Item | Y.GC | Y.Skip;
type Anchor =
  | { kind: 'root'; level: number }
  | { kind: 'outside'; client: number; clock: number; parent: boolean; level: number }
  | { kind: 'dead' };

/** Depth of a JSON value (scalars 0, each array or object 1 more), measured without recursion. */
export function jsonDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) continue;
    const level = d + 1;
    if (level > deepest) deepest = level;
    if (deepest > stopAbove) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, level]);
  }
  return deepest;
}

/** Levels an item's own content adds below it (JSON values; a shared type adds its children later). */
function contentDepth(content: Y.Item['content'], max: number): number {
  if (content instanceof Y.ContentAny) return jsonDepth(content.arr, max) - 1;
  if (content instanceof Y.ContentJSON) return jsonDepth(content.arr, max) - 1;
  if (content instanceof Y.ContentEmbed) return jsonDepth(content.embed, max);
  if (content instanceof Y.ContentFormat) return jsonDepth(content.value, max);
  return 0;
}

/** Finds the struct holding an id among one client's structs of the update (sorted by clock). */
function findIn(byClient: Map<number, Struct[]>, id: Y.ID): Struct | undefined {
  const list = byClient.get(id.client);
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid] as Struct;
    if (id.clock < s.id.clock) hi = mid - 1;
    else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/**
 * Measures the nesting of decoded structs; throws NestingTooDeep as soon as a chain inside the update
 * passes `max`. Iterative, so a 20,000-level chain is measured, not a stack overflow.
 */
export function nestingOf(structs: Struct[], max: number): NestingReport {
  const byClient = new Map<number, Struct[]>();
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);

  const anchors = new Map<Y.Item, Anchor>();
  /** Where an item sits: walks up parents and left neighbours inside the update, then unwinds. */
  const anchorOf = (start: Y.Item): Anchor => {
    // Each entry refers to the next by its parent (one level up) or a neighbour (same level).
    const chain: { item: Y.Item; step: number }[] = [];
    let item: Y.Item = start;
    let found: Anchor;
    for (;;) {
      const known = anchors.get(item);
      if (known) {
        found = known;
        break;
      }
      const parent = item.parent as unknown;
      if (typeof parent === 'string') {
        chain.push({ item, step: 1 });
        found = { kind: 'root', level: 0 };
        break;
      }
      const viaParent = parent instanceof Y.ID;
      const ref = viaParent ? (parent as Y.ID) : (item.origin ?? item.rightOrigin);
      chain.push({ item, step: viaParent ? 1 : 0 });
      const next = ref ? findIn(byClient, ref) : undefined;
      if (!ref || (next !== undefined && !(next instanceof Y.Item))) {
        found = { kind: 'dead' };
        break;
      }
      if (next === undefined) {
        found = { kind: 'outside', client: ref.client, clock: ref.clock, parent: viaParent, level: 0 };
        break;
      }
      // Yjs turns the child of anything but a shared type into garbage: it cannot nest.
      if (viaParent && !(next.content instanceof Y.ContentType)) {
        found = { kind: 'dead' };
        break;
      }
      item = next;
    }
    let level = found.kind === 'dead' ? 0 : found.level;
    for (let i = chain.length - 1; i >= 0; i--) {
      const { item: it, step } = chain[i] as { item: Y.Item; step: number };
      level += step;
      if (found.kind !== 'dead' && level > max)
        throw new NestingTooDeep(`update nests ${level} levels deep (the limit is ${max})`);
      anchors.set(it, found.kind === 'dead' ? found : { ...found, level });
    }
    return anchors.get(start) as Anchor;
  };

  let depth = 0;
  const outside = new Map<string, [number, number, number, boolean, boolean]>();
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    const anchor = anchorOf(s);
    if (anchor.kind === 'dead') continue;
    const total = anchor.level + contentDepth(s.content, max);
    if (total > max) throw new NestingTooDeep(`update nests ${total} levels deep (the limit is ${max})`);
    if (anchor.kind === 'root') {
      depth = Math.max(depth, total);
      continue;
    }
    const key = `${anchor.client}:${anchor.clock}:${anchor.parent}`;
    const types = s.content instanceof Y.ContentType;
    const prev = outside.get(key);
    outside.set(key, [
      anchor.client,
      anchor.clock,
      Math.max(prev?.[2] ?? 0, total),
      anchor.parent,
      (prev?.[4] ?? false) || types,
    ]);
  }
  return { depth, anchored: [...outside.values()] };
}

/** The level an integrated item sits at in its document (a root's child: 1). */
function levelInDocument(item: Y.Item): number {
  let level = 1;
  let type = item.parent as Y.AbstractType<unknown> | null;
  while (type?._item) {
    level++;
    type = type._item.parent as Y.AbstractType<unknown> | null;
  }
  return level;
}

/**
 * Why applying an update with this report would nest the document deeper than `max`, or null.
 * A chain hanging from an item the document does not have yet (Yjs keeps it pending) may not carry
 * shared types: its depth could only be known once the missing item arrives.
 */
export function nestingProblem(doc: Y.Doc, report: NestingReport, max: number): string | null {
  if (report.depth > max) return `update nests ${report.depth} levels deep (the limit is ${max})`;
  for (const [client, clock, below, viaParent, types] of report.anchored) {
    if (clock >= Y.getState(doc.store, client)) {
      if (types) return 'update nests shared types inside content the document does not have yet';
      continue;
    }
    const structs = doc.store.clients.get(client) as (Y.Item | Y.GC)[];
    const anchor = structs[Y.findIndexSS(structs, clock)];
    if (!(anchor instanceof Y.Item)) continue;
    if (viaParent && !(anchor.content instanceof Y.ContentType)) continue;
    const total = levelInDocument(anchor) + below;
    if (total > max) return `update nests ${total} levels deep (the limit is ${max})`;
  }
  return null;
}
