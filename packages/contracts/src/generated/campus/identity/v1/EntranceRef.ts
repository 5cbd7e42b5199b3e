// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface EntranceRef {
  'building'?: (string);
  'entrance'?: (number);
}

export interface EntranceRef__Output {
  'building': (string);
  'entrance': (number);
}
