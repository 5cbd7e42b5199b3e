import type { BaseContext } from '@campus/platform';
import type { DocumentUploads } from '../../services/document-uploads';
import type { FileLinks } from '../../services/file-links';
import type { LeaveCommands } from '../../services/leave-commands';
import type { LeaveQueries } from '../../services/leave-queries';
import type { Clock } from '../../services/ports';
import type { LeaveLoaders } from './loaders';

/** The services a resolver may use (shared by all requests). */
export interface LeaveServices {
  commands: LeaveCommands;
  queries: LeaveQueries;
  uploads: DocumentUploads;
  fileLinks: FileLinks;
  clock: Clock;
}

export interface LeaveContext extends BaseContext {
  leave: LeaveServices;
  loaders: LeaveLoaders;
}
