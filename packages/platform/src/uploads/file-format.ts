import { fromFile } from 'file-type';

/** A file's format as its leading bytes tell it: extension (`pdf`, `jpg`, `wav`) and MIME type. */
export interface FileFormat {
  ext: string;
  mime: string;
}

/**
 * What a file really is, from its magic numbers (the `file-type` package); its name and any
 * claimed Content-Type are ignored. Undefined when the bytes match no known binary format (plain
 * text among them). Which formats a service accepts, and what it measures further (an audio
 * file's length, say), is the service's business.
 */
export async function detectFileFormat(file: string): Promise<FileFormat | undefined> {
  const detected = await fromFile(file);
  return detected ? { ext: detected.ext, mime: detected.mime } : undefined;
}
