// Reading an HTTP answer without trusting its size: a misbehaving peer, recorder or
// controller must not make us buffer an unbounded body.

/** The body's bytes, or null when it is larger than maxBytes (it is then not read further). */
export async function readBodyBytesBounded(res: Response, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (res.body === null) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Bounded: ends at the body's end, at maxBytes, or when the request's signal aborts the stream.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The body as UTF-8 text, or null when it is larger than maxBytes (it is then not read further). */
export async function readBodyBounded(res: Response, maxBytes: number): Promise<string | null> {
  const bytes = await readBodyBytesBounded(res, maxBytes);
  return bytes === null ? null : bytes.toString('utf8');
}
