import { DataError } from '../jsonl/jsonl-error.ts';

// One query's listwise group as it is collected: distinct responses in input order with 0/1 labels.
export interface ResponseGroup {
  id: string;
  question: unknown;
  responses: string[];
  labels: Array<0 | 1>;
}

export interface GroupCounts {
  // Responses equal to one already in their query's group (identical responses count once).
  duplicates: number;
  // Responses of a query that already had its full group.
  extra: number;
}

export interface GroupCollector {
  // Adds one sample; returns the groups this closes (a full group, or in grouped mode the previous query's group).
  add(sample: { id: string; response: string; correct: boolean; question: unknown; line: number }): ResponseGroup[];
  // Closes every open group at the end of the input.
  finish(): ResponseGroup[];
  readonly counts: GroupCounts;
}

// Collects each query's first `size` distinct responses. In grouped mode (the default: sampling stages write a
// query's samples on consecutive lines) a query's group closes when the next query starts, so memory holds one
// group; ungrouped, groups stay open until full or the input ends, so memory grows with the open queries. Either way
// the ids of closed queries are remembered (a few bytes each) to catch a query that reappears.
export function createGroupCollector(file: string, size: number, grouped: boolean): GroupCollector {
  const open = new Map<string, ResponseGroup & { seen: Set<string> }>();
  const closed = new Set<string>();
  const counts: GroupCounts = { duplicates: 0, extra: 0 };
  let current: string | undefined;
  const close = (id: string): ResponseGroup[] => {
    const group = open.get(id);
    if (!group) return [];
    open.delete(id);
    closed.add(id);
    return [{ id: group.id, question: group.question, responses: group.responses, labels: group.labels }];
  };
  return {
    counts,
    add({ id, response, correct, question, line }) {
      const done: ResponseGroup[] = [];
      if (grouped && current !== undefined && id !== current) done.push(...close(current));
      if (closed.has(id)) {
        if (grouped && id !== current) {
          throw new DataError(
            `${file}:${line}: samples of query "${id}" appear again after other queries' samples, but rm-data reads a query's samples ` +
              `as consecutive lines; sort the file by id, or pass --ungrouped (memory then grows with the queries left open)`,
          );
        }
        counts.extra += 1;
        current = id;
        return done;
      }
      current = id;
      let group = open.get(id);
      if (!group) open.set(id, (group = { id, question, responses: [], labels: [], seen: new Set() }));
      if (group.seen.has(response)) {
        counts.duplicates += 1;
        return done;
      }
      group.seen.add(response);
      group.responses.push(response);
      group.labels.push(correct ? 1 : 0);
      if (group.responses.length === size) done.push(...close(id));
      return done;
    },
    finish() {
      return [...open.keys()].flatMap((id) => close(id));
    },
  };
}
