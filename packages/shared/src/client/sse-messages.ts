/** One message of a `text/event-stream`. */
export interface SseMessage {
  /** The `id:` field; the last one seen when the message set none (as the standard has it). */
  readonly id: string | undefined;
  /** The `event:` field. @defaultValue `"message"` */
  readonly event: string;
  /** The `data:` lines, joined with newlines. */
  readonly data: string;
}

/**
 * Parses a `text/event-stream` body into its messages, as the HTML standard's event-stream
 * interpretation does: lines end with CR LF, LF or CR; `:` lines are comments (keep-alives);
 * a blank line dispatches the message gathered so far when it has data. `onBytes` is called for
 * every chunk read, comments included, so a caller can tell a live connection from a dead one.
 */
export async function* sseMessages(body: AsyncIterable<Uint8Array>, onBytes: () => void = () => undefined): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let lastId: string | undefined;
  let event = '';
  let data: string[] = [];
  let first = true;
  for await (const chunk of body) {
    onBytes();
    buffer += decoder.decode(chunk, { stream: true });
    if (first && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      first = false;
    }
    for (;;) {
      const end = /\r\n|\n|\r/.exec(buffer);
      // A lone CR at the end of a chunk may be the first half of CR LF: wait for the next chunk.
      if (!end || (end[0] === '\r' && end.index === buffer.length - 1)) break;
      const line = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end[0].length);
      if (line === '') {
        if (data.length > 0) yield { id: lastId, event: event || 'message', data: data.join('\n') };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) lastId = value;
    }
  }
}
