import type { Clock, FileLinks } from '@campus/platform';
import type { CheckoutParticipant } from './checkout-participant.service';
import type { DocumentDownloads } from './document-downloads.service';
import type { DocumentUploads } from './document-uploads.service';
import type { LeaveCommands } from './leave-commands.service';
import type { LeaveQueries } from './leave-queries.service';

/**
 * The leave service's use cases, built once by the composition root (app.ts) and handed to every
 * transport: GraphQL (as `ctx.services`), gRPC (patrols, the check-out saga) and the document routes.
 */
export interface LeaveServices {
  commands: LeaveCommands;
  queries: LeaveQueries;
  uploads: DocumentUploads;
  downloads: DocumentDownloads;
  /** The check-out saga's step (gRPC, for the checkout service). */
  checkout: CheckoutParticipant;
  fileLinks: FileLinks;
  /** "Now" for what transports compute (download link expiry). */
  clock: Clock;
}
