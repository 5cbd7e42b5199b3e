// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface CheckUserRoleResponse {
  'hasRole'?: (boolean);
  'inScope'?: (boolean);
}

export interface CheckUserRoleResponse__Output {
  'hasRole': (boolean);
  'inScope': (boolean);
}
