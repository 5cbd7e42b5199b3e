// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface ValidateTokenRequest {
  'token'?: (string);
}

export interface ValidateTokenRequest__Output {
  'token': (string);
}
