/** A Redis stream entry id: `<ms>-<seq>`, or `<ms>` (sequence 0). */
const STREAM_ID = /^(\d{1,20})(?:-(\d{1,20}))?$/;

/** Whether `text` is a stream entry id as Redis accepts it (`1767225600000-0` or `1767225600000`). */
export function isStreamId(text: string): boolean {
  return STREAM_ID.test(text);
}

/** Compares two stream ids in stream order: negative when `a` comes first, 0 when equal. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = streamIdParts(a);
  const [bMs, bSeq] = streamIdParts(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

function streamIdParts(id: string): [bigint, bigint] {
  const match = STREAM_ID.exec(id);
  if (!match) throw new Error(`not a stream id: ${JSON.stringify(id)}`);
  return [BigInt(match[1] as string), BigInt(match[2] ?? 0)];
}
