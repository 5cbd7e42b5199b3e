// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface CheckUserRoleRequest {
  'userId'?: (string);
  'role'?: (string);
  'building'?: (string);
  'entrance'?: (number);
  '_building'?: "building";
  '_entrance'?: "entrance";
}

export interface CheckUserRoleRequest__Output {
  'userId': (string);
  'role': (string);
  'building'?: (string);
  'entrance'?: (number);
  '_building'?: "building";
  '_entrance'?: "entrance";
}
