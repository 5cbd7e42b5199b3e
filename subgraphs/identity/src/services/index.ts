// The use cases of identity, bundled as app.ts builds them and the transports receive them.
import type { AuthService } from './auth.service';
import type { CampusService } from './campus.service';
import type { CheckoutParticipant } from './checkout-participant.service';
import type { DirectoryService } from './directory.service';
import type { StudentImportService } from './import.service';
import type { SigningKeyService } from './signing-key.service';
import type { UserService } from './users.service';

/** Every service of the process, as the transports use them. */
export interface IdentityServices {
  auth: AuthService;
  users: UserService;
  imports: StudentImportService;
  campus: CampusService;
  keys: SigningKeyService;
  directory: DirectoryService;
  /** The check-out saga's identity step (gRPC, for the checkout service only). */
  checkout: CheckoutParticipant;
}
