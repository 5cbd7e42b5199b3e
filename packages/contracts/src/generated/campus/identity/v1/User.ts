// Original file: /work/main/proto/campus/identity/v1/identity.proto

import type { Residence as _campus_identity_v1_Residence, Residence__Output as _campus_identity_v1_Residence__Output } from '../../../campus/identity/v1/Residence';
import type { ParentContact as _campus_identity_v1_ParentContact, ParentContact__Output as _campus_identity_v1_ParentContact__Output } from '../../../campus/identity/v1/ParentContact';
import type { EntranceRef as _campus_identity_v1_EntranceRef, EntranceRef__Output as _campus_identity_v1_EntranceRef__Output } from '../../../campus/identity/v1/EntranceRef';

export interface User {
  'id'?: (string);
  'email'?: (string);
  'phone'?: (string);
  'firstName'?: (string);
  'lastName'?: (string);
  'patronymic'?: (string);
  'fullName'?: (string);
  'roles'?: (string)[];
  'residence'?: (_campus_identity_v1_Residence | null);
  'isMinor'?: (boolean);
  'isActive'?: (boolean);
  'parentContact'?: (_campus_identity_v1_ParentContact | null);
  'assignedEntrances'?: (_campus_identity_v1_EntranceRef)[];
}

export interface User__Output {
  'id': (string);
  'email': (string);
  'phone': (string);
  'firstName': (string);
  'lastName': (string);
  'patronymic': (string);
  'fullName': (string);
  'roles': (string)[];
  'residence': (_campus_identity_v1_Residence__Output | null);
  'isMinor': (boolean);
  'isActive': (boolean);
  'parentContact': (_campus_identity_v1_ParentContact__Output | null);
  'assignedEntrances': (_campus_identity_v1_EntranceRef__Output)[];
}
