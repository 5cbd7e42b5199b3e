// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface GetUserRequest {
  'id'?: (string);
}

export interface GetUserRequest__Output {
  'id': (string);
}
