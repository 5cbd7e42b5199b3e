// Original file: /work/main/proto/campus/identity/v1/identity.proto

import type { Residence as _campus_identity_v1_Residence, Residence__Output as _campus_identity_v1_Residence__Output } from '../../../campus/identity/v1/Residence';

export interface ValidateTokenResponse {
  'valid'?: (boolean);
  'reason'?: (string);
  'userId'?: (string);
  'roles'?: (string)[];
  'residence'?: (_campus_identity_v1_Residence | null);
  'isMinor'?: (boolean);
  'expiresAt'?: (string);
}

export interface ValidateTokenResponse__Output {
  'valid': (boolean);
  'reason': (string);
  'userId': (string);
  'roles': (string)[];
  'residence': (_campus_identity_v1_Residence__Output | null);
  'isMinor': (boolean);
  'expiresAt': (string);
}
