// The use cases the transports receive (GraphQL resolvers and loaders, gRPC handlers), built once
// by the composition root.
import type { PatrolService } from './patrol.service';

export interface PatrolServices {
  patrols: PatrolService;
}
