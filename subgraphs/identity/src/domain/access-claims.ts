// What an access token says about a user: exactly what platform's accessClaimsSchema reads in every
// subgraph. Registered claims (iss, aud, exp, …) are added by the signer.
import type { AccessClaims } from '@campus/platform';
import type { UserRecord } from './users';

export function accessClaimsOf(user: UserRecord): AccessClaims {
  const { residence } = user;
  return {
    sub: user.id,
    typ: 'access',
    roles: [...user.roles],
    residence: residence
      ? { building: residence.building, entrance: residence.entrance, floor: residence.floor, room: residence.room }
      : null,
    isMinor: user.isMinor,
    entrances: user.assignedEntrances.map((e) => ({ building: e.building, entrance: e.entrance })),
  };
}
