// Original file: /work/main/proto/campus/identity/v1/identity.proto

import type { User as _campus_identity_v1_User, User__Output as _campus_identity_v1_User__Output } from '../../../campus/identity/v1/User';

export interface GetUsersResponse {
  'users'?: (_campus_identity_v1_User)[];
}

export interface GetUsersResponse__Output {
  'users': (_campus_identity_v1_User__Output)[];
}
