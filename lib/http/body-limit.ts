// Request bodies are read only up to a limit per route: a declared Content-Length over it is refused before a byte is
// read, and a body that turns out longer (chunked) is cut off as soon as it passes the limit. Nothing is buffered
// beyond the limit.
export const SMALL_BODY_BYTES = 64 * 1024;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = 'BodyTooLarge';
  }
}

export function declaredLengthExceeds(request: Request, limit: number): boolean {
  const declared = Number(request.headers.get('content-length') ?? '0');
  return Number.isFinite(declared) && declared > limit;
}

/** The body as bytes, at most `limit` of them; throws BodyTooLarge past that and cancels the rest of the upload. */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
  if (declaredLengthExceeds(request, limit)) throw new BodyTooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export function tooLargeResponse(limit: number): Response {
  return Response.json({ error: 'too_large', message: `请求太大 · The request is larger than ${Math.round(limit / 1024)} KB.` }, { status: 413, headers: { Connection: 'close' } });
}
