// Reads a multipart/form-data request as it arrives: one large file field is written straight to a file on disk
// (hashing as it goes), small files and text fields are kept in memory up to their limits. A part over its limit stops
// the upload at once, so no request body is ever held in memory whole.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import busboy from 'busboy';

export class MultipartRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413,
  ) {
    super(message);
    this.name = 'MultipartRefused';
  }
}

export interface StreamedFile {
  name: string;
  size: number;
  sha256: string;
}

export interface MultipartResult {
  fields: Record<string, string>;
  file: StreamedFile | null; // the large file, written to options.filePath
  smallFiles: Record<string, { name: string; text: string }>;
}

export interface MultipartOptions {
  fileField: string;
  filePath: string;
  maxFileBytes: number;
  smallFileFields: Record<string, number>; // name → limit in bytes
  maxFieldBytes: number;
  maxFields: number;
}

export async function readMultipartToDisk(request: Request, options: MultipartOptions): Promise<MultipartResult> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.startsWith('multipart/form-data') || !request.body) throw new MultipartRefused('Send the file as multipart/form-data.', 400);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: options.maxFileBytes, fieldSize: options.maxFieldBytes, fields: options.maxFields, files: 1 + Object.keys(options.smallFileFields).length, parts: 20 },
    });
  } catch {
    throw new MultipartRefused('Send the file as multipart/form-data.', 400);
  }
  const result: MultipartResult = { fields: {}, file: null, smallFiles: {} };
  const writes: Array<Promise<void>> = [];
  const body = Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>);
  // Set from the parser's callbacks; the cast keeps TypeScript from narrowing it to null for the rest of the function.
  let refusal = null as MultipartRefused | null;
  // The first refusal stops reading the request: the rest of an oversized upload is never received.
  const refuse = (error: MultipartRefused) => {
    refusal ??= error;
    body.destroy(error);
  };

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) refuse(new MultipartRefused(`The field ${name.slice(0, 40)} is too long.`, 400));
    else result.fields[name] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name === options.fileField && !result.file && info.filename) {
      const hash = crypto.createHash('sha256');
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      stream.on('limit', () => refuse(new MultipartRefused(`The file is larger than ${Math.round(options.maxFileBytes / 1024 / 1024)} MB.`, 413)));
      writes.push(
        pipeline(stream, fs.createWriteStream(options.filePath)).then(() => {
          result.file = { name: info.filename ?? '', size, sha256: hash.digest('hex') };
        }),
      );
      return;
    }
    const limit = options.smallFileFields[name];
    if (limit === undefined || !info.filename) {
      stream.resume(); // an unexpected or empty part: read past it
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    stream.on('limit', () => refuse(new MultipartRefused(`The ${name} part is too large.`, 413)));
    stream.on('end', () => {
      if (size > limit) refuse(new MultipartRefused(`The ${name} part is larger than ${Math.round(limit / 1024)} KB.`, 413));
      else if (size > 0) result.smallFiles[name] = { name: info.filename ?? '', text: Buffer.concat(chunks).toString('utf8') };
    });
  });
  for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
    parser.on(event, () => refuse(new MultipartRefused('The form has too many parts.', 400)));
  }
  try {
    await pipeline(body, parser);
    await Promise.all(writes);
  } catch (error) {
    if (refusal) throw refusal;
    throw new MultipartRefused(`The upload could not be read (${error instanceof Error ? error.message.slice(0, 80) : 'unknown error'}).`, 400);
  }
  if (refusal) throw refusal;
  return result;
}
