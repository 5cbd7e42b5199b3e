// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface Residence {
  'building'?: (string);
  'entrance'?: (number);
  'floor'?: (number);
  'room'?: (string);
  'roomId'?: (string);
}

export interface Residence__Output {
  'building': (string);
  'entrance': (number);
  'floor': (number);
  'room': (string);
  'roomId': (string);
}
