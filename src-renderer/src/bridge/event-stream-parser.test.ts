import { describe, expect, it } from 'vitest';
import { parseEventStream } from './event-stream-parser';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('parseEventStream', () => {
  it('reassembles events split across chunks and ignores comments', async () => {
    const seen: [string, string][] = [];
    await parseEventStream(
      streamOf([
        ': connected\n\nevent: search:did',
        'Complete\ndata: {"a":',
        '1}\n\n',
        'data: x\r\ndata: y\r\n\r\n',
      ]),
      (name, data) => seen.push([name, data]),
    );
    expect(seen).toEqual([
      ['search:didComplete', '{"a":1}'],
      ['message', 'x\ny'],
    ]);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: Seán\n\n');
    const cut = 8; // inside the two-byte "á"
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const seen: string[] = [];
    await parseEventStream(stream, (_name, data) => seen.push(data));
    expect(seen).toEqual(['Seán']);
  });
});
