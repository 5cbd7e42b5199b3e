// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface ParentContact {
  'name'?: (string);
  'phone'?: (string);
}

export interface ParentContact__Output {
  'name': (string);
  'phone': (string);
}
