import type { Clock, FileLinks } from '@campus/platform';
import type { DocumentDownloads } from './document-downloads.service';
import type { DocumentUploads } from './document-uploads.service';
import type { LeaveCommands } from './leave-commands.service';
import type { LeaveQueries } from './leave-queries.service';

/**
 * The leave service's use cases, built once by the composition root (app.ts) and handed to every
 * transport: GraphQL (as `ctx.services`), gRPC and the document routes.
 */
export interface LeaveServices {
  commands: LeaveCommands;
  queries: LeaveQueries;
  uploads: DocumentUploads;
  downloads: DocumentDownloads;
  fileLinks: FileLinks;
  /** "Now" for what transports compute (download link expiry). */
  clock: Clock;
}
